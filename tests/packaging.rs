//! `package_files::list` against the real `cargo package --list
//! --allow-dirty`: each test builds a package layout in a temporary folder,
//! asks both, and requires the same lines in the same order. A few extra
//! assertions per case pin down what the case is about, so a fixture that
//! stopped exercising its rule (both sides agreeing on the wrong thing) fails.
//!
//! Fixtures live in `<tmp>/work`; cargo's target folder is `<tmp>/target`, so
//! nothing cargo writes can show up in a listing or leak into this repository.

use std::path::{Path, PathBuf};

mod common;

use cargo_metadata::MetadataCommand;
use cargo_privacy_check::package_files::{
    self, Contents, PackageFilesError, PackageInput, PackagedFile,
};
use tempfile::TempDir;

struct Fixture {
    tmp: TempDir,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::Builder::new()
            .prefix("pkg-files-")
            .tempdir()
            .expect("create temp dir");
        std::fs::create_dir(tmp.path().join("work")).expect("create work dir");
        Self { tmp }
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("work")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn file(&self, rel: &str, contents: &str) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        self
    }

    fn files(&self, rels: &[&str]) -> &Self {
        for rel in rels {
            self.file(rel, "x\n");
        }
        self
    }

    /// A `Cargo.toml` for package `name` in folder `dir`, with `extra`
    /// appended to its `[package]` table.
    fn package(&self, dir: &str, name: &str, extra: &str) -> &Self {
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}\n"
        );
        let rel = if dir.is_empty() {
            "Cargo.toml".to_owned()
        } else {
            format!("{dir}/Cargo.toml")
        };
        self.file(&rel, &manifest)
    }

    #[cfg(unix)]
    fn symlink(&self, target: &str, link: &str) -> &Self {
        let link = self.path(link);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, link).unwrap();
        self
    }

    fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    /// Runs git in `dir` (relative to the fixture root).
    fn git(&self, dir: &str, args: &[&str]) -> &Self {
        common::git(&self.path(dir), args);
        self
    }

    fn git_init(&self, dir: &str) -> &Self {
        std::fs::create_dir_all(self.path(dir)).unwrap();
        self.git(dir, &["init", "-q"])
    }

    fn commit_all(&self, dir: &str) -> &Self {
        self.git(dir, &["add", "-A"])
            .git(dir, &["commit", "-q", "-m", "fixture"])
    }

    /// Lists package `name` of the workspace whose root manifest is
    /// `manifest` both ways, asserts they agree, and returns the native list.
    fn check(&self, manifest: &str, name: &str) -> Vec<PackagedFile> {
        let manifest = self.path(manifest);
        // Native first: should cargo ever write into the fixture, the
        // native side would not see it.
        let native = native_list(&manifest, name).expect("native listing");
        let cargo = self.cargo_list(&manifest, name);
        let native_paths: Vec<&str> = native.iter().map(|f| f.archive_path.as_str()).collect();
        assert_eq!(
            native_paths, cargo,
            "native listing (left) differs from `cargo package --list` (right)"
        );
        native
    }

    fn cargo_list(&self, manifest: &Path, name: &str) -> Vec<String> {
        common::cargo_package_list(manifest, Some(name), &self.tmp.path().join("target"))
    }
}

/// What the binary will do: `cargo metadata` for `readme`/`license_file`,
/// then the native listing.
fn native_list(manifest: &Path, name: &str) -> Result<Vec<PackagedFile>, PackageFilesError> {
    let metadata = MetadataCommand::new()
        .manifest_path(manifest)
        .no_deps()
        .other_options(vec!["--offline".into()])
        .exec()
        .expect("cargo metadata");
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == name)
        .expect("package in metadata");
    package_files::list(&PackageInput {
        manifest_path: package.manifest_path.as_std_path(),
        workspace_root: metadata.workspace_root.as_std_path(),
        readme: package.readme.as_ref().map(|p| p.as_str()),
        license_file: package.license_file.as_ref().map(|p| p.as_str()),
    })
}

fn paths(files: &[PackagedFile]) -> Vec<&str> {
    files.iter().map(|f| f.archive_path.as_str()).collect()
}

#[track_caller]
fn assert_has(files: &[PackagedFile], expected: &[&str]) {
    let listed = paths(files);
    for path in expected {
        assert!(listed.contains(path), "`{path}` missing from {listed:?}");
    }
}

