// {{allow}}(url-credentials)
pub fn f() {}
// {{allow}}(autor-email)
// {{allow}}
