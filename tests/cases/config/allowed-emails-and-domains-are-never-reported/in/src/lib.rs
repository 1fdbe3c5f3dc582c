// sam.roe{{at}}gmail.com, dev{{at}}sub.corp-mail.net
// kim.lee{{at}}gmail.com
// x{{at}}notcorp-mail.net