#[track_caller]
fn assert_lacks(files: &[PackagedFile], unexpected: &[&str]) {
    let listed = paths(files);
    for path in unexpected {
        assert!(
            !listed.contains(path),
            "`{path}` should not be in {listed:?}"
        );
    }
}

fn contents_of<'a>(files: &'a [PackagedFile], path: &str) -> &'a Contents {
    &files
        .iter()
        .find(|f| f.archive_path == path)
        .unwrap_or_else(|| panic!("`{path}` not listed"))
        .contents
}

/// A `Cargo.lock` cargo accepts as up to date for a dependency-free package.
fn lockfile(name: &str) -> String {
    format!(
        "# This file is automatically @generated by Cargo.\n\
         # It is not intended for manual editing.\n\
         version = 4\n\n[[package]]\nname = \"{name}\"\nversion = \"0.1.0\"\n"
    )
}

#[test]
fn walk_mode_leaves_out_dot_files_and_ignores_gitignore() {
    let f = Fixture::new();
    f.package("", "walk", "")
        .files(&[
            "src/lib.rs",
            ".env",
            ".hidden/secret.txt",
            "src/.dotfile",
            "ignored.txt",
            "docs/guide.md",
        ])
        .file(".gitignore", "ignored.txt\n");
    let files = f.check("Cargo.toml", "walk");
    assert_has(&files, &["ignored.txt", "docs/guide.md", "src/lib.rs"]);
    assert_lacks(
        &files,
        &[
            ".env",
            ".gitignore",
            ".hidden/secret.txt",
            "src/.dotfile",
            ".cargo_vcs_info.json",
        ],
    );
    assert_eq!(
        contents_of(&files, "Cargo.toml"),
        &Contents::GeneratedManifest
    );
    assert_eq!(
        contents_of(&files, "Cargo.lock"),
        &Contents::GeneratedLockfile
    );
    assert_eq!(
        contents_of(&files, "Cargo.toml.orig"),
        &Contents::Disk(f.path("Cargo.toml"))
    );
}

#[test]
fn git_mode_lists_tracked_and_untracked_not_ignored() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "gitmode", "")
        .files(&[
            "src/lib.rs",
            "deleted.rs",
            "forced.log",
            ".config/tool.toml",
        ])
        .file(".gitignore", "*.log\n/generated/\n")
        .git(
            "",
            &["add", "Cargo.toml", "src", "deleted.rs", ".gitignore"],
        )
        .git("", &["add", "-f", "forced.log"])
        .git("", &["commit", "-q", "-m", "init"])
        .remove("deleted.rs")
        .files(&[
            ".env",
            "debug.log",
            "generated/out.rs",
            "local-notes.txt",
            "untracked.rs",
        ])
        .file(".git/info/exclude", "local-notes.txt\n")
        .file("Cargo.lock", &lockfile("gitmode"));
    let files = f.check("Cargo.toml", "gitmode");
    assert_has(
        &files,
        &[
            ".env",
            ".gitignore",
            ".config/tool.toml",
            "forced.log",
            "untracked.rs",
            ".cargo_vcs_info.json",
        ],
    );
    assert_lacks(
        &files,
        &[
            "debug.log",
            "generated/out.rs",
            "local-notes.txt",
            "deleted.rs",
        ],
    );
    assert_eq!(
        contents_of(&files, ".cargo_vcs_info.json"),
        &Contents::VcsInfo
    );
    assert_eq!(
        contents_of(&files, "Cargo.lock"),
        &Contents::GeneratedLockfile
    );
}

#[test]
fn exclude_patterns_dir_glob_and_negation() {
    let f = Fixture::new();
    f.package(
        "",
        "excl",
        r#"exclude = ["docs/", "*.bak", "!keep.bak", "/top-only.txt", "src/**/fixtures", "Cargo.lock"]"#,
    )
    .files(&[
        "src/lib.rs",
        "docs/a.md",
        "src/docs/b.md",
        "notes.bak",
        "src/old.bak",
        "keep.bak",
        "top-only.txt",
        "src/top-only.txt",
        "src/a/fixtures/x.json",
        "src/a/real.rs",
    ]);
    let files = f.check("Cargo.toml", "excl");
    assert_has(
        &files,
        &[
            "keep.bak",
            "src/top-only.txt",
            "src/a/real.rs",
            "Cargo.lock",
        ],
    );
    assert_lacks(
        &files,
        &[
            "docs/a.md",
            "src/docs/b.md",
            "notes.bak",
            "src/old.bak",
            "top-only.txt",
            "src/a/fixtures/x.json",
        ],
    );
}

