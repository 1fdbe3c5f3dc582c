#!/usr/bin/env python3
"""Writes the seed corpus under fuzz/corpus/<target>/ (committed; rerun to
rebuild it). Each seed follows the input layout its target documents in
fuzz/src/checks.rs. No seed holds anything shaped like a live credential:
the fuzz targets generate their planted values at run time."""

import gzip
import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIL = "gmail" + ".com"
PACKAGE = b'[package]\nname = "fuzzed"\nversion = "0.1.0"\nedition = "2021"\nlicense = "MIT"\n'


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def tar(entries):
    """entries: (name, bytes or None for a symlink)"""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.SYMTYPE
                info.linkname = "src/lib.rs"
            else:
                info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


# manifest_config: mode byte (0 Cargo.toml, 1 privacy-check.toml,
# 2 [package.metadata.privacy-check], 3 [workspace.metadata.privacy-check]).
mc = {
    "manifest-valid": b"\x00" + PACKAGE + ('authors = ["Zed <zed.fuzz@' + MAIL + '>"]\n').encode(),
    "manifest-inherits": b"\x00[workspace]\nmembers = []\n[workspace.package]\nauthors = [\"A <a@corp.example>\"]\n"
    b"[workspace.dependencies]\nserde = \"1\"\n[package]\nname = \"x\"\nauthors.workspace = true\n"
    b"[dependencies]\nserde = { workspace = true }\n[target.'cfg(unix)'.dependencies]\nserde.workspace = true\n",
    "manifest-unterminated": b"\x00[package]\nname = \"fuzz",
    "manifest-bad-key": b"\x00[package]\nname = = 1\n",
    "manifest-not-utf8": b"\x00[package]\nname = \"\xff\xfe\"\n",
    "manifest-empty": b"\x00",
    "config-valid": b"\x01[lints]\nemail = \"deny\"\nhome-path = \"allow\"\n"
    b"allow-emails = [\"ci@corp.example\"]\nallow-email-domains = [\"corp.example\"]\n"
    b"skip-paths = [\"tests/**\"]\nmax-file-size = \"1 MiB\"\n",
    "config-unknown-key": b"\x01alow-emails = []\n",
    "config-bad-level": b"\x01[lints]\nemail = \"denny\"\n",
    "config-bad-size": b"\x01max-file-size = \"12 parsecs\"\n",
    "config-bad-fingerprint": b"\x01allow-fingerprints = [\"xyz\"]\n",
    "config-unterminated": b"\x01skip-paths = [\"src/",
    "package-table": b"\x02lints = { warnings = \"deny\" }\nskip-paths = [\"!\"]\n",
    "package-table-bad-glob": b"\x02skip-paths = [\"a[\"]\n",
    "package-table-not-table": b"\x02lints = 3\n",
    "workspace-table": b"\x03allow-email-domains = [\"corp.example\", \"-\"]\n",
}
for name, data in mc.items():
    write("manifest_config", name, data)

# archive: mode byte, bit 0 set = the rest is a tar to gzip; bits 1.. = format.
lib = b"pub fn f() {}\n"
good = tar([
    ("fuzzed-0.1.0/Cargo.toml", PACKAGE),
    ("fuzzed-0.1.0/Cargo.toml.orig", PACKAGE),
    ("fuzzed-0.1.0/src/lib.rs", lib),
    ("fuzzed-0.1.0/notes.txt", ("write to zed.fuzz@" + MAIL + "\n").encode()),
])
ar = {
    "tar-valid-human": b"\x01" + good,
    "tar-valid-json": b"\x05" + good,
    "gz-valid-sarif": b"\x06" + gzip.compress(good),
    "gz-valid-github": b"\x08" + gzip.compress(good),
    "tar-outside-prefix": b"\x01" + tar([("fuzzed-0.1.0/Cargo.toml", PACKAGE), ("other/x", lib)]),
    "tar-parent-dir": b"\x03" + tar([("fuzzed-0.1.0/Cargo.toml", PACKAGE), ("fuzzed-0.1.0/../x", lib)]),
    "tar-symlink": b"\x01" + tar([("fuzzed-0.1.0/Cargo.toml", PACKAGE), ("fuzzed-0.1.0/link", None)]),
    "tar-no-manifest": b"\x01" + tar([("fuzzed-0.1.0/src/lib.rs", lib)]),
    "tar-bad-manifest": b"\x01" + tar([("fuzzed-0.1.0/Cargo.toml", b"[package\n")]),
    "tar-name-mismatch": b"\x01" + tar([("other-0.2.0/Cargo.toml", PACKAGE)]),
    "not-gzip": b"\x00not a crate\n",
    "gz-truncated": b"\x00" + gzip.compress(good)[:200],
}
for name, data in ar.items():
    write("archive", name, data)

# no_planted_value: kind (0 GitHub token, 1 AWS key id, 2 email), delimiter
# index, position (u16 LE), then the text.
npv = {
    "token-own-line": (0, 0, 6, b"hello\nworld\n"),
    "token-in-toml": (0, 3, 0, b"[section]\nname = \"demo\"\n"),
    "token-in-rust": (0, 2, 30, b"fn main() {\n    let t = ;\n    println!(\"{t}\");\n}\n"),
    "aws-own-line": (1, 0, 0, b"# deploy notes\n"),
    "aws-spaces": (1, 1, 5, b"key: and more text\n"),
    "aws-parens": (1, 4, 3, b"id  here\n"),
    "email-own-line": (2, 0, 10, b"contact:\n\nthanks\n"),
    "email-spaces": (2, 1, 8, b"mail to  for help\n"),
    "email-tab": (2, 5, 0, b"name\n"),
    "email-with-other-mail": (2, 1, 0, ("also ops@corp.example and zed.fuzz@" + MAIL + "\n").encode()),
    "token-utf8-text": (0, 1, 9, "héllo wörld ünïcode\n".encode()),
    "token-empty-text": (0, 0, 0, b""),
}
for name, (kind, delim, pos, text) in npv.items():
    write("no_planted_value", name, bytes([kind, delim, pos & 0xFF, pos >> 8]) + text)

# command_line: arguments separated by NUL bytes.
cl = {
    "no-args": b"",
    "json": b"--message-format\x00json",
    "sarif-verbose": b"--message-format=sarif\x00-v",
    "list": b"--list",
    "fix": b"--fix",
    "dry-run": b"--dry-run",
    "deny-warnings": b"-D\x00warnings\x00-A\x00home-path",
    "explain": b"--explain\x00author-email",
    "explain-unknown": b"--explain\x00nope",
    "list-rules": b"--list-rules",
    "print-config": b"--print-config",
    "write-baseline": b"--write-baseline\x00baseline.json",
    "baseline-not-one": b"--baseline\x00Cargo.toml",
    "crate-missing": b"--crate\x00missing.crate",
    "workspace-exclude": b"--workspace\x00--exclude\x00fuzzed",
    "unknown-package": b"-p\x00nope",
    "help": b"--help",
    "unknown-flag": b"--bogus",
    "not-utf8": b"-p\x00\xff\xfe",
}
for name, data in cl.items():
    write("command_line", name, data)
