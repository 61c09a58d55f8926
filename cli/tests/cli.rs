//! The `kyso` binary, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn kyso(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kyso")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn vn_trust() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/vn-trust")
}

#[test]
fn demo_verifies_both_hierarchies_and_rejects_the_bad_cases() {
    let (code, out, err) = kyso(&["demo"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("government-specialized (VGCA)"), "{out}");
    assert!(out.contains("public (NEAC national root)"), "{out}");
    // The suite installs SoftHSM2, so the token case runs too.
    assert!(out.contains("6 of 6 cases as expected"), "{out}");
    let (code, out, _) = kyso(&["demo", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let verdicts: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["VALID", "VALID", "INVALID", "INDETERMINATE", "INVALID", "VALID"]
    );
    assert!(v["token_skipped"].is_null());
    assert_eq!(v["schema"], "kyso.demo/2");
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases[0]["identity"][0], "MST 0109999999");
    assert_eq!(cases[1]["identity"][0], "CCCD 001099012345");
}

#[test]
fn cert_show_names_the_right_hierarchy_for_every_vietnamese_ca_certificate() {
    let gov_legacy = [
        "BCA_BIN.pem",
        "BNG_BIN.pem",
        "BTC_BIN.pem",
        "CP_BIN.pem",
        "DCS_BIN.pem",
        "VGCA_ROOTCA_BIN.pem",
    ];
    let mut files = Vec::new();
    for folder in ["vgca", "neac-roots", "neac-subca", "legacy"] {
        for e in std::fs::read_dir(vn_trust().join(folder)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "pem") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 77);
    let args: Vec<&str> = std::iter::once("cert")
        .chain(std::iter::once("show"))
        .chain(std::iter::once("--json"))
        .chain(files.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let (code, out, err) = kyso(&args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let shown = v.as_array().unwrap();
    assert_eq!(shown.len(), 77);
    for (s, f) in shown.iter().zip(&files) {
        let name = f.file_name().unwrap().to_str().unwrap();
        let folder = f.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let want = if folder == "vgca" || gov_legacy.contains(&name) {
            "government"
        } else {
            "public"
        };
        assert_eq!(s["placement"]["hierarchy"], want, "{name}");
        assert_eq!(s["schema"], "kyso.certificate/1");
        assert!(s["sha256"].as_str().unwrap().len() == 64);
    }
}

#[test]
fn cert_show_text_and_errors() {
    let f = vn_trust().join("raw-p7b/vnrca-rs.p7b");
    let (code, out, _) = kyso(&["cert", "show", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("Hierarchy       public (NEAC national root)"), "{out}");
    assert!(out.contains("Quirk           #3"), "{out}");
    let (code, _, err) = kyso(&["cert", "show", "/nonexistent/file.pem"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/file.pem"));
    let garbage = std::env::temp_dir().join(format!("kyso-garbage-{}", std::process::id()));
    std::fs::write(&garbage, b"\x30\x82\xFF\xFF truncated").unwrap();
    let (code, _, err) = kyso(&["cert", "show", garbage.to_str().unwrap()]);
    std::fs::remove_file(&garbage).ok();
    assert_eq!(code, 2);
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn trust_list_prints_every_pinned_certificate() {
    let (code, out, _) = kyso(&["trust", "list", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v["certificates"].as_array().unwrap();
    assert_eq!(rows.len(), 74);
    assert_eq!(rows.iter().filter(|r| r["role"] == "anchor").count(), 10);
    assert!(rows
        .iter()
        .any(|r| r["hierarchy"] == "government" && r["role"] == "anchor"));
    let (code, out, _) = kyso(&["trust", "list"]);
    assert_eq!(code, 0);
    assert!(out.contains("SHA-256 "));
}

#[test]
fn chain_verify_exit_status_and_json() {
    let p7b = vn_trust().join("raw-p7b/VNPT-CA_SHA2.p7b");
    let (code, out, err) = kyso(&[
        "chain",
        "verify",
        p7b.to_str().unwrap(),
        "--at",
        "2026-11-23T00:00:00Z",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "kyso.chain/1");
    assert_eq!(v["verdict"], "valid");
    assert_eq!(v["hierarchy"], "public");
    assert_eq!(v["path"].as_array().unwrap().len(), 2);
    assert_eq!(v["revocation"][0]["status"], "unknown", "soft-fail without evidence");
    // Expired: invalid, exit 1, reason names the expiry.
    let (code, out, _) = kyso(&["chain", "verify", p7b.to_str().unwrap(), "--at", "2031-01-01", "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "expired");
    // SHA-1 G1 sub-CA: refused unless --allow-legacy, and then reported as legacy.
    let g1 = vn_trust().join("vgca/Co-quan-chung-thuc-so-Chinh-phu__20100325.pem");
    let (code, _, _) = kyso(&[
        "chain",
        "verify",
        g1.to_str().unwrap(),
        "--at",
        "2020-01-01",
        "--leaf-usage",
        "any",
    ]);
    assert_eq!(code, 1);
    let (code, out, _) = kyso(&[
        "chain",
        "verify",
        g1.to_str().unwrap(),
        "--at",
        "2020-01-01",
        "--leaf-usage",
        "any",
        "--allow-legacy",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["hierarchy"], "government");
    assert_eq!(v["legacy"][0], "sha1");
    // Only our own anchor: the Vietnamese CA is not trusted: indeterminate, exit 2.
    let other = vn_trust().join("vgca/RootCA-chuyen-dung-Chinh-phu-G2__20180822.pem");
    let (code, _, _) = kyso(&[
        "chain",
        "verify",
        p7b.to_str().unwrap(),
        "--anchor",
        other.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    // A required EKU the certificate lacks; a bad --at.
    let fpt = vn_trust().join("neac-subca/FPT-Certification-Authority-Timestamping__20230607.pem");
    let args = [
        "chain",
        "verify",
        fpt.to_str().unwrap(),
        "--at",
        "2024-01-01",
        "--leaf-usage",
        "any",
    ];
    let (code, out, _) = kyso(&[&args[..], &["--eku", "timeStamping", "--json"]].concat());
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tolerated"].as_array().unwrap().len(), 2);
    let (code, _, _) = kyso(&[&args[..], &["--eku", "codeSigning"]].concat());
    assert_eq!(code, 1);
    let (code, _, err) = kyso(&["chain", "verify", p7b.to_str().unwrap(), "--at", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"));
}

#[test]
fn crl_show_and_chain_verify_with_crls() {
    let pkits = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/pkits");
    let p = |rel: &str| pkits.join(rel).to_str().unwrap().to_string();
    let (code, out, _) = kyso(&["crl", "show", &p("crls/GoodCACRL.crl"), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "kyso.crl/1");
    assert_eq!(v["entries"], 2);
    let base = [
        "chain".to_string(),
        "verify".into(),
        p("certs/ValidCertificatePathTest1EE.crt"),
        "--pool".into(),
        p("certs/GoodCACert.crt"),
        "--anchor".into(),
        p("certs/TrustAnchorRootCertificate.crt"),
        "--at".into(),
        "2011-04-15".into(),
        "--leaf-usage".into(),
        "any".into(),
        "--json".into(),
    ];
    let run = |extra: &[String]| {
        let args: Vec<&str> = base.iter().chain(extra).map(String::as_str).collect();
        kyso(&args)
    };
    let crls = [
        "--crl".to_string(),
        p("crls/GoodCACRL.crl"),
        "--crl".into(),
        p("crls/TrustAnchorRootCRL.crl"),
    ];
    let (code, out, _) = run(&[&crls[..], &["--revocation".into(), "hard".into()]].concat());
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["revocation"][0]["status"], "good");
    assert_eq!(v["revocation"][1]["status"], "good");
    assert!(v["revocation"][0]["source"]["origin"]
        .as_str()
        .unwrap()
        .ends_with("GoodCACRL.crl"));
    assert_eq!(v["revocation"][0]["source"]["kind"], "crl");
    assert_eq!(v["revocation"][0]["source"]["sha256"].as_str().unwrap().len(), 64);
    // Without CRLs: hard-fail is indeterminate (exit 2), soft-fail valid with unknown status.
    let (code, _, _) = run(&["--revocation".into(), "hard".into()]);
    assert_eq!(code, 2);
    let (code, out, _) = run(&[]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["revocation"][0]["status"], "unknown");
}

#[test]
fn sign_then_verify_from_the_command_line() {
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-sign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let put = |n: &str, b: &[u8]| {
        let p = dir.join(n);
        std::fs::write(&p, b).unwrap();
        p.to_str().unwrap().to_string()
    };
    let key = put("company.p8", pki.company.key.pkcs8());
    let cert = put("company.der", &pki.company.cert);
    let sub = put("sub.der", &pki.pub_sub.cert);
    let root = put("root.der", &pki.pub_root.cert);
    let doc = put("doc.txt", "Hóa đơn số 0000123".as_bytes());
    let sig = dir.join("doc.p7s").to_str().unwrap().to_string();
    let (code, out, err) = kyso(&[
        "sign",
        "--key",
        &key,
        "--cert",
        &cert,
        "--chain",
        &sub,
        "--anchor",
        &root,
        "--detached",
        &doc,
        &sig,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = kyso(&["verify", &sig, "--content", &doc, "--anchor", &root, "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "kyso.cms/1");
    assert_eq!(v["signers"][0]["verdict"], "valid");
    assert_eq!(v["signers"][0]["identity"]["ids"][0]["value"], "0109999999");
    // The wrong content: invalid, exit 1.
    let other = put("other.txt", b"something else");
    let (code, _, _) = kyso(&["verify", &sig, "--content", &other, "--anchor", &root]);
    assert_eq!(code, 1);
    // The same from a PKCS#12 file, the password from the environment.
    let pem = |label: &str, der: &[u8]| kyso_testpki::pem(label, der);
    let cpem = put("c.pem", pem("CERTIFICATE", &pki.company.cert).as_bytes());
    let kpem = put("k.pem", pem("PRIVATE KEY", pki.company.key.pkcs8()).as_bytes());
    let spem = put("s.pem", pem("CERTIFICATE", &pki.pub_sub.cert).as_bytes());
    let p12 = dir.join("company.p12").to_str().unwrap().to_string();
    let st = Command::new("openssl")
        .args([
            "pkcs12",
            "-export",
            "-in",
            &cpem,
            "-inkey",
            &kpem,
            "-certfile",
            &spem,
            "-passout",
            "pass:bí mật",
            "-out",
            &p12,
        ])
        .status()
        .expect("the openssl program is required");
    assert!(st.success());
    let sig2 = dir.join("doc2.p7s").to_str().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args([
            "sign",
            "--p12",
            &p12,
            "--password-env",
            "KYSO_TEST_P12",
            "--anchor",
            &root,
            "--detached",
            &doc,
            &sig2,
        ])
        .env("KYSO_TEST_P12", "bí mật")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, _, _) = kyso(&["verify", &sig2, "--content", &doc, "--anchor", &root]);
    assert_eq!(code, 0);
    let out = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(["sign", "--p12", &p12, "--password-env", "KYSO_TEST_P12", &doc, &sig2])
        .env("KYSO_TEST_P12", "sai")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong password"));
    // Refused before signing: the rogue certificate does not chain to the anchor.
    let rkey = put("rogue.p8", pki.rogue_leaf.key.pkcs8());
    let rcert = put("rogue.der", &pki.rogue_leaf.cert);
    let (code, _, err) = kyso(&["sign", "--key", &rkey, "--cert", &rcert, "--anchor", &root, &doc, &sig]);
    assert_eq!(code, 2);
    assert!(err.contains("not acceptable"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn token_list_and_sign_on_softhsm() {
    let module = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
    .expect("SoftHSM2 is required (the README's test command installs it)");
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-token-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    let put = |n: &str, b: &[u8]| {
        let p = dir.join(n);
        std::fs::write(&p, b).unwrap();
        p.to_str().unwrap().to_string()
    };
    let run = |c: &mut Command| {
        let out = c
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("softhsm2-util and pkcs11-tool are required");
        assert!(out.status.success(), "{c:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(Command::new("softhsm2-util").args([
        "--init-token",
        "--free",
        "--label",
        "cli",
        "--pin",
        "246810",
        "--so-pin",
        "13579111",
    ]));
    let key = put("k.p8", pki.company.key.pkcs8());
    let cert = put("c.der", &pki.company.cert);
    for (t, f) in [("privkey", &key), ("cert", &cert)] {
        run(Command::new("pkcs11-tool").args([
            "--module",
            module,
            "--token-label",
            "cli",
            "--login",
            "--pin",
            "246810",
            "--type",
            t,
            "--id",
            "a1",
            "--label",
            "company",
            "--write-object",
            f,
        ]));
    }
    let kyso_env = |args: &[&str], pin: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kyso"));
        c.args(args).env("SOFTHSM2_CONF", &conf);
        if let Some(p) = pin {
            c.env("KYSO_TEST_PIN", p);
        }
        let out = c.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Without a PIN: the token, not its keys.
    let (code, out, err) = kyso_env(&["token", "list", "--module", module, "--json"], None);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "kyso.tokens/1");
    assert!(v["found"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f.as_str().unwrap().ends_with("libsofthsm2.so")));
    let t = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "cli")
        .unwrap()
        .clone();
    assert_eq!(t["pin_state"], "ok");
    assert!(t["keys"].is_null());
    // With the PIN: the key, its certificate, the identity.
    let (code, out, err) = kyso_env(
        &[
            "token",
            "list",
            "--module",
            module,
            "--token",
            "cli",
            "--pin-env",
            "KYSO_TEST_PIN",
            "--json",
        ],
        Some("246810"),
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let k = &v["tokens"][0]["keys"][0];
    assert_eq!(k["id"], "A1");
    assert_eq!(k["key"], "RSA-2048");
    assert_eq!(k["identity"]["ids"][0]["value"], "0109999999");
    // Sign on the token, verify.
    let sub = put("sub.der", &pki.pub_sub.cert);
    let root = put("root.der", &pki.pub_root.cert);
    let doc = put("doc.txt", "Hóa đơn ký trên token".as_bytes());
    let sig = dir.join("doc.p7s").to_str().unwrap().to_string();
    let sign = |pin: &str| {
        kyso_env(
            &[
                "sign",
                "--pkcs11",
                "--module",
                module,
                "--token",
                "cli",
                "--key-id",
                "a1",
                "--pin-env",
                "KYSO_TEST_PIN",
                "--chain",
                &sub,
                "--anchor",
                &root,
                "--detached",
                &doc,
                &sig,
            ],
            Some(pin),
        )
    };
    let (code, out, err) = sign("246810");
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = kyso(&["verify", &sig, "--content", &doc, "--anchor", &root, "--json"]);
    assert_eq!(code, 0, "{out}");
    // A wrong PIN: a clear error, exit 2, the signature file untouched.
    let before = std::fs::read(&sig).unwrap();
    let (code, _, err) = sign("999999");
    assert_eq!(code, 2);
    assert!(err.contains("wrong PIN"), "{err}");
    assert_eq!(std::fs::read(&sig).unwrap(), before);
    // No PIN variable: refused before touching the token.
    let (code, _, err) = kyso_env(
        &[
            "sign",
            "--pkcs11",
            "--module",
            module,
            "--pin-env",
            "KYSO_UNSET_PIN",
            &doc,
            &sig,
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("KYSO_UNSET_PIN"), "{err}");
}
