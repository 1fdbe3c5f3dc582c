//! (in progress)
use crate::diagnostic::Match;
use crate::rules::{Detector, FileContext, Rule};
pub static RULES: &[&Rule] = &[];
pub struct PrivateKeyDetector;
impl Detector for PrivateKeyDetector {
    fn keywords(&self) -> &'static [&'static str] {
        &["PRIVATE KEY"]
    }
    fn scan(&self, _text: &str, _file: FileContext<'_>, _out: &mut Vec<Match>) {}
}
