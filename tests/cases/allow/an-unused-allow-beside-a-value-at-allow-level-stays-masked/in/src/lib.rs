// ann.lee{{at}}gmail.com {{allow}}(url-credentials)
