// kim.lee{{at}}gmail.com
