//! Modules import one way: the order is written once, in `src/lib.rs`'s
//! docs ("The modules, leaves first"), and this test fails when a module
//! imports from one listed after it. Test modules (`#[cfg(test)]` to the
//! end of a file) and comments are not imports.
//!
//! `KNOWN_UPWARD` lists the upward imports the code had when this test was
//! written; the one-pipeline restructuring removes them. The test fails on
//! a new one, and on a listed one that is gone (so the list only shrinks).

use std::collections::BTreeSet;
use std::path::Path;

/// (from module, to module): imports that go up the order today.
const KNOWN_UPWARD: &[(&str, &str)] = &[];

/// The module order from `src/lib.rs`'s docs, leaves first.
fn order(root: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let list = lib
        .split("The modules, leaves first.")
        .nth(1)
        .expect("src/lib.rs states the module order");
    list.lines()
        .skip_while(|l| !l.starts_with("//! - "))
        .take_while(|l| l.starts_with("//!"))
        .filter_map(|l| l.strip_prefix("//! - [`"))
        .map(|l| l[..l.find('`').unwrap()].to_owned())
        .collect()
}

/// Every `crate::MODULE` named in code (not comments, not test modules)
/// of the module a file belongs to.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_from_modules_listed_before_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let order = order(root);
    assert!(
        order.len() >= 10,
        "the module list in src/lib.rs: {order:?}"
    );
    let rank = |m: &str| order.iter().position(|o| o == m);
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut upward: BTreeSet<(String, String)> = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(root.join("src")).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let own = rank(&module)
            .unwrap_or_else(|| panic!("module `{module}` is missing from src/lib.rs's order"));
        let text = std::fs::read_to_string(file).unwrap();
        for target in imports(&text) {
            if let Some(theirs) = rank(&target) {
                if theirs > own {
                    upward.insert((module.clone(), target));
                }
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN_UPWARD
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    let new: Vec<_> = upward.difference(&known).collect();
    assert!(
        new.is_empty(),
        "modules importing from modules listed after them in src/lib.rs: {new:?}"
    );
    let gone: Vec<_> = known.difference(&upward).collect();
    assert!(
        gone.is_empty(),
        "upward imports no longer there: remove them from KNOWN_UPWARD: {gone:?}"
    );
}

/// The checker sees an upward import, so a clean result means something.
#[test]
fn an_upward_import_is_seen() {
    let text = "use crate::render::relative;\n// crate::cli in a comment\n\
                #[cfg(test)]\nmod tests {\n    use crate::cli;\n}\n";
    assert_eq!(
        imports(text).into_iter().collect::<Vec<_>>(),
        ["render".to_owned()]
    );
}