#[test]
fn exclude_patterns_in_git_mode() {
    let f = Fixture::new();
    f.git_init("")
        .package(
            "",
            "gitexcl",
            r#"exclude = ["tests/", "*.snap", "!keep.snap"]"#,
        )
        .files(&[
            "src/lib.rs",
            "tests/t.rs",
            "a.snap",
            "keep.snap",
            ".github/ci.yml",
        ])
        .commit_all("");
    let files = f.check("Cargo.toml", "gitexcl");
    assert_has(&files, &["keep.snap", ".github/ci.yml"]);
    assert_lacks(&files, &["tests/t.rs", "a.snap"]);
}

#[test]
fn include_wins_over_exclude_and_git_is_not_consulted() {
    let f = Fixture::new();
    f.git_init("")
        .package(
            "",
            "incl",
            r#"include = ["src/**", ".config/settings.toml", "ignored.txt", "/Cargo.toml"]
exclude = ["src/**"]"#,
        )
        .files(&[
            "src/lib.rs",
            ".config/settings.toml",
            ".config/other.toml",
            "extra.txt",
        ])
        .file(".gitignore", "ignored.txt\n")
        .commit_all("")
        .files(&["ignored.txt", "src/untracked.rs"]);
    let files = f.check("Cargo.toml", "incl");
    assert_has(
        &files,
        &[
            "src/lib.rs",
            "src/untracked.rs",
            ".config/settings.toml",
            "ignored.txt",
        ],
    );
    // The VCS info file does not depend on `include`.
    assert_has(&files, &[".cargo_vcs_info.json"]);
    assert_lacks(&files, &[".config/other.toml", "extra.txt", ".gitignore"]);
}

#[test]
fn nested_package_left_out_in_walk_mode() {
    let f = Fixture::new();
    f.package("", "outer", "")
        .package("nested", "nested", "")
        .package("deep/er/inner", "inner", "")
        .files(&[
            "src/lib.rs",
            "nested/src/lib.rs",
            "nested/data.txt",
            "deep/er/inner/src/lib.rs",
            "deep/keep.txt",
        ]);
    let files = f.check("Cargo.toml", "outer");
    assert_has(&files, &["deep/keep.txt"]);
    assert_lacks(
        &files,
        &[
            "nested/src/lib.rs",
            "nested/data.txt",
            "nested/Cargo.toml",
            "deep/er/inner/src/lib.rs",
        ],
    );
}

#[test]
fn nested_package_left_out_in_git_mode() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "outer", r#"exclude = ["excluded/Cargo.toml"]"#)
        .package("tracked", "tracked", "")
        .package("excluded", "excluded", "")
        .package("ignored-manifest", "ignored-manifest", "")
        .files(&[
            "src/lib.rs",
            "tracked/src/lib.rs",
            "excluded/data.txt",
            "ignored-manifest/src/lib.rs",
            "late/src/lib.rs",
        ])
        // Cargo only notices a nested package through a listed Cargo.toml:
        // a git-ignored one does not count, so its folder ships.
        .file(".gitignore", "ignored-manifest/Cargo.toml\n")
        .commit_all("")
        .package("untracked", "untracked", "")
        .files(&["untracked/src/lib.rs"])
        // Listed after the tracked files under it: those are taken back.
        .package("late", "late", "");
    let files = f.check("Cargo.toml", "outer");
    assert_has(&files, &["ignored-manifest/src/lib.rs"]);
    assert_lacks(
        &files,
        &[
            "tracked/src/lib.rs",
            "excluded/data.txt",
            "untracked/src/lib.rs",
            "untracked/Cargo.toml",
            "late/src/lib.rs",
        ],
    );
}

