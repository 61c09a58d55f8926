//! Certificate input: every form, every real Vietnamese CA certificate and bundle, and
//! hostile input. The .p7b results are compared with what the `openssl` program finds.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use kyso::{InputError, InputFormat};
use serde_json::Value;

fn vectors() -> PathBuf {
    kyso_testpki::shared::root().join("vn-trust")
}

fn sha256_hex(b: &[u8]) -> String {
    hex::encode_upper(openssl::sha::sha256(b))
}

/// SHA-256 of every certificate `openssl` prints for a file, in its order.
fn openssl_certs(path: &Path) -> Vec<String> {
    let data = std::fs::read(path).unwrap();
    let pem_input = data.starts_with(b"-----");
    let is_p7 = path.extension().is_some_and(|e| e == "p7b");
    let mut cmd = Command::new("openssl");
    if is_p7 {
        cmd.args([
            "pkcs7",
            "-print_certs",
            "-inform",
            if pem_input { "PEM" } else { "DER" },
        ]);
    } else {
        cmd.args(["x509", "-inform", if pem_input { "PEM" } else { "DER" }]);
    }
    let out = cmd
        .arg("-in")
        .arg(path)
        .output()
        .expect("the openssl program is required by this test (the README's test command installs it)");
    assert!(
        out.status.success(),
        "openssl failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut hashes = Vec::new();
    let mut body = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line == "-----BEGIN CERTIFICATE-----" {
            inside = true;
            body.clear();
        } else if line == "-----END CERTIFICATE-----" {
            inside = false;
            let der = base64::engine::general_purpose::STANDARD.decode(&body).unwrap();
            hashes.push(sha256_hex(&der));
        } else if inside {
            body.push_str(line.trim());
        }
    }
    hashes
}

#[test]
fn every_raw_bundle_yields_what_openssl_finds() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(vectors().join("raw-p7b"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 18);
    let (mut ber, mut pem, mut total) = (0, 0, 0);
    for f in &files {
        let loaded = kyso::load(&std::fs::read(f).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let ours: Vec<String> = loaded.certificates.iter().map(|c| c.sha256_hex()).collect();
        let theirs = openssl_certs(f);
        assert!(!theirs.is_empty(), "{}", f.display());
        assert_eq!(ours, theirs, "{}: kyso and openssl disagree", f.display());
        ber += usize::from(loaded.ber);
        pem += usize::from(loaded.format == InputFormat::Pem);
        total += ours.len();
    }
    println!(
        "raw-p7b: {} files, {total} certificates, {ber} BER bundles, {pem} PEM-armoured; all equal to openssl's lists",
        files.len()
    );
    assert!(ber >= 8, "the BER bundles were not recognised as BER");
}

#[test]
fn unsorted_set_of_is_kept_in_stored_order() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    // VNPT-CA_SHA2.p7b stores the sub-CA before the root: a DER SET OF would sort them.
    let l = kyso::load(&std::fs::read(vectors().join("raw-p7b/VNPT-CA_SHA2.p7b")).unwrap()).unwrap();
    assert_eq!(l.format, InputFormat::Pkcs7Der);
    assert_eq!(l.certificates.len(), 2);
    let ders: Vec<&[u8]> = l.certificates.iter().map(|c| c.der()).collect();
    assert!(ders[0] > ders[1], "expected the stored (unsorted) order");
    assert!(l.certificates[0].subject().common_name().unwrap().contains("VNPT-CA"));
}

#[test]
fn every_vietnamese_ca_certificate_parses_and_matches_the_manifest() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let manifest: Value = serde_json::from_slice(&std::fs::read(vectors().join("MANIFEST.json")).unwrap()).unwrap();
    let entries = manifest.as_array().unwrap();
    assert_eq!(entries.len(), 62);
    for e in entries {
        let file = e["file"].as_str().unwrap();
        let certs = kyso::load_certificates(&std::fs::read(vectors().join(file)).unwrap()).unwrap();
        assert_eq!(certs.len(), 1, "{file}");
        let c = &certs[0];
        assert_eq!(c.sha256_hex(), e["sha256"].as_str().unwrap(), "{file}");
        assert_eq!(hex::encode_upper(c.sha1()), e["sha1"].as_str().unwrap(), "{file}");
        // The manifest writes serials without leading zero octets; kyso keeps the encoding.
        assert_eq!(
            c.serial_hex().trim_start_matches('0'),
            e["serial"].as_str().unwrap().trim_start_matches('0'),
            "{file}"
        );
        assert_eq!(c.public_key().unwrap().describe(), e["key"].as_str().unwrap(), "{file}");
        assert_eq!(
            c.signature_algorithm().unwrap().name(),
            e["sig_alg"].as_str().unwrap(),
            "{file}"
        );
        assert_eq!(
            c.not_before().rfc3339().replace('Z', "+00:00"),
            e["not_before"].as_str().unwrap(),
            "{file}"
        );
        assert_eq!(
            c.not_after().rfc3339().replace('Z', "+00:00"),
            e["not_after"].as_str().unwrap(),
            "{file}"
        );
        assert_eq!(c.is_self_issued(), e["self_signed"].as_bool().unwrap(), "{file}");
        assert!(
            c.extensions().unknown_critical().is_empty(),
            "{file}: {:?}",
            c.extensions().unknown_critical()
        );
    }
    // The 15 legacy intermediates, pinned by SOURCES.tsv.
    let sources = std::fs::read_to_string(vectors().join("legacy/SOURCES.tsv")).unwrap();
    let mut n = 0;
    for line in sources.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let certs = kyso::load_certificates(&std::fs::read(vectors().join("legacy").join(cols[0])).unwrap()).unwrap();
        assert_eq!(certs[0].sha256_hex(), cols[3], "{}", cols[0]);
        n += 1;
    }
    assert_eq!(n, 15);
}

