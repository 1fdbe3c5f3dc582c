//! One input shape for the engine. A package on disk (selected through
//! `cargo metadata`) and a published `.crate` read into memory are both a
//! [`Package`]: its name and version, its manifests (read once, here, and
//! handed on to the engine and to `--fix`, so both see the same text), the
//! files `cargo package` lists for it, and the files to scan, each with its
//! path in the crate and its body on disk or in memory.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::Archive;
use crate::diagnostic::{Pointed, Reportable};
use crate::manifest::{Manifest, ManifestError};
use crate::package_files::{self, Contents, PackageFilesError, PackagedFile};
use crate::workspace::{PackageSource, SelectedPackage, Selection};

/// What to check: packages, and the workspace they belong to.
#[derive(Default)]
pub struct Inputs {
    pub packages: Vec<Package>,
    /// The workspace root manifest, read when a selected package is a
    /// member of a workspace rooted elsewhere (members inherit from it).
    pub root: Option<Manifest>,
    /// The workspace's member manifests: a fix that removes
    /// `[workspace.package].authors` edits those that inherit it.
    pub members: Vec<PathBuf>,
    /// Packages that could not be read (a manifest or a listed file that
    /// cannot be read, such as a missing `readme`): the others are still
    /// checked, and the run fails.
    pub failures: Vec<InputError>,
}

/// One package to check.
pub struct Package {
    pub name: String,
    pub version: String,
    pub manifest_path: PathBuf,
    pub manifests: Manifests,
    /// Every file the package ships, as `cargo package --list` names them.
    pub listed: Vec<PackagedFile>,
    /// The files to scan, manifests aside (they are in `manifests`).
    pub files: Vec<ShippedFile>,
    /// The `.crate` it was read from, for a published archive.
    pub archive: Option<PathBuf>,
}

/// The manifests of one package.
pub enum Manifests {
    /// A package's own `Cargo.toml` (it ships as `Cargo.toml.orig`, and
    /// with the root manifest's inherited values as `Cargo.toml`).
    Local(Box<Manifest>),
    /// A published crate's two manifests; a crate published before cargo
    /// kept `Cargo.toml.orig` has only the normalized one.
    Unpacked {
        original: Option<Box<Manifest>>,
        normalized: Box<Manifest>,
    },
}

impl Manifests {
    /// Each manifest with the name it ships under.
    pub fn all(&self) -> Vec<(&Manifest, &'static str)> {
        match self {
            Manifests::Local(m) => vec![(&**m, "Cargo.toml.orig")],
            Manifests::Unpacked {
                original,
                normalized,
            } => original
                .iter()
                .map(|m| (&**m, "Cargo.toml.orig"))
                .chain([(&**normalized, "Cargo.toml")])
                .collect(),
        }
    }

    /// The package's own manifest on disk, the one `--fix` edits.
    pub fn own(&self) -> Option<&Manifest> {
        match self {
            Manifests::Local(own) => Some(own),
            Manifests::Unpacked { .. } => None,
        }
    }
}

/// A file a package ships, to scan.
#[derive(Debug)]
pub struct ShippedFile {
    /// Its path in the package, `/`-separated.
    pub archive_path: String,
    /// Where findings in it point: its path on disk, or
    /// `name-version/path` for a file of an archive.
    pub path: PathBuf,
    pub body: Body,
}

/// Where a file's bytes are.
#[derive(Debug)]
pub enum Body {
    Disk,
    /// Read from an archive: its size, and its bytes (only the first
    /// 64 KiB of a file that is binary or larger than the scan limit).
    Memory {
        size: u64,
        bytes: Vec<u8>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("failed to list the files of package `{package}`: {source}")]
    PackageFiles {
        package: String,
        manifest_path: PathBuf,
        source: PackageFilesError,
    },
}

impl InputError {
    /// The manifest the error is about.
    pub fn path(&self) -> PathBuf {
        match self {
            InputError::Manifest(ManifestError::Io { path, .. })
            | InputError::Manifest(ManifestError::Toml { path, .. }) => path.clone(),
            InputError::PackageFiles { manifest_path, .. } => manifest_path.clone(),
        }
    }
}

