//! `cargo privacy-check`: stops personal data and secrets from being
//! published to crates.io.
//!
//! The pipeline, one module a stage:
//! - [`cli`]: the command line, with cargo's flag names;
//! - [`workspace`]: `cargo metadata` → the packages to check;
//! - [`config`]: configuration layers merged into each package's settings;
//! - [`package_files`]: exactly the files `cargo package` would ship;
//! - [`vcs`]: git read in process and read-only (through `gix`), for the
//!   listing and for `--fix`'s dirty-file check;
//! - [`manifest`]: `Cargo.toml` read with spans, and workspace inheritance;
//! - [`scan`]: runs every rule over what ships and places the findings;
//! - [`archive`]: published `.crate` archives, read in memory and validated;
//! - [`rules`]: the rule registry and the detectors;
//! - [`allow_comments`]: findings silenced by a comment where they stand;
//! - [`baseline`]: findings accepted by a baseline file;
//! - [`levels`]: lint levels from flags and configuration;
//! - [`diagnostic`]: findings, levels, redaction;
//! - [`render`]: human, short, JSON, SARIF, GitHub and cargo-JSON output;
//! - [`fix`]: the `Cargo.toml` edits that fix findings, applied by `--fix`;
//! - [`atomic_write`]: replacing a file's content, links and owner kept;
//! - [`output`]: the output boundary, the only way out of the process.
//!
//! The library never prints; [`render`] writes to the streams it is given.
//! Those streams are [`output::Boundary`] writers built once in `main.rs`,
//! and the `--write-baseline` file's text goes through [`output::clean`]:
//! every byte the tool writes passes the boundary, which masks whatever a
//! detector recognises and escapes control characters (the user's
//! `Cargo.toml` edited by `--fix` is the one exception, and holds exactly
//! the intended edit). Names and paths from the input are escaped where
//! they enter a message, with [`diagnostic::escape_input`].

pub mod allow_comments;
pub mod archive;
pub mod atomic_write;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod levels;
pub mod manifest;
pub mod output;
pub mod package_files;
pub mod render;
pub mod rules;
pub mod scan;
pub mod vcs;
pub mod workspace;
