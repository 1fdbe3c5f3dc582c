//! Which packages to check, chosen the way cargo chooses them.
//!
//! The manifest is `--manifest-path` or the nearest `Cargo.toml` above the
//! current directory. `cargo metadata --no-deps --offline` lists the
//! workspace (it resolves nothing and never touches the network). Then, as
//! cargo does: `-p SPEC` picks packages by name, `name@version` or package id
//! URL; `--workspace` picks every member (minus `--exclude`); otherwise a
//! member's manifest picks that member and the workspace root picks the
//! default members (all members of a virtual workspace). Packages with
//! `publish = false` are set aside: they are never uploaded.

use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package};

use crate::diagnostic::{escape_input, escape_input_lines, Pointed, Reportable};
use crate::manifest::{Manifest, ManifestError};
use crate::suggest::closest;

#[derive(Clone, Debug, Default)]
pub struct SelectOptions {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
}

/// A package chosen for checking.
#[derive(Clone, Debug)]
pub struct SelectedPackage {
    pub name: String,
    pub version: String,
    pub manifest_path: PathBuf,
    pub readme: Option<String>,
    pub license_file: Option<String>,
    pub source: PackageSource,
}

/// Where a package's files come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackageSource {
    /// A package being developed: it ships what `cargo package` would put
    /// in its .crate.
    Local,
    /// An already-published crate unpacked in a folder: every file in it is
    /// in the archive, and `manifest_path` is its normalized `Cargo.toml`.
    Unpacked,
}

impl SelectedPackage {
    pub fn root(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

#[derive(Debug)]
pub struct Selection {
    pub packages: Vec<SelectedPackage>,
    /// Chosen packages left out, with the reason (`publish = false`).
    pub skipped: Vec<(String, &'static str)>,
    /// What cargo would warn about while selecting (an unknown `--exclude`).
    pub warnings: Vec<String>,
    /// Folder of the workspace root manifest.
    pub workspace_root: PathBuf,
    pub root_manifest: PathBuf,
    /// The manifest of every workspace member, selected or not, publishable
    /// or not: a fix that removes a `[workspace.package]` key must also
    /// remove each member's `KEY.workspace = true`, or cargo would fail to
    /// load that member.
    pub members: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("could not find `Cargo.toml` in `{}` or any parent directory", .0.display())]
    NoManifest(PathBuf),
    #[error("manifest path `{}` does not exist", .0.display())]
    MissingManifest(PathBuf),
    #[error("the manifest-path must be a path to a Cargo.toml file")]
    NotAManifest(PathBuf),
    #[error("`cargo metadata` failed: {0}")]
    Metadata(String),
    #[error("package ID specification `{spec}` did not match any packages{}", did_you_mean(.suggestion))]
    UnknownPackage {
        spec: String,
        suggestion: Option<String>,
    },
    #[error("--exclude can only be used together with --workspace")]
    ExcludeWithoutWorkspace,
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("\n\nhelp: a package with a similar name exists: `{s}`"),
        None => String::new(),
    }
}

/// The manifest to start from: `--manifest-path`, else the nearest
/// `Cargo.toml` upward from `cwd`.
pub fn find_manifest(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, WorkspaceError> {
    if let Some(path) = explicit {
        if path.file_name().is_none_or(|n| n != "Cargo.toml") {
            return Err(WorkspaceError::NotAManifest(path.to_owned()));
        }
        let path = cwd.join(path);
        if !path.is_file() {
            return Err(WorkspaceError::MissingManifest(path));
        }
        return Ok(path);
    }
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|p| p.is_file())
        .ok_or_else(|| WorkspaceError::NoManifest(cwd.to_owned()))
}

/// Runs `cargo metadata` for `manifest` without touching the network, and
/// without letting the checked repository choose what runs.
///
/// Under `cargo privacy-check`, cargo names itself in `CARGO` and that
/// binary is run. Run directly (a git hook, pre-commit), `cargo` is found on
/// the `PATH`, usually rustup's proxy, which picks the toolchain from a
/// `rust-toolchain.toml` above its *current folder*; such a file can name
/// any folder as a toolchain (`path = "..."`), so a checkout could make us
/// run its own `cargo`. The child therefore starts in a folder outside the
/// checked tree (the folder of this executable): the manifest is given by
/// path, and nothing `cargo metadata --no-deps` reports depends on the
/// `.cargo/config.toml` files it would otherwise read from the current
/// folder (`tests/no_exec.rs`).
pub fn metadata(manifest: &Path) -> Result<Metadata, WorkspaceError> {
    let mut cmd = MetadataCommand::new();
    if let Some(cargo) = std::env::var_os("CARGO") {
        cmd.cargo_path(cargo);
    }
    if let Some(dir) = neutral_dir() {
        cmd.current_dir(dir);
    }
    cmd.manifest_path(manifest)
        .no_deps()
        .other_options(vec!["--offline".to_owned()]);
    cmd.exec().map_err(|err| {
        let message = match err {
            cargo_metadata::Error::CargoMetadata { stderr } => {
                stderr.trim().trim_start_matches("error: ").to_owned()
            }
            other => other.to_string(),
        };
        WorkspaceError::Metadata(message)
    })
}

/// A folder the checked tree does not control: this executable's own
/// (`~/.cargo/bin` once installed).
fn neutral_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.parent().map(Path::to_path_buf)
}

