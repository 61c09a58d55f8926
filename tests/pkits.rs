//! NIST PKITS: every run of ../shared/vectors/pkits/index.json with its policy settings and its
//! CRLs, revocation checked in hard-fail mode as PKITS assumes.
//! DSA is out of scope: its runs must end in a refusal, never in "valid".

use std::path::PathBuf;

use kyso::crypto::{self, AlgorithmPolicy};
use kyso::path::{self, LeafKeyUsage, PathOptions, PolicySettings, Verdict};
use kyso::revocation::{Crl, RevocationEvidence, RevocationMode, RevocationOptions};
use kyso::Oid;
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use serde_json::Value;
use std::sync::Arc;

/// DSA runs: kyso has no DSA; a valid DSA path can only be reported as unsupported.
const DSA: &[&str] = &["4.1.4", "4.1.5", "4.1.6"];

fn dir() -> PathBuf {
    kyso_testpki::shared::root().join("vectors/pkits")
}

fn cert(rel: &str) -> Certificate {
    Certificate::from_der(&std::fs::read(dir().join(rel)).unwrap()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn oids(v: &Value) -> Vec<Oid> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| Oid::from_dotted(s.as_str().unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn pkits() {
    let Some(_) = kyso_testpki::shared::vectors("pkits") else {
        return;
    };
    let index: Value = serde_json::from_slice(&std::fs::read(dir().join("index.json")).unwrap()).unwrap();
    let policy_oids = &index["policy_oids"];
    let tests = index["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 249);
    let (mut pass, mut fail, mut dsa) = (0, Vec::new(), Vec::new());
    for t in tests {
        let number = t["pkits_number"].as_str().unwrap();
        let id = t["id"].as_str().unwrap();
        let mut store = TrustStore::new();
        store.add_anchor(
            cert(t["trust_anchor"].as_str().unwrap()),
            Hierarchy::Custom("pkits".into()),
        );
        let pool: Vec<Certificate> = t["intermediates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| cert(p.as_str().unwrap()))
            .collect();
        let leaf = cert(t["ee"].as_str().unwrap());
        let s = &t["settings"];
        let mut o = PathOptions::at(Time::parse_rfc3339(t["validation_time"].as_str().unwrap()).unwrap());
        o.algorithms = AlgorithmPolicy::LEGACY;
        // Revocation on, hard-fail: every certificate needs a usable CRL (PKITS's setting).
        let crls: Vec<Crl> = t["crls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| Crl::from_bytes(&std::fs::read(dir().join(p.as_str().unwrap())).unwrap()).unwrap())
            .collect();
        o.revocation = RevocationOptions {
            mode: RevocationMode::Hard,
            evidence: Arc::new(RevocationEvidence::from_crls(crls)),
        };
        o.leaf_key_usage = LeafKeyUsage::Any;
        o.policy = PolicySettings {
            initial_policy_set: oids(&t["settings_oids"]["initial_policy_set"]),
            initial_explicit_policy: s["initial_explicit_policy"].as_bool().unwrap(),
            initial_policy_mapping_inhibit: s["initial_policy_mapping_inhibit"].as_bool().unwrap(),
            initial_any_policy_inhibit: s["initial_inhibit_any_policy"].as_bool().unwrap(),
        };
        let r = path::verify_chain(&leaf, &pool, &store, &o, crypto::default_provider());
        let expected_valid = t["expected"] == "valid";
        let ok = (r.verdict == Verdict::Valid) == expected_valid;
        // For valid runs the user-constrained policy set must match too.
        if ok && expected_valid {
            let mut want: Vec<String> = t["expected_user_constrained_policy_set"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| policy_oids[n.as_str().unwrap()].as_str().unwrap().to_string())
                .collect();
            let mut got: Vec<String> = r.policies.iter().map(Oid::dotted).collect();
            want.sort();
            got.sort();
            if want != got {
                fail.push(format!("{number} {id}: policies {got:?}, expected {want:?}"));
                continue;
            }
        }
        if DSA.contains(&number) {
            assert_ne!(r.verdict, Verdict::Valid, "{id}: a DSA path was accepted");
            if !expected_valid {
                // 4.1.6: an invalid DSA signature, refused (kyso refuses every DSA path).
                pass += 1;
                continue;
            }
            dsa.push(format!("{id}: {}", r.error.map(|e| e.describe()).unwrap_or_default()));
            continue;
        }
        if ok {
            pass += 1;
        } else {
            fail.push(format!(
                "{number} {id}: expected {}, got {:?} {:?}",
                t["expected"],
                r.verdict,
                r.error.map(|e| e.describe())
            ));
        }
    }
    println!(
        "PKITS: {} runs: {pass} passed, {} failed, {} valid DSA runs unsupported (kyso has no DSA)",
        tests.len(),
        fail.len(),
        dsa.len()
    );
    for f in &fail {
        println!("  FAIL {f}");
    }
    for d in &dsa {
        println!("  DSA  {d}");
    }
    assert!(fail.is_empty(), "{} PKITS runs failed", fail.len());
    assert_eq!(pass, 247, "every run but the two valid DSA ones");
}