#[test]
fn nested_package_left_out_with_include_matching() {
    let f = Fixture::new();
    f.package("", "outer", r#"include = ["**/*.rs", "**/Cargo.toml"]"#)
        .package("nested", "nested", "")
        .files(&["src/lib.rs", "nested/src/lib.rs", "other/mod.rs"]);
    let files = f.check("Cargo.toml", "outer");
    assert_has(&files, &["src/lib.rs", "other/mod.rs"]);
    assert_lacks(&files, &["nested/src/lib.rs", "nested/Cargo.toml"]);
}

#[test]
fn root_target_left_out_but_src_target_kept() {
    let f = Fixture::new();
    f.package("", "tgt", "").files(&[
        "src/lib.rs",
        "target/debug/out.bin",
        "src/target/x.rs",
        "sub/target/y.rs",
        "target.txt",
    ]);
    let files = f.check("Cargo.toml", "tgt");
    assert_has(
        &files,
        &["src/target/x.rs", "sub/target/y.rs", "target.txt"],
    );
    assert_lacks(&files, &["target/debug/out.bin"]);
}

#[test]
fn tracked_file_under_target_kept_in_git_mode() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "tgtgit", "")
        .files(&[
            "src/lib.rs",
            "target/keep.txt",
            "target/deleted.txt",
            "src/target/x.rs",
        ])
        .file(".gitignore", "/target\n")
        .git("", &["add", "Cargo.toml", "src", ".gitignore"])
        .git("", &["add", "-f", "target/keep.txt", "target/deleted.txt"])
        .git("", &["commit", "-q", "-m", "init"])
        // Cargo reads `target/` from the index without checking the disk.
        .remove("target/deleted.txt")
        .file(".gitignore", "")
        .files(&["target/untracked.txt"]);
    let files = f.check("Cargo.toml", "tgtgit");
    assert_has(
        &files,
        &["target/keep.txt", "target/deleted.txt", "src/target/x.rs"],
    );
    assert_lacks(&files, &["target/untracked.txt"]);
}

#[test]
fn readme_and_license_outside_package_copied_under_file_name() {
    let f = Fixture::new();
    f.file("README.md", "# top\n")
        .file("legal/LICENSE-MIT", "mit\n")
        .file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/p\"]\nresolver = \"2\"\n",
        )
        .package(
            "crates/p",
            "p",
            "readme = \"../../README.md\"\nlicense-file = \"../../legal/LICENSE-MIT\"",
        )
        .files(&["crates/p/src/lib.rs"]);
    let files = f.check("Cargo.toml", "p");
    assert_has(&files, &["README.md", "LICENSE-MIT"]);
    assert_eq!(
        contents_of(&files, "README.md"),
        &Contents::Disk(f.path("README.md"))
    );
    assert_eq!(
        contents_of(&files, "LICENSE-MIT"),
        &Contents::Disk(f.path("legal/LICENSE-MIT"))
    );
}

#[test]
fn outside_readme_not_added_over_a_root_file_of_that_name() {
    let f = Fixture::new();
    f.file("README.md", "# workspace\n")
        .file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/p\"]\nresolver = \"2\"\n",
        )
        .package("crates/p", "p", "readme = \"../../README.md\"")
        .files(&["crates/p/src/lib.rs", "crates/p/README.md"]);
    let files = f.check("Cargo.toml", "p");
    assert_eq!(
        contents_of(&files, "README.md"),
        &Contents::Disk(f.path("crates/p/README.md"))
    );
}

#[test]
fn excluded_readme_and_license_inside_package_still_shipped() {
    let f = Fixture::new();
    f.package(
        "",
        "exreadme",
        "readme = \"docs/README.md\"\nlicense-file = \"./LICENSE.txt\"\nexclude = [\"docs/\", \"*.txt\"]",
    )
    .files(&["src/lib.rs", "docs/README.md", "docs/other.md", "LICENSE.txt", "notes.txt"]);
    let files = f.check("Cargo.toml", "exreadme");
    assert_has(&files, &["docs/README.md", "LICENSE.txt"]);
    assert_lacks(&files, &["docs/other.md", "notes.txt"]);
}

