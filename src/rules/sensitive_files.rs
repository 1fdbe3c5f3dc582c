//! Files that must not ship at all, whatever their lines say.
//!
//! A `.env`, an SSH key, a shell history or a Terraform state is a leak as a
//! file: the right fix is to keep it out of the package, not to edit a line.
//! [`check_file`] decides from the file's archive path and, where the name
//! alone is ambiguous, from its bytes:
//! - names that are unambiguous (`id_rsa`, `.git-credentials`, `*.tfstate`,
//!   `.bash_history`, `*.kdbx`…) are reported even when the file could not
//!   be read;
//! - names shared with harmless files (`*.pem`, `*.key`, `.npmrc`,
//!   `config.json`, `*.sql`) are reported only when the content shows the
//!   secret (`-----BEGIN … PRIVATE KEY-----`, an `_authToken`, a dump
//!   header…), and never when the content is unknown;
//! - some formats are recognised by their first bytes under any name: ELF,
//!   Mach-O and Windows core dumps, Java heap dumps, SQLite databases,
//!   KeePass databases, `pg_dump` archives, vim swap files, `.DS_Store`,
//!   `perf` recordings;
//! - a few are judged by their path alone, whatever the content: an
//!   encrypted key still named like one (`id_rsa.enc`), and the personal
//!   state AI coding assistants keep in a project folder (chat histories,
//!   session logs, `.claude/settings.local.json`), told apart from the
//!   instructions a project shares on purpose (`CLAUDE.md`, `AGENTS.md`).
//!
//! A file that is empty or holds only whitespace is never reported: it leaks
//! nothing. Content is only looked at in bounded prefixes, so huge files cost
//! no more than small ones.

use std::path::Path;
use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::diagnostic::{Applicability, Category, Fix, Level, Match};
use crate::edits::{self, KeepOut};
use crate::manifest::Manifest;
use crate::rules::email::PERMANENT_NOTE;
use crate::rules::{Family, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[
        &ENV_FILE,
        &PRIVATE_KEY_FILE,
        &KEYSTORE_FILE,
        &CREDENTIALS_FILE,
        &TERRAFORM_STATE,
        &SHELL_HISTORY,
        &PASSWORD_DATABASE,
        &DATABASE_DUMP,
        &CORE_DUMP,
        &SQLITE_DATABASE,
        &EDITOR_SWAP_FILE,
        &OS_METADATA_FILE,
        &ENCRYPTED_KEY_FILE,
        &PROFILER_RECORDING,
        &AI_ASSISTANT_LOCAL_FILE,
    ],
    finder: Finder::Files(check_file),
};

