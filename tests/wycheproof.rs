//! Every Wycheproof signature vector in ../shared/vectors/wycheproof, on every compiled provider.
//!
//! Rule for "acceptable" vectors: the only ones here are RSA PKCS#1 v1.5 signatures whose
//! DigestInfo omits the NULL hash parameters (flag MissingNull). kyso accepts only the
//! encoding with NULL — what RFC 8017 §9.2 produces and what every Vietnamese CA emits — so
//! these are rejected, and the test checks that they are.

use kyso::crypto::{self, AlgorithmPolicy, Curve, HashAlgorithm, PublicKey, SignatureAlgorithm};
use kyso::CryptoError;
use serde_json::Value;

fn hash(name: &str) -> HashAlgorithm {
    match name {
        "SHA-1" => HashAlgorithm::Sha1,
        "SHA-224" => HashAlgorithm::Sha224,
        "SHA-256" => HashAlgorithm::Sha256,
        "SHA-384" => HashAlgorithm::Sha384,
        "SHA-512" => HashAlgorithm::Sha512,
        other => panic!("unexpected hash {other}"),
    }
}

#[derive(Default, Debug)]
struct Counts {
    valid_accepted: usize,
    invalid_rejected: usize,
    acceptable_rejected: usize,
    legacy_checked: usize,
    failures: Vec<String>,
}

fn run_file(provider: &dyn crypto::CryptoProvider, path: &std::path::Path, c: &mut Counts) {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let schema = doc["schema"].as_str().unwrap();
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    for group in doc["testGroups"].as_array().unwrap() {
        let key_der = hex::decode(group["publicKeyDer"].as_str().unwrap()).unwrap();
        let key = PublicKey::from_spki_der(&key_der);
        let h = hash(group["sha"].as_str().unwrap());
        let p1363 = schema.starts_with("ecdsa_p1363");
        let alg = if schema.starts_with("ecdsa") {
            SignatureAlgorithm::Ecdsa { hash: h }
        } else if schema.starts_with("rsassa_pkcs1") {
            SignatureAlgorithm::RsaPkcs1 { hash: h }
        } else {
            SignatureAlgorithm::RsaPss {
                hash: h,
                mgf1_hash: hash(group["mgfSha"].as_str().unwrap()),
                salt_len: group["sLen"].as_u64().unwrap() as usize,
            }
        };
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].to_string();
            let msg = hex::decode(t["msg"].as_str().unwrap()).unwrap();
            let mut sig = hex::decode(t["sig"].as_str().unwrap()).unwrap();
            let result = t["result"].as_str().unwrap();
            let outcome = match &key {
                Err(e) => Err(e.clone()),
                Ok(key) => {
                    if p1363 {
                        let curve = match key {
                            PublicKey::Ec { curve, .. } => *curve,
                            _ => Curve::P256,
                        };
                        match crypto::ecdsa_p1363_to_der(&sig, curve) {
                            Ok(der) => sig = der,
                            Err(e) => sig = vec![e.to_string().len() as u8], // cannot verify
                        }
                    }
                    let r = crypto::verify_signature(provider, AlgorithmPolicy::LEGACY, &alg, key, &msg, &sig);
                    // A legacy (SHA-1) signature must be refused under the strict policy,
                    // before any math, whatever the vector's verdict.
                    if alg.hash() == HashAlgorithm::Sha1
                        || matches!(
                            alg,
                            SignatureAlgorithm::RsaPss {
                                mgf1_hash: HashAlgorithm::Sha1,
                                ..
                            }
                        )
                    {
                        let strict = crypto::verify_signature(provider, AlgorithmPolicy::STRICT, &alg, key, &msg, &sig);
                        assert!(
                            matches!(strict, Err(CryptoError::LegacyAlgorithmRejected { .. })),
                            "{file} #{id}: SHA-1 accepted under the strict policy: {strict:?}"
                        );
                        c.legacy_checked += 1;
                    } else if let Ok(v) = &r {
                        assert!(v.legacy.is_empty(), "{file} #{id}: unexpected legacy flag");
                    }
                    r.map(|_| ())
                }
            };
            match (result, &outcome) {
                ("valid", Ok(())) => c.valid_accepted += 1,
                ("invalid", Err(_)) => c.invalid_rejected += 1,
                ("acceptable", Err(_)) => c.acceptable_rejected += 1,
                _ => c.failures.push(format!(
                    "{file} #{id} ({}): expected {result}, got {outcome:?}",
                    t["comment"]
                )),
            }
        }
    }
}

#[test]
fn wycheproof_all_vectors_all_providers() {
    let Some(dir) = kyso_testpki::shared::vectors("wycheproof/testvectors_v1") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 34, "expected 34 Wycheproof files");
    let providers = crypto::all_providers();
    assert!(!providers.is_empty());
    for provider in providers {
        let mut c = Counts::default();
        for f in &files {
            run_file(provider, f, &mut c);
        }
        let total = c.valid_accepted + c.invalid_rejected + c.acceptable_rejected + c.failures.len();
        println!(
            "wycheproof [{}]: {total} vectors: {} valid accepted, {} invalid rejected, {} acceptable rejected (MissingNull rule), {} SHA-1 vectors refused under the strict policy, {} failures",
            provider.name(),
            c.valid_accepted,
            c.invalid_rejected,
            c.acceptable_rejected,
            c.legacy_checked,
            c.failures.len()
        );
        for f in c.failures.iter().take(40) {
            println!("  FAIL {f}");
        }
        assert_eq!(total, 8296);
        assert!(
            c.failures.is_empty(),
            "{} Wycheproof failures on {}",
            c.failures.len(),
            provider.name()
        );
        assert_eq!(
            (c.valid_accepted, c.invalid_rejected, c.acceptable_rejected),
            (3497, 4790, 9)
        );
    }
}
