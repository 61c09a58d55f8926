//! OCSP against a real peer: kyso writes the request, `openssl ocsp` answers it as a
//! responder (the CA itself, or a delegated responder with id-kp-OCSPSigning), and kyso
//! verifies the answer inside path validation. Plus the public parsing vectors.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use kyso::crypto::{self, HashAlgorithm};
use kyso::path::{self, PathError, PathOptions, Verdict};
use kyso::revocation::{ocsp_request_der, OcspError};
use kyso::revocation::{
    CertId, CertStatus, OcspResponse, RevocationEvidence, RevocationMode, RevocationOptions, RevocationReason,
};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::{issue, ku, name, CertSpec, TestKey, VietnamTestPki};

struct Peer {
    dir: PathBuf,
}

impl Peer {
    fn new(tag: &str) -> Peer {
        let dir = std::env::temp_dir().join(format!("kyso-ocsp-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Peer { dir }
    }
    fn write(&self, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, data).unwrap();
        p
    }
    /// `openssl ocsp` in responder mode on one request file.
    fn answer(&self, req: &[u8], ca: &Path, signer: &Path, key: &Path, index: &Path) -> Vec<u8> {
        let reqf = self.write("req.der", req);
        let respf = self.dir.join("resp.der");
        let out = Command::new("openssl")
            .args(["ocsp", "-ndays", "1", "-index"])
            .arg(index)
            .arg("-CA")
            .arg(ca)
            .arg("-rsigner")
            .arg(signer)
            .arg("-rkey")
            .arg(key)
            .arg("-reqin")
            .arg(&reqf)
            .arg("-respout")
            .arg(&respf)
            .output()
            .expect("the openssl program is required");
        assert!(
            out.status.success(),
            "openssl ocsp: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(respf).unwrap()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

fn key_pem(k: &TestKey) -> String {
    kyso_testpki::pem("PRIVATE KEY", k.pkcs8())
}

#[test]
fn openssl_responder_answers_kyso_requests_and_kyso_verifies_them() {
    let pki = VietnamTestPki::build();
    let c = |d: &[u8]| Certificate::from_der(d).unwrap();
    let (root, sub, company) = (c(&pki.pub_root.cert), c(&pki.pub_sub.cert), c(&pki.company.cert));
    // A second leaf, revoked; and a delegated responder with id-kp-OCSPSigning.
    let revoked_leaf = c(&issue(
        &CertSpec {
            serial: 0x2004,
            subject: name(&[("C", "VN"), ("CN", "Revoked signer"), ("UID", "MST:0109999998")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
            ..CertSpec::default()
        },
        &TestKey::load("leaf-c"),
        Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
    ));
    let responder_key = TestKey::load("ocsp");
    let responder = c(&issue(
        &CertSpec {
            serial: 0x2005,
            subject: name(&[("C", "VN"), ("CN", "Kyso Test VNPT-CA OCSP")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE),
            eku: vec!["1.3.6.1.5.5.7.3.9".into()],
            extra: vec![("1.3.6.1.5.5.7.48.1.5".into(), false, vec![0x05, 0x00])],
            ..CertSpec::default()
        },
        &responder_key,
        Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
    ));

    let peer = Peer::new("offline");
    let ca_pem = peer.write("ca.pem", kyso_testpki::pem("CERTIFICATE", sub.der()));
    let ca_key = peer.write("ca.key", key_pem(&pki.pub_sub.key));
    let rs_pem = peer.write("responder.pem", kyso_testpki::pem("CERTIFICATE", responder.der()));
    let rs_key = peer.write("responder.key", key_pem(&responder_key));
    let index = peer.write(
        "index.txt",
        format!(
            "V\t{exp}\t\t2003\tunknown\t/CN=company\nR\t{exp}\t{rev},keyCompromise\t2004\tunknown\t/CN=revoked\n",
            exp = kyso_testpki::openssl_index_time(unix(2035, 1, 1)),
            rev = kyso_testpki::openssl_index_time(unix(2026, 3, 1)),
        ),
    );

    let mut store = TrustStore::new();
    store.add_anchor(root, Hierarchy::Public);
    let pool = vec![sub.clone()];
    let provider = crypto::default_provider();
    let now = Time::now();
    let validate = |leaf: &Certificate, resp: OcspResponse| {
        let mut o = PathOptions::at(now);
        o.revocation = RevocationOptions {
            mode: RevocationMode::Soft,
            evidence: Arc::new(RevocationEvidence::default().with_ocsp(vec![resp])),
        };
        path::verify_chain(leaf, &pool, &store, &o, provider)
    };

    for (signer, key, label) in [
        (&rs_pem, &rs_key, "delegated responder"),
        (&ca_pem, &ca_key, "the CA itself"),
    ] {
        for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256] {
            // Good.
            let nonce = [7u8; 16];
            let req = ocsp_request_der(&CertId::new(&company, &sub, hash, provider), Some(&nonce));
            let resp = OcspResponse::from_der(&peer.answer(&req, &ca_pem, signer, key, &index)).unwrap();
            assert_eq!(resp.nonce.as_deref(), Some(&nonce[..]), "{label}: nonce echoed");
            let r = validate(&company, resp);
            assert_eq!(r.verdict, Verdict::Valid, "{label} {hash:?}: {:?}", r.error);
            match &r.revocation[0] {
                CertStatus::Good { source } => assert_eq!(source.kind, "ocsp"),
                other => panic!("{label}: {other:?}"),
            }
            // Revoked.
            let req = ocsp_request_der(&CertId::new(&revoked_leaf, &sub, hash, provider), None);
            let resp = OcspResponse::from_der(&peer.answer(&req, &ca_pem, signer, key, &index)).unwrap();
            let r = validate(&revoked_leaf, resp);
            assert!(
                matches!(
                    r.error,
                    Some(PathError::Revoked {
                        index: 0,
                        reason: RevocationReason::KeyCompromise,
                        ..
                    })
                ),
                "{label} {hash:?}: {:?}",
                r.error
            );
        }
    }

    // A response for another certificate is no evidence for this one; a response signed by a
    // key the issuer never certified is refused.
    let req = ocsp_request_der(&CertId::new(&company, &sub, HashAlgorithm::Sha1, provider), None);
    let good = OcspResponse::from_der(&peer.answer(&req, &ca_pem, &rs_pem, &rs_key, &index)).unwrap();
    let r = validate(&revoked_leaf, good);
    assert!(matches!(r.revocation[0], CertStatus::Unknown { .. }));
    let rogue_key = TestKey::load("rogue-root");
    let rogue_cert = issue(
        &CertSpec {
            serial: 0x9999,
            subject: name(&[("C", "VN"), ("CN", "Kyso Test VNPT-CA OCSP")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            eku: vec!["1.3.6.1.5.5.7.3.9".into()],
            ..CertSpec::default()
        },
        &rogue_key,
        None,
    );
    let rogue_pem = peer.write("rogue.pem", kyso_testpki::pem("CERTIFICATE", &rogue_cert));
    let rogue_keyf = peer.write("rogue.key", key_pem(&rogue_key));
    let forged = OcspResponse::from_der(&peer.answer(&req, &ca_pem, &rogue_pem, &rogue_keyf, &index)).unwrap();
    let r = validate(&company, forged);
    match &r.revocation[0] {
        CertStatus::Unknown { why } => assert!(
            matches!(why, kyso::revocation::UnknownReason::OcspBadResponder { .. }),
            "{why}"
        ),
        other => panic!("forged response accepted: {other:?}"),
    }
}

#[test]
fn public_ocsp_vectors() {
    let Some(dir) = kyso_testpki::shared::vectors("ocsp") else {
        return;
    };
    let read = |rel: &str| std::fs::read(dir.join(rel)).unwrap();
    // A real DoD response: 20 single responses, 8 revoked, responder certificate embedded.
    let dod = OcspResponse::from_der(&read("rustcrypto-x509-ocsp/DODEMAILCA_63-resp.der")).unwrap();
    assert_eq!(dod.responses.len(), 20);
    let revoked = dod
        .responses
        .iter()
        .filter(|r| matches!(r.status, kyso::revocation::OcspCertStatus::Revoked { .. }))
        .count();
    assert_eq!(revoked, 8);
    assert_eq!(dod.certs.len(), 1);
    // Error statuses are typed.
    assert_eq!(
        OcspResponse::from_der(&read("rustcrypto-x509-ocsp/ocsp-internal-error.der")).unwrap_err(),
        OcspError::Status(2)
    );
    assert_eq!(
        OcspResponse::from_der(&read("pyca-vectors/resp-unauthorized.der")).unwrap_err(),
        OcspError::Status(6)
    );
    assert!(OcspResponse::from_der(&read("rustcrypto-x509-ocsp/ocsp-malformed.der")).is_err());
    assert!(OcspResponse::from_der(&read("pyca-vectors/resp-response-type-unknown-oid.der")).is_err());
    // Every vector: parsed or refused, never a panic; truncations refused.
    let mut parsed = 0;
    for sub in ["pyca-vectors", "rustcrypto-x509-ocsp"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if !p.to_string_lossy().contains("res") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            if OcspResponse::from_der(&bytes).is_ok() {
                parsed += 1;
                for cut in (0..bytes.len()).step_by(31) {
                    assert!(OcspResponse::from_der(&bytes[..cut]).is_err());
                }
            }
        }
    }
    assert!(parsed >= 10, "{parsed}");
}
