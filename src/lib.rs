//! `cargo privacy-check`: stops personal data and secrets from being
//! published to crates.io.
//!
//! A check flows: the command line ([`cli`]) selects packages through
//! `cargo metadata` ([`workspace`]) or names `.crate` archives
//! ([`archive`]); [`package_files`] (with git read by [`vcs`]) says what
//! ships; [`inputs`] gives both one shape, manifests read once; [`config`]
//! and [`levels`] settle the settings; [`engine`] runs the [`rules`] over
//! every file into a [`report`] of [`diagnostic`] findings, judged by
//! levels and [`allow_comments`]; [`baseline`] suppresses what was
//! accepted; [`fix`] applies the [`edits`] findings carry; [`render`]
//! writes the report through [`output`].
//!
//! The modules, leaves first. Each may import only from the ones listed
//! before it (`tests/layering.rs` holds this, with the imports that still go
//! the other way listed there to be removed):
//! - [`atomic_write`]: replacing a file's content, links and owner kept;
//! - [`suggest`]: "did you mean" for misspelt names;
//! - [`read`]: every input file read bounded, regular files only;
//! - [`diagnostic`]: findings, levels, redaction;
//! - [`display`]: paths and counts as messages write them;
//! - [`manifest`]: `Cargo.toml` read with spans, and workspace inheritance;
//! - [`edits`]: the `Cargo.toml` edits fixes are made of, byte-exact;
//! - [`rules`]: the rule registry and the detectors;
//! - [`output`]: the output boundary every byte leaves through (masks what
//!   a detector recognises, escapes control characters);
//! - [`levels`]: lint levels from flags and configuration;
//! - [`vcs`]: git read in process and read-only (through `gix`), for the
//!   listing and for `--fix`'s dirty-file check;
//! - [`package_files`]: exactly the files `cargo package` would ship;
//! - [`workspace`]: `cargo metadata` → the packages to check;
//! - [`config`]: configuration layers merged into each package's settings;
//! - [`allow_comments`]: findings silenced by a comment where they stand;
//! - [`archive`]: published `.crate` archives, read in memory and validated;
//! - [`inputs`]: one shape for a package on disk and a `.crate`: manifests
//!   read once, shipped files with their bodies on disk or in memory;
//! - [`report`]: what a check found, the one thing fixes and renderers read;
//! - [`baseline`]: findings accepted by a baseline file;
//! - [`engine`]: the one orchestration of a check, inputs to report;
//! - [`fix`]: applying the fixes a run found (`--fix`, `--dry-run`);
//! - [`render`]: human, short, JSON, SARIF, GitHub and cargo-JSON output;
//! - [`cli`]: the command line, with cargo's flag names.
//!
//! The library never prints; [`render`] writes to the streams it is given.
//! Those streams are [`output::Boundary`] writers built once in `main.rs`,
//! and the `--write-baseline` file's text goes through [`output::clean`]:
//! every byte the tool writes passes the boundary, which masks whatever a
//! detector recognises and escapes control characters (the user's
//! `Cargo.toml` edited by `--fix` is the one exception, and holds exactly
//! the intended edit). Names and paths from the input are escaped where
//! they enter a message, with [`diagnostic::escape_input`].

// The module map above names crate-private modules: it is written for
// whoever reads the code.
#![allow(rustdoc::private_intra_doc_links)]

pub(crate) mod allow_comments;
pub(crate) mod archive;
pub(crate) mod atomic_write;
pub(crate) mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub(crate) mod display;
pub(crate) mod edits;
pub mod engine;
pub mod fix;
pub(crate) mod inputs;
pub(crate) mod levels;
pub mod manifest;
pub mod output;
pub mod package_files;
pub(crate) mod read;
pub mod render;
pub mod report;
pub mod rules;
pub(crate) mod suggest;
pub mod vcs;
pub mod workspace;
