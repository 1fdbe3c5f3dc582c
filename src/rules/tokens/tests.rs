//! Every format is exercised with a sample built here, at test time, from
//! pseudo-random bytes; checksummed samples are completed with this crate's
//! own checksum functions. No complete token appears as a literal in this
//! file, so no hosting provider's push protection sees one.

use std::collections::HashSet;

use super::codec;
use super::formats::{Class, Format, Part, Shape, FORMATS};
use super::*;

/// xorshift64*: deterministic, good enough to look random.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Self {
        Rng(u64::from(crc32fast::hash(seed.as_bytes())) << 16 | 0x9e37_79b9)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() >> 33) as usize % n
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn of(&mut self, class: Class, n: usize) -> String {
        let alphabet: Vec<u8> = (0u8..128).filter(|&b| class.has(b)).collect();
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
    fn alnum(&mut self, n: usize) -> String {
        self.of(Class::Alnum, n)
    }
}

/// A text holding one credential of a format, and the credential itself.
struct Sample {
    text: String,
    token: String,
    /// Other credentials the text holds by construction.
    others: usize,
}

fn in_assignment(token: String) -> Sample {
    Sample {
        text: format!("token = \"{token}\"\n"),
        token,
        others: 0,
    }
}

fn gen_parts(parts: &[Part], rng: &mut Rng, out: &mut String) {
    for part in parts {
        match part {
            Part::Lit(lit) => out.push_str(lit),
            Part::OneOf(lits) => out.push_str(lits[rng.below(lits.len())]),
            Part::Run(class, min, max) => {
                let spread = usize::from(max - min).min(8);
                let n = usize::from(*min) + rng.below(spread + 1);
                out.push_str(&rng.of(*class, n));
            }
            Part::Opt(inner) => gen_parts(inner, rng, out),
        }
    }
}

/// A sample for every format: generic from the shape, or built by hand for
/// checksums, structures and hand-written shapes.
fn sample(format: &Format) -> Sample {
    let rng = &mut Rng::new(format.id);
    if let Some(s) = special_sample(format.id, rng) {
        return s;
    }
    match &format.shape {
        Shape::Token(parts) => {
            let mut token = format.anchors[0].to_string();
            gen_parts(parts, rng, &mut token);
            in_assignment(token)
        }
        Shape::Assigned(parts) | Shape::Near(parts) => {
            let mut token = String::new();
            gen_parts(parts, rng, &mut token);
            Sample {
                text: format!("{} = \"{token}\"\n", format.anchors[0]),
                token,
                others: 0,
            }
        }
        Shape::Custom(_) => panic!("no sample for custom format {}", format.id),
    }
}

fn github_like(prefix: &str, rng: &mut Rng) -> String {
    let random = rng.alnum(30);
    [prefix, &random, &codec::crc32_base62(random.as_bytes())].concat()
}

fn b64url(json: &str) -> String {
    codec::b64_encode(json.as_bytes(), true)
}

