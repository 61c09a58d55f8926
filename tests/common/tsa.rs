//! `openssl ts -reply` as a real RFC 3161 TSA for the tests that time-stamp (CAdES, XAdES,
//! PAdES): shared by the test files that include it.

use std::path::PathBuf;
use std::process::Command;

use kyso::crypto::HashAlgorithm;
use kyso::sign::{SignError, TimestampAuthority};
use kyso::Certificate;
use kyso_testpki::der::{self, unix};
use kyso_testpki::{issue, ku, name, CertSpec, TestKey, VietnamTestPki};

/// `openssl ts -reply` as the TSA, one process per request.
pub struct OpensslTsa {
    /// Its folder (configuration, key, certificate, serial).
    pub dir: PathBuf,
}

impl OpensslTsa {
    /// A TSA certified by the public test root, in a folder of its own named by `tag`.
    pub fn new(pki: &VietnamTestPki, tag: &str) -> (OpensslTsa, Certificate) {
        let dir = std::env::temp_dir().join(format!("kyso-tsa-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = TestKey::load("tsa");
        // Like Vietnamese TSA certificates: issued straight by the national root, critical
        // extKeyUsage timeStamping.
        let cert = issue(
            &CertSpec {
                serial: 0x2800,
                subject: name(&[
                    ("C", "VN"),
                    ("O", "Kyso Test TSA"),
                    ("CN", "Kyso Test Time-Stamping Authority"),
                ]),
                not_before: unix(2025, 1, 1),
                not_after: unix(2035, 1, 1),
                key_usage: Some(ku::DIGITAL_SIGNATURE),
                extra: vec![("2.5.29.37".into(), true, der::seq(&[der::oid("1.3.6.1.5.5.7.3.8")]))],
                ..CertSpec::default()
            },
            &key,
            Some((&pki.pub_root.subject, &pki.pub_root.key)),
        );
        std::fs::write(dir.join("tsa.pem"), kyso_testpki::pem("CERTIFICATE", &cert)).unwrap();
        std::fs::write(dir.join("tsa.key"), kyso_testpki::pem("PRIVATE KEY", key.pkcs8())).unwrap();
        std::fs::write(dir.join("serial"), "01\n").unwrap();
        std::fs::write(
            dir.join("tsa.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = t\n[ t ]\ndir = {}\nserial = $dir/serial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.pem\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha1, sha256, sha384, sha512\naccuracy = secs:1\nordering = no\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n",
                dir.display()
            ),
        )
        .unwrap();
        (OpensslTsa { dir }, Certificate::from_der(&cert).unwrap())
    }
}

impl Drop for OpensslTsa {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

impl TimestampAuthority for OpensslTsa {
    fn timestamp(&self, hash: HashAlgorithm, digest: &[u8], nonce: &[u8]) -> Result<Vec<u8>, SignError> {
        let q = self.dir.join("q.tsq");
        let r = self.dir.join("r.tsr");
        std::fs::write(&q, kyso::cms::tsp::request_der(hash, digest, Some(nonce))).unwrap();
        let out = Command::new("openssl")
            .args(["ts", "-reply", "-config"])
            .arg(self.dir.join("tsa.cnf"))
            .arg("-queryfile")
            .arg(&q)
            .arg("-out")
            .arg(&r)
            .output()
            .expect("the openssl program is required");
        if !out.status.success() {
            return Err(SignError::Timestamp(kyso::sign::TimestampError::External(
                String::from_utf8_lossy(&out.stderr).into(),
            )));
        }
        kyso::cms::tsp::token_from_response(&std::fs::read(&r).unwrap())
            .map_err(|e| SignError::Timestamp(kyso::sign::TimestampError::Response(e)))
    }
}
