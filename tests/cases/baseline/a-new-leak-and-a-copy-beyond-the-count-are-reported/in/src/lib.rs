// {{home}}/qzxlinden/work/x.rs
const U: &str = "https://deploy:{{password}}@git.corp-host.net/r.git";
// bo.kim{{at}}gmail.com and bo.kim{{at}}gmail.com
// bo.kim{{at}}gmail.com
// cy.ng{{at}}gmail.com
// bo.kim{{at}}gmail.com