#[test]
fn inferred_readme_default_shipped_even_when_excluded() {
    let f = Fixture::new();
    f.package("", "inferred", r#"exclude = ["README.md"]"#)
        .files(&["src/lib.rs", "README.md"]);
    let files = f.check("Cargo.toml", "inferred");
    assert_has(&files, &["README.md"]);
}

#[cfg(unix)]
#[test]
fn symlinked_file_and_directory_in_walk_mode() {
    let f = Fixture::new();
    f.files(&["shared/a.txt", "shared/.hidden", "shared/sub/b.txt"])
        .package("pkg", "links", "")
        .files(&["pkg/src/lib.rs"])
        .symlink("src/lib.rs", "pkg/link.rs")
        .symlink("../shared", "pkg/linkdir")
        // A link to a package folder is a nested package.
        .package("otherpkg", "otherpkg", "")
        .symlink("../otherpkg", "pkg/linkpkg");
    let files = f.check("pkg/Cargo.toml", "links");
    assert_has(&files, &["link.rs", "linkdir/a.txt", "linkdir/sub/b.txt"]);
    assert_lacks(&files, &["linkdir/.hidden", "linkpkg/Cargo.toml"]);
    assert_eq!(
        contents_of(&files, "linkdir/a.txt"),
        &Contents::Disk(f.path("pkg/linkdir/a.txt"))
    );
}

#[cfg(unix)]
#[test]
fn symlinked_file_and_directory_in_git_mode() {
    let f = Fixture::new();
    f.files(&["shared/a.txt", "shared/.hidden"])
        .git_init("pkg")
        .package("pkg", "gitlinks", "")
        .files(&["pkg/src/lib.rs", "pkg/real/r.txt"])
        .symlink("src/lib.rs", "pkg/link.rs")
        .symlink("real", "pkg/tracked-linkdir")
        .commit_all("pkg")
        .symlink("../shared", "pkg/linkdir");
    let files = f.check("pkg/Cargo.toml", "gitlinks");
    // Git mode has no dot-file rule, not even inside a walked link.
    assert_has(
        &files,
        &[
            "link.rs",
            "linkdir/a.txt",
            "linkdir/.hidden",
            "tracked-linkdir/r.txt",
        ],
    );
}

#[cfg(unix)]
#[test]
fn untracked_symlinked_directory_ignored_as_directory() {
    let f = Fixture::new();
    f.files(&["shared/a.txt"])
        .git_init("pkg")
        .package("pkg", "ignlinks", "")
        .files(&["pkg/src/lib.rs"])
        .file("pkg/.gitignore", "ignored-link/\n")
        .file("pkg/sub/.gitignore", "deep-link/\n")
        .commit_all("pkg")
        .symlink("../shared", "pkg/ignored-link")
        .symlink("../../shared", "pkg/sub/deep-link")
        .symlink("../shared", "pkg/kept-link");
    let files = f.check("pkg/Cargo.toml", "ignlinks");
    assert_has(&files, &["kept-link/a.txt"]);
    assert_lacks(
        &files,
        &[
            "ignored-link/a.txt",
            "ignored-link",
            "sub/deep-link/a.txt",
            "sub/deep-link",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_skipped_in_walk_mode() {
    let f = Fixture::new();
    f.package("", "loops", "")
        .files(&["src/lib.rs", "a/b/c.txt"])
        .symlink("..", "a/b/up");
    let files = f.check("Cargo.toml", "loops");
    assert_has(&files, &["a/b/c.txt"]);
}

/// Deliberate difference: `cargo package --list` prints a dangling symlink,
/// then `cargo package` fails to archive it. There is no .crate to describe,
/// so the native listing reports the problem instead.
#[cfg(unix)]
#[test]
fn broken_symlink_is_an_error() {
    let f = Fixture::new();
    f.package("", "broken", r#"exclude = ["excluded-dangling"]"#)
        .files(&["src/lib.rs"])
        .symlink("nowhere", "excluded-dangling");
    // Excluded: no problem, and both sides agree.
    f.check("Cargo.toml", "broken");

    f.symlink("nowhere", "dangling");
    let manifest = f.path("Cargo.toml");
    assert!(f
        .cargo_list(&manifest, "broken")
        .contains(&"dangling".to_owned()));
    match native_list(&manifest, "broken") {
        Err(PackageFilesError::Unpackageable { path, .. }) => {
            assert_eq!(path, f.path("dangling"));
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn workspace_members_inherit_include_and_exclude() {
    let f = Fixture::new();
    f.git_init("")
        .file(
            "Cargo.toml",
            r#"[workspace]
members = ["crates/a", "crates/b"]
resolver = "2"

[workspace.package]
include = ["src/**", "Cargo.toml", ".hidden-but-included"]
exclude = ["secret*", "fixtures/"]
"#,
        )
        .package("crates/a", "a", "include.workspace = true")
        .package("crates/b", "b", "exclude = { workspace = true }");
    for member in ["crates/a", "crates/b"] {
        f.files(&[
            &format!("{member}/src/lib.rs"),
            &format!("{member}/secret.txt"),
            &format!("{member}/fixtures/f.json"),
            &format!("{member}/.hidden-but-included"),
            &format!("{member}/other.txt"),
        ]);
    }
    f.commit_all("")
        .file("crates/b/Cargo.lock", &lockfile("b"))
        .files(&["crates/b/target/debug/out.bin"]);

    let a = f.check("Cargo.toml", "a");
    assert_has(
        &a,
        &["src/lib.rs", ".hidden-but-included", ".cargo_vcs_info.json"],
    );
    assert_lacks(&a, &["other.txt", "secret.txt"]);

    // Member `b` is in git mode, below the repository root.
    let b = f.check("Cargo.toml", "b");
    assert_has(
        &b,
        &[
            "src/lib.rs",
            "other.txt",
            ".hidden-but-included",
            ".cargo_vcs_info.json",
        ],
    );
    assert_lacks(
        &b,
        &["secret.txt", "fixtures/f.json", "target/debug/out.bin"],
    );
}

#[test]
fn git_repo_without_commits_has_no_vcs_info() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "nocommit", "")
        .files(&["src/lib.rs", ".hidden"])
        .git("", &["add", "-A"]);
    let files = f.check("Cargo.toml", "nocommit");
    // Git mode (the manifest is in the index) keeps dot-files.
    assert_has(&files, &[".hidden"]);
    assert_lacks(&files, &[".cargo_vcs_info.json"]);
}

#[test]
fn untracked_package_manifest_uses_walk_mode_but_gets_vcs_info() {
    let f = Fixture::new();
    f.git_init("")
        .files(&["unrelated.txt"])
        .commit_all("")
        .package("pkg", "untracked", "")
        .files(&["pkg/src/lib.rs", "pkg/.hidden", "pkg/gitignored.txt"])
        .file("pkg/.gitignore", "gitignored.txt\n");
    let files = f.check("pkg/Cargo.toml", "untracked");
    assert_has(&files, &["gitignored.txt", ".cargo_vcs_info.json"]);
    assert_lacks(&files, &[".hidden", ".gitignore"]);
}

#[test]
fn ignored_package_manifest_has_no_vcs_info() {
    let f = Fixture::new();
    f.git_init("")
        .file(".gitignore", "ignored/\n")
        .commit_all("")
        .package("ignored", "ignoredpkg", "")
        .files(&["ignored/src/lib.rs"]);
    let files = f.check("ignored/Cargo.toml", "ignoredpkg");
    assert_lacks(&files, &[".cargo_vcs_info.json"]);
}

#[test]
fn sort_order_is_component_wise() {
    let f = Fixture::new();
    f.package("", "sorting", "").files(&[
        "src/lib.rs",
        "a-b/x",
        "a/x",
        "A.txt",
        "a.txt",
        "a_b",
        "B/x",
        "a/y/z",
    ]);
    let files = f.check("Cargo.toml", "sorting");
    let listed = paths(&files);
    let position = |p: &str| listed.iter().position(|l| *l == p).unwrap();
    // As strings, `a-b/x` < `a.txt` < `a/x`; as paths, `a` comes first.
    assert!(position("a/y/z") < position("a-b/x"));
    assert!(position("a-b/x") < position("a.txt"));
    assert!(position("A.txt") < position("B/x"));
    assert!(position("B/x") < position("Cargo.lock"));
}

#[test]
fn nested_git_repository_listed_with_its_own_ignores() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "outerrepo", "")
        .files(&["src/lib.rs"])
        .commit_all("")
        .git_init("vendored")
        .files(&[
            "vendored/a.txt",
            "vendored/.hid",
            "vendored/ig.txt",
            "vendored/target/t.txt",
        ])
        .file("vendored/.gitignore", "ig.txt\n")
        .file("vendored/Cargo.lock", "not a real lockfile\n")
        .git("vendored", &["add", "a.txt"])
        .git("vendored", &["commit", "-q", "-m", "v"]);
    let files = f.check("Cargo.toml", "outerrepo");
    assert_has(
        &files,
        &["vendored/a.txt", "vendored/.hid", "vendored/.gitignore"],
    );
    assert_lacks(
        &files,
        &[
            "vendored/ig.txt",
            "vendored/target/t.txt",
            "vendored/Cargo.lock",
        ],
    );
}

#[test]
fn submodule_files_are_listed() {
    let f = Fixture::new();
    f.git_init("upstream")
        .files(&["upstream/lib.c", "upstream/.clang-format"])
        .commit_all("upstream")
        .git_init("pkg")
        .package("pkg", "withsub", "")
        .files(&["pkg/src/lib.rs"])
        .git(
            "pkg",
            &[
                "submodule",
                "add",
                "-q",
                "../upstream",
                "third_party/upstream",
            ],
        )
        .commit_all("pkg");
    let files = f.check("pkg/Cargo.toml", "withsub");
    assert_has(
        &files,
        &[
            "third_party/upstream/lib.c",
            "third_party/upstream/.clang-format",
            ".gitmodules",
        ],
    );
}

#[cfg(unix)]
#[test]
fn package_reached_through_symlinked_folder() {
    let f = Fixture::new();
    f.git_init("real")
        .package("real", "viasym", "")
        .files(&["real/src/lib.rs", "real/.hidden"])
        .commit_all("real")
        .files(&["real/untracked.txt"])
        .symlink("real", "link");
    let files = f.check("link/Cargo.toml", "viasym");
    // Git mode, although git reports the repository under its real path.
    assert_has(
        &files,
        &[".hidden", "untracked.txt", ".cargo_vcs_info.json"],
    );
}

#[test]
fn tracked_manifest_matching_an_ignore_rule_has_no_vcs_info() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "trackedignored", "")
        .files(&["src/lib.rs"])
        .commit_all("")
        .file(".gitignore", "Cargo.toml\n");
    let files = f.check("Cargo.toml", "trackedignored");
    // Still git mode (the manifest is in the index: `.gitignore` ships)...
    assert_has(&files, &[".gitignore", "src/lib.rs"]);
    // ...but cargo asks the ignore rules, not the index, for the VCS info.
    assert_lacks(&files, &[".cargo_vcs_info.json"]);
}

/// Cargo opens a repository owned by someone else with reduced trust (no
/// "dubious ownership" refusal): still git mode, but the repository's own
/// `.git/config` is not used, so its `core.excludesFile` hides nothing.
#[cfg(unix)]
#[test]
fn repository_owned_by_another_user_is_listed_with_reduced_trust() {
    let f = Fixture::new();
    let excludes = f.tmp.path().join("repo-excludes");
    std::fs::write(&excludes, "excluded-by-repo-config.txt\n").unwrap();
    f.git_init("")
        .git(
            "",
            &["config", "core.excludesFile", excludes.to_str().unwrap()],
        )
        .package("", "otherowner", "")
        .files(&["src/lib.rs", ".hidden"])
        .file(".gitignore", "*.log\n")
        .commit_all("")
        .files(&["untracked.txt", "debug.log", "excluded-by-repo-config.txt"]);
    common::chown_tree(&f.root(), common::OTHER_UID);
    let files = f.check("Cargo.toml", "otherowner");
    assert_has(
        &files,
        &[
            ".hidden",
            "untracked.txt",
            "excluded-by-repo-config.txt",
            ".cargo_vcs_info.json",
        ],
    );
    assert_lacks(&files, &["debug.log"]);
}

#[test]
fn same_owner_repository_honours_its_core_excludes_file() {
    let f = Fixture::new();
    let excludes = f.tmp.path().join("repo-excludes");
    std::fs::write(&excludes, "excluded-by-repo-config.txt\n").unwrap();
    f.git_init("")
        .git(
            "",
            &["config", "core.excludesFile", excludes.to_str().unwrap()],
        )
        .package("", "sameowner", "")
        .files(&["src/lib.rs"])
        .commit_all("")
        .files(&["untracked.txt", "excluded-by-repo-config.txt"]);
    let files = f.check("Cargo.toml", "sameowner");
    assert_has(&files, &["untracked.txt", ".cargo_vcs_info.json"]);
    assert_lacks(&files, &["excluded-by-repo-config.txt"]);
}

/// The git folder lives elsewhere (a `.git` file points at it) and its
/// `core.worktree` names the package folder, as submodules once did.
#[test]
fn core_worktree_set_in_a_separate_git_dir() {
    let f = Fixture::new();
    f.git("", &["init", "-q", "--separate-git-dir", "store", "pkg"])
        .git("pkg", &["config", "core.worktree", "../pkg"])
        .package("pkg", "coreworktree", "")
        .files(&["pkg/src/lib.rs", "pkg/.hidden"])
        .file("pkg/.gitignore", "*.log\n")
        .commit_all("pkg")
        .files(&["pkg/untracked.txt", "pkg/debug.log"]);
    assert!(f.path("pkg/.git").is_file(), "`.git` should be a file here");
    let files = f.check("pkg/Cargo.toml", "coreworktree");
    assert_has(
        &files,
        &[".hidden", "untracked.txt", ".cargo_vcs_info.json"],
    );
    assert_lacks(&files, &["debug.log"]);
}

/// A `git worktree add` checkout: its `.git` is a file naming a folder
/// inside the main repository's `.git/worktrees/`.
#[test]
fn linked_worktree_with_a_git_file() {
    let f = Fixture::new();
    f.git_init("main")
        .package("main", "linkedwt", "")
        .files(&["main/src/lib.rs", "main/.hidden"])
        .file("main/.gitignore", "*.log\n")
        .commit_all("main")
        .git(
            "main",
            &["worktree", "add", "-q", "-b", "other", "../linked"],
        )
        .files(&[
            "linked/untracked.txt",
            "linked/debug.log",
            "main/only-in-main.txt",
        ]);
    assert!(
        f.path("linked/.git").is_file(),
        "`.git` should be a file here"
    );
    let files = f.check("linked/Cargo.toml", "linkedwt");
    assert_has(
        &files,
        &[".hidden", "untracked.txt", ".cargo_vcs_info.json"],
    );
    assert_lacks(&files, &["debug.log", "only-in-main.txt"]);
}

/// A cone-mode sparse checkout: folders outside the cone are absent from
/// disk, their files marked `skip-worktree` in the index.
#[test]
fn sparse_checkout_lists_the_cone() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "sparse", "")
        .files(&["src/lib.rs", "docs/guide.md", "assets/logo.txt"])
        .commit_all("")
        .git("", &["sparse-checkout", "set", "--cone", "src"])
        .files(&["src/untracked.rs"]);
    assert!(
        !f.path("docs").exists(),
        "`docs/` should be outside the cone"
    );
    let files = f.check("Cargo.toml", "sparse");
    assert_has(
        &files,
        &["src/lib.rs", "src/untracked.rs", ".cargo_vcs_info.json"],
    );
    assert_lacks(&files, &["docs/guide.md", "assets/logo.txt"]);
}

