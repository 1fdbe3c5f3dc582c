//! `cargo privacy-check`: stops personal data and secrets from being
//! published to crates.io.
//!
//! The pipeline, one module a stage:
//! - [`cli`]: the command line, with cargo's flag names;
//! - [`workspace`]: `cargo metadata` → the packages to check;
//! - [`package_files`]: exactly the files `cargo package` would ship;
//! - [`manifest`]: `Cargo.toml` read with spans, and workspace inheritance;
//! - [`scan`]: runs every rule over what ships and places the findings;
//! - [`archive`]: published `.crate` archives, read in memory and validated;
//! - [`rules`]: the rule registry and the detectors;
//! - [`diagnostic`]: findings, levels, redaction;
//! - [`render`]: human, short and JSON output.
//!
//! The library never prints; [`render`] writes to the streams it is given.

pub mod archive;
pub mod cli;
pub mod diagnostic;
pub mod levels;
pub mod manifest;
pub mod package_files;
pub mod render;
pub mod rules;
pub mod scan;
pub mod workspace;