/// An unpacked published crate, read straight from its normalized
/// `Cargo.toml` without `cargo metadata` (there is no workspace to resolve).
pub fn unpacked_package(manifest_path: &Path) -> Result<SelectedPackage, ManifestError> {
    let manifest = Manifest::read(manifest_path)?;
    let field = |key: &str| {
        manifest
            .package()
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    Ok(SelectedPackage {
        name: field("name").unwrap_or_default(),
        version: field("version").unwrap_or_default(),
        manifest_path: manifest_path.to_owned(),
        readme: field("readme"),
        license_file: field("license-file"),
        source: PackageSource::Unpacked,
    })
}

/// Chooses the packages to check.
pub fn select(options: &SelectOptions, cwd: &Path) -> Result<Selection, WorkspaceError> {
    if !options.exclude.is_empty() && !options.workspace {
        return Err(WorkspaceError::ExcludeWithoutWorkspace);
    }
    let manifest = find_manifest(options.manifest_path.as_deref(), cwd)?;
    let meta = read_metadata(&manifest)?;
    let members: Vec<&Package> = meta.workspace_packages();
    let workspace_root = meta.workspace_root.clone().into_std_path_buf();
    let root_manifest = workspace_root.join("Cargo.toml");

    // Empty unless `--workspace`: `--exclude` alone was refused above.
    let warnings = unknown_exclusions(&options.exclude, &members, &workspace_root);
    // As cargo: `--workspace` takes every member whatever `-p` says.
    let chosen: Vec<&Package> = if options.workspace {
        members
            .iter()
            .copied()
            .filter(|p| !options.exclude.iter().any(|spec| spec_matches(spec, p)))
            .collect()
    } else if !options.packages.is_empty() {
        named_packages(&options.packages, &members)?
    } else {
        packages_of_manifest(&manifest, &root_manifest, &meta, &members)
    };

    let mut packages = Vec::new();
    let mut skipped = Vec::new();
    for package in dedup(chosen) {
        if package
            .publish
            .as_ref()
            .is_some_and(|registries| registries.is_empty())
        {
            skipped.push((package.name.to_string(), "publish = false"));
            continue;
        }
        packages.push(local_package(package));
    }
    Ok(Selection {
        packages,
        skipped,
        warnings,
        workspace_root,
        root_manifest,
        members: members
            .iter()
            .map(|p| p.manifest_path.clone().into_std_path_buf())
            .collect(),
    })
}

/// `cargo metadata` for the workspace of `manifest`. Invalid TOML, in that
/// manifest or in a member's that cargo could not parse, gets our own
/// rustc-style error rather than cargo's.
fn read_metadata(manifest: &Path) -> Result<Metadata, WorkspaceError> {
    Manifest::read(manifest)?;
    metadata(manifest).map_err(|err| {
        if let WorkspaceError::Metadata(message) = &err {
            if let Some(path) = unparsable_manifest(message) {
                if let Err(toml @ ManifestError::Toml { .. }) = Manifest::read(&path) {
                    return WorkspaceError::Manifest(toml);
                }
            }
        }
        err
    })
}

/// The warning cargo gives for each `--exclude` spec that matches no member.
fn unknown_exclusions(exclude: &[String], members: &[&Package], root: &Path) -> Vec<String> {
    exclude
        .iter()
        .filter(|spec| !members.iter().any(|p| spec_matches(spec, p)))
        .map(|spec| {
            format!(
                "excluded package{} `{}` not found in workspace `{}`",
                if is_pattern(spec) { " pattern" } else { "" },
                spec,
                root.display()
            )
        })
        .collect()
}

/// The members each `-p` spec matches, in the order given; a spec that
/// matches none is an error, with the closest member name as a suggestion.
fn named_packages<'m>(
    specs: &[String],
    members: &[&'m Package],
) -> Result<Vec<&'m Package>, WorkspaceError> {
    let mut chosen = Vec::new();
    for spec in specs {
        let matching: Vec<&Package> = members
            .iter()
            .copied()
            .filter(|p| spec_matches(spec, p))
            .collect();
        if matching.is_empty() {
            return Err(WorkspaceError::UnknownPackage {
                spec: spec.clone(),
                suggestion: closest(spec, members.iter().map(|p| p.name.as_str())),
            });
        }
        chosen.extend(matching);
    }
    Ok(chosen)
}

