//! RFC 3161: every verdict of ../shared/vectors/tsp/manifest.json reproduced.

use std::path::PathBuf;

use kyso::cms::tsp::{self, TspError};
use kyso::cms::SignerError;
use kyso::crypto;
use kyso::path::PathOptions;
use kyso::{Certificate, Hierarchy, Time, TrustStore};

fn dir() -> PathBuf {
    kyso_testpki::shared::root().join("vectors/tsp/rfc3161-client")
}

/// The chain file: TSA leaf first, root last. The root is trusted, the rest is the pool.
fn chain(sub: &str) -> (TrustStore, Vec<Certificate>) {
    let mut certs = kyso::load_certificates(&std::fs::read(dir().join(sub).join("ts_chain.pem")).unwrap()).unwrap();
    let root = certs.pop().unwrap();
    let mut s = TrustStore::new();
    s.add_anchor(root, Hierarchy::Custom(sub.into()));
    (s, certs)
}

fn token(sub: &str, file: &str) -> Result<Vec<u8>, TspError> {
    tsp::token_from_response(&std::fs::read(dir().join(sub).join(file)).unwrap())
}

fn verify(sub: &str, file: &str, data: &[u8], pool_too: bool) -> Result<tsp::Timestamp, TspError> {
    let (store, pool) = chain(sub);
    let pool = if pool_too { pool } else { Vec::new() };
    let t = token(sub, file)?;
    tsp::verify_token_over(
        &t,
        data,
        None,
        &store,
        &pool,
        &PathOptions::at(Time::now()),
        crypto::default_provider(),
    )
}

#[test]
fn manifest_verdicts() {
    let Some(_) = kyso_testpki::shared::vectors("tsp") else {
        return;
    };
    // sigstage: SHA-256/384/512 imprints of "hello" — valid.
    for f in ["response-sha256.tsr", "response-sha384.tsr", "response-sha512.tsr"] {
        let ts = verify("sigstage", f, b"hello", false).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(ts.tsa.subject().display().len() > 3);
    }
    // No embedded certificate: valid with the TSA certificate supplied, not without.
    verify("sigstage", "response-no-embedded-cert.tsr", b"hello", true).unwrap();
    assert_eq!(
        verify("sigstage", "response-no-embedded-cert.tsr", b"hello", false).unwrap_err(),
        TspError::Signer(SignerError::CertificateNotFound)
    );
    // A twiddled signature: invalid.
    assert!(matches!(
        verify("sigstage", "response-invalid-signature.tsr", b"hello", true),
        Err(TspError::Signer(SignerError::Signature(_)))
    ));
    // Other data: the imprint does not match.
    assert_eq!(
        verify("sigstage", "response-sha256.tsr", b"hellO", true).unwrap_err(),
        TspError::ImprintMismatch
    );
    // test_tsa: 3-certificate chain, the nonce of request.der.
    let ts = verify("test_tsa", "response.tsr", b"hello", true).unwrap();
    assert!(ts.info.nonce.is_some());
    // Injected certificates: the TSA is found by the SignerInfo's identifier, so it is never the
    // spoofed one in front of the bag.
    let ts = verify("test_tsa", "response-injected-certs.tsr", b"hello", true).unwrap();
    assert!(!ts.tsa.subject().display().contains("Spoofed"), "{}", ts.tsa.subject());
    // Another TSA run does not chain to this root.
    match verify("test_tsa", "other_response.tsr", b"hello", true) {
        Err(TspError::Signer(SignerError::Chain(e))) => {
            let reason = e.describe();
            assert!(reason.contains("no path to a trusted anchor"), "{reason}")
        }
        other => panic!("{:?}", other.map(|t| t.info.gen_time)),
    }
    // Expired TSA certificate, valid at genTime (2023-02-01).
    let payload = std::fs::read(dir().join("sigstore.mock/payload")).unwrap();
    let ts = verify("sigstore.mock", "response-expired.tsr", &payload, true).unwrap();
    assert_eq!(ts.info.gen_time.rfc3339()[..10], *"2023-02-01");
    // IdenTrust: the TSA leaf is not the first certificate.
    let ts = verify("identrust", "issue-104.tsr", b"hello", true).unwrap();
    assert!(ts.tsa.subject().display().contains("IdenTrust"), "{}", ts.tsa.subject());
}

#[test]
fn nonce_and_requests() {
    let Some(_) = kyso_testpki::shared::vectors("tsp") else {
        return;
    };
    let req = std::fs::read(dir().join("test_tsa/request.der")).unwrap();
    // The nonce of request.der: the 8-byte INTEGER after the imprint.
    let (store, pool) = chain("test_tsa");
    let t = token("test_tsa", "response.tsr").unwrap();
    let sd = kyso::cms::SignedData::from_bytes(&t).unwrap();
    assert!(sd.content.is_some());
    let wrong = [1u8, 2, 3];
    let digest = crypto::default_provider().digest(kyso::crypto::HashAlgorithm::Sha512, b"hello");
    let r = tsp::verify_token(
        &t,
        &digest,
        Some(&wrong),
        &store,
        &pool,
        &PathOptions::at(Time::now()),
        crypto::default_provider(),
    );
    assert_eq!(r.unwrap_err(), TspError::NonceMismatch);
    assert!(req.len() > 20);
    // Requests kyso writes parse as DER with openssl.
    let ours = tsp::request_der(kyso::crypto::HashAlgorithm::Sha256, &[7u8; 32], Some(&[0x85, 1, 2, 3]));
    let f = std::env::temp_dir().join(format!("kyso-tsq-{}", std::process::id()));
    std::fs::write(&f, &ours).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["ts", "-query", "-in"])
        .arg(&f)
        .arg("-text")
        .output()
        .expect("openssl");
    std::fs::remove_file(&f).ok();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("Nonce: 0x85010203") && text.contains("Certificate required: yes"),
        "{text}"
    );
}
