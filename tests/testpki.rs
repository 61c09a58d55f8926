//! The generated test PKI is read back by kyso and accepted by OpenSSL, so the demo and the
//! later suites stand on certificates a real peer agrees with.

use std::process::Command;

use kyso::vn::{IdKind, Identity};
use kyso::{crypto, Certificate, Hierarchy, TrustStore};
use kyso_testpki::VietnamTestPki;

#[test]
fn openssl_verifies_both_generated_hierarchies_and_refuses_the_rogue() {
    let pki = VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-testpki-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, ders: &[&[u8]]| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            ders.iter()
                .map(|d| kyso_testpki::pem("CERTIFICATE", d))
                .collect::<String>(),
        )
        .unwrap();
        p
    };
    let roots = write("roots.pem", &[&pki.gov_root.cert, &pki.pub_root.cert]);
    let subs = write("subs.pem", &[&pki.gov_sub.cert, &pki.pub_sub.cert]);
    for (leaf, ok) in [(&pki.company, true), (&pki.officer, true), (&pki.rogue_leaf, false)] {
        let l = write(&format!("{}.pem", leaf.label), &[&leaf.cert]);
        let out = Command::new("openssl")
            .args([
                "verify",
                "-x509_strict",
                "-policy_check",
                "-attime",
                "1795428000",
                "-CAfile",
            ])
            .arg(&roots)
            .arg("-untrusted")
            .arg(&subs)
            .arg(&l)
            .output()
            .expect("the openssl program is required");
        assert_eq!(
            out.status.success(),
            ok,
            "{}: {}",
            leaf.label,
            String::from_utf8_lossy(&out.stdout)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn kyso_reads_the_generated_pki() {
    let pki = VietnamTestPki::build();
    let mut store = TrustStore::new();
    store.add_anchor(
        Certificate::from_der(&pki.gov_root.cert).unwrap(),
        Hierarchy::Government,
    );
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    store.add_intermediate(Certificate::from_der(&pki.gov_sub.cert).unwrap(), Hierarchy::Government);
    store.add_intermediate(Certificate::from_der(&pki.pub_sub.cert).unwrap(), Hierarchy::Public);
    let company = Certificate::from_der(&pki.company.cert).unwrap();
    let officer = Certificate::from_der(&pki.officer.cert).unwrap();
    let rogue = Certificate::from_der(&pki.rogue_leaf.cert).unwrap();
    let p = crypto::default_provider();
    assert_eq!(store.identify(&company, p).unwrap().hierarchy, Hierarchy::Public);
    assert_eq!(store.identify(&officer, p).unwrap().hierarchy, Hierarchy::Government);
    assert!(store.identify(&rogue, p).is_none(), "same names, other key: not placed");
    let id = Identity::of(&officer);
    assert_eq!(id.ids.len(), 2);
    assert_eq!(id.ids[0].kind, IdKind::Cccd);
    assert_eq!(id.ids[1].parent_tax_code(), Some("0100000001"));
    assert_eq!(id.email, vec!["nvan@bothunghiem.gov.vn".to_string()]);
    assert_eq!(Identity::of(&company).tax_code(), Some("0109999999"));
}
