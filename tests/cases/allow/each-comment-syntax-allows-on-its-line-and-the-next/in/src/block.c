x ann.lee{{at}}gmail.com /* {{allow}}(email-address) */
/* {{allow}}(email-address) */
bo.kim{{at}}gmail.com

cy.ng{{at}}gmail.com
