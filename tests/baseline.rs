//! Baselines end to end where a case needs more than a tree: several runs
//! sharing a written baseline (whose salt is random), and a file read back
//! after a refused write. The planted values are assembled at run time so
//! this file holds none of them. A missing, malformed or conflicting
//! baseline is a case under `tests/cases/baseline/` (`tests/cases.rs`).

mod common;

use common::{email, findings, json, run, write};
use serde_json::Value;

fn reason<'a>(lines: &'a [Value], reason: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["reason"] == reason).collect()
}

const BASELINE: &str = "privacy-baseline.toml";

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (ann, bo) = (email("ann.lee"), email("bo.kim"));
    let user = "qzxlinden";
    let home = format!("/home/{user}/work/x.rs");
    let password = ["Xq7v", "R2pL", "m9Kd"].concat();
    let url = format!("https://deploy:{password}@git.corp-host.net/r.git");
    write(
        d,
        "Cargo.toml",
        &format!(
            "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\nauthors = [\"Ann <{ann}>\"]\n"
        ),
    );
    let lib = format!("// {home}\nconst U: &str = \"{url}\";\n// {bo} and {bo}\n");
    write(d, "src/lib.rs", &lib);

    let (code, before) = json(d, &[]);
    assert_eq!(code, 1, "the URL's password is an error");
    assert_eq!(findings(&before, &["rule"]).len(), 5);

    // Writing exits 0 and says what it wrote.
    let (code, lines) = json(d, &["--write-baseline", BASELINE]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["reason"], "baseline-written");
    assert_eq!(lines[0]["findings"], 5);
    assert_eq!(
        lines[0]["entries"], 4,
        "the same address twice is one entry"
    );
    let written = std::fs::read_to_string(d.join(BASELINE)).unwrap();
    for secret in [&ann, &bo, user, &password, "ann.lee", "bo.kim"] {
        assert!(!written.contains(secret), "{secret} leaked into\n{written}");
    }
    assert!(written.contains("count = 2"));
    assert!(written.contains("path = \"src/lib.rs\""));
    // Nothing but these keys: no line numbers, no value.
    for line in written
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let key = line.split(" = ").next().unwrap();
        assert!(
            [
                "version",
                "salt",
                "[[finding]]",
                "rule",
                "package",
                "path",
                "hash",
                "count"
            ]
            .contains(&key),
            "{line}"
        );
    }
    assert!(written.starts_with('#') && written.contains("version = 1"));

    // Re-run: clean, nothing reported (the baseline file ships too, and is
    // no finding itself).
    let (code, lines) = json(d, &["--baseline", BASELINE]);
    assert_eq!(code, 0);
    assert!(findings(&lines, &["rule"]).is_empty());
    let applied = reason(&lines, "baseline");
    assert_eq!(applied[0]["suppressed"], 5);
    assert_eq!(applied[0]["stale"], 0);

    // Moving the leaking lines changes nothing, and rewriting the baseline
    // then gives the same bytes: the salt is kept.
    write(d, "src/lib.rs", &format!("\n\npub fn f() {{}}\n{lib}"));
    let (code, lines) = json(d, &["--baseline", BASELINE]);
    assert_eq!((code, findings(&lines, &["rule"])), (0, vec![]));
    let (code, _) = json(d, &["--write-baseline", BASELINE]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(d.join(BASELINE)).unwrap(), written);

    // A new leak is the only finding; a third copy of an address counted
    // twice is new too.
    let cy = email("cy.ng");
    write(
        d,
        "src/lib.rs",
        &format!("\n\npub fn f() {{}}\n{lib}// {cy}\n// {bo}\n"),
    );
    let (code, lines) = json(d, &["--baseline", BASELINE]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&lines, &["rule", "path", "line"]),
        [
            ["email-address", "src/lib.rs", "7"],
            ["email-address", "src/lib.rs", "8"],
        ]
    );

    // Removing a leak leaves a stale entry, reported for pruning.
    write(d, "src/lib.rs", &format!("// {home}\n// {bo} and {bo}\n"));
    let (code, lines) = json(d, &["--baseline", BASELINE]);
    assert_eq!((code, findings(&lines, &["rule"])), (0, vec![]));
    let stale = reason(&lines, "stale-baseline-entry");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["rule"], "url-credentials");
    assert_eq!(stale[0]["path"], "src/lib.rs");
    assert_eq!(stale[0]["count"], 1);
    let (code, _, stderr) = run(d, &["--baseline", BASELINE], "human");
    assert_eq!(code, 0);
    assert!(
        stderr.contains(&format!(
            "note: 1 entry in the baseline `{BASELINE}` no longer matches any finding"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("`url-credentials` in `src/lib.rs` (package `c`)"));
    assert!(stderr.contains("note: 4 findings suppressed by the baseline"));
    assert!(!stderr.contains(&password));
    let (code, _, stderr) = run(d, &["--baseline", BASELINE], "short");
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        format!(
            "src/lib.rs: note[url-credentials]: entry of baseline `{BASELINE}` matches no finding (package `c`)\n"
        )
    );
}

#[test]
fn write_baseline_does_not_overwrite_a_file_that_is_not_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let manifest = "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    write(d, "Cargo.toml", manifest);
    write(d, "src/lib.rs", "");
    let (code, stdout, stderr) = run(d, &["--write-baseline", "Cargo.toml"], "human");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.starts_with("error: malformed baseline"), "{stderr}");
    assert!(stderr.contains("--> Cargo.toml:1:2"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(d.join("Cargo.toml")).unwrap(),
        manifest
    );
}
