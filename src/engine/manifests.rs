//! A package's manifests: `authors` read structurally, every text rule
//! over the rest, and the values a member inherits from the workspace root
//! manifest, reported where they are written.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use super::findings::{allowed_email, place, Placed};
use crate::config::Settings;
use crate::diagnostic::{Applicability, Edit, Fix, LineIndex};
use crate::inputs::Manifests;
use crate::manifest::Manifest;
use crate::rules::authors::{self, AuthorsTable};
use crate::rules::{detect, overlaps_any, url_credentials, FileContext};

/// The addresses in `manifest`'s `[workspace.package].authors`, except
/// allowed ones, each with a fix that also edits the members it would
/// leave unresolved; their ranges are `taken` from the generic rules.
pub(super) fn workspace_authors(
    manifest: &Manifest,
    index: &LineIndex<'_>,
    settings: &Settings,
    members: &Members<'_>,
    taken: &mut Vec<Range<usize>>,
    out: &mut Vec<(PathBuf, Placed)>,
) {
    for f in authors::check(manifest, AuthorsTable::WorkspacePackage) {
        taken.push(f.found.range.clone());
        if !allowed_email(settings, &manifest.text, &f.found) {
            let fix = members.complete(f.fix, f.empties_workspace_authors);
            out.push((manifest.path.clone(), place(index, f.found, fix)));
        }
    }
}

/// Findings from a package's own manifest and from the root-manifest values
/// it inherits, as (source manifest path, placed match).
pub(super) fn scan_manifest(
    own: &Manifest,
    root: Option<&Manifest>,
    settings: &Settings,
    members: &Members<'_>,
) -> Vec<(PathBuf, Placed)> {
    let mut out = Vec::new();
    let context = FileContext {
        archive_path: "Cargo.toml.orig",
        is_manifest: true,
        package: "",
    };

    // The package's own manifest ships whole, comments included.
    let own_index = LineIndex::new(&own.text);
    let mut structured = authors::check(own, AuthorsTable::Package);
    structured.retain(|f| !allowed_email(settings, &own.text, &f.found));
    let taken: Vec<Range<usize>> = structured.iter().map(|f| f.found.range.clone()).collect();
    for f in structured {
        out.push((own.path.clone(), place(&own_index, f.found, f.fix)));
    }
    // A workspace root that is itself a package also ships its
    // `[workspace.package]` table verbatim in `Cargo.toml.orig`.
    let mut taken = taken;
    workspace_authors(own, &own_index, settings, members, &mut taken, &mut out);
    let mut found = detect(&own.text, context);
    settings
        .custom
        .scan(&own.text, "Cargo.toml.orig", &mut found);
    for m in found {
        if !overlaps_any(&m.range, &taken) && !allowed_email(settings, &own.text, &m) {
            let fix = url_credentials::manifest_fix(own, &m);
            out.push((own.path.clone(), place(&own_index, m, fix)));
        }
    }

    // Values inherited from the root manifest ship in the normalized
    // Cargo.toml; they are reported where they are written.
    let Some(root) = root.filter(|r| r.path != own.path) else {
        return out;
    };
    let inherited = own.inherited_ranges(root);
    if inherited.is_empty() {
        return out;
    }
    let root_index = LineIndex::new(&root.text);
    let mut taken = Vec::new();
    if own.inherits("authors") {
        workspace_authors(root, &root_index, settings, members, &mut taken, &mut out);
    }
    let mut found = detect(&root.text, context);
    settings
        .custom
        .scan(&root.text, "Cargo.toml.orig", &mut found);
    for m in found {
        let shipped = inherited
            .iter()
            .any(|(_, r)| r.start <= m.range.start && m.range.end <= r.end);
        if shipped && !overlaps_any(&m.range, &taken) && !allowed_email(settings, &root.text, &m) {
            let fix = url_credentials::manifest_fix(root, &m);
            out.push((root.path.clone(), place(&root_index, m, fix)));
        }
    }
    out
}

