//! (in progress)
use crate::rules::Rule;
pub static RULES: &[&Rule] = &[];
