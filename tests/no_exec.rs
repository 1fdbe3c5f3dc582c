//! "Never runs anything from the repository", beyond git (which
//! `tests/vcs_safety.rs` covers): a checkout whose `rust-toolchain.toml`
//! names a folder of its own as the toolchain, and whose
//! `.cargo/config.toml` names programs for every hook cargo has, is checked
//! without any of them running. The binary is run directly, without the
//! `CARGO` variable cargo sets for a subcommand, as a git hook or pre-commit
//! would run it: then `cargo` comes from the `PATH` (rustup's proxy here).

use std::path::Path;
use std::process::Command;

mod common;

/// A package whose configuration names `mark.sh` (which records that it
/// ran) everywhere a program can be named, with one planted finding.
fn armed(root: &Path) -> std::path::PathBuf {
    let marker = root.join("ran");
    let script = root.join("mark.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
            marker.display()
        ),
    )
    .unwrap();
    make_executable(&script);
    let toolchain = root.join("toolchain/bin");
    std::fs::create_dir_all(&toolchain).unwrap();
    for tool in ["cargo", "rustc", "rustdoc"] {
        std::fs::copy(&script, toolchain.join(tool)).unwrap();
        make_executable(&toolchain.join(tool));
    }
    let pkg = root.join("pkg");
    let s = script.display();
    common::write(
        &pkg,
        "Cargo.toml",
        &format!(
            "[package]\nname = \"armed\"\nversion = \"0.1.0\"\nedition = \"2021\"\nauthors = [\"A <{}>\"]\n",
            common::email("armed.author")
        ),
    );
    common::write(&pkg, "src/lib.rs", "");
    common::write(
        &pkg,
        "rust-toolchain.toml",
        &format!(
            "[toolchain]\npath = \"{}\"\n",
            root.join("toolchain").display()
        ),
    );
    common::write(
        &pkg,
        ".cargo/config.toml",
        &format!(
            "[build]\nrustc = \"{s}\"\nrustc-wrapper = \"{s}\"\nrustc-workspace-wrapper = \"{s}\"\n\
             [net]\ngit-fetch-with-cli = true\n\
             [registry]\nglobal-credential-providers = [\"{s}\"]\n\
             [target.'cfg(all())']\nrunner = \"{s}\"\nlinker = \"{s}\"\n\
             [alias]\nmetadata = \"run --\"\n"
        ),
    );
    pkg
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_repository_whose_toolchain_file_and_cargo_config_name_programs_runs_none() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = armed(tmp.path());
    // The trap is armed: the `cargo` on the PATH, started in the package,
    // runs the repository's toolchain.
    let armed_cargo = Command::new("cargo")
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(&pkg)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .output();
    let fired = tmp.path().join("ran").exists();
    let _ = std::fs::remove_file(tmp.path().join("ran"));
    for args in [&[][..], &["--list"][..], &["--dry-run"][..]] {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-privacy-check"))
            .arg("privacy-check")
            .args(args)
            .current_dir(&pkg)
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !tmp.path().join("ran").exists(),
            "{args:?} ran a program the repository names: {}",
            std::fs::read_to_string(tmp.path().join("ran")).unwrap_or_default()
        );
        // And the check did its work.
        match args.first() {
            None => {
                assert_eq!(output.status.code(), Some(0), "{stderr}");
                assert!(stderr.contains("warning[author-email]"), "{stderr}");
            }
            Some(&"--list") => {
                assert!(
                    stdout.lines().any(|l| l == "src/lib.rs"),
                    "{stdout}{stderr}"
                );
                assert!(
                    stdout.lines().any(|l| l == "rust-toolchain.toml"),
                    "{stdout}"
                );
            }
            Some(_) => assert!(stdout.contains("+++ b/Cargo.toml"), "{stdout}{stderr}"),
        }
    }
    // Reported last, so the check above runs wherever rustup is present;
    // where `cargo` is not rustup's proxy the toolchain file means nothing.
    if armed_cargo.is_ok() && which_is_rustup() {
        assert!(
            fired,
            "rustup's cargo proxy should honour the toolchain file"
        );
    }
}

/// Whether the `cargo` on the PATH is rustup's proxy.
fn which_is_rustup() -> bool {
    Command::new("rustup")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
