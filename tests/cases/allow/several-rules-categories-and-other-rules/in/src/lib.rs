// {{allow}}(home-folder-path, email-address)
// ann.lee{{at}}gmail.com {{home}}/annlee/src
// {{allow}}(email)
// ann.lee{{at}}gmail.com
// {{allow}}(home-path)
// ann.lee{{at}}gmail.com {{home}}/annlee/src

