//! Exactly the files `cargo package` puts in a .crate, computed without
//! building one. See `../shared/docs/cargo-packaging.md` for the rules this
//! mirrors (cargo 1.95, `src/cargo/sources/path.rs` and
//! `src/cargo/ops/cargo_package/`).

use std::path::{Path, PathBuf};

/// What the listing needs to know about a package. `readme` and
/// `license_file` are the values `cargo metadata` reports (workspace
/// inheritance and the README default already applied); `include` and
/// `exclude` are read from the manifest here (they can be inherited too).
#[derive(Clone, Debug)]
pub struct PackageInput<'a> {
    /// Absolute path of the package's `Cargo.toml`.
    pub manifest_path: &'a Path,
    /// Absolute path of the workspace root folder (for `include.workspace = true`).
    pub workspace_root: &'a Path,
    pub readme: Option<&'a str>,
    pub license_file: Option<&'a str>,
}

/// Where the bytes of a packaged file come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    /// A file on disk (for `Cargo.toml.orig`, the package's `Cargo.toml`).
    Disk(PathBuf),
    /// The normalized `Cargo.toml` cargo generates.
    GeneratedManifest,
    /// The `Cargo.lock` cargo generates.
    GeneratedLockfile,
    /// `.cargo_vcs_info.json`.
    VcsInfo,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackagedFile {
    /// The path inside the archive, as `cargo package --list` prints it.
    pub archive_path: String,
    pub contents: Contents,
}

#[derive(Debug, thiserror::Error)]
pub enum PackageFilesError {
    #[error("failed to read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

/// The files of the package's .crate, in `cargo package --list` order.
pub fn list(input: &PackageInput<'_>) -> Result<Vec<PackagedFile>, PackageFilesError> {
    // INTERIM: a plain walk until the exact listing lands.
    fn walk(dir: &Path, root: &Path, out: &mut Vec<PackagedFile>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if p.is_dir() {
                if !p.join("Cargo.toml").exists() {
                    walk(&p, root, out);
                }
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                let rel = if rel == "Cargo.toml" {
                    "Cargo.toml.orig".into()
                } else {
                    rel
                };
                out.push(PackagedFile {
                    archive_path: rel,
                    contents: Contents::Disk(p),
                });
            }
        }
    }
    let root = input.manifest_path.parent().unwrap();
    let mut out = vec![PackagedFile {
        archive_path: "Cargo.toml".into(),
        contents: Contents::GeneratedManifest,
    }];
    walk(root, root, &mut out);
    if let Some(readme) = input.readme {
        let p = root.join(readme);
        if !p.starts_with(root) || readme.starts_with("..") {
            out.push(PackagedFile {
                archive_path: p.file_name().unwrap().to_string_lossy().into(),
                contents: Contents::Disk(p),
            });
        }
    }
    out.sort_by(|a, b| a.archive_path.cmp(&b.archive_path));
    Ok(out)
}