/// A member manifest read for a fix: the manifest (its text is kept for
/// output) and the edit removing its `authors.workspace = true`, if it
/// says so.
pub(super) struct MemberRead {
    pub(super) manifest: Manifest,
    pub(super) edit: Option<Edit>,
}

/// The workspace's member manifests, read only when a fix removes
/// `[workspace.package].authors`: each member saying
/// `authors.workspace = true` must lose that line in the same fix, or cargo
/// could no longer load it.
pub(super) struct Members<'a> {
    paths: &'a [PathBuf],
    /// Each member, read once; `None` if one could not be read.
    read: std::sync::OnceLock<Option<Vec<MemberRead>>>,
}

impl<'a> Members<'a> {
    pub(super) fn new(paths: &'a [PathBuf]) -> Self {
        Members {
            paths,
            read: std::sync::OnceLock::new(),
        }
    }

    /// `fix` with the members' edits added when it empties the workspace's
    /// `authors`. Without them (a member could not be read) it stays
    /// maybe-incorrect, as `authors` built it.
    pub(super) fn complete(
        &self,
        fix: Option<Fix>,
        empties_workspace_authors: bool,
    ) -> Option<Fix> {
        let mut fix = fix?;
        if !empties_workspace_authors {
            return Some(fix);
        }
        let Some(members) = self.read() else {
            return Some(fix);
        };
        let edits: Vec<Edit> = members.iter().filter_map(|m| m.edit.clone()).collect();
        fix.description = format!(
            "remove `authors` (it held only this address), and `authors.workspace = true` from {}",
            crate::display::plural(edits.len(), "member")
        );
        fix.edits.extend(edits);
        fix.applicability = Applicability::MachineApplicable;
        Some(fix)
    }

    fn read(&self) -> Option<&Vec<MemberRead>> {
        self.read
            .get_or_init(|| {
                self.paths
                    .iter()
                    .map(|path| {
                        let manifest = Manifest::read(path).ok()?;
                        let edit = crate::edits::remove_inherited(&manifest, "authors");
                        Some(MemberRead { manifest, edit })
                    })
                    .collect()
            })
            .as_ref()
    }

    /// The members read so far (none unless a fix needed them).
    pub(super) fn manifests(&self) -> impl Iterator<Item = &Manifest> + '_ {
        self.read
            .get()
            .and_then(Option::as_ref)
            .into_iter()
            .flatten()
            .map(|m| &m.manifest)
    }
}

/// A package's findings in its manifests, as (file, archive path, placed
/// match).
pub(super) fn scan_manifests(
    manifests: &Manifests,
    root: Option<&Manifest>,
    settings: &Settings,
    members: &Members<'_>,
) -> Vec<(PathBuf, &'static str, Placed)> {
    match manifests {
        Manifests::Local(own) => scan_manifest(own, root, settings, members)
            .into_iter()
            .map(|(path, p)| {
                let archive = if path == own.path {
                    "Cargo.toml.orig"
                } else {
                    "Cargo.toml"
                };
                (path, archive, p)
            })
            .collect(),
        // The two manifests are one: a value in both is reported once,
        // in `Cargo.toml.orig`, where its author wrote it.
        Manifests::Unpacked {
            original,
            normalized,
        } => {
            let mut out: Vec<(PathBuf, &'static str, Placed)> = Vec::new();
            let mut seen: HashSet<(&'static str, String)> = HashSet::new();
            for (manifest, archive) in original
                .iter()
                .map(|m| (&**m, "Cargo.toml.orig"))
                .chain([(&**normalized, "Cargo.toml")])
            {
                for (path, p) in scan_manifest(manifest, None, settings, members) {
                    let value = p
                        .range
                        .as_ref()
                        .and_then(|r| manifest.text.get(r.clone()))
                        .unwrap_or_default()
                        .to_owned();
                    if seen.insert((p.found.rule.name, value)) {
                        out.push((path, archive, p));
                    }
                }
            }
            out
        }
    }
}