/// The packages a manifest picks without `-p` or `--workspace`: a member's
/// manifest picks that member, the root of a workspace its default members.
fn packages_of_manifest<'m>(
    manifest: &Path,
    root_manifest: &Path,
    meta: &'m Metadata,
    members: &[&'m Package],
) -> Vec<&'m Package> {
    let start = canonical(manifest);
    match members
        .iter()
        .find(|p| canonical(p.manifest_path.as_std_path()) == start)
    {
        Some(package) if start != canonical(root_manifest) => vec![*package],
        _ => default_members(meta, members),
    }
}

/// A workspace member chosen for checking, as [`SelectedPackage`].
fn local_package(package: &Package) -> SelectedPackage {
    SelectedPackage {
        name: package.name.to_string(),
        version: package.version.to_string(),
        manifest_path: package.manifest_path.clone().into_std_path_buf(),
        readme: package.readme.as_ref().map(|p| p.to_string()),
        license_file: package.license_file.as_ref().map(|p| p.to_string()),
        source: PackageSource::Local,
    }
}

/// The manifest named in cargo's "failed to parse manifest at `PATH`".
fn unparsable_manifest(message: &str) -> Option<PathBuf> {
    let rest = message.split("failed to parse manifest at `").nth(1)?;
    Some(PathBuf::from(&rest[..rest.find('`')?]))
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

fn default_members<'m>(meta: &'m Metadata, members: &[&'m Package]) -> Vec<&'m Package> {
    if meta.workspace_default_members.is_available() {
        let ids = &*meta.workspace_default_members;
        members
            .iter()
            .copied()
            .filter(|p| ids.contains(&p.id))
            .collect()
    } else {
        members.to_vec()
    }
}

fn dedup(packages: Vec<&Package>) -> Vec<&Package> {
    let mut seen = std::collections::HashSet::new();
    packages
        .into_iter()
        .filter(|p| seen.insert(&p.id))
        .collect()
}

/// Whether `spec` is a glob over package names (`-p 'clap_*'`), as cargo
/// reads `*`, `?` and `[` in `-p` and `--exclude`.
pub fn is_pattern(spec: &str) -> bool {
    spec.contains(['*', '?', '['])
}

/// Whether a package ID spec (`name`, `name@version`, `name:version`, or a
/// package id URL such as `path+file:///x#name@1.0.0`), or a glob over
/// names, names `package`.
fn spec_matches(spec: &str, package: &Package) -> bool {
    let name = package.name.as_str();
    if is_pattern(spec) && !spec.contains("://") {
        // A pattern that does not parse matches nothing, and is reported as
        // an unknown package like any spec that matches nothing.
        return globset::Glob::new(spec)
            .map(|g| g.compile_matcher().is_match(name))
            .unwrap_or(false);
    }
    let version = package.version.to_string();
    if spec.contains("://") {
        // A package id: exact, or its URL with an optional `#name@version`.
        let id = &package.id.repr;
        if id == spec {
            return true;
        }
        let (url, fragment) = spec.split_once('#').unwrap_or((spec, ""));
        if !id.starts_with(url) {
            return false;
        }
        return fragment.is_empty() || spec_matches(fragment, package);
    }
    let (spec_name, spec_version) = spec
        .split_once('@')
        .or_else(|| spec.split_once(':'))
        .unwrap_or((spec, ""));
    spec_name == name && (spec_version.is_empty() || version.starts_with(spec_version))
}

impl Reportable for WorkspaceError {
    fn message(&self) -> String {
        match self {
            WorkspaceError::UnknownPackage { spec, .. } if is_pattern(spec) => format!(
                "package pattern `{}` not found in workspace",
                escape_input(spec)
            ),
            WorkspaceError::UnknownPackage { spec, .. } => format!(
                "package ID specification `{}` did not match any packages",
                escape_input(spec)
            ),
            WorkspaceError::Manifest(manifest) => manifest.message(),
            // Its text quotes paths, names and `cargo metadata`'s output.
            other => escape_input_lines(&other.to_string()),
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            WorkspaceError::UnknownPackage { suggestion, .. } => Some(match suggestion {
                Some(s) => format!("a package with a similar name exists: `{s}`"),
                None => "run `cargo metadata --no-deps` to see the workspace's packages".to_owned(),
            }),
            WorkspaceError::Manifest(manifest) => manifest.help(),
            _ => None,
        }
    }

    fn pointed(&self) -> Option<Pointed> {
        match self {
            WorkspaceError::Manifest(manifest) => manifest.pointed(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_path_must_name_a_cargo_toml() {
        let cwd = Path::new("/");
        assert!(matches!(
            find_manifest(Some(Path::new("foo/bar.toml")), cwd),
            Err(WorkspaceError::NotAManifest(_))
        ));
        assert!(matches!(
            find_manifest(Some(Path::new("/nonexistent/Cargo.toml")), cwd),
            Err(WorkspaceError::MissingManifest(_))
        ));
    }
}