/// With a sparse index (folders outside the cone are one index entry each)
/// cargo 1.95 cannot package at all ("Cannot diff indices that contain
/// sparse entries", from its dirty check). We list what the same checkout
/// lists with a full index instead of failing. Should cargo learn sparse
/// indexes, the first assertion fails: make this an equality test then.
#[test]
fn sparse_index_lists_as_the_full_index_does() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "sparseindex", "")
        .files(&["src/lib.rs", "docs/guide.md", "assets/logo.txt"])
        .commit_all("")
        .git(
            "",
            &["sparse-checkout", "set", "--cone", "--sparse-index", "src"],
        )
        .files(&["src/untracked.rs"]);
    let manifest = f.path("Cargo.toml");
    let cargo = common::try_cargo_package_list(
        &manifest,
        Some("sparseindex"),
        &f.tmp.path().join("target"),
    );
    assert!(
        matches!(&cargo, Err(stderr) if stderr.contains("sparse")),
        "cargo now handles a sparse index: {cargo:?}"
    );
    let sparse = native_list(&manifest, "sparseindex").expect("native listing");
    f.git("", &["sparse-checkout", "reapply", "--no-sparse-index"]);
    let full = f.check("Cargo.toml", "sparseindex");
    assert_eq!(paths(&sparse), paths(&full));
    assert_has(&full, &["src/untracked.rs", ".cargo_vcs_info.json"]);
}