fn one_cert() -> Vec<u8> {
    kyso::load_certificates(
        &std::fs::read(vectors().join("vgca/RootCA-chuyen-dung-Chinh-phu-G2__20180822.pem")).unwrap(),
    )
    .unwrap()[0]
        .der()
        .to_vec()
}

#[test]
fn every_input_form() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let der = one_cert();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let wrapped: String = b64
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let pem = format!("-----BEGIN CERTIFICATE-----\n{wrapped}-----END CERTIFICATE-----\n");

    let l = kyso::load(&der).unwrap();
    assert_eq!((l.format, l.certificates.len()), (InputFormat::Der, 1));
    let l = kyso::load(pem.as_bytes()).unwrap();
    assert_eq!((l.format, l.certificates.len()), (InputFormat::Pem, 1));
    // Several blocks, CRLF line ends, text around them, and a private key block skipped.
    let many = format!(
        "Bag Attributes\r\n{}\r\n-----BEGIN PRIVATE KEY-----\r\nAAAA\r\n-----END PRIVATE KEY-----\r\n{pem}{pem}",
        pem.replace('\n', "\r\n")
    );
    let l = kyso::load(many.as_bytes()).unwrap();
    assert_eq!((l.format, l.certificates.len()), (InputFormat::Pem, 3));
    // Bare base64, one line and wrapped.
    assert_eq!(kyso::load(b64.as_bytes()).unwrap().format, InputFormat::Base64);
    assert_eq!(kyso::load(wrapped.as_bytes()).unwrap().certificates.len(), 1);
    // DER with a trailing newline and NULs, as some Windows exports have.
    let mut padded = der.clone();
    padded.extend_from_slice(b"\r\n\0\0");
    assert_eq!(kyso::load(&padded).unwrap().certificates.len(), 1);
    // A PEM-armoured PKCS#7 bundle.
    assert_eq!(
        kyso::load(&std::fs::read(vectors().join("raw-p7b/MKCARS.p7b")).unwrap())
            .unwrap()
            .format,
        InputFormat::Pem
    );
}

#[test]
fn truncated_and_corrupted_input_is_a_typed_error_never_a_panic() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let der = one_cert();
    for cut in 0..der.len() {
        let r = kyso::load(&der[..cut]);
        assert!(r.is_err(), "a truncated certificate ({cut} bytes) loaded");
    }
    // Every bundle, cut at every length: never a panic, never a silently shorter list.
    for name in ["VNPAY-CA_RS.p7b", "vnca-lta.p7b", "VNPT-CA_SHA2.p7b"] {
        let data = std::fs::read(vectors().join("raw-p7b").join(name)).unwrap();
        let full = kyso::load(&data).unwrap().certificates.len();
        for cut in 1..data.len() {
            if let Ok(l) = kyso::load(&data[..cut]) {
                // Only a cut inside the trailing zero octets of the empty signerInfos can
                // still hold every certificate.
                assert_eq!(l.certificates.len(), full, "{name} cut at {cut}");
            }
        }
    }
    // Flip each byte of the TBS: the certificate either fails to parse or parses to a
    // different fingerprint — it is never the same certificate.
    let original = kyso::Certificate::from_der(&der).unwrap();
    for i in (0..der.len()).step_by(7) {
        let mut bad = der.clone();
        bad[i] ^= 0x55;
        if let Ok(c) = kyso::Certificate::from_der(&bad) {
            assert_ne!(c.sha256(), original.sha256());
        }
    }
    // A 100 MB garbage file is refused by size before anything is parsed.
    let big = vec![0x30u8; 100 << 20];
    assert!(matches!(kyso::load(&big), Err(InputError::TooLarge { .. })));
}
