// contact: kim.lee{{at}}gmail.com
