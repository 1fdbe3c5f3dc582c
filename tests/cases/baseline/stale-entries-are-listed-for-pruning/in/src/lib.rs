// {{home}}/qzxlinden/work/x.rs