fn special_sample(id: &str, rng: &mut Rng) -> Option<Sample> {
    let token = match id {
        "github-classic-pat" => github_like("ghp_", rng),
        "github-oauth-token" => github_like("gho_", rng),
        "github-user-to-server-token" => github_like("ghu_", rng),
        "github-installation-token" => github_like("ghs_", rng),
        "github-refresh-token" => github_like("ghr_", rng),
        "npm-access-token" => github_like("npm_", rng),
        "crates-io-trusted-publishing-token" => {
            let random = rng.alnum(31);
            let check = codec::crates_io_check(random.as_bytes()) as char;
            format!("{}{random}{check}", "cio_tp_")
        }
        "gitlab-routable-token" => {
            let mut raw = rng.bytes(16);
            raw.extend_from_slice(b"c:1\no:2k\nu:9z");
            raw.push(13);
            let payload = codec::b64_encode(&raw, true);
            let covered = format!(
                "{}{payload}.01.{}",
                "glpat-",
                codec::base36(payload.len() as u32, 2)
            );
            let crc = codec::gitlab_crc(covered.as_bytes());
            covered + &crc
        }
        "grafana-service-account-token" => {
            let covered = ["glsa_", &rng.alnum(32)].concat();
            let crc = codec::grafana_crc(covered.as_bytes());
            format!("{covered}_{crc}")
        }
        "age-secret-key" => {
            let data: Vec<u8> = (0..52).map(|_| rng.below(32) as u8).collect();
            codec::bech32_encode("age-secret-key-", &data).to_ascii_uppercase()
        }
        "nostr-secret-key" => {
            let data: Vec<u8> = (0..52).map(|_| rng.below(32) as u8).collect();
            codec::bech32_encode("nsec", &data)
        }
        "pypi-api-token" | "testpypi-api-token" => {
            let host: &[u8] = if id == "pypi-api-token" {
                b"pypi.org"
            } else {
                b"test.pypi.org"
            };
            let mut mac = vec![2, 1, host.len() as u8];
            mac.extend_from_slice(host);
            mac.extend_from_slice(&[2, 36]);
            mac.extend_from_slice(rng.of(Class::LowerHex, 36).as_bytes());
            mac.extend_from_slice(&[0, 6, 32]);
            mac.extend_from_slice(&rng.bytes(32));
            format!("pypi-{}", codec::b64_encode(&mac, true))
        }
        "sentry-org-token" => {
            let json = r#"{"iat":1700000000.5,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}"#;
            format!(
                "sntrys_{}_{}",
                codec::b64_encode(json.as_bytes(), false),
                rng.alnum(43)
            )
        }
        "grafana-cloud-token" => {
            let json = format!(
                r#"{{"o":"1234","n":"stack-1234-deploy","k":"{}","m":{{"r":"us"}}}}"#,
                rng.alnum(24)
            );
            format!("glc_{}", codec::b64_encode(json.as_bytes(), false))
        }
        "grafana-api-key" => {
            let json = format!(r#"{{"k":"{}","n":"ci","id":1}}"#, rng.alnum(32));
            codec::b64_encode(json.as_bytes(), false)
        }
        "onepassword-service-account-token" => {
            let json = format!(
                r#"{{"signInAddress":"my.1password.com","userAuth":{{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"{}"}},"srpX":"{}","muk":{{"alg":"A256GCM","k":"{}","kty":"oct","kid":"mp"}}}}"#,
                rng.alnum(22),
                rng.of(Class::LowerHex, 64),
                rng.alnum(43)
            );
            format!("ops_{}", b64url(&json))
        }
        "mapbox-secret-token" => {
            let json = format!(r#"{{"u":"acme","a":"{}"}}"#, rng.alnum(20));
            format!("sk.{}.{}", b64url(&json), rng.of(Class::B64Url, 22))
        }
        "jwt" => {
            let payload = format!(r#"{{"sub":"{}","iat":1700000000}}"#, rng.alnum(12));
            format!(
                "{}.{}.{}",
                b64url(r#"{"alg":"HS256","typ":"JWT"}"#),
                b64url(&payload),
                rng.of(Class::B64Url, 43)
            )
        }
        "discord-bot-token" => {
            let id: String = (0..18)
                .map(|i| (b'1' + if i == 0 { 0 } else { rng.below(9) as u8 }) as char)
                .collect();
            let token = format!(
                "{}.{}.{}",
                codec::b64_encode(id.as_bytes(), true),
                rng.of(Class::B64Url, 6),
                rng.of(Class::B64Url, 38)
            );
            return Some(Sample {
                text: format!("DISCORD = \"{token}\"\n"),
                token,
                others: 0,
            });
        }
        "aws-secret-access-key-near-id" => {
            let secret = format!("{}+{}/{}", rng.alnum(20), rng.alnum(10), rng.alnum(8));
            let id = format!("{}{}", "AKIA", rng.of(Class::Base32Upper, 16));
            return Some(Sample {
                text: format!("credentials(\"{id}\", \"{secret}\")\n"),
                token: secret,
                // The key id is reported too.
                others: 1,
            });
        }
        "mailchimp-api-key" => format!("{}-us21", rng.of(Class::LowerHex, 32)),
        "telegram-bot-token" => format!("123456789:AA{}", rng.of(Class::B64Url, 33)),
        "firebase-cloud-messaging-key" => format!(
            "AAAA{}:APA91b{}",
            rng.of(Class::B64Url, 7),
            rng.of(Class::B64Url, 134)
        ),
        "openai-project-key"
        | "openai-service-account-key"
        | "openai-admin-key"
        | "openai-user-key" => {
            let prefix = FORMATS.iter().find(|f| f.id == id).unwrap().anchors[0];
            format!(
                "{prefix}{}{}{}",
                rng.of(Class::B64Url, 74),
                "T3BlbkFJ",
                rng.of(Class::B64Url, 74)
            )
        }
        "openai-legacy-key" => format!("sk-{}{}{}", rng.alnum(20), "T3BlbkFJ", rng.alnum(20)),
        "azure-entra-client-secret" => {
            format!("{}8Q~{}", rng.alnum(3), rng.of(Class::EntraSecret, 34))
        }
        "terraform-cloud-token" => {
            format!("{}.atlasv1.{}", rng.alnum(14), rng.of(Class::B64Url, 67))
        }
        "newrelic-license-key" => format!("{}NRAL", rng.of(Class::LowerHex, 36)),
        _ => return None,
    };
    Some(in_assignment(token))
}

fn found(text: &str) -> Vec<(String, &'static str)> {
    find_tokens(text)
        .into_iter()
        .map(|t| (text[t.range.clone()].to_string(), t.format.id))
        .collect()
}

fn found_ids(text: &str) -> Vec<&'static str> {
    found(text).into_iter().map(|(_, id)| id).collect()
}

#[test]
fn the_table_has_at_least_sixty_formats_with_unique_ids() {
    assert!(FORMATS.len() >= 60, "{} formats", FORMATS.len());
    let mut ids = HashSet::new();
    for format in FORMATS {
        assert!(ids.insert(format.id), "duplicate format id {}", format.id);
        assert!(!format.anchors.is_empty(), "{} has no anchor", format.id);
        assert!(
            format
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}",
            format.id
        );
    }
}

#[test]
fn every_rule_has_formats_and_every_format_a_listed_rule() {
    let rules: HashSet<&str> = FAMILY.rules.iter().map(|r| r.name).collect();
    let used: HashSet<&str> = FORMATS.iter().map(|f| f.rule.name).collect();
    assert_eq!(rules, used);
}

#[test]
fn rule_docs_say_whether_a_checksum_is_validated() {
    for rule in FAMILY.rules {
        let checksummed = FORMATS
            .iter()
            .any(|f| f.rule == *rule && f.checksum().is_some());
        assert_eq!(
            rule.doc.contains("Checksum: validated"),
            checksummed,
            "{}",
            rule.name
        );
        assert!(rule.doc.contains("Checksum:"), "{}", rule.name);
    }
}

#[test]
fn every_format_is_found_in_its_sample() {
    for format in FORMATS {
        let s = sample(format);
        let hits = found(&s.text);
        assert!(
            hits.iter().any(|(t, id)| *id == format.id && *t == s.token),
            "{}: {:?} not found in {:?}",
            format.id,
            s.token,
            hits
        );
        assert_eq!(hits.len(), 1 + s.others, "{}: {hits:?}", format.id);
    }
}

#[test]
fn samples_are_found_in_other_settings() {
    for format in FORMATS {
        let s = sample(format);
        // Bare on a line, in JSON, in a shell export, at the very end.
        let variants = [
            s.text.replace('"', ""),
            format!("{{\"{}}}", s.text.trim_end().replacen(" = \"", "\": \"", 1)),
            format!("export {}", s.text.trim_end()),
        ];
        for text in variants {
            if !text.contains(&s.token) {
                continue;
            }
            assert!(
                found_ids(&text).contains(&format.id),
                "{}: not found in {text:?}",
                format.id
            );
        }
    }
}

/// Replaces the byte at `at` with the next byte of `alphabet`.
fn mutate(token: &str, at: usize, alphabet: &[u8]) -> String {
    let mut bytes = token.as_bytes().to_vec();
    let i = alphabet.iter().position(|&c| c == bytes[at]).unwrap_or(0);
    bytes[at] = alphabet[(i + 1) % alphabet.len()];
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_changed_character_fails_the_checksum() {
    let mut checked = 0;
    for format in FORMATS.iter().filter(|f| f.checksum().is_some()) {
        let s = sample(format);
        let keep = find_tokens(&s.text)[0].keep;
        let alphabet: Vec<u8> = match format.id {
            "age-secret-key" => codec::BECH32.to_ascii_uppercase(),
            "nostr-secret-key" => codec::BECH32.to_vec(),
            _ => (b'0'..=b'9').chain(b'a'..=b'f').collect(),
        };
        for at in [keep + 1, keep + 7, s.token.len() - 2] {
            let changed = mutate(&s.token, at, &alphabet);
            assert_ne!(changed, s.token);
            let text = s.text.replace(&s.token, &changed);
            assert!(
                find_tokens(&text)
                    .iter()
                    .all(|t| t.format.rule != format.rule),
                "{}: {changed} was reported",
                format.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked}");
}

#[test]
fn structures_that_do_not_decode_are_not_reported() {
    for id in [
        "pypi-api-token",
        "sentry-org-token",
        "grafana-cloud-token",
        "grafana-api-key",
        "onepassword-service-account-token",
        "mapbox-secret-token",
        "jwt",
    ] {
        let format = FORMATS.iter().find(|f| f.id == id).unwrap();
        let s = sample(format);
        // Corrupt the decoded structure: the first bytes after the marker.
        let at = s.token.find("eyJ").map_or(8, |i| i + 1);
        let changed = [&s.token[..at], "Zm9v", &s.token[at + 4..]].concat();
        let text = s.text.replace(&s.token, &changed);
        assert!(
            !found_ids(&text).contains(&id),
            "{id}: {changed} was reported"
        );
    }
}

#[test]
fn wrong_lengths_are_not_reported() {
    for format in FORMATS {
        let Shape::Token(parts) = &format.shape else {
            continue;
        };
        let Some(Part::Run(class, min, max)) = parts.last() else {
            continue;
        };
        if min != max {
            continue;
        }
        let s = sample(format);
        let longer = format!("{}{}", s.token, Rng::new("x").of(*class, 1));
        assert!(
            !found_ids(&s.text.replace(&s.token, &longer)).contains(&format.id),
            "{}: longer {longer}",
            format.id
        );
        let shorter = &s.token[..s.token.len() - 1];
        assert!(
            !found_ids(&s.text.replace(&s.token, shorter)).contains(&format.id),
            "{}: shorter {shorter}",
            format.id
        );
    }
}

#[test]
fn a_token_glued_to_a_word_is_not_reported() {
    for format in FORMATS
        .iter()
        .filter(|f| matches!(f.shape, Shape::Token(_)) && f.left_boundary)
    {
        let s = sample(format);
        let glued = s.text.replace(&s.token, &format!("x{}", s.token));
        assert!(
            !found_ids(&glued).contains(&format.id),
            "{}: {glued}",
            format.id
        );
    }
}

#[test]
fn redaction_keeps_only_the_public_marker() {
    for format in FORMATS {
        let s = sample(format);
        let mut out = Vec::new();
        TokenDetector.scan(
            &s.text,
            FileContext {
                archive_path: "src/lib.rs",
                is_manifest: false,
                package: "demo",
            },
            &mut out,
        );
        assert_eq!(out.len(), 1 + s.others, "{}", format.id);
        let m = out
            .iter()
            .find(|m| s.text[m.range.clone()] == s.token)
            .unwrap_or_else(|| panic!("{}", format.id));
        let token = &s.text[m.range.clone()];
        let shown = m.redacted.trim_end_matches('…');
        assert!(token.starts_with(shown), "{}: {}", format.id, m.redacted);
        let secret = &token[shown.len()..];
        assert!(
            secret.len() >= 16,
            "{}: keeps too much: {}",
            format.id,
            m.redacted
        );
        assert!(!m.redacted.contains(secret), "{}", format.id);
        for chunk in secret.as_bytes().chunks(12).filter(|c| c.len() == 12) {
            let chunk = std::str::from_utf8(chunk).unwrap();
            assert!(!m.redacted.contains(chunk), "{}: {}", format.id, m.redacted);
            assert!(!m.message.contains(chunk) && !m.notes.iter().any(|n| n.contains(chunk)));
        }
        assert_eq!(m.rule.name, format.rule.name);
    }
}

#[test]
fn checksummed_matches_say_so() {
    let format = FORMATS
        .iter()
        .find(|f| f.id == "github-classic-pat")
        .unwrap();
    let s = sample(format);
    let mut out = Vec::new();
    let file = FileContext {
        archive_path: "README.md",
        is_manifest: false,
        package: "demo",
    };
    TokenDetector.scan(&s.text, file, &mut out);
    assert_eq!(out[0].redacted, "ghp_…");
    assert!(out[0].notes.iter().any(|n| n.contains("checksum")));
}

#[test]
fn documentation_examples_and_placeholders_are_not_reported() {
    let placeholders = [
        // AWS's documented example key pair.
        ["AKIA", "IOSFODNN7EXAMPLE"].concat(),
        format!(
            "aws_secret_access_key = {}",
            ["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYEXAMPLEKEY"].concat()
        ),
        format!(
            "{} {}",
            ["AKIA", "I44QH8DHBEXAMPLE"].concat(),
            ["je7MtGbClwBF/2Zp9Utk/", "h3yCo8nvbEXAMPLEKEY"].concat()
        ),
        ["ghp_", &"x".repeat(36)].concat(),
        ["ghp_", &"X".repeat(36)].concat(),
        ["sk_live_", &"x".repeat(24)].concat(),
        ["sk_live_", "1234567890abcdefghijklmn"].concat(),
        ["glpat-", "XXXXXXXXXXXXXXXXXXXX"].concat(),
        ["glpat-", "xxxxxxxxxxxxxxxxxxxx"].concat(),
        ["xoxb-", "not-a-real-token-this-will-not-work"].concat(),
        format!(
            "https://hooks.slack.com/services/{}/{}/{}",
            "T00000000", "B00000000", "XXXXXXXXXXXXXXXXXXXXXXXX"
        ),
        ["AIza", &"0".repeat(35)].concat(),
        ["AIza", "SyYOUR_API_KEY_HEREabcdefghijklmnop"].concat(),
        ["cio", &"a".repeat(32)].concat(),
        ["cio_tp_", &"0".repeat(31), "w"].concat(),
        ["dop_v1_", &"0".repeat(64)].concat(),
        ["hf_", "abcdefghijklmnopqrstuvwxyzabcdefgh"].concat(),
        ["SG.", &"x".repeat(22), ".", &"x".repeat(43)].concat(),
        // Stripe's documented test key.
        ["sk_test_", "4eC39HqLyjWDarjtT1zdp7dc"].concat(),
        // The Azure storage emulator's well-known key.
        format!(
            "AccountKey={}{}",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/",
            "K1SZFPTOtr/KBHBeksoGMGw=="
        ),
        // jwt.io's sample.
        [
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ]
        .concat(),
    ];
    for text in &placeholders {
        assert_eq!(found(text), vec![], "{text}");
    }
}

#[test]
fn lookalikes_are_not_reported() {
    let rng = &mut Rng::new("decoys");
    let sha1 = rng.of(Class::LowerHex, 40);
    let sha256 = rng.of(Class::LowerHex, 64);
    let png = format!(
        "data:image/png;base64,iVBORw0KGgo{}",
        rng.of(Class::B64, 4000)
    );
    let decoys = [
        format!("checksum = \"{sha256}\""),
        format!("rev = \"{sha1}\""),
        format!("DD_API_KEY_ID = \"{}\"", rng.of(Class::LowerHex, 32)),
        format!("datadog = {{ version = \"1\", rev = \"{sha1}\" }}"),
        "id = \"123e4567-e89b-12d3-a456-426614174000\"".to_string(),
        png,
        "git = \"git@github.com:owner/repo.git\"".to_string(),
        "serde@1.0.200 tokio@1.38.0 @types/node@18.11.9".to_string(),
        format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} me@host", rng.of(Class::B64, 43)),
        format!(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A{}\n-----END PUBLIC KEY-----",
            rng.of(Class::B64, 64)
        ),
        format!(
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE{}\n-----END CERTIFICATE-----",
            rng.of(Class::B64, 64)
        ),
        // Words that contain anchors.
        "precision decision ascii_tp_x cio.rs msg.send(x) SKIP_THIS -us -user key-value".to_string(),
        "let path = PathBuf::from(\"a\"); impl Foo for Bar { fn ghp(&self) {} }".to_string(),
        "match x { Foo::AAA => 1 }; let t = 12:AA;".to_string(),
        // A UUID-like Heroku key and bare hex are never reported.
        "HEROKU_API_KEY=123e4567-e89b-12d3-a456-426614174000".to_string(),
        format!("secret_{}", "key_for_tests_in_this_module_only_abc"),
        // A JWT-looking header that is not JSON with `alg`.
        format!("eyJ{}.eyJ{}.{}", rng.of(Class::B64Url, 20), rng.of(Class::B64Url, 20), rng.of(Class::B64Url, 43)),
    ];
    for text in &decoys {
        assert_eq!(found(text), vec![], "{text}");
    }
}

#[test]
fn a_line_of_a_base64_block_is_not_a_token() {
    // Regression: a 64-column PEM line in a C test happened to start with
    // Square's `EAAA` and be exactly as long as a Square token.
    let rng = &mut Rng::new("pem");
    let line = |rng: &mut Rng| rng.of(Class::B64, 64);
    let square = format!("EAAA{}", rng.alnum(60));
    for (before, after) in [("\"", "\\n\"\n"), ("", "\n")] {
        let text = format!(
            "{before}{}{after}{before}{square}{after}{before}{}{after}",
            line(rng),
            line(rng)
        );
        assert_eq!(found(&text), vec![], "{text}");
    }
    // The same token on its own, or assigned on a line of its own, is found.
    assert_eq!(
        found_ids(&format!("SQUARE_TOKEN={square}\nOTHER={}\n", line(rng))),
        ["square-access-token"]
    );
    assert_eq!(found_ids(&format!("\"{square}\"")), ["square-access-token"]);
}

#[test]
fn nested_matches_are_reported_once() {
    // A Sentry token's payload starts with `eyJ`; the JWT format must not
    // report it again, nor any format inside another's match.
    for format in FORMATS {
        let s = sample(format);
        let tokens = find_tokens(&s.text);
        for pair in tokens.windows(2) {
            assert!(
                pair[0].range.end <= pair[1].range.start,
                "{}: {tokens:?}",
                format.id
            );
        }
    }
}

#[test]
fn several_tokens_in_one_file_are_all_found_in_order() {
    let mut text = String::new();
    let mut expected = Vec::new();
    for format in FORMATS
        .iter()
        .filter(|f| matches!(f.shape, Shape::Token(_)))
    {
        let s = sample(format);
        text.push_str(&s.text);
        text.push_str("\n// ---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------\n");
        expected.push(format.id);
    }
    assert_eq!(found_ids(&text), expected);
}

#[test]
fn crates_io_trusted_publishing_matches_crates_io_test_vector() {
    // crates.io's own unit test: this raw part finalizes with check `d`.
    let raw = ["gGK6jurSwKyl9V3Az", "19z7YEFQI9aoOO"].concat();
    assert_eq!(codec::crates_io_check(raw.as_bytes()), b'd');
    let text = format!("CARGO_REGISTRY_TOKEN={}{raw}d", "cio_tp_");
    assert_eq!(found_ids(&text), ["crates-io-trusted-publishing-token"]);
    let text = format!("CARGO_REGISTRY_TOKEN={}{raw}e", "cio_tp_");
    assert_eq!(found_ids(&text), Vec::<&str>::new());
}

#[test]
fn gitlab_routable_token_from_gitlab_spec_is_found() {
    let token = [
        "glrtr-",
        "W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ",
        ".01.18",
        "1uebm4k",
    ]
    .concat();
    assert_eq!(found_ids(&token), ["gitlab-routable-token"]);
    let wrong = token.replace("1uebm4k", "1uebm4l");
    assert_eq!(found_ids(&wrong), Vec::<&str>::new());
}

#[test]
fn supabase_anon_key_is_public() {
    let rng = &mut Rng::new("supabase");
    let payload = r#"{"iss":"supabase","ref":"abcdefghijklmnop","role":"anon","iat":1700000000}"#;
    let anon = format!(
        "{}.{}.{}",
        b64url(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(payload),
        rng.of(Class::B64Url, 43)
    );
    assert_eq!(found_ids(&anon), Vec::<&str>::new());
    let service = anon.replace(
        &b64url(payload),
        &b64url(&payload.replace("anon", "service_role")),
    );
    assert_eq!(found_ids(&service), ["jwt"]);
}

#[test]
fn context_values_need_their_key() {
    let rng = &mut Rng::new("context");
    let hex32 = rng.of(Class::LowerHex, 32);
    assert_eq!(
        found_ids(&format!("DD_API_KEY={hex32}")),
        ["datadog-api-key"]
    );
    assert_eq!(
        found_ids(&format!("const DD_API_KEY: &str = \"{hex32}\";")),
        ["datadog-api-key"]
    );
    assert_eq!(
        found_ids(&format!("{{\"DD_API_KEY\": \"{hex32}\"}}")),
        ["datadog-api-key"]
    );
    assert_eq!(
        found_ids(&format!("os.environ[\"DD_API_KEY\"] = \"{hex32}\"")),
        ["datadog-api-key"]
    );
    assert_eq!(found_ids(&format!("md5 = \"{hex32}\"")), Vec::<&str>::new());
    assert_eq!(
        found_ids(&format!("DD_API_KEY is {hex32}")),
        Vec::<&str>::new()
    );
    let secret = format!("{}/{}+{}", rng.alnum(12), rng.alnum(14), rng.alnum(12));
    assert_eq!(
        found_ids(&format!("AWS_SECRET_ACCESS_KEY={secret}")),
        ["aws-secret-access-key"]
    );
    assert_eq!(
        found_ids(&format!("\"SecretAccessKey\": \"{secret}\"")),
        ["aws-secret-access-key"]
    );
    assert_eq!(
        found_ids(&format!("blob = \"{secret}\"")),
        Vec::<&str>::new()
    );
}

#[test]
fn truncated_and_shifted_samples_never_panic() {
    for format in FORMATS {
        let s = sample(format);
        let text = format!("é{}ü", s.text);
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for part in [&text[..cut], &text[cut..]] {
                for t in find_tokens(part) {
                    assert!(
                        part.is_char_boundary(t.range.start) && part.is_char_boundary(t.range.end)
                    );
                    assert!(t.keep <= t.range.len());
                }
            }
        }
    }
}

#[test]
fn tokens_next_to_each_other_and_to_non_ascii_text() {
    let ghp = sample(
        FORMATS
            .iter()
            .find(|f| f.id == "github-classic-pat")
            .unwrap(),
    )
    .token;
    let npm = sample(FORMATS.iter().find(|f| f.id == "npm-access-token").unwrap()).token;
    let text = format!("«{ghp}» {npm},{ghp}\u{a0}");
    assert_eq!(
        found_ids(&text),
        [
            "github-classic-pat",
            "npm-access-token",
            "github-classic-pat"
        ]
    );
}

#[test]
fn a_long_token_containing_a_placeholder_word_by_chance_is_found() {
    let rng = &mut Rng::new("fly");
    let token = format!(
        "fm2_{}fake{}",
        rng.of(Class::B64, 200),
        rng.of(Class::B64, 200)
    );
    assert_eq!(
        found_ids(&format!("FLY_API_TOKEN=\"FlyV1 {token}\"")),
        ["flyio-macaroon"]
    );
}

#[test]
fn aws_key_ids_after_a_dash_underscore_or_slash_are_found() {
    let mut rng = Rng::new("aws-after-separators");
    for anchor in ["AKIA", "ASIA"] {
        let id = format!("{anchor}{}", rng.of(Class::Base32Upper, 16));
        for text in [
            format!("k-{id}"),
            format!("prefix_{id}"),
            format!("keys/{id}/x"),
        ] {
            let found = found(&text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].0, id, "{text}");
        }
        // Still not inside a word.
        assert!(found(&format!("x{id}")).is_empty());
    }
}
