//! The rules table in `docs/rules.md` is generated from the rule registry; this test
//! fails when it is stale. `SNAPSHOTS=overwrite cargo test --test readme`
//! rewrites it.

use cargo_privacy_check::rules;

const START: &str = "<!-- rules-table:start";
const END: &str = "<!-- rules-table:end -->";

fn table() -> String {
    let mut out = String::from(
        "\n\n| rule | category | default level | what it finds |\n|---|---|---|---|\n",
    );
    for rule in rules::all() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.name,
            rule.category.as_str(),
            rule.default_level.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    out.push('\n');
    out
}

#[test]
fn docs_rules_table_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).expect("rules table start marker");
    let start = start + readme[start..].find("-->").unwrap() + 3;
    let end = readme.find(END).expect("rules table end marker");
    let current = &readme[start..end];
    let expected = table();
    if current != expected {
        if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
            let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
            std::fs::write(path, updated).unwrap();
        } else {
            panic!(
                "the rules table in docs/rules.md is stale; run `SNAPSHOTS=overwrite cargo test --test readme`\n\nexpected:\n{expected}"
            );
        }
    }
}
