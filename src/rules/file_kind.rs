//! What kind of text a packaged file holds, judged from its archive path.
//!
//! Some detectors read a value differently in program source than in data:
//! in Rust, Python or JavaScript an unquoted right-hand side is an
//! expression (`token = env::var("TOKEN")`) and long digit runs are numeric
//! constants; in `.env`, YAML, INI, shell scripts, CSV or Markdown an
//! unquoted value is the literal itself. This module draws that line once.

/// Extensions of programming languages whose unquoted values are code and
/// whose long digit runs are usually constants. Shell and build scripts are
/// not listed: there an unquoted value is a literal string.
const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "inl", "ipp", "m", "mm", "go", "py",
    "pyi", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "java", "kt", "kts", "scala",
    "groovy", "swift", "cs", "fs", "vb", "rb", "php", "pl", "pm", "lua", "zig", "nim", "hs", "ml",
    "mli", "ex", "exs", "erl", "hrl", "dart", "jl", "r", "d", "v", "sv", "vhd", "vhdl", "asm", "s",
    "wat", "glsl", "hlsl", "wgsl", "metal", "cu", "cuh", "cl", "sol", "move", "cairo", "elm",
    "clj", "cljs", "lisp", "el", "scm", "rkt", "pas", "f", "f90", "for", "ada", "adb", "ads",
];

/// The lower-cased extension of the last path component, if any (`.env`
/// has none: a leading dot starts the name, not an extension).
pub fn extension(archive_path: &str) -> Option<&str> {
    let name = archive_path.rsplit('/').next().unwrap_or(archive_path);
    match name.rfind('.') {
        Some(0) | None => None,
        Some(dot) => Some(&name[dot + 1..]),
    }
}

/// True for program source files: the languages listed in `SOURCE_EXTENSIONS`.
pub fn is_source_code(archive_path: &str) -> bool {
    extension(archive_path).is_some_and(|ext| {
        SOURCE_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_source_from_data() {
        for source in ["src/lib.rs", "build.RS", "ffi/x.h", "web/app.tsx", "a/b.py"] {
            assert!(is_source_code(source), "{source}");
        }
        for data in [
            ".env",
            "README.md",
            "tests/data/cards.csv",
            "config.yaml",
            "scripts/deploy.sh",
            "Makefile",
            "src",
            "x.rs.snap",
        ] {
            assert!(!is_source_code(data), "{data}");
        }
        assert_eq!(extension("a/.env"), None);
        assert_eq!(extension("a/b.tar.gz"), Some("gz"));
    }
}
