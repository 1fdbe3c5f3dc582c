//! The credential inside a tool's credentials file, end to end: each file
//! shape (Docker `config.json`, kubeconfig, `.netrc`, `.pgpass`) built at
//! test time with fake values, in a crate committed to a throw-away git
//! repository so hidden files ship, as they do from a real repository.

mod common;

/// A password built at run time.
fn password() -> String {
    ["Lk8", "rW3n", "Qe5t", "Zb1x"].concat()
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// Each credentials file shape: the file is reported (`credentials-file`)
/// and now the credential's line too, with what to rotate; the decoded
/// value never appears in any output.
#[test]
fn encoded_and_keyword_credentials_are_reported_at_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let p = password();
    let auth = base64(format!("deploy:{p}").as_bytes());
    let docker = format!(
        "{{\n  \"auths\": {{\n    \"registry.example.com\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n"
    );
    let pem = format!(
        "-----BEGIN {0}-----\n{1}\n-----END {0}-----\n",
        "RSA PRIVATE KEY",
        base64(&common::noise(9, 600))
    );
    let key_data = base64(pem.as_bytes());
    let kube = format!(
        "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    client-key-data: {key_data}\n"
    );
    let netrc = format!("machine git.example.com\n  login deploy\n  password {p}\n");
    let pgpass = format!("db.example.com:5432:app:app_user:{p}\n");
    common::committed_demo(
        tmp.path(),
        &[
            ("deploy/.docker/config.json", docker.into_bytes()),
            ("deploy/.kube/config", kube.into_bytes()),
            ("deploy/.netrc", netrc.into_bytes()),
            ("deploy/.pgpass", pgpass.into_bytes()),
        ],
    );
    let (code, lines) = common::json(tmp.path(), &[]);
    assert_eq!(code, 1);
    let mut found: Vec<(String, String, Option<u64>)> = common::finding_lines(&lines)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["archive_path"].as_str().unwrap().to_owned(),
                f["line"].as_u64(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String, Option<u64>)> = [
        ("credentials-file", "deploy/.docker/config.json", None),
        ("credentials-file", "deploy/.kube/config", None),
        ("credentials-file", "deploy/.netrc", None),
        ("credentials-file", "deploy/.pgpass", None),
        ("docker-config-auth", "deploy/.docker/config.json", Some(4)),
        ("kubeconfig-credential", "deploy/.kube/config", Some(6)),
        ("netrc-password", "deploy/.netrc", Some(3)),
        ("pgpass-password", "deploy/.pgpass", Some(1)),
    ]
    .iter()
    .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
    .collect();
    assert_eq!(found, expected);
    let docker = common::finding_lines(&lines)
        .into_iter()
        .find(|f| f["rule"] == "docker-config-auth")
        .unwrap();
    assert!(docker["message"]
        .as_str()
        .unwrap()
        .contains("`registry.example.com`"));
    assert_eq!(docker["redacted"], "…");

    for format in ["json", "human", "short", "sarif"] {
        let (_, out, err) = common::run(tmp.path(), &[], format);
        for hidden in [p.as_str(), auth.as_str(), key_data.as_str()] {
            assert!(!out.contains(hidden), "{format} shows a value:\n{out}");
            assert!(!err.contains(hidden), "{format} shows a value:\n{err}");
        }
    }
    let (_, _, human) = common::run(tmp.path(), &[], "human");
    assert!(
        human.contains("change the password this login uses at `git.example.com`"),
        "{human}"
    );
    assert!(human.contains("`db.example.com:5432/app`"), "{human}");
}