/// The selected packages, each listed (in parallel: a listing is mostly
/// directory reads) and its manifests read. A root manifest that is not
/// valid TOML fails the whole run; a package that cannot be read is a
/// failure of its own.
pub fn from_selection(selection: &Selection) -> Result<Inputs, InputError> {
    // The root manifest matters only to members that inherit from it.
    let root = if selection
        .packages
        .iter()
        .any(|p| p.manifest_path != selection.root_manifest)
    {
        match Manifest::read(&selection.root_manifest) {
            Ok(root) => Some(root),
            Err(ManifestError::Io { .. }) => None,
            Err(err) => return Err(err.into()),
        }
    } else {
        None
    };
    let read: Vec<Result<Package, InputError>> = selection
        .packages
        .par_iter()
        .map(|package| read_package(package, &selection.workspace_root))
        .collect();
    let mut inputs = Inputs {
        root,
        members: selection.members.clone(),
        ..Inputs::default()
    };
    for package in read {
        match package {
            Ok(package) => inputs.packages.push(package),
            Err(err) => inputs.failures.push(err),
        }
    }
    Ok(inputs)
}

/// One selected package: its manifests and its listed files.
fn read_package(package: &SelectedPackage, workspace_root: &Path) -> Result<Package, InputError> {
    let (manifests, listed) = match package.source {
        PackageSource::Local => {
            let own = Box::new(Manifest::read(&package.manifest_path)?);
            let listed = package_files::list(&package_files::PackageInput {
                manifest_path: &package.manifest_path,
                workspace_root,
                readme: package.readme.as_deref(),
                license_file: package.license_file.as_deref(),
            });
            (Manifests::Local(own), listed)
        }
        PackageSource::Unpacked => {
            let original = package.manifest_path.with_file_name("Cargo.toml.orig");
            let original = original
                .is_file()
                .then(|| Manifest::read(&original).map(Box::new))
                .transpose()?;
            let normalized = Box::new(Manifest::read(&package.manifest_path)?);
            let listed = package_files::list_unpacked(package.root());
            let manifests = Manifests::Unpacked {
                original,
                normalized,
            };
            (manifests, listed)
        }
    };
    let listed = listed.map_err(|source| InputError::PackageFiles {
        package: package.name.clone(),
        manifest_path: package.manifest_path.clone(),
        source,
    })?;
    // Manifests are checked from `manifests`.
    let files = listed
        .iter()
        .filter(|f| f.archive_path != "Cargo.toml.orig" && f.archive_path != "Cargo.toml")
        .filter_map(|f| match &f.contents {
            Contents::Disk(path) => Some(ShippedFile {
                archive_path: f.archive_path.clone(),
                path: path.clone(),
                body: Body::Disk,
            }),
            _ => None,
        })
        .collect();
    Ok(Package {
        name: package.name.clone(),
        version: package.version.clone(),
        manifest_path: package.manifest_path.clone(),
        manifests,
        listed,
        files,
        archive: None,
    })
}

/// A published `.crate` read into memory: its files are located at
/// `name-version/path`, as the archive names them. A file whose content
/// was taken as the archive was read (and scanned then, see
/// [`crate::archive::read_streaming`]) is listed, not among the files to
/// scan.
pub fn from_archive(archive: Archive) -> Package {
    let root = PathBuf::from(&archive.prefix);
    let mut listed: Vec<PackagedFile> = archive
        .original
        .iter()
        .chain([&archive.normalized])
        .map(|m| m.path.strip_prefix(&root).unwrap_or(&m.path))
        .map(|p| p.to_string_lossy().into_owned())
        .chain(archive.files.iter().map(|f| f.path.clone()))
        .map(|archive_path| PackagedFile {
            archive_path,
            contents: Contents::Archive,
        })
        .collect();
    listed.sort_by(|a, b| a.archive_path.cmp(&b.archive_path));
    let files = archive
        .files
        .into_iter()
        .filter(|f| !f.taken)
        .map(|f| ShippedFile {
            path: root.join(&f.path),
            archive_path: f.path,
            body: Body::Memory {
                size: f.size,
                bytes: f.bytes,
            },
        })
        .collect();
    Package {
        name: archive.name,
        version: archive.version,
        manifest_path: root.join("Cargo.toml"),
        manifests: Manifests::Unpacked {
            original: archive.original.map(Box::new),
            normalized: Box::new(archive.normalized),
        },
        listed,
        files,
        archive: Some(archive.path),
    }
}

impl Reportable for InputError {
    fn message(&self) -> String {
        match self {
            InputError::Manifest(m) => m.message(),
            other => other.to_string(),
        }
    }

    fn pointed(&self) -> Option<Pointed> {
        match self {
            InputError::Manifest(m) => m.pointed(),
            InputError::PackageFiles { .. } => None,
        }
    }
}
