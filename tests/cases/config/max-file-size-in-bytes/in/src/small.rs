// ann.roe{{at}}gmail.com