pub static ENV_FILE: Rule = Rule {
    name: "env-file",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "`.env` file in the package",
    doc: r#"
## What it does
Reports `.env` and `.env.*` files (`.env.local`, `.env.production`,
`.env.test`…) anywhere in the package. Templates meant to be committed are
not reported: a name with a part `example`, `sample`, `template`, `dist`,
`defaults`/`default` or `tpl` after `.env` (`.env.example`,
`.env.local.sample`), and `example.env`/`sample.env`/`template.env`. Their
values are still checked line by line by the secret rules. A `.env` that
holds only comments and blank lines is not reported.

## Why is this bad?
A `.env` file holds the environment of a developer's machine or of a
deployment: database passwords, API keys, signing secrets. Tools load it
implicitly, so it is easy to forget it is there, and in git mode `cargo
package` ships hidden files that are not ignored.

## Example
```text
my-crate/
├── .env          # DATABASE_URL=postgres://app:…@db.internal/prod
├── Cargo.toml
└── src/lib.rs
```

## How to fix
Keep it out of the package (`exclude = ["/.env"]` in `Cargo.toml`, or list
it in `.gitignore`), rotate every credential it held, and commit a
`.env.example` with placeholders instead.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static PRIVATE_KEY_FILE: Rule = Rule {
    name: "private-key-file",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "private key file (SSH, PEM, PuTTY, PGP, OpenVPN) in the package",
    doc: r#"
## What it does
Reports files that are private keys: SSH keys by name (`id_rsa`, `id_dsa`,
`id_ecdsa`, `id_ed25519` and their `_sk` variants; not `*.pub`), PuTTY
`*.ppk`, `secring.gpg`, GnuPG `private-keys-v1.d/*`, and `*.pem`, `*.key`,
`*.crt`, `*.cer`, `*.der`, `*.p8`, `*.pk8`, `*.asc`, `*.priv`, `*.prv` and
`*.ovpn` files whose content holds a private key (`-----BEGIN … PRIVATE KEY-----`, OpenSSH, PuTTY, PGP, a
DER-encoded private key, an OpenVPN static key). A `.pem` holding only
certificates or public keys is fine and is not reported.

## Why is this bad?
Whoever holds a private key can impersonate its owner: log in to servers,
sign releases, decrypt traffic. A published crate cannot be withdrawn.
A test key is a leak at risk too: if it was ever used anywhere real, it is
compromised; if it is really a throw-away fixture, allow it explicitly.

## Example
```text
tests/data/key.pem    # -----BEGIN RSA PRIVATE KEY-----
```

## How to fix
Keep the file out of the package (`exclude = ["/tests/data/key.pem"]`),
and replace the key wherever it was used. Tests can generate keys at run
time, or the key can be allowed for this path if it is a throw-away fixture.
"#,
    fix: Some(Applicability::MachineApplicable),
    relaxed_in_tests: true,
    covers: &[&crate::rules::private_keys::PRIVATE_KEY],
    ..Rule::DEFAULT
};

pub static KEYSTORE_FILE: Rule = Rule {
    name: "keystore-file",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "PKCS#12, Java or Kerberos key store in the package",
    doc: r#"
## What it does
Reports key stores: `*.p12`, `*.pfx`, `*.pkcs12`, `*.jks`, `*.jceks`,
`*.bks`, `*.keystore` and Kerberos `*.keytab`. Trust stores (a name holding
`truststore`, or `cacerts`) hold only public certificates and are not
reported.

## Why is this bad?
Key stores bundle private keys with their certificates (code-signing, TLS
client identities, Android release keys). Their passwords are often weak or
written next to them.

## Example
```text
android/release.keystore
tests/identity.p12
```

## How to fix
Keep the file out of the package (`exclude = ["/tests/identity.p12"]`) and
replace the keys it holds. Test identities can be generated at run time.
"#,
    fix: Some(Applicability::MachineApplicable),
    relaxed_in_tests: true,
    ..Rule::DEFAULT
};

pub static CREDENTIALS_FILE: Rule = Rule {
    name: "credentials-file",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "tool credentials file (cargo, npm, PyPI, netrc, git, Docker, AWS…)",
    doc: r#"
## What it does
Reports the files where tools keep their login:
- cargo's `credentials.toml`/`credentials` under `.cargo/`, any
  `credentials.toml` with a registry `token`, and `.cargo/config.toml`
  with a `token`;
- `.npmrc` with `_authToken`, `_auth` or `_password`, `.yarnrc.yml` with
  `npmAuthToken` (values that are `${VARIABLES}` are fine);
- `.pypirc` with a `password`, `.netrc`/`_netrc` with a `password`;
- `.git-credentials`, `.htpasswd`, `.pgpass`, `.vault-token`,
  `.my.cnf` with a password, `.s3cfg` with a `secret_key`;
- Docker `config.json`/`.dockercfg` whose `"auths"` hold an `"auth"`;
- `.aws/credentials` (or any `credentials` file with
  `aws_secret_access_key`), Google service-account keys and
  `application_default_credentials.json`, gcloud and Azure token caches;
- kubeconfig files with a token or client key, GitHub CLI `hosts.yml` with
  an `oauth_token`, Terraform CLI credentials, `.gem/credentials`,
  `.sentryclirc` with a token.

## Why is this bad?
These files exist to hold working credentials. Publishing one hands
publish rights, cloud accounts or registry access to anyone who downloads
the crate.

## Example
```text
.cargo/credentials.toml   # [registry] token = "cio…"
```

## How to fix
Keep the file out of the package (`exclude = ["/.cargo/credentials.toml"]`)
and revoke every token it held: `cargo logout` does not revoke a token,
the registry's settings page does.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static TERRAFORM_STATE: Rule = Rule {
    name: "terraform-state",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "Terraform state file in the package",
    doc: r#"
## What it does
Reports `*.tfstate` and `*.tfstate.backup` files (including timestamped
`terraform.tfstate.<n>.backup`).

## Why is this bad?
Terraform state records every attribute of every managed resource in plain
text, including generated database passwords, private keys and access
tokens, and maps out the infrastructure.

## Example
```text
deploy/terraform.tfstate
```

## How to fix
Keep it out of the package (`exclude = ["*.tfstate*"]`), store state in a
remote backend, and rotate the secrets it recorded.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static SHELL_HISTORY: Rule = Rule {
    name: "shell-history",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "shell or REPL history file in the package",
    doc: r#"
## What it does
Reports command histories: `.bash_history`, `.zsh_history`, `.zhistory`,
`.sh_history`, `.history`, `.histfile`, fish's `fish_history`, PowerShell's
`ConsoleHost_history.txt`, and REPL histories (`.python_history`,
`.node_repl_history`, `.irb_history`, `.pry_history`, `.psql_history`,
`.mysql_history`, `.sqlite_history`, `.rediscli_history`, `.dbshell`,
`.mongosh_history`, `.scala_history`, `.Rhistory`, `.gdb_history`,
`.lesshst`, `.viminfo`, Julia's `repl_history.jl`).

## Why is this bad?
People type passwords and tokens on command lines (`curl -H "Authorization:
…"`, `mysql -p…`, `export TOKEN=…`), and a history also reveals host names,
paths and what its owner worked on.

## Example
```text
.bash_history
```

## How to fix
Keep it out of the package (`exclude = ["/.bash_history"]`) and rotate any
credential typed into it.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static PASSWORD_DATABASE: Rule = Rule {
    name: "password-database",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "password manager database (KeePass, Password Safe, keychain)",
    doc: r#"
## What it does
Reports password manager databases: KeePass `*.kdbx`/`*.kdb` (also by
their magic number under any name), Password Safe `*.psafe3`, and macOS
`*.keychain`/`*.keychain-db`.

## Why is this bad?
The database is encrypted, but once published an attacker can try
passwords offline for ever, without rate limit or lock-out.

## Example
```text
secrets/passwords.kdbx
```

## How to fix
Keep it out of the package (`exclude = ["*.kdbx"]`) and change the master
password and, to be safe, the passwords it holds.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static DATABASE_DUMP: Rule = Rule {
    name: "database-dump",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "database dump with data (mysqldump, pg_dump) in the package",
    doc: r#"
## What it does
Reports SQL dumps written by `mysqldump`/`mariadb-dump` (`-- MySQL dump`,
`-- MariaDB dump`) or `pg_dump` (`-- PostgreSQL database dump`) that carry
rows (`INSERT INTO` or `COPY … FROM stdin`), and `pg_dump` custom-format
archives (`PGDMP`) under any name. A schema-only dump is not reported.

## Why is this bad?
A dump of a real database holds its users: names, emails, password hashes,
addresses. Test fixtures are often made by dumping a production or staging
database.

## Example
```text
tests/fixtures/staging.sql   # -- MySQL dump 10.13 … INSERT INTO `users` …
```

## How to fix
Keep it out of the package (`exclude = ["/tests/fixtures/staging.sql"]`)
and replace it with synthetic data.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static CORE_DUMP: Rule = Rule {
    name: "core-dump",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "core dump or heap dump in the package",
    doc: r#"
## What it does
Reports memory images of a process: ELF core files (`ET_CORE`), Mach-O
core files (`MH_CORE`), Windows minidumps (`MDMP`) and Java heap dumps
(`JAVA PROFILE`), recognised by their first bytes under any name (`core`,
`core.1234`, `*.core`, `*.dmp`…). When the file cannot be read, names that
can only be dumps are reported: `core.<pid>`, `vgcore.<pid>`, `*.hprof`,
`*.mdmp`.

## Why is this bad?
A core dump holds everything the process had in memory: environment
variables, tokens, decrypted data, file contents, user names and paths.

## Example
```text
core.48213
```

## How to fix
Keep it out of the package (`exclude = ["core", "core.*", "*.core"]`) and
treat the secrets the process held as exposed.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static SQLITE_DATABASE: Rule = Rule {
    name: "sqlite-database",
    category: Category::SensitiveFile,
    default_level: Level::Warn,
    summary: "SQLite database file in the package",
    doc: r#"
## What it does
Reports SQLite database files, recognised by their header
(`SQLite format 3`) under any name, or by the extensions `.sqlite`,
`.sqlite3` and `.db3` when the file cannot be read.

## Why is this bad?
SQLite files are often legitimate test data, hence only a warning. But they
are also what applications and browsers keep their state in (cookies,
history, saved logins, caches), and a database created while developing
may hold real records, and deleted rows linger in free pages.

## Example
```text
tests/data/app.db
```

## How to fix
If the file is a deliberate fixture built from synthetic data, allow the
rule for it. Otherwise keep it out of the package (`exclude = ["*.db"]`).
Rebuilding fixtures from a script (or `VACUUM`) avoids shipping stale rows.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static EDITOR_SWAP_FILE: Rule = Rule {
    name: "editor-swap-file",
    category: Category::SensitiveFile,
    default_level: Level::Warn,
    summary: "vim swap file in the package",
    doc: r#"
## What it does
Reports vim swap files (`.*.swp`, `.*.swo`…, recognised by their `b0VIM`
header under any name).

## Why is this bad?
A swap file holds a copy of the file being edited, which may be something
that is otherwise never shipped (a `.env`, a key), and its header records
the user name, the host name and the full path of the edited file.

## Example
```text
src/.lib.rs.swp
```

## How to fix
Keep them out of the package (`exclude = ["*.swp", "*.swo"]`); add them to a
global gitignore.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static OS_METADATA_FILE: Rule = Rule {
    name: "os-metadata-file",
    category: Category::SensitiveFile,
    default_level: Level::Warn,
    summary: "operating-system metadata file (.DS_Store, Thumbs.db, AppleDouble)",
    doc: r#"
## What it does
Reports `.DS_Store` (also by its `Bud1` header), Windows `Thumbs.db` and
`ehthumbs.db`, and AppleDouble `._*` files.

## Why is this bad?
They are not secret, hence only a warning, but they leak what their owner's
folder looked like: `.DS_Store` lists file names that may never have been
committed, `Thumbs.db` keeps thumbnails of images, and AppleDouble files
keep extended attributes such as the URL a file was downloaded from.

## Example
```text
assets/.DS_Store
```

## How to fix
Keep them out of the package (`exclude = [".DS_Store", "._*", "Thumbs.db"]`)
and add them to a global gitignore.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static ENCRYPTED_KEY_FILE: Rule = Rule {
    name: "encrypted-key-file",
    category: Category::SensitiveFile,
    default_level: Level::Warn,
    summary: "encrypted private key still named like one (`id_rsa.enc`, `deploy_key.enc`)",
    doc: r#"
## What it does
Reports files named like a private key with an encryption suffix:
`id_rsa.enc`, `deploy_key.enc`, `github_deploy_key.enc`, `signing.pem.gpg`,
`release.p12.age`… (suffixes `.enc`, `.gpg`, `.pgp`, `.age`, `.aes`,
`.crypt`, `.encrypted`; not `.asc`, which is as often a signature of the
file it names), whatever their content: ciphertext cannot
be told from anything else. `travis encrypt-file` writes such files, and
CI scripts decrypt them into the key the name announces. A `.pub` key is
not reported; a file whose content is a plain private key is reported as
`private-key-file` instead.

## Why is this bad?
Only a warning: the content is encrypted. But it is a key, shipped to
everyone for good, and the secret that opens it is often weak or gone with
the CI service that held it (Travis CI's old encryption keys), so it can be
attacked offline for ever. It never belongs in a package: nothing in a
published crate can decrypt and use it.

## Example
```text
scripts/id_rsa.enc     # decrypted by .travis.yml to push documentation
```

## How to fix
Keep it out of the package (`exclude = ["/scripts/id_rsa.enc"]`). If the
encryption secret may be known to anyone else, replace the key wherever it
is trusted (a deploy key: remove it from the repository's settings).
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static PROFILER_RECORDING: Rule = Rule {
    name: "profiler-recording",
    category: Category::SensitiveFile,
    default_level: Level::Warn,
    summary: "profiler recording (`perf.data`, valgrind `callgrind.out.*`, `dhat-heap.json`)",
    doc: r#"
## What it does
Reports recordings written by profilers into the working folder: Linux
`perf` (`perf.data`, `perf.data.old`, and any file starting with perf's
`PERFILE2` magic), valgrind's `callgrind.out.<pid>`, `cachegrind.out.<pid>`,
`massif.out.<pid>` and `dhat.out.<pid>`, the `dhat` crate's
`dhat-heap.json`/`dhat-ad-hoc.json`, and heaptrack's
`heaptrack.<program>.<pid>.gz`/`.zst`. Files with a shared name are
reported only when their content is the profiler's (`cmd:` and `creator:`
lines, `dhatFileVersion`).

Not reported, because their formats are not clearly recordings of a
machine: `*.trace` (many unrelated formats), folded stacks `*.folded`
(function names), LLVM `*.profraw`/`*.profdata`, and `flamegraph.svg`.

## Why is this bad?
A recording describes the machine it was made on: `perf.data` stores the
host name, kernel, CPU, the full command line and the absolute path of
every binary and library mapped (`/home/<name>/…`); valgrind outputs start
with the command line and the process id, and name every source file by
its absolute path. They are also large: one shipped `perf.data` can make
a crate many megabytes.

## Example
```text
perf.data
benches/callgrind.out.48213
```

## How to fix
Keep them out of the package (`exclude = ["perf.data*", "callgrind.out.*"]`)
and add them to `.gitignore`.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

pub static AI_ASSISTANT_LOCAL_FILE: Rule = Rule {
    name: "ai-assistant-local-file",
    category: Category::SensitiveFile,
    default_level: Level::Deny,
    summary: "AI coding assistant's chat history, session log or personal settings",
    doc: r#"
## What it does
Reports the files AI coding assistants write into a project folder for one
person: chat and prompt histories, session logs and databases, personal
settings and their login:
- Claude Code: `.claude/settings.local.json` and `CLAUDE.local.md`
  (personal, git-ignored by Claude Code), and the home-folder state
  `.claude.json`, `.claude/.credentials.json`, `.claude/projects/…`,
  `.claude/todos/…`, `.claude/history.jsonl`;
- Aider: `.aider.chat.history.md`, `.aider.input.history`,
  `.aider.llm.history`, and the `.aider.tags.cache.v*/` folder;
- SpecStory (saves Cursor, Copilot and Claude Code chats):
  `.specstory/history/…` and `.specstory/ai_rules_backups/…`;
- Crush: anything under `.crush/` (its `crush.db` session database and
  logs); the older OpenCode's `.opencode/opencode.db`;
- OpenAI Codex CLI: `.codex/auth.json`, `.codex/history.jsonl`,
  `.codex/sessions/…`; Gemini CLI: `.gemini/oauth_creds.json`,
  `.gemini/google_accounts.json`, `.gemini/tmp/…`; GitHub Copilot CLI:
  `.copilot/session-state/…`, `.copilot/history-session-state/…`.

Shared project instructions and settings are meant to be committed and are
not reported: `CLAUDE.md`, `.claude/settings.json`, `.claude/commands/`,
`.claude/agents/`, `AGENTS.md`, `GEMINI.md`, `.gemini/settings.json`,
`.cursorrules`, `.cursor/rules/`, `.github/copilot-instructions.md`,
`.windsurfrules`, `.clinerules`, `.continue/` rules and prompts,
`.aider.conf.yml`. Their lines are still checked by the secret rules.

## Why is this bad?
A session log or history records everything typed to the assistant and
much of what it read and ran: prompts, pasted logs and error messages,
absolute paths with the user name, internal host names, and, often
enough, an API key or a token pasted into the chat or approved in a
command (`Bash(curl -H "Authorization: Bearer …")` in a Claude Code
allow-list). Personal settings record the same approvals. A login file is
a working credential.

## Example
```text
.aider.chat.history.md
.claude/settings.local.json
```

## How to fix
Keep them out of the package (`exclude = [".aider*", ".claude/settings.local.json"]`)
and in `.gitignore`, and rotate any credential the history holds.
"#,
    fix: Some(Applicability::MachineApplicable),
    ..Rule::DEFAULT
};

/// Bytes of content looked at when searching text for a marker.
const TEXT_PREFIX: usize = 1 << 20;
/// Bytes of a SQL file searched for a dump header.
const DUMP_HEADER_PREFIX: usize = 4096;

/// Suffix parts of `.env.*` names that mark a template meant to be committed.
const ENV_TEMPLATE_PARTS: &[&str] = &[
    "example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "defaults",
    "default", "schema",
];

const SSH_KEY_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
];

const KEYSTORE_EXTENSIONS: &[&str] = &[
    "p12", "pfx", "pkcs12", "jks", "jceks", "bks", "keystore", "keytab",
];

/// Extensions whose files are reported when they hold a private key.
const KEY_CONTENT_EXTENSIONS: &[&str] = &[
    "pem", "key", "der", "p8", "pk8", "asc", "priv", "prv", "ovpn", "crt", "cer",
];

const PASSWORD_DB_EXTENSIONS: &[&str] = &["kdbx", "kdb", "psafe3", "keychain", "keychain-db"];

const HISTORY_NAMES: &[&str] = &[
    ".bash_history",
    ".zsh_history",
    ".zhistory",
    ".sh_history",
    ".ksh_history",
    ".history",
    ".histfile",
    "fish_history",
    "consolehost_history.txt",
    ".python_history",
    ".node_repl_history",
    ".irb_history",
    ".pry_history",
    ".psql_history",
    ".mysql_history",
    ".sqlite_history",
    ".rediscli_history",
    ".dbshell",
    ".mongosh_history",
    ".scala_history",
    ".rhistory",
    ".gdb_history",
    ".lesshst",
    ".viminfo",
    "repl_history.jl",
];

/// One reason a file must not ship.
struct Hit {
    rule: &'static Rule,
    /// What the file is, as the start of a sentence.
    what: &'static str,
}

const fn hit(rule: &'static Rule, what: &'static str) -> Option<Hit> {
    Some(Hit { rule, what })
}

/// Decides whether the file at `archive_path` (`/`-separated, inside the
/// `.crate`) must not ship, and why. `content` is `None` when the file could
/// not be read; names that need their content to decide are then not
/// reported.
pub fn check_file(archive_path: &str, content: Option<&[u8]>) -> Option<Match> {
    if content.is_some_and(|c| c.iter().all(u8::is_ascii_whitespace)) {
        return None;
    }
    let hit = by_name(archive_path, content).or_else(|| content.and_then(by_magic))?;
    let secret_bearing = !matches!(
        hit.rule.name,
        "os-metadata-file"
            | "sqlite-database"
            | "editor-swap-file"
            | "encrypted-key-file"
            | "profiler-recording"
    );
    Some(must_not_ship(
        hit.rule,
        hit.what,
        archive_path,
        secret_bearing,
    ))
}

/// The finding on a file that must not ship: `what` it is, and the help to
/// keep it out (and to rotate what it held, if it held secrets). Every
/// family of whole-file rules reports through it.
pub fn must_not_ship(
    rule: &'static Rule,
    what: &str,
    archive_path: &str,
    secret_bearing: bool,
) -> Match {
    let exclude = exclude_pattern(archive_path);
    let help = if secret_bearing {
        format!(
            "keep it out of the package with `exclude = [\"{exclude}\"]` in Cargo.toml, \
             and rotate every credential it held"
        )
    } else {
        format!("keep it out of the package with `exclude = [\"{exclude}\"]` in Cargo.toml")
    };
    Match::whole_file(
        rule,
        format!("{what} must not be published"),
        archive_path.to_owned(),
    )
    .label("this file would be published with the crate")
    .note(PERMANENT_NOTE)
    .help(help)
}

/// An anchored `exclude` pattern for exactly this path, with gitignore's
/// special characters escaped.
pub fn exclude_pattern(archive_path: &str) -> String {
    let mut out = String::with_capacity(archive_path.len() + 1);
    out.push('/');
    for c in archive_path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '!' | '#' | '\\') {
            out.push('\\');
        }
        if c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn by_name(archive_path: &str, content: Option<&[u8]>) -> Option<Hit> {
    let (dir, name) = archive_path.rsplit_once('/').unwrap_or(("", archive_path));
    let parent = dir.rsplit('/').next().unwrap_or("");
    let lname = name.to_ascii_lowercase();
    let lname = lname.as_str();
    let ext = super::file_kind::extension(lname).unwrap_or("");
    let text = |re: &Regex| content.is_some_and(|c| re.is_match(prefix(c, TEXT_PREFIX)));

    // AI coding assistants' personal state.
    if let Some(what) = ai_assistant_file(archive_path) {
        return hit(&AI_ASSISTANT_LOCAL_FILE, what);
    }

    // Environment files.
    if lname == ".env" || lname.starts_with(".env.") {
        let template = lname
            .split('.')
            .skip(2)
            .any(|part| ENV_TEMPLATE_PARTS.contains(&part));
        let has_setting = content.is_none_or(has_non_comment_line);
        if !template && has_setting {
            return hit(
                &ENV_FILE,
                "environment file (`.env`), which usually holds credentials,",
            );
        }
        return None;
    }

    // Private keys.
    if SSH_KEY_NAMES.contains(&lname) {
        return hit(&PRIVATE_KEY_FILE, "SSH private key");
    }
    if SSH_KEY_NAMES.iter().any(|k| {
        lname
            .strip_prefix(k)
            .is_some_and(|rest| rest.starts_with(['.', '_', '-']))
    }) && !lname.ends_with(".pub")
        && text(&PRIVATE_KEY_MARKER)
    {
        return hit(&PRIVATE_KEY_FILE, "SSH private key");
    }
    if ext == "ppk" {
        return hit(&PRIVATE_KEY_FILE, "PuTTY private key (`.ppk`)");
    }
    if matches!(lname, "secring.gpg" | "secring.pgp" | "secring.skr")
        || parent.eq_ignore_ascii_case("private-keys-v1.d")
    {
        return hit(&PRIVATE_KEY_FILE, "GnuPG secret key ring");
    }
    if KEY_CONTENT_EXTENSIONS.contains(&ext) {
        if text(&PRIVATE_KEY_MARKER) {
            return hit(&PRIVATE_KEY_FILE, "file holding a private key");
        }
        if ext == "ovpn" && text(&OPENVPN_SECRET) {
            return hit(
                &PRIVATE_KEY_FILE,
                "OpenVPN profile with an embedded private or static key",
            );
        }
        if matches!(ext, "key" | "der" | "p8" | "pk8") && content.is_some_and(is_der_private_key) {
            return hit(&PRIVATE_KEY_FILE, "DER-encoded private key");
        }
    }

    // Encrypted keys, by their name.
    if let Some(what) = encrypted_key(lname) {
        if text(&PRIVATE_KEY_MARKER) {
            return hit(&PRIVATE_KEY_FILE, "file holding a private key");
        }
        return hit(&ENCRYPTED_KEY_FILE, what);
    }

    // Key stores.
    if KEYSTORE_EXTENSIONS.contains(&ext)
        && !lname.contains("truststore")
        && !lname.starts_with("cacerts")
    {
        return hit(
            &KEYSTORE_FILE,
            if ext == "keytab" {
                "Kerberos keytab"
            } else {
                "key store, which bundles private keys,"
            },
        );
    }

    // Tool credentials.
    if let Some(what) = credentials(lname, parent, ext, content) {
        return hit(&CREDENTIALS_FILE, what);
    }

    // Infrastructure state, histories, password databases.
    if lname.ends_with(".tfstate")
        || lname.ends_with(".tfstate.backup")
        || (lname.contains(".tfstate.") && lname.ends_with(".backup"))
    {
        return hit(
            &TERRAFORM_STATE,
            "Terraform state, which records resource secrets in plain text,",
        );
    }
    if HISTORY_NAMES.contains(&lname) {
        return hit(&SHELL_HISTORY, "command history");
    }
    if PASSWORD_DB_EXTENSIONS.contains(&ext) {
        return hit(&PASSWORD_DATABASE, "password manager database");
    }

    // Dumps.
    if ext == "sql"
        && content.is_some_and(|c| {
            let head = prefix(c, DUMP_HEADER_PREFIX);
            DUMP_HEADER.is_match(head) && DUMP_ROWS.is_match(prefix(c, TEXT_PREFIX * 64))
        })
    {
        return hit(&DATABASE_DUMP, "database dump with rows");
    }
    if content.is_none() {
        let dump_name = |stem: &str| {
            lname
                .strip_prefix(stem)
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        };
        if dump_name("core.") || dump_name("vgcore.") || matches!(ext, "hprof" | "mdmp") {
            return hit(&CORE_DUMP, "core dump");
        }
        if matches!(ext, "sqlite" | "sqlite3" | "db3") {
            return hit(&SQLITE_DATABASE, "SQLite database");
        }
    }

    // Profiler recordings.
    if let Some(what) = profiler_recording(lname, content) {
        return hit(&PROFILER_RECORDING, what);
    }

    // Desktop metadata.
    if matches!(lname, ".ds_store" | "thumbs.db" | "ehthumbs.db") {
        return hit(
            &OS_METADATA_FILE,
            "operating-system folder metadata, which lists local file names,",
        );
    }
    if lname.starts_with("._") && content.is_none_or(|c| c.starts_with(APPLEDOUBLE_MAGIC)) {
        return hit(
            &OS_METADATA_FILE,
            "AppleDouble metadata file, which keeps extended attributes,",
        );
    }
    None
}

/// Credentials files by name, with their content where the name is shared
/// with harmless files.
fn credentials(
    lname: &str,
    parent: &str,
    ext: &str,
    content: Option<&[u8]>,
) -> Option<&'static str> {
    let text = |re: &Regex| content.is_some_and(|c| re.is_match(prefix(c, TEXT_PREFIX)));
    let unexpanded = |re: &Regex| content.is_some_and(|c| has_unexpanded_value(c, re));
    let parent = parent.to_ascii_lowercase();
    let parent = parent.as_str();
    match lname {
        "credentials" | "credentials.toml" if parent == ".cargo" => {
            Some("cargo registry credentials file")
        }
        "credentials.toml" if text(&CARGO_TOKEN) => Some("cargo registry credentials file"),
        "config" | "config.toml" if parent == ".cargo" && unexpanded(&CARGO_TOKEN) => {
            Some("cargo configuration with a registry token")
        }
        ".npmrc" if unexpanded(&NPMRC_AUTH) => Some("`.npmrc` with a registry auth token"),
        ".yarnrc.yml" if unexpanded(&YARNRC_AUTH) => {
            Some("`.yarnrc.yml` with a registry auth token")
        }
        ".pypirc" if unexpanded(&PYPIRC_PASSWORD) => Some("`.pypirc` with a PyPI password"),
        ".netrc" | "_netrc" if unexpanded(&NETRC_PASSWORD) => Some("`.netrc` file with a password"),
        ".git-credentials" => Some("git credential store (`.git-credentials`)"),
        ".htpasswd" => Some("`.htpasswd` password file"),
        ".pgpass" => Some("PostgreSQL password file (`.pgpass`)"),
        ".vault-token" => Some("HashiCorp Vault token file"),
        ".my.cnf" if unexpanded(&MYCNF_PASSWORD) => Some("MySQL `.my.cnf` with a password"),
        ".s3cfg" if unexpanded(&S3CFG_SECRET) => Some("`.s3cfg` with an S3 secret key"),
        ".dockercfg" if text(&DOCKER_AUTH) => Some("Docker registry credentials"),
        "credentials" if parent == ".aws" => Some("AWS credentials file"),
        "credentials" if parent == ".gem" => Some("RubyGems credentials file"),
        "credentials" if text(&AWS_SECRET) => Some("AWS credentials file"),
        "config" if parent == ".kube" && unexpanded(&KUBE_SECRET) => {
            Some("kubeconfig with a token or client key")
        }
        "hosts.yml" if parent == "gh" && unexpanded(&GH_TOKEN) => {
            Some("GitHub CLI configuration with an OAuth token")
        }
        "credentials.tfrc.json" => Some("Terraform CLI credentials"),
        ".terraformrc" | "terraform.rc" if unexpanded(&TERRAFORM_TOKEN) => {
            Some("Terraform CLI configuration with a token")
        }
        ".sentryclirc" if unexpanded(&SENTRY_TOKEN) => Some("`.sentryclirc` with an auth token"),
        "application_default_credentials.json" => {
            Some("Google Cloud application-default credentials")
        }
        "credentials.db" | "access_tokens.db" if parent == "gcloud" => {
            Some("gcloud credential cache")
        }
        "accesstokens.json" | "msal_token_cache.json" if parent == ".azure" => {
            Some("Azure CLI token cache")
        }
        _ if lname.starts_with("kubeconfig") && unexpanded(&KUBE_SECRET) => {
            Some("kubeconfig with a token or client key")
        }
        _ if ext == "json" && text(&SERVICE_ACCOUNT_KEY) => Some("cloud service-account key file"),
        _ if ext == "json" && text(&DOCKER_AUTHS) && text(&DOCKER_AUTH) => {
            Some("Docker registry credentials (`config.json` with `auths`)")
        }
        _ => None,
    }
}

/// Whether `re` matches the start of `content` with a first group holding
/// a value (leading blanks and one opening quote dropped) that is not empty
/// and not a placeholder to expand (`$VAR`, `${VAR}`, `%(name)s`).
fn has_unexpanded_value(content: &[u8], re: &Regex) -> bool {
    re.captures_iter(prefix(content, TEXT_PREFIX)).any(|caps| {
        let value = caps.get(1).map_or(&b""[..], |m| m.as_bytes());
        let value = value.trim_ascii_start();
        let value = value.strip_prefix(b"\"").unwrap_or(value);
        !value.is_empty() && !value.starts_with(b"$") && !value.starts_with(b"%(")
    })
}

/// Suffixes that encryption tools add to the file they encrypt.
const ENCRYPTION_SUFFIXES: &[&str] = &[
    ".enc",
    ".gpg",
    ".pgp",
    ".age",
    ".aes",
    ".crypt",
    ".encrypted",
];

/// Extensions of key files, when they are followed by an encryption suffix.
const ENCRYPTED_KEY_EXTENSIONS: &[&str] = &[
    "pem", "key", "ppk", "p12", "pfx", "jks", "keystore", "p8", "pk8",
];

/// `id_rsa.enc`, `deploy_key.enc`, `signing.pem.gpg`: a key name with an
/// encryption suffix.
fn encrypted_key(lname: &str) -> Option<&'static str> {
    let stem = ENCRYPTION_SUFFIXES
        .iter()
        .find_map(|suffix| lname.strip_suffix(suffix))?;
    if stem.ends_with(".pub") || stem.is_empty() {
        return None;
    }
    let ssh = SSH_KEY_NAMES.iter().any(|k| {
        stem.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '_', '-']))
    });
    let deploy = [
        "deploy_key",
        "deploy-key",
        "deploykey",
        "deploy_rsa",
        "deploy_ed25519",
    ]
    .iter()
    .any(|k| stem.contains(k));
    let key_ext = super::file_kind::extension(stem)
        .is_some_and(|ext| ENCRYPTED_KEY_EXTENSIONS.contains(&ext));
    (ssh || deploy || key_ext)
        .then_some("encrypted private key, named as one (its ciphertext ships for good),")
}

/// A profiler's recording, by name (and content where the name is shared).
fn profiler_recording(lname: &str, content: Option<&[u8]>) -> Option<&'static str> {
    let head = |marker: &[&str]| {
        content.is_none_or(|c| {
            let head = prefix(c, 4096);
            marker.iter().all(|m| find(head, m.as_bytes()))
        })
    };
    if lname == "perf.data" || lname == "perf.data.old" {
        return Some("`perf` recording, which stores the host name, command line and paths,");
    }
    let valgrind = ["callgrind.out", "cachegrind.out", "massif.out", "dhat.out"]
        .iter()
        .find(|tool| {
            lname
                .strip_prefix(**tool)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        });
    if let Some(tool) = valgrind {
        let markers: &[&str] = match *tool {
            "dhat.out" => &["dhatFileVersion"],
            "massif.out" => &["desc:", "cmd:"],
            _ => &["cmd:"],
        };
        if head(markers) {
            return Some("valgrind recording, which stores the command line and absolute paths,");
        }
    }
    if matches!(lname, "dhat-heap.json" | "dhat-ad-hoc.json") && head(&["dhatFileVersion"]) {
        return Some("`dhat` heap profile, which stores the command line and source paths,");
    }
    if lname.starts_with("heaptrack.")
        && (lname.ends_with(".gz") || lname.ends_with(".zst"))
        && lname
            .split('.')
            .rev()
            .nth(1)
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("heaptrack recording, which stores the command line and paths,");
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The personal state of an AI coding assistant, by its path (see the
/// rule's documentation for what is and is not reported, and why).
fn ai_assistant_file(archive_path: &str) -> Option<&'static str> {
    let path = archive_path.to_ascii_lowercase();
    let parts: Vec<&str> = path.split('/').collect();
    let (name, dirs) = parts.split_last()?;
    let name = *name;
    // The folder of a tool and what follows it.
    let under = |tool: &str| -> Option<&[&str]> {
        let at = dirs.iter().position(|d| *d == tool)?;
        Some(&parts[at + 1..])
    };
    let parent = dirs.last().copied().unwrap_or("");

    if name == "claude.local.md" {
        return Some("Claude Code personal memory file (`CLAUDE.local.md`)");
    }
    if name == ".claude.json" {
        return Some(
            "Claude Code's user state (`.claude.json`), which records projects and prompts,",
        );
    }
    if let Some(rest) = under(".claude") {
        let personal = matches!(
            rest,
            ["settings.local.json"] | [".credentials.json"] | ["history.jsonl"]
        ) || matches!(
            rest.first(),
            Some(&"projects" | &"todos" | &"shell-snapshots")
        );
        if personal {
            return Some("Claude Code personal settings or session log, which record commands, paths and prompts,");
        }
    }
    if matches!(
        name,
        ".aider.chat.history.md" | ".aider.input.history" | ".aider.llm.history"
    ) || dirs.iter().any(|d| d.starts_with(".aider.tags.cache.v"))
    {
        return Some("Aider chat history or cache, which records prompts and code,");
    }
    if let Some(rest) = under(".specstory") {
        if matches!(rest.first(), Some(&"history" | &"ai_rules_backups")) && rest.len() > 1 {
            return Some("saved AI chat history (SpecStory), which records prompts and paths,");
        }
    }
    if under(".crush").is_some() || (parent == ".opencode" && name.starts_with("opencode.db")) {
        return Some("AI assistant session database or log, which records prompts and paths,");
    }
    if let Some(rest) = under(".codex") {
        if matches!(rest, ["auth.json"] | ["history.jsonl"]) || rest.first() == Some(&"sessions") {
            return Some("Codex CLI login or session log");
        }
    }
    if let Some(rest) = under(".gemini") {
        if matches!(rest, ["oauth_creds.json"] | ["google_accounts.json"])
            || rest.first() == Some(&"tmp")
        {
            return Some("Gemini CLI login or session log");
        }
    }
    if let Some(rest) = under(".copilot") {
        if matches!(
            rest.first(),
            Some(&"session-state" | &"history-session-state")
        ) {
            return Some("Copilot CLI session log");
        }
    }
    None
}

/// Formats recognised by their first bytes, whatever the name.
fn by_magic(c: &[u8]) -> Option<Hit> {
    if c.starts_with(b"PERFILE2") {
        return hit(
            &PROFILER_RECORDING,
            "`perf` recording, which stores the host name, command line and paths,",
        );
    }
    if is_elf_core(c) || is_macho_core(c) {
        return hit(&CORE_DUMP, "core dump");
    }
    if c.starts_with(b"MDMP\x93\xa7") {
        return hit(&CORE_DUMP, "Windows minidump");
    }
    if c.starts_with(b"JAVA PROFILE 1.0.") {
        return hit(&CORE_DUMP, "Java heap dump");
    }
    if c.starts_with(b"\x03\xd9\xa2\x9a")
        && matches!(c.get(4..8), Some(b"\x67\xfb\x4b\xb5" | b"\x65\xfb\x4b\xb5"))
    {
        return hit(&PASSWORD_DATABASE, "KeePass password database");
    }
    if c.starts_with(b"PGDMP") {
        return hit(&DATABASE_DUMP, "PostgreSQL dump archive");
    }
    if c.starts_with(b"SQLite format 3\0") {
        return hit(&SQLITE_DATABASE, "SQLite database");
    }
    if c.starts_with(b"b0VIM ") {
        return hit(
            &EDITOR_SWAP_FILE,
            "vim swap file, which records a user name, host name and file contents,",
        );
    }
    if c.get(4..8) == Some(b"Bud1") && c.starts_with(b"\0\0\0\x01") {
        return hit(
            &OS_METADATA_FILE,
            "operating-system folder metadata, which lists local file names,",
        );
    }
    None
}

const APPLEDOUBLE_MAGIC: &[u8] = b"\x00\x05\x16\x07";

fn prefix(c: &[u8], len: usize) -> &[u8] {
    &c[..c.len().min(len)]
}

/// An ELF file whose `e_type` is `ET_CORE`.
fn is_elf_core(c: &[u8]) -> bool {
    if c.len() < 18 || !c.starts_with(b"\x7fELF") {
        return false;
    }
    let e_type = match c[5] {
        1 => u16::from_le_bytes([c[16], c[17]]),
        2 => u16::from_be_bytes([c[16], c[17]]),
        _ => return false,
    };
    e_type == 4
}

/// A Mach-O file (32 or 64 bit, either byte order) whose `filetype` is
/// `MH_CORE`.
fn is_macho_core(c: &[u8]) -> bool {
    let Some(head) = c.get(..16) else {
        return false;
    };
    let word = |at: usize| [head[at], head[at + 1], head[at + 2], head[at + 3]];
    let filetype = match word(0) {
        [0xce | 0xcf, 0xfa, 0xed, 0xfe] => u32::from_le_bytes(word(12)),
        [0xfe, 0xed, 0xfa, 0xce | 0xcf] => u32::from_be_bytes(word(12)),
        _ => return false,
    };
    filetype == 4
}

/// A DER `SEQUENCE` whose first element is the small `INTEGER` version
/// (0 or 1) that opens PKCS#1, PKCS#8 and SEC1 private keys. Certificates
/// and public keys open with a nested `SEQUENCE` or a long `INTEGER`.
fn is_der_private_key(c: &[u8]) -> bool {
    if c.first() != Some(&0x30) {
        return false;
    }
    // The outer SEQUENCE's length, in short or long form.
    let (body, declared) = match c.get(1) {
        Some(&len) if len < 0x80 => (2, usize::from(len)),
        Some(&n @ 0x81..=0x83) => {
            let n = usize::from(n - 0x80);
            let Some(bytes) = c.get(2..2 + n) else {
                return false;
            };
            (
                2 + n,
                bytes.iter().fold(0, |acc, &b| acc << 8 | usize::from(b)),
            )
        }
        _ => return false,
    };
    // A key file is one whole DER object: a truncated PKCS#8 "template"
    // (ring ships some: a header with no key in it) is not a key.
    body + declared == c.len() && matches!(c.get(body..body + 3), Some([0x02, 0x01, 0x00 | 0x01]))
}

/// True when some line is neither blank nor a `#` comment.
fn has_non_comment_line(c: &[u8]) -> bool {
    c.split(|&b| b == b'\n').any(|line| {
        let line = line.trim_ascii();
        !line.is_empty() && !line.starts_with(b"#")
    })
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("sensitive-file regex")
}

static PRIVATE_KEY_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"-----BEGIN(?: [A-Z0-9]{1,12}){0,2} PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-[0-9]")
});
static OPENVPN_SECRET: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^<key>|-----BEGIN OpenVPN Static key"));
static CARGO_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?m)^\s*token\s*=\s*["']([^"'\s]{8,})"#));
static NPMRC_AUTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)(?:_authToken|_auth|_password)\s*=([^\r\n]*)"));
static YARNRC_AUTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)npmAuth(?:Token|Ident)\s*:([^\r\n]*)"));
static PYPIRC_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^\s*password\s*[:=]([^\r\n]*)"));
static NETRC_PASSWORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)password[ \t]+(\S+)"));
static MYCNF_PASSWORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*password\s*=([^\r\n]*)"));
static S3CFG_SECRET: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*secret_key\s*=([^\r\n]*)"));
static AWS_SECRET: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?mi)^\s*aws_secret_access_key\s*=\s*\S"));
static KUBE_SECRET: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^\s*(?:token|client-key-data|password)\s*:([^\r\n]*)"));
static GH_TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*oauth_token\s*:([^\r\n]*)"));
static TERRAFORM_TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*token\s*=([^\r\n]*)"));
static SENTRY_TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*token\s*=([^\r\n]*)"));
static DOCKER_AUTHS: LazyLock<Regex> = LazyLock::new(|| re(r#""auths"\s*:"#));
static DOCKER_AUTH: LazyLock<Regex> = LazyLock::new(|| re(r#""auth"\s*:\s*"[A-Za-z0-9+/=]{8,}""#));
static SERVICE_ACCOUNT_KEY: LazyLock<Regex> =
    LazyLock::new(|| re(r#""private_key"\s*:\s*"-----BEGIN"#));
static DUMP_HEADER: LazyLock<Regex> =
    LazyLock::new(|| re(r"-- (?:MySQL dump|MariaDB dump|PostgreSQL database dump)"));
static DUMP_ROWS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^(?:INSERT INTO |COPY [^\n]{1,512} FROM stdin;)"));

/// A secret in a packaged file has no automatic fix: its help says to
/// revoke or rotate it and read it from the environment (the rule's own
/// help), and adds the other way out: keeping the file out of the package.
pub fn with_exclude_hint(m: &mut Match, archive_path: &str) {
    if !matches!(m.rule.category, Category::Secret | Category::PrivateKey) {
        return;
    }
    // The crate's own code cannot be left out; tests, examples and data can.
    let builds_the_crate = archive_path.starts_with("src/") || archive_path == "build.rs";
    if builds_the_crate && super::file_kind::is_source_code(archive_path) {
        return;
    }
    if let Some(help) = &m.help {
        if !help.contains("exclude") {
            m.help = Some(format!(
                "{help}; if the crate does not need `{archive_path}`, keep it out of the \
                 package with `exclude = [\"{}\"]`",
                exclude_pattern(archive_path)
            ));
        }
    }
}

/// A file that must not ship gets the fix that keeps it out of its
/// package, or, when no edit is mechanical, a help that says what to
/// change. Only for a file inside the package at its archive path: a
/// `readme` copied from elsewhere ships whatever `exclude` says.
pub fn keep_out(
    own: &Manifest,
    path: &Path,
    archive_path: &str,
    found: &mut Match,
    fix: &mut Option<Fix>,
) {
    if !found.whole_file || found.rule.category != Category::SensitiveFile {
        return;
    }
    let root = own.path.parent().unwrap_or(Path::new(""));
    if path != root.join(archive_path) {
        return;
    }
    let pattern = exclude_pattern(archive_path);
    match edits::keep_out(own, archive_path, &pattern) {
        Some(KeepOut::Fix(keep_out)) => *fix = Some(keep_out),
        Some(KeepOut::Help(help)) => {
            let rotate = found.help.as_deref().is_some_and(|h| h.contains("rotate"));
            found.help = Some(if rotate {
                format!("{help}; then rotate every credential it held")
            } else {
                help
            });
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str, content: Option<&[u8]>) -> Option<&'static str> {
        check_file(path, content).map(|m| {
            assert!(m.whole_file);
            assert_eq!(m.redacted, path);
            m.rule.name
        })
    }

    fn text(path: &str, content: &str) -> Option<&'static str> {
        rule(path, Some(content.as_bytes()))
    }

    /// `-----BEGIN <kind> -----`, built so this file holds no key marker.
    fn pem(kind: &str) -> String {
        let dashes = "-".repeat(5);
        format!("{dashes}BEGIN {kind}{dashes}\nMIIBOgIBAAJBAK\n{dashes}END {kind}{dashes}\n")
    }

    #[test]
    fn env_files_and_their_templates() {
        for path in [
            ".env",
            "app/.env",
            ".env.local",
            ".env.production",
            ".env.test",
        ] {
            assert_eq!(text(path, "DATABASE_URL=x\n"), Some("env-file"), "{path}");
            assert_eq!(rule(path, None), Some("env-file"), "{path}");
        }
        for path in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.local.example",
            ".env.defaults",
            "example.env",
            ".envrc",
            "src/env.rs",
        ] {
            assert_eq!(text(path, "API_KEY=\n"), None, "{path}");
        }
        assert_eq!(text(".env", "# nothing here\n\n  # yet\n"), None);
        assert_eq!(text(".env", " \n"), None);
    }

    #[test]
    fn ssh_and_pem_private_keys() {
        let key = pem("OPENSSH PRIVATE KEY");
        assert_eq!(rule("id_rsa", None), Some("private-key-file"));
        assert_eq!(text("deploy/id_ed25519", &key), Some("private-key-file"));
        assert_eq!(text("id_rsa_github", &key), Some("private-key-file"));
        assert_eq!(text("id_rsa.pub", "ssh-rsa AAAAB3Nza jane@laptop"), None);
        assert_eq!(text("src/id_rsa.rs", "pub fn parse() {}"), None);

        for kind in [
            "RSA PRIVATE KEY",
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "PGP PRIVATE KEY BLOCK",
        ] {
            assert_eq!(
                text("tests/data/key.pem", &pem(kind)),
                Some("private-key-file")
            );
        }
        let putty = format!("PuTTY-User-Key-File-{}: ssh-rsa\n", 3);
        assert_eq!(text("server.key", &putty), Some("private-key-file"));
        assert_eq!(rule("keys/me.ppk", None), Some("private-key-file"));
        assert_eq!(rule("tests/key.pem", None), None, "unknown content");
        // Certificates, public keys and Keynote files are fine.
        assert_eq!(text("tests/data/cert.pem", &pem("CERTIFICATE")), None);
        assert_eq!(text("tests/data/pub.pem", &pem("PUBLIC KEY")), None);
        assert_eq!(rule("talk.key", Some(b"PK\x03\x04keynote")), None);
    }

    #[test]
    fn der_and_openvpn_keys() {
        // PKCS#8: SEQUENCE, INTEGER 0, …; a certificate opens with SEQUENCE, SEQUENCE.
        let whole = |head: &[u8], len: usize| {
            let mut der = head.to_vec();
            der.resize(len, 0x5a);
            der
        };
        let pkcs8 = whole(
            &[0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d],
            4 + 0x04be,
        );
        let cert = whole(
            &[0x30, 0x82, 0x03, 0x00, 0x30, 0x82, 0x02, 0xe8, 0xa0],
            4 + 0x0300,
        );
        let sec1 = whole(&[0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20], 2 + 0x77);
        // A PKCS#8 prefix whose declared length runs past the file.
        let template = [0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07];
        assert_eq!(rule("src/ecdsa_pkcs8_template.der", Some(&template)), None);
        assert_eq!(
            rule("tests/key.der", Some(&pkcs8)),
            Some("private-key-file")
        );
        assert_eq!(rule("ec.key", Some(&sec1)), Some("private-key-file"));
        assert_eq!(rule("tests/cert.der", Some(&cert)), None);

        let ovpn = "client\nremote vpn.corp 1194\n<key>\nMIIEv…\n</key>\n";
        assert_eq!(text("office.ovpn", ovpn), Some("private-key-file"));
        assert_eq!(text("office.ovpn", "client\nauth-user-pass\n"), None);
    }

    #[test]
    fn key_stores_but_not_trust_stores() {
        for path in [
            "id.p12",
            "a/b.pfx",
            "release.keystore",
            "app.jks",
            "krb5.keytab",
        ] {
            assert_eq!(rule(path, None), Some("keystore-file"), "{path}");
        }
        assert_eq!(rule("tests/truststore.jks", None), None);
        assert_eq!(rule("cacerts.jks", None), None);
    }

    #[test]
    fn tool_credentials() {
        let token = ["cio", "Xk29", "aLq0vM3"].concat();
        let cargo = format!("[registry]\ntoken = \"{token}\"\n");
        assert_eq!(
            text(".cargo/credentials.toml", &cargo),
            Some("credentials-file")
        );
        assert_eq!(rule(".cargo/credentials", None), Some("credentials-file"));
        assert_eq!(
            text("ci/credentials.toml", &cargo),
            Some("credentials-file")
        );
        assert_eq!(text("ci/credentials.toml", "[registry]\n"), None);
        assert_eq!(text(".cargo/config.toml", "[build]\njobs = 2\n"), None);
        assert_eq!(text(".cargo/config.toml", &cargo), Some("credentials-file"));
        let from_env = "[registry]\ntoken = \"${CARGO_REGISTRY_TOKEN}\"\n";
        assert_eq!(text(".cargo/config", from_env), None);

        let npm = "//registry.npmjs.org/:_authToken=npm_abcd1234\n";
        assert_eq!(text(".npmrc", npm), Some("credentials-file"));
        let npm_env = "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n";
        assert_eq!(text(".npmrc", npm_env), None);
        assert_eq!(text(".npmrc", "save-exact=true\n"), None);
        assert_eq!(
            text(".yarnrc.yml", "npmAuthToken: \"abc123def\"\n"),
            Some("credentials-file")
        );

        let pypi = "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlw\n";
        assert_eq!(text(".pypirc", pypi), Some("credentials-file"));
        assert_eq!(text(".pypirc", "[pypi]\nusername = __token__\n"), None);

        let netrc = "machine api.heroku.com login jane password 4f1e2d3c\n";
        assert_eq!(text(".netrc", netrc), Some("credentials-file"));
        assert_eq!(text("_netrc", netrc), Some("credentials-file"));
        assert_eq!(text(".netrc", "machine x login jane\n"), None);

        assert_eq!(rule(".git-credentials", None), Some("credentials-file"));
        assert_eq!(rule("www/.htpasswd", None), Some("credentials-file"));
        assert_eq!(rule(".aws/credentials", None), Some("credentials-file"));
        let aws = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n";
        assert_eq!(text("deploy/credentials", aws), Some("credentials-file"));
        assert_eq!(text("docs/credentials", "How to log in\n"), None);

        let docker = r#"{"auths":{"ghcr.io":{"auth":"amFuZTpnaHBfeHh4"}}}"#;
        assert_eq!(
            text(".docker/config.json", docker),
            Some("credentials-file")
        );
        let helper = r#"{"auths":{"ghcr.io":{}},"credsStore":"desktop"}"#;
        assert_eq!(text(".docker/config.json", helper), None);
        assert_eq!(text("config.json", r#"{"auth": "none"}"#), None);

        let sa = format!(
            "{{\"type\": \"service_account\", \"private_key\": \"{}\"}}",
            pem("PRIVATE KEY").replace('\n', "\\n")
        );
        assert_eq!(text("gcp-key.json", &sa), Some("credentials-file"));

        let kube = "apiVersion: v1\nusers:\n- name: a\n  user:\n    token: eyJhbGciOi\n";
        assert_eq!(text(".kube/config", kube), Some("credentials-file"));
        assert_eq!(text("kubeconfig.yaml", kube), Some("credentials-file"));
        let exec = "users:\n- name: a\n  user:\n    exec:\n      command: aws\n";
        assert_eq!(text("kubeconfig", exec), None);
    }

    #[test]
    fn state_histories_and_password_databases() {
        for path in [
            "terraform.tfstate",
            "infra/prod.tfstate.backup",
            "terraform.tfstate.1700000000.backup",
        ] {
            assert_eq!(rule(path, None), Some("terraform-state"), "{path}");
        }
        for path in [
            ".bash_history",
            "home/.zsh_history",
            ".python_history",
            ".psql_history",
            ".mysql_history",
            "ConsoleHost_history.txt",
        ] {
            assert_eq!(rule(path, None), Some("shell-history"), "{path}");
        }
        assert_eq!(text(".bash_history", ""), None, "empty");
        assert_eq!(rule("vault.kdbx", None), Some("password-database"));
        let keepass = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5\x01\x00";
        assert_eq!(rule("data.bin", Some(keepass)), Some("password-database"));
        assert_eq!(rule("src/history.rs", None), None);
    }

    #[test]
    fn dumps_with_rows_but_not_schemas() {
        let mysql = "-- MySQL dump 10.13  Distrib 8.0.32\n--\nCREATE TABLE `users` (id int);\n\
                     INSERT INTO `users` VALUES (1,'Jane');\n";
        assert_eq!(text("tests/staging.sql", mysql), Some("database-dump"));
        let pg = "--\n-- PostgreSQL database dump\n--\nCOPY public.users (id, name) FROM stdin;\n1\tJane\n\\.\n";
        assert_eq!(text("db.sql", pg), Some("database-dump"));
        let schema = "--\n-- PostgreSQL database dump\n--\nCREATE TABLE users (id int);\n";
        assert_eq!(text("schema.sql", schema), None);
        assert_eq!(text("seed.sql", "INSERT INTO users VALUES (1);\n"), None);
        assert_eq!(
            rule("backup.dump", Some(b"PGDMP\x01\x0e\x00")),
            Some("database-dump")
        );
    }

    #[test]
    fn core_dumps_by_magic() {
        let mut elf_core = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
        elf_core.extend_from_slice(&4u16.to_le_bytes());
        let mut elf_exec = elf_core.clone();
        elf_exec[16] = 2;
        assert_eq!(rule("core", Some(&elf_core)), Some("core-dump"));
        assert_eq!(rule("anything.bin", Some(&elf_core)), Some("core-dump"));
        assert_eq!(rule("core", Some(&elf_exec)), None);
        assert_eq!(rule("src/core", Some(b"not a dump")), None);

        let mut macho = vec![0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0];
        macho.extend_from_slice(&4u32.to_le_bytes());
        assert_eq!(rule("core.1234", Some(&macho)), Some("core-dump"));
        assert_eq!(rule("core.48213", None), Some("core-dump"));
        assert_eq!(rule("core.rs", None), None);
        assert_eq!(
            rule("app.dmp", Some(b"MDMP\x93\xa7\0\0")),
            Some("core-dump")
        );
        assert_eq!(rule("heap.hprof", None), Some("core-dump"));
    }

    #[test]
    fn warnings_for_sqlite_swap_and_desktop_metadata() {
        let sqlite = b"SQLite format 3\0\x10\0\x01\x01";
        assert_eq!(
            rule("tests/data/app.db", Some(sqlite)),
            Some("sqlite-database")
        );
        assert_eq!(rule("tests/data/app.db", Some(b"plain text")), None);
        assert_eq!(rule("cache.sqlite", None), Some("sqlite-database"));
        assert_eq!(
            rule("src/.lib.rs.swp", Some(b"b0VIM 9.0\0\0")),
            Some("editor-swap-file")
        );
        assert_eq!(rule(".DS_Store", None), Some("os-metadata-file"));
        let ds = b"\0\0\0\x01Bud1\0\0\x10\0";
        assert_eq!(rule("assets/whatever", Some(ds)), Some("os-metadata-file"));
        assert_eq!(rule("Thumbs.db", None), Some("os-metadata-file"));
        assert_eq!(
            rule("._logo.png", Some(b"\x00\x05\x16\x07\0\x02")),
            Some("os-metadata-file")
        );
        assert_eq!(rule("._logo.png", Some(b"\x89PNG")), None);
        for rule_name in ["sqlite-database", "editor-swap-file", "os-metadata-file"] {
            assert_eq!(
                crate::rules::find(rule_name).unwrap().default_level,
                Level::Warn
            );
        }
    }

    #[test]
    fn messages_and_help_name_the_file_and_the_fix() {
        let m = check_file("config/.env", Some(b"A=1")).unwrap();
        assert!(m.message.contains("`.env`"), "{}", m.message);
        let help = m.help.unwrap();
        assert!(help.contains(r#"exclude = ["/config/.env"]"#), "{help}");
        assert!(help.contains("rotate"), "{help}");
        let m = check_file("a/.DS_Store", None).unwrap();
        assert!(!m.help.unwrap().contains("rotate"));
        assert_eq!(exclude_pattern("a[1]/*.p12"), r"/a\[1\]/\*.p12");
    }

    #[test]
    fn ordinary_files_are_not_reported() {
        for (path, content) in [
            ("src/lib.rs", &b"pub fn f() {}"[..]),
            ("README.md", b"# Hello"),
            ("Cargo.toml", b"[package]\nname = \"x\""),
            ("tests/data/config.json", br#"{"auth": "token"}"#),
            ("benches/credentials.rs", b"fn main() {}"),
            ("tests/fixtures/user.json", br#"{"name": "x"}"#),
        ] {
            assert_eq!(rule(path, Some(content)), None, "{path}");
        }
    }

    /// Random bytes, as ciphertext looks.
    fn ciphertext(n: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn encrypted_key_still_named_like_one_is_a_warning() {
        // y4m's scripts/id_rsa.enc (travis encrypt-file), and its kin.
        let data = ciphertext(1680);
        for path in [
            "scripts/id_rsa.enc",
            "id_ed25519.gpg",
            ".travis/deploy_key.enc",
            "ci/github_deploy_key.enc",
            "signing/release.pem.age",
            "android/upload.keystore.enc",
            "deploy-key.gpg",
        ] {
            assert_eq!(
                rule(path, Some(&data)),
                Some("encrypted-key-file"),
                "{path}"
            );
            assert_eq!(rule(path, None), Some("encrypted-key-file"), "{path}");
        }
        let m = check_file("scripts/id_rsa.enc", Some(&data)).unwrap();
        assert_eq!(m.rule.default_level, Level::Warn);
        assert!(m.message.contains("encrypted private key"), "{}", m.message);
        // A plain key under that name is a private key file.
        let plain = format!("{}\nMIIE…\n", pem("RSA PRIVATE KEY"));
        assert_eq!(text("scripts/id_rsa.enc", &plain), Some("private-key-file"));
        // Public keys and other encrypted files are not keys.
        for path in [
            "id_rsa.pub.enc",
            "secrets.tar.enc",
            "notes.txt.gpg",
            "data.enc",
        ] {
            assert_eq!(rule(path, Some(&data)), None, "{path}");
        }
    }

    #[test]
    fn profiler_recordings_by_name_and_magic() {
        for path in ["perf.data", "benches/perf.data.old"] {
            assert_eq!(rule(path, None), Some("profiler-recording"), "{path}");
        }
        let mut perf = b"PERFILE2".to_vec();
        perf.extend(ciphertext(200));
        assert_eq!(
            rule("bench/record.bin", Some(&perf)),
            Some("profiler-recording")
        );
        // valgrind, with its header (the command line and pid).
        let callgrind = "# callgrind format\nversion: 1\ncreator: callgrind-3.22.0\npid: 4821\ncmd:  ./target/release/bench\n";
        assert_eq!(
            text("callgrind.out.4821", callgrind),
            Some("profiler-recording")
        );
        assert_eq!(rule("callgrind.out.4821", None), Some("profiler-recording"));
        let massif = "desc: (none)\ncmd: ./bench\ntime_unit: i\n";
        assert_eq!(text("massif.out.77", massif), Some("profiler-recording"));
        let dhat = r#"{"dhatFileVersion":2,"mode":"rust-heap","cmd":"./bench","pid":9}"#;
        assert_eq!(text("dhat-heap.json", dhat), Some("profiler-recording"));
        assert_eq!(text("dhat.out.9", dhat), Some("profiler-recording"));
        assert_eq!(
            rule("heaptrack.bench.4821.zst", None),
            Some("profiler-recording")
        );
        // Shared names with other content, and formats left alone.
        assert_eq!(text("dhat-heap.json", "{\"x\": 1}"), None);
        assert_eq!(
            text("callgrind.out.md", "# How to read callgrind output"),
            None
        );
        for path in [
            "src/perf/data.rs",
            "perf.data.rs",
            "stacks.folded",
            "run.trace",
            "default.profraw",
        ] {
            assert_eq!(text(path, "x"), None, "{path}");
        }
        let m = check_file("perf.data", None).unwrap();
        assert_eq!(m.rule.default_level, Level::Warn);
    }

    #[test]
    fn ai_assistant_personal_state_but_not_shared_instructions() {
        for path in [
            ".claude/settings.local.json",
            "CLAUDE.local.md",
            "sub/crate/.claude/settings.local.json",
            ".claude/projects/-home-x-proj/0b1c.jsonl",
            ".claude/.credentials.json",
            ".claude.json",
            ".aider.chat.history.md",
            ".aider.input.history",
            ".aider.llm.history",
            ".aider.tags.cache.v4/cache.db",
            ".specstory/history/2025-06-01_10-00-refactor.md",
            ".specstory/ai_rules_backups/derived-cursor-rules.mdc",
            ".crush/crush.db",
            ".crush/logs/crush.log",
            ".opencode/opencode.db",
            ".codex/sessions/2025/06/01/rollout-x.jsonl",
            ".codex/auth.json",
            ".codex/history.jsonl",
            ".gemini/oauth_creds.json",
            ".gemini/tmp/ab12/logs.json",
            ".copilot/session-state/x.jsonl",
        ] {
            assert_eq!(
                text(path, "{\"x\": 1}"),
                Some("ai-assistant-local-file"),
                "{path}"
            );
        }
        for path in [
            "CLAUDE.md",
            ".claude/settings.json",
            ".claude/commands/release.md",
            ".claude/agents/reviewer.md",
            "AGENTS.md",
            "GEMINI.md",
            ".gemini/settings.json",
            ".cursorrules",
            ".cursor/rules/style.mdc",
            ".github/copilot-instructions.md",
            ".windsurfrules",
            ".clinerules",
            ".continue/rules/style.md",
            ".aider.conf.yml",
            ".specstory/.what-is-this.md",
            ".opencode/agent/review.md",
            "src/claude.rs",
        ] {
            assert_eq!(text(path, "{\"x\": 1}"), None, "{path}");
        }
        let m = check_file(".aider.chat.history.md", Some(b"# aider chat started")).unwrap();
        assert_eq!(m.rule.default_level, Level::Deny);
        assert!(m.help.iter().any(|h| h.contains("/.aider.chat.history.md")));
    }
}
