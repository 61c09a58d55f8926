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
    kyso_testpki::shared::root().join("vn-trust")
}

/// Without the feature, the binary has no demo (and no test key): it says how to get one.
#[test]
#[cfg(not(feature = "demo"))]
fn without_the_demo_feature_the_demo_says_how_to_build_it() {
    let (code, _, err) = kyso(&["demo"]);
    assert_eq!(code, 2);
    assert!(err.contains("--features demo"), "{err}");
}

#[test]
#[cfg(feature = "demo")]
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
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
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
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
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
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
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
    assert_eq!(v["schema"], "kyso.report/1");
    assert_eq!(v["kind"], "certificate");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    let c = &v["signatures"][0];
    assert_eq!(c["hierarchy"], "public");
    assert_eq!(c["path"].as_array().unwrap().len(), 2);
    assert_eq!(c["path"][0]["revocation"], "unknown", "soft-fail without evidence");
    assert!(
        c["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "revocation_unknown"),
        "{c}"
    );
    // Expired: invalid, exit 1, reason names the expiry.
    let (code, out, _) = kyso(&["chain", "verify", p7b.to_str().unwrap(), "--at", "2031-01-01", "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["indication"], "TOTAL_FAILED");
    assert_eq!(v["sub_indication"], "EXPIRED");
    assert!(v["reason"]["vi"].as_str().unwrap().contains("đã hết hiệu lực"), "{v}");
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
    assert_eq!(v["signatures"][0]["hierarchy"], "government");
    let warnings = v["signatures"][0]["warnings"].as_array().unwrap().clone();
    assert!(warnings.iter().any(|w| w["code"] == "legacy_algorithm"), "{v}");
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
    let tolerated = v["signatures"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "tolerated_quirk")
        .count();
    assert_eq!(tolerated, 2, "{v}");
    let (code, _, _) = kyso(&[&args[..], &["--eku", "codeSigning"]].concat());
    assert_eq!(code, 1);
    let (code, _, err) = kyso(&["chain", "verify", p7b.to_str().unwrap(), "--at", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"));
}

#[test]
fn crl_show_and_chain_verify_with_crls() {
    let Some(pkits) = kyso_testpki::shared::vectors("pkits") else {
        return;
    };
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
    let path = &v["signatures"][0]["path"];
    assert_eq!(path[0]["revocation"], "good");
    assert_eq!(path[1]["revocation"], "good");
    assert_eq!(path[2]["revocation"], "anchor");
    let crl = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "crl" && e["origin"].as_str().unwrap_or("").ends_with("GoodCACRL.crl"))
        .cloned()
        .unwrap_or_else(|| panic!("no GoodCACRL evidence in {v}"));
    assert_eq!(crl["sha256"].as_str().unwrap().len(), 64);
    assert!(v["signatures"][0]["evidence"]
        .as_array()
        .unwrap()
        .contains(&crl["sha256"]));
    // Without CRLs: hard-fail is indeterminate (exit 2), soft-fail valid with unknown status.
    let (code, _, _) = run(&["--revocation".into(), "hard".into()]);
    assert_eq!(code, 2);
    let (code, out, _) = run(&[]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["signatures"][0]["path"][0]["revocation"], "unknown");
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
    assert_eq!(v["schema"], "kyso.report/1");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    assert_eq!(v["signatures"][0]["indication"], "TOTAL_PASSED");
    assert_eq!(v["signatures"][0]["identity"]["ids"][0]["value"], "0109999999");
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

/// `kyso sign --format xml`: the seller signs an e-invoice into DSCKS/NBan with a key file,
/// the tax authority countersigns into DSCKS/CQT from a PKCS#12; `kyso verify` detects XML
/// and finds both valid, each of its own hierarchy.
#[test]
fn xml_invoice_signed_twice_from_the_command_line() {
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-xml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let put = |n: &str, b: &[u8]| {
        let p = dir.join(n);
        std::fs::write(&p, b).unwrap();
        p.to_str().unwrap().to_string()
    };
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let key = put("company.p8", pki.company.key.pkcs8());
    let cert = put("company.der", &pki.company.cert);
    let sub = put("sub.der", &pki.pub_sub.cert);
    let root = put("root.der", &pki.pub_root.cert);
    let gov_root = put("gov-root.der", &pki.gov_root.cert);
    let invoice = put(
        "hdon.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"DLHDon-1\"><TTChung><KHHDon>C26TAA</KHHDon><SHDon>42</SHDon></TTChung><NDHDon><NBan><MST>0109999999</MST></NBan></NDHDon></DLHDon><MCCQT Id=\"M1\">00AB</MCCQT><DSCKS><NBan/><CQT/></DSCKS></HDon>\n".as_bytes(),
    );
    let (code, out, err) = kyso(&[
        "sign",
        "--format",
        "xml",
        "--into",
        "DSCKS/NBan",
        "--key",
        &key,
        "--cert",
        &cert,
        "--chain",
        &sub,
        "--anchor",
        &root,
        &invoice,
        &path("nban.xml"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let pem = |label: &str, der: &[u8]| kyso_testpki::pem(label, der);
    let cpem = put("o.pem", pem("CERTIFICATE", &pki.officer.cert).as_bytes());
    let kpem = put("ok.pem", pem("PRIVATE KEY", pki.officer.key.pkcs8()).as_bytes());
    let spem = put("gs.pem", pem("CERTIFICATE", &pki.gov_sub.cert).as_bytes());
    let p12 = path("officer.p12");
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
            "pass:cqt",
            "-out",
            &p12,
        ])
        .status()
        .expect("the openssl program is required");
    assert!(st.success());
    let out = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args([
            "sign",
            "--format",
            "xml",
            "--into",
            "HDon/DSCKS/CQT",
            "--p12",
            &p12,
            "--password-env",
            "KYSO_TEST_P12",
            "--anchor",
            &gov_root,
            &path("nban.xml"),
            &path("both.xml"),
        ])
        .env("KYSO_TEST_P12", "cqt")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, out, _) = kyso(&[
        "verify",
        &path("both.xml"),
        "--anchor",
        &root,
        "--anchor",
        &gov_root,
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "xml");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    assert_eq!(v["signatures"][0]["role"]["code"], "NBan");
    // Anchors given by file are named after it.
    assert_eq!(v["signatures"][0]["hierarchy"], "custom:root");
    assert_eq!(v["signatures"][1]["role"]["code"], "CQT");
    assert_eq!(v["signatures"][1]["hierarchy"], "custom:gov-root");
    // A slot that is not there, and --detached with XML: refused, nothing written.
    let (code, _, err) = kyso(&[
        "sign",
        "--format",
        "xml",
        "--into",
        "DSCKS/NMua",
        "--key",
        &key,
        "--cert",
        &cert,
        "--anchor",
        &root,
        &invoice,
        &path("x.xml"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("DSCKS/NMua"), "{err}");
    assert!(!dir.join("x.xml").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn token_list_and_sign_on_softhsm() {
    let module_path =
        kyso_testpki::softhsm::module().expect("SoftHSM2 is required (the README's test command installs it)");
    let module = module_path.to_str().unwrap();
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-token-{}", std::process::id()));
    let soft = kyso_testpki::softhsm::SoftHsm::create(&dir, &module_path).unwrap();
    let conf = soft.conf.clone();
    let put = |n: &str, b: &[u8]| {
        let p = dir.join(n);
        std::fs::write(&p, b).unwrap();
        p.to_str().unwrap().to_string()
    };
    soft.init_token("cli", "246810", "13579111").unwrap();
    soft.add_key_pair(
        "cli",
        "246810",
        "a1",
        Some("company"),
        pki.company.key.pkcs8(),
        &pki.company.cert,
    )
    .unwrap();
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
    // An e-invoice signed on the token, into its seller slot: valid, the seller's role.
    let invoice = put(
        "hdon.xml",
        "<HDon><DLHDon Id=\"d1\"><TTChung><SHDon>7</SHDon></TTChung></DLHDon><DSCKS><NBan/></DSCKS></HDon>".as_bytes(),
    );
    let signed = dir.join("hdon-signed.xml").to_str().unwrap().to_string();
    let (code, out, err) = kyso_env(
        &[
            "sign",
            "--format",
            "xml",
            "--into",
            "DSCKS/NBan",
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
            &invoice,
            &signed,
        ],
        Some("246810"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = kyso(&["verify", &signed, "--anchor", &root, "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "xml");
    assert_eq!(v["signatures"][0]["role"]["code"], "NBan");
    // A decision signed on the token as a PDF, then verified.
    let pdf = put("qd.pdf", &kyso_testpki::pdf_document(1));
    let signed = dir.join("qd-signed.pdf").to_str().unwrap().to_string();
    let (code, out, err) = kyso_env(
        &[
            "sign",
            "--format",
            "pdf",
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
            &pdf,
            &signed,
        ],
        Some("246810"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = kyso(&["verify", &signed, "--anchor", &root, "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "pdf");
}

/// `kyso sign --format pdf`: the officer approves a decision (a certification signature,
/// DocMDP P=2, with a reason), the ministry signs after; `kyso verify` finds both valid,
/// each of its hierarchy, the first with the second's update named; an already certified
/// document cannot be certified again.
#[test]
fn pdf_signed_twice_from_the_command_line() {
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let put = |n: &str, b: &[u8]| {
        let p = dir.join(n);
        std::fs::write(&p, b).unwrap();
        p.to_str().unwrap().to_string()
    };
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let doc = put("qd.pdf", &kyso_testpki::pdf_document(2));
    let okey = put("o.p8", pki.officer.key.pkcs8());
    let ocert = put("o.der", &pki.officer.cert);
    let gsub = put("gsub.der", &pki.gov_sub.cert);
    let groot = put("groot.der", &pki.gov_root.cert);
    let ckey = put("c.p8", pki.company.key.pkcs8());
    let ccert = put("c.der", &pki.company.cert);
    let psub = put("psub.der", &pki.pub_sub.cert);
    let proot = put("proot.der", &pki.pub_root.cert);
    let (code, out, err) = kyso(&[
        "sign",
        "--format",
        "pdf",
        "--certify",
        "2",
        "--reason",
        "Phê duyệt",
        "--key",
        &okey,
        "--cert",
        &ocert,
        "--chain",
        &gsub,
        "--anchor",
        &groot,
        &doc,
        &path("one.pdf"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = kyso(&[
        "sign",
        "--format",
        "pdf",
        "--pkcs7",
        "--field",
        "DongDau",
        "--key",
        &ckey,
        "--cert",
        &ccert,
        "--chain",
        &psub,
        "--anchor",
        &proot,
        &path("one.pdf"),
        &path("two.pdf"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = kyso(&[
        "verify",
        &path("two.pdf"),
        "--anchor",
        &groot,
        "--anchor",
        &proot,
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "pdf");
    assert_eq!(v["indication"], "TOTAL_PASSED");
    let s = &v["signatures"];
    assert_eq!(s[0]["pdf"]["docmdp"], 2);
    assert_eq!(s[0]["pdf"]["reason"], "Phê duyệt");
    assert_eq!(s[0]["pdf"]["modification"], "lta_updates");
    assert_eq!(s[1]["pdf"]["field"], "DongDau");
    assert_eq!(s[1]["pdf"]["sub_filter"], "adbe.pkcs7.detached");
    assert_eq!(s[0]["hierarchy"], "custom:groot");
    assert_eq!(s[1]["hierarchy"], "custom:proot");
    // The text report names the field and the changes after it.
    let (_, text, _) = kyso(&[
        "verify",
        &path("two.pdf"),
        "--anchor",
        &groot,
        "--anchor",
        &proot,
        "--lang",
        "vi",
    ]);
    assert!(text.contains("DongDau"), "{text}");
    // Certifying a signed document: refused, nothing written.
    let (code, _, err) = kyso(&[
        "sign",
        "--format",
        "pdf",
        "--certify",
        "1",
        "--key",
        &ckey,
        "--cert",
        &ccert,
        "--chain",
        &psub,
        "--anchor",
        &proot,
        &path("two.pdf"),
        &path("three.pdf"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("certification"), "{err}");
    assert!(!dir.join("three.pdf").exists());
    // B-LTA is a PAdES level only.
    let (code, _, err) = kyso(&[
        "sign",
        "--level",
        "B-LTA",
        "--tsa",
        "http://127.0.0.1:9/",
        "--key",
        &ckey,
        "--cert",
        &ccert,
        &doc,
        &path("x.p7s"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("PAdES"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Detached and attached CAdES signatures made with the test PKI, for the report and batch tests.
struct Signed {
    pki: kyso_testpki::VietnamTestPki,
    now: kyso::Time,
}

impl Signed {
    fn new() -> Signed {
        Signed {
            pki: kyso_testpki::VietnamTestPki::build(),
            now: kyso::Time::now(),
        }
    }

    fn sign(&self, officer: bool, content: &[u8], detached: bool) -> Vec<u8> {
        let (e, sub) = if officer {
            (&self.pki.officer, &self.pki.gov_sub)
        } else {
            (&self.pki.company, &self.pki.pub_sub)
        };
        let cert = |d: &[u8]| kyso::Certificate::from_der(d).unwrap();
        let signer = kyso::sign::SoftwareSigner::from_pkcs8(e.key.pkcs8(), cert(&e.cert)).unwrap();
        let mut o = kyso::sign::SignOptions::new(self.now);
        o.detached = detached;
        o.chain = vec![cert(&sub.cert)];
        o.force = true;
        kyso::sign::sign(
            kyso::sign::Content::Bytes(content),
            &signer,
            &o,
            kyso::crypto::default_provider(),
        )
        .unwrap()
    }

    /// The two roots as anchor files in `dir`; returns the `--anchor` arguments.
    fn anchors(&self, dir: &Path) -> Vec<String> {
        let mut args = Vec::new();
        for (name, der) in [
            ("gov_root.der", &self.pki.gov_root.cert),
            ("pub_root.der", &self.pki.pub_root.cert),
        ] {
            let p = dir.join(name);
            std::fs::write(&p, der).unwrap();
            args.push("--anchor".to_string());
            args.push(p.to_str().unwrap().to_string());
        }
        args
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kyso-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn verify_reports_in_vietnamese_or_english_and_keeps_evidence() {
    let s = Signed::new();
    let dir = temp_dir("report");
    let anchors = s.anchors(&dir);
    let doc = dir.join("hoa-don.xml");
    std::fs::write(&doc, "<HDon>0000123</HDon>").unwrap();
    let sig = dir.join("hoa-don.xml.p7s");
    std::fs::write(&sig, s.sign(false, b"<HDon>0000123</HDon>", true)).unwrap();
    let sig_s = sig.to_str().unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["verify".to_string(), sig_s.to_string()];
        v.extend(anchors.iter().cloned());
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        kyso(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // The content is found beside the signature (hoa-don.xml.p7s → hoa-don.xml).
    let (code, out, err) = run(&["--lang", "vi"]);
    assert_eq!(code, 0, "{out}{err}");
    for needle in [
        "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ",
        "HỢP LỆ (TOTAL_PASSED)",
        "Mã số thuế:",
        "0109999999",
        "Cơ quan, tổ chức quản lý thuê bao:",
        "Tổ chức cấp chứng thư:",
        "Thời điểm ký:",
        "Tính toàn vẹn:",
        "Hiệu lực chứng thư tại thời điểm ký:",
        "Thời hạn của chứng thư:",
        "Nội dung được ký:",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let (_, out, _) = run(&["--lang", "en"]);
    assert!(out.contains("SIGNATURE VALIDATION REPORT"), "{out}");
    assert!(out.contains("Managing organisation:"), "{out}");
    // Without --lang, the locale decides.
    let a = args(&[]);
    let vi = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(&a)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&vi.stdout).contains("KẾT QUẢ KIỂM TRA"));
    let en = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(&a)
        .env("LC_ALL", "C.UTF-8")
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&en.stdout).contains("SIGNATURE VALIDATION REPORT"));
    // --evidence keeps the certificates and the report in both languages.
    let ev = dir.join("evidence");
    let (code, out, _) = run(&["--evidence", ev.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "kyso.report/1");
    let mut names: Vec<String> = std::fs::read_dir(&ev)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names.iter().filter(|n| n.starts_with("certificate-")).count(),
        3,
        "{names:?}"
    );
    for f in ["report.json", "report.vi.txt", "report.en.txt"] {
        assert!(names.iter().any(|n| n == f), "{names:?}");
    }
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(ev.join("report.json")).unwrap()).unwrap();
    let saved = kept["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(saved.iter().all(|f| ev.join(f).is_file()), "{saved:?}");
    // A changed document: INVALID with the reason, exit 1.
    std::fs::write(&doc, "<HDon>9999999</HDon>").unwrap();
    let (code, out, _) = run(&["--lang", "vi"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("KHÔNG HỢP LỆ (TOTAL_FAILED)"), "{out}");
    assert!(out.contains("HASH_FAILURE"), "{out}");
    // An XML document without a signature: read as XML, INDETERMINATE with FORMAT_FAILURE
    // ("no signature"), exit 2.
    let (code, out, _) = kyso(&["verify", doc.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "xml");
    assert_eq!(v["sub_indication"], "FORMAT_FAILURE");
    assert_eq!(v["signatures"].as_array().map(Vec::len), Some(0));
    // Not a signature of any format: unreadable, exit 2.
    std::fs::write(&doc, "9999999").unwrap();
    let (code, out, _) = kyso(&["verify", doc.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "unreadable");
    assert_eq!(v["sub_indication"], "FORMAT_FAILURE");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn verify_batch_of_a_folder_and_of_a_list() {
    let s = Signed::new();
    let dir = temp_dir("batch");
    let anchor_dir = dir.join("anchors");
    std::fs::create_dir_all(&anchor_dir).unwrap();
    let anchors = s.anchors(&anchor_dir);
    let docs = dir.join("docs");
    std::fs::create_dir_all(docs.join("bo")).unwrap();
    for i in 0..20 {
        let content = format!("Hóa đơn số {i:07}");
        std::fs::write(docs.join(format!("inv{i:02}.txt")), &content).unwrap();
        std::fs::write(
            docs.join(format!("inv{i:02}.txt.p7s")),
            s.sign(false, content.as_bytes(), true),
        )
        .unwrap();
    }
    for i in 0..5 {
        let content = format!("Công văn số {i}/BTN");
        std::fs::write(docs.join(format!("bo/cv{i}.txt")), &content).unwrap();
        std::fs::write(
            docs.join(format!("bo/cv{i}.txt.sig")),
            s.sign(true, content.as_bytes(), true),
        )
        .unwrap();
    }
    std::fs::write(docs.join("attached.p7m"), s.sign(false, b"attached content", false)).unwrap();
    std::fs::write(docs.join("changed.txt"), "changed").unwrap();
    std::fs::write(docs.join("changed.txt.p7s"), s.sign(false, b"original", true)).unwrap();
    std::fs::write(docs.join("notes.md"), "not a signature").unwrap();
    std::fs::write(
        docs.join("lonely.pdf.p7s"),
        s.sign(false, b"content kept elsewhere", true),
    )
    .unwrap();
    let batch = |target: &Path, extra: &[&str]| {
        let mut a = vec![
            "verify".to_string(),
            "--batch".into(),
            target.to_str().unwrap().into(),
            "--jobs".into(),
            "2".into(),
            "--revocation".into(),
            "off".into(),
        ];
        a.extend(anchors.iter().cloned());
        a.extend(extra.iter().map(|s| s.to_string()));
        kyso(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, out, err) = batch(&docs, &[]);
    assert_eq!(code, 1, "one invalid file: exit 1\n{err}");
    let reports: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // 20 + 5 + attached + changed + notes.md + lonely: every file, none skipped.
    assert_eq!(reports.len(), 29, "{out}");
    let by_file = |suffix: &str| -> &Value {
        reports
            .iter()
            .find(|r| r["document"]["file"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no report for {suffix}"))
    };
    assert_eq!(by_file("inv07.txt.p7s")["indication"], "TOTAL_PASSED");
    assert!(by_file("inv07.txt.p7s")["document"]["content"]
        .as_str()
        .unwrap()
        .ends_with("inv07.txt"));
    assert_eq!(
        by_file("bo/cv3.txt.sig")["signatures"][0]["hierarchy"],
        "custom:gov_root"
    );
    assert_eq!(by_file("attached.p7m")["indication"], "TOTAL_PASSED");
    assert_eq!(by_file("changed.txt.p7s")["sub_indication"], "HASH_FAILURE");
    assert_eq!(by_file("notes.md")["sub_indication"], "FORMAT_FAILURE");
    assert_eq!(by_file("lonely.pdf.p7s")["sub_indication"], "SIGNED_DATA_NOT_FOUND");
    let valid = reports.iter().filter(|r| r["indication"] == "TOTAL_PASSED").count();
    assert_eq!(valid, 26);
    // The summary: files by verdict, signatures by hierarchy and by CA.
    let all = err
        .lines()
        .find(|l| l.trim_start().starts_with("all "))
        .unwrap_or_else(|| panic!("{err}"));
    let counts: Vec<&str> = all.split_whitespace().skip(1).collect();
    assert_eq!(counts, ["26", "1", "2", "29"], "{err}");
    assert!(err.contains("Signatures by hierarchy"), "{err}");
    assert!(err.contains("custom:pub_root"), "{err}");
    assert!(err.contains("Kyso Test VNPT-CA"), "{err}");
    assert!(err.contains("of which unreadable or not a signature: 2"), "{err}");
    let (_, _, err) = batch(&docs, &["--lang", "vi"]);
    assert!(err.contains("Chữ ký theo tổ chức cấp chứng thư"), "{err}");
    assert!(err.contains("chưa xác định"), "{err}");

    // A list: relative names, a comment, a signature with another name for its content, a
    // missing file; JSON Lines to a file.
    std::fs::copy(docs.join("inv03.txt.p7s"), docs.join("renamed.sig")).unwrap();
    let list = docs.join("list.txt");
    std::fs::write(
        &list,
        "# hóa đơn tháng 11\ninv00.txt.p7s\nrenamed.sig\tinv03.txt\n\nmissing.p7s\n",
    )
    .unwrap();
    let jsonl = dir.join("out.jsonl");
    let (code, out, err) = batch(&list, &["--output", jsonl.to_str().unwrap()]);
    assert_eq!(code, 2, "a missing file is indeterminate: exit 2\n{out}{err}");
    assert!(out.is_empty());
    let lines: Vec<Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let verdict = |suffix: &str| {
        lines
            .iter()
            .find(|r| r["document"]["file"].as_str().unwrap().ends_with(suffix))
            .map(|r| r["indication"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(verdict("inv00.txt.p7s"), "TOTAL_PASSED");
    assert_eq!(verdict("renamed.sig"), "TOTAL_PASSED");
    assert_eq!(verdict("missing.p7s"), "INDETERMINATE");
    // Only valid files: exit 0; --evidence keeps one folder per file.
    std::fs::write(&list, "inv00.txt.p7s\ninv01.txt.p7s\n").unwrap();
    let ev = dir.join("evidence");
    let (code, _, err) = batch(&list, &["--evidence", ev.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for sub in ["00001-inv00.txt.p7s", "00002-inv01.txt.p7s"] {
        let kept: Value =
            serde_json::from_str(&std::fs::read_to_string(ev.join(sub).join("report.json")).unwrap()).unwrap();
        assert_eq!(kept["indication"], "TOTAL_PASSED");
        assert!(ev.join(sub).join("report.vi.txt").is_file());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ctrl_c_stops_a_batch_with_the_summary_of_what_was_done() {
    use std::io::BufRead;
    let s = Signed::new();
    let dir = temp_dir("sigint");
    let anchors = s.anchors(&dir);
    std::fs::write(dir.join("a.txt"), "a").unwrap();
    std::fs::write(dir.join("a.txt.p7s"), s.sign(false, b"a", true)).unwrap();
    // A FIFO nobody writes to: reading it blocks for ever, like a file on a hung network share.
    let fifo = dir.join("hung.p7s");
    let st = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(st.success());
    let list = dir.join("list.txt");
    std::fs::write(&list, "a.txt.p7s\nhung.p7s\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args([
            "verify",
            "--batch",
            list.to_str().unwrap(),
            "--jobs",
            "2",
            "--revocation",
            "off",
        ])
        .args(&anchors)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) for the first report, then interrupt.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(std::time::Duration::from_secs(60));
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    let first = first.expect("the first file's report arrives before the interruption");
    let v: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["indication"], "TOTAL_PASSED");
    let status = status.expect("kyso stops within 30 s of Ctrl-C");
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("Stopped: verified 1/2"), "{err}");
    assert!(err.contains("not verified (stopped): 1"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Shell completions and the manual pages, generated from the clap definitions: bash accepts
/// the script (`bash -n`), and every command has its page.
#[test]
fn completions_and_man_pages() {
    let (code, bash, _) = kyso(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(bash.contains("_kyso()") && bash.contains("verify"), "{bash}");
    let dir = std::env::temp_dir().join(format!("kyso-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("kyso.bash");
    std::fs::write(&script, &bash).unwrap();
    let st = Command::new("bash").arg("-n").arg(&script).status().unwrap();
    assert!(st.success(), "bash -n rejects the completion script");
    for shell in ["zsh", "fish"] {
        let (code, out, _) = kyso(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("kyso") && out.contains("sign"), "{shell}: {out}");
    }
    let (code, page, _) = kyso(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH kyso 1") && page.contains(".SH NAME"), "{page}");
    let pages = dir.join("man");
    let (code, _, err) = kyso(&["man", "--dir", pages.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for name in ["kyso.1", "kyso-verify.1", "kyso-sign.1", "kyso-token-list.1"] {
        let text = std::fs::read_to_string(pages.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".SH NAME"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kyso auth`: a challenge, signed with key files in each form, accepted with the identity
/// and hierarchy named (exit 0); for another audience refused (exit 1); a response that
/// cannot be read is an error (exit 2).
#[test]
fn auth_challenge_sign_verify() {
    let pki = kyso_testpki::VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-cli-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let put = |name: &str, data: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        p.to_str().unwrap().to_string()
    };
    let key = put(
        "k.pem",
        kyso_testpki::pem("PRIVATE KEY", pki.officer.key.pkcs8()).as_bytes(),
    );
    let cert = put("c.pem", kyso_testpki::pem("CERTIFICATE", &pki.officer.cert).as_bytes());
    let sub = put(
        "sub.pem",
        kyso_testpki::pem("CERTIFICATE", &pki.gov_sub.cert).as_bytes(),
    );
    let root = put(
        "gov-root.pem",
        kyso_testpki::pem("CERTIFICATE", &pki.gov_root.cert).as_bytes(),
    );
    let audience = "https://motcua.example.gov.vn";
    let (code, challenge, err) = kyso(&["auth", "challenge", "--audience", audience, "--ttl", "120"]);
    assert_eq!(code, 0, "{err}");
    assert!(challenge.contains("kyso.auth-challenge/1"), "{challenge}");
    let ch = put("challenge.json", challenge.as_bytes());
    for form in ["raw", "cms", "jws"] {
        let resp = dir.join(format!("response.{form}"));
        let resp = resp.to_str().unwrap();
        let (code, _, err) = kyso(&[
            "auth", "sign", &ch, "--form", form, "--key", &key, "--cert", &cert, "--chain", &sub, "-o", resp,
        ]);
        assert_eq!(code, 0, "{form}: {err}");
        let (code, out, err) = kyso(&[
            "auth",
            "verify",
            &ch,
            resp,
            "--audience",
            audience,
            "--anchor",
            &root,
            "--json",
        ]);
        assert_eq!(code, 0, "{form}: {out}{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["accepted"], true);
        assert_eq!(v["form"], form);
        assert!(v["identity"]["ids"].as_array().is_some_and(|a| !a.is_empty()), "{out}");
        let (code, out, _) = kyso(&[
            "auth",
            "verify",
            &ch,
            resp,
            "--audience",
            "https://other.example.vn",
            "--json",
        ]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("\"wrong_audience\""), "{out}");
        let (code, out, err) = kyso(&["auth", "verify", &ch, resp, "--audience", audience, "--lang", "vi"]);
        // Both Vietnamese hierarchies by default: the test root is not one of them.
        assert_eq!(code, 1, "{form}: {out}{err}");
        assert!(out.starts_with("TỪ CHỐI"), "{out}");
    }
    let junk = put("junk", b"not a response");
    let (code, _, err) = kyso(&["auth", "verify", &ch, &junk, "--audience", audience]);
    assert_eq!(code, 2, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