#[test]
fn submodule_untracked_and_ignored_files() {
    let f = Fixture::new();
    f.git_init("upstream")
        .files(&["upstream/lib.c"])
        .file("upstream/.gitignore", "*.o\n")
        .commit_all("upstream")
        .git_init("pkg")
        .package("pkg", "subignores", "")
        .files(&["pkg/src/lib.rs"])
        .git(
            "pkg",
            &["submodule", "add", "-q", "../upstream", "third_party/up"],
        )
        .commit_all("pkg")
        .files(&["pkg/third_party/up/new.c", "pkg/third_party/up/lib.o"]);
    assert!(f.path("pkg/third_party/up/.git").is_file());
    let files = f.check("pkg/Cargo.toml", "subignores");
    assert_has(
        &files,
        &[
            "third_party/up/lib.c",
            "third_party/up/new.c",
            "third_party/up/.gitignore",
        ],
    );
    assert_lacks(&files, &["third_party/up/lib.o", "third_party/up/.git"]);
}

/// A folder whose `.git` file points nowhere is no repository to `gix`:
/// cargo walks into it as a plain folder of the outer repository.
#[test]
fn folder_with_a_broken_git_file() {
    let f = Fixture::new();
    f.git_init("")
        .package("", "brokengitfile", "")
        .files(&["src/lib.rs"])
        .commit_all("")
        .files(&["vendor/lib.c", "vendor/.hidden"])
        .file("vendor/.git", "gitdir: /nonexistent/repo.git\n");
    let files = f.check("Cargo.toml", "brokengitfile");
    assert_has(&files, &["vendor/lib.c", ".cargo_vcs_info.json"]);
}
