//! The Vietnam profile on real certificates: the embedded bundle, the hierarchy of every CA
//! certificate in ../shared/vn-trust, identities, and each quirk of VIETNAM-PKI.md.

use std::path::PathBuf;

use kyso::report::Indication;
use kyso::vn::{self, IdKind, Identity, Quirk};
use kyso::{crypto, Certificate, Hierarchy, Time, TrustStore};

fn dir() -> PathBuf {
    kyso_testpki::shared::root().join("vn-trust")
}

fn cert(rel: &str) -> Certificate {
    kyso::load_certificates(&std::fs::read(dir().join(rel)).unwrap())
        .unwrap()
        .remove(0)
}

const GOV_LEGACY: [&str; 6] = [
    "BCA_BIN.pem",
    "BNG_BIN.pem",
    "BTC_BIN.pem",
    "CP_BIN.pem",
    "DCS_BIN.pem",
    "VGCA_ROOTCA_BIN.pem",
];

#[test]
fn bundle_loads_every_pinned_certificate() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    assert!(vn::bundle_rejected().is_empty(), "{:?}", vn::bundle_rejected());
    assert_eq!(vn::bundle().len(), 74, "77 files, 3 duplicates");
    let store = TrustStore::vietnam();
    assert_eq!(store.anchors().len(), 10);
    assert_eq!(store.intermediates().len(), 64);
    let gov = store
        .anchors()
        .iter()
        .filter(|a| a.hierarchy == Hierarchy::Government)
        .count();
    assert_eq!(gov, 2, "G1 and G2");
    assert_eq!(store.bundle_date(), Some(vn::BUNDLE_DATE));
    for a in store.anchors() {
        assert!(
            a.certificate.is_self_issued() && a.certificate.is_ca(),
            "{:?}",
            a.certificate
        );
    }
}

#[test]
fn every_ca_certificate_is_placed_in_its_hierarchy() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let store = TrustStore::vietnam();
    let mut counts = [0usize; 2];
    for folder in ["vgca", "neac-roots", "neac-subca", "legacy"] {
        for e in std::fs::read_dir(dir().join(folder)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "pem") {
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let expected = if folder == "vgca" || GOV_LEGACY.contains(&name.as_str()) {
                Hierarchy::Government
            } else {
                Hierarchy::Public
            };
            let c = cert(&format!("{folder}/{name}"));
            let id = store
                .identify(&c, crypto::default_provider())
                .unwrap_or_else(|| panic!("{name} not identified"));
            assert_eq!(id.hierarchy, expected, "{name}");
            assert_eq!(id.chain.first(), Some(&c));
            assert_eq!(id.chain.last(), Some(&id.anchor));
            assert!(store.anchor_for(&id.anchor).is_some());
            counts[usize::from(expected == Hierarchy::Public)] += 1;
        }
    }
    assert_eq!(counts, [11, 66], "government / public certificate files");
}

#[test]
fn identification_needs_a_real_signature() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    // A certificate that names VNPT-CA as issuer but is signed by another key is not placed.
    let store = TrustStore::vietnam();
    let real = cert("neac-subca/VNPT-CA-SHA2__20240830.pem");
    let mut forged = real.der().to_vec();
    let n = forged.len();
    forged[n - 10] ^= 0x01; // flip a bit of the signature
    let forged = Certificate::from_der(&forged).unwrap();
    assert!(store.identify(&forged, crypto::default_provider()).is_none());
    assert!(TrustStore::new().identify(&real, crypto::default_provider()).is_none());
}

fn quirk_numbers(rel: &str) -> Vec<u8> {
    vn::quirks(&cert(rel)).iter().map(Quirk::number).collect()
}

#[test]
fn each_quirk_is_detected_on_the_certificates_that_have_it() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    // 2: critical anyPolicy and critical CRL DP on the 2025 roots.
    let q = vn::quirks(&cert("neac-roots/VIETNAM-NATIONAL-ROOT-CA-RS__20251125.pem"));
    assert!(q.contains(&Quirk::CriticalCertificatePolicies));
    assert!(q.contains(&Quirk::CriticalCrlDistributionPoints));
    // 3: the en-dash cRLIssuer.
    assert!(q
        .iter()
        .any(|x| matches!(x, Quirk::EnDashCrlIssuer { crl_issuer } if crl_issuer.contains("ROOT CA \u{2013} RS"))));
    assert!(quirk_numbers("neac-subca/Viettel-CA-RS-2026__20260330.pem").contains(&3));
    // 4: FPT's timestamping certificate has a critical AIA; 5: keyCertSign without CA.
    let fpt = quirk_numbers("neac-subca/FPT-Certification-Authority-Timestamping__20230607.pem");
    assert!(fpt.contains(&4) && fpt.contains(&5), "{fpt:?}");
    assert!(quirk_numbers("neac-subca/Viettel-CA-Timestamping__20240523.pem").contains(&5));
    // 6: SHA-1 roots and the G1 sub-CA.
    assert!(quirk_numbers("vgca/Co-quan-chung-thuc-so-chuyen-dung-Chinh-phu-RootCA__20100310.pem").contains(&6));
    assert!(quirk_numbers("neac-roots/MIC-National-Root-CA__20080516.pem").contains(&6));
    // A modern, clean certificate shows none.
    assert!(quirk_numbers("vgca/RootCA-chuyen-dung-Chinh-phu-G2__20180822.pem").is_empty());
    assert!(quirk_numbers("neac-subca/VNPT-CA-SHA2__20240830.pem").is_empty());
}

#[test]
fn quirk_8_ascii_g1_and_utf8_g2_names_are_distinct_and_compared_on_encoding() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let g1 = cert("vgca/Co-quan-chung-thuc-so-Chinh-phu__20100325.pem");
    let g2 = cert("vgca/CA-phuc-vu-cac-co-quan-Nha-nuoc-G2__20180822.pem");
    let org = |c: &Certificate| {
        c.subject()
            .attributes()
            .find(|a| Some(&a.oid) == kyso::Oid::from_name("O").as_ref())
            .unwrap()
            .clone()
    };
    let (o1, o2) = (org(&g1), org(&g2));
    assert_eq!(o1.text().unwrap(), "Ban Co yeu Chinh phu");
    assert_eq!(o2.text().unwrap(), "Ban Cơ yếu Chính phủ");
    assert!(o1.text().unwrap().is_ascii(), "G1 names carry no diacritics");
    assert!(
        !o2.text().unwrap().is_ascii(),
        "G2 names are Vietnamese with diacritics"
    );
    assert!(!g1.subject().matches(g2.subject()));
    // Each sub-CA's issuer matches its root's subject on the encoding rules.
    assert!(g2
        .issuer()
        .matches(cert("vgca/RootCA-chuyen-dung-Chinh-phu-G2__20180822.pem").subject()));
}

#[test]
fn identity_of_2026_ca_certificates_is_a_bare_tax_code() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let id = Identity::of(&cert("neac-subca/MISA-CA-RS__20260529.pem"));
    assert_eq!(id.tax_code(), Some("0101243150"));
    assert_eq!(id.ids[0].kind, IdKind::BareTaxCode);
    assert!(id.has_tax_code("0101243150"));
    assert!(!id.has_tax_code("0101243151"));
    assert_eq!(id.common_name.as_deref(), Some("MISA-CA RS"));
    assert_eq!(id.organization, vec!["MISA JOINT STOCK COMPANY".to_string()]);
    assert_eq!(id.country.as_deref(), Some("VN"));
    let mk = Identity::of(&cert("neac-subca/MK-CA-SmartCA__20251225.pem"));
    assert_eq!(mk.state.as_deref(), Some("Phú Thọ"));
}

/// Every CA certificate of both hierarchies through the Verifier at a time inside its validity:
/// under `Policy::vietnam()` each validates (legacy algorithms allowed, the TSA certificates
/// with any key usage); under `Policy::strict()` exactly those that break an RFC 5280 rule or
/// need a tolerance are refused, each for its named reason.
#[test]
fn every_ca_certificate_validates_under_the_vietnam_policy_and_strict_names_what_it_refuses() {
    let Some(_) = kyso_testpki::shared::vn_trust("") else {
        return;
    };
    let store = TrustStore::vietnam();
    let base = |p: kyso::Policy| {
        p.to_builder()
            .legacy_algorithms(true)
            .leaf_key_usage(kyso::path::LeafKeyUsage::Any)
            .revocation(kyso::revocation::RevocationMode::Off)
            .build()
    };
    let vietnam = kyso::Verifier::new(store.clone(), base(kyso::Policy::vietnam()));
    let strict = kyso::Verifier::new(store, base(kyso::Policy::strict()));
    let mut refused = Vec::new();
    let mut checked = 0;
    for folder in ["vgca", "neac-roots", "neac-subca", "legacy"] {
        let mut files: Vec<_> = std::fs::read_dir(dir().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pem"))
            .collect();
        files.sort();
        for p in files {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let c = cert(&format!("{folder}/{name}"));
            // A day after it was issued, when its issuer was valid too.
            let at = Time(c.not_before().0 + 86_400);
            let when = kyso::When {
                at: Some(at),
                now: Some(at),
            };
            let v = vietnam.verify_chain(&c, &[], when);
            assert_eq!(v.indication, Indication::TotalPassed, "{name}: {:?}", v.reason);
            checked += 1;
            let s = strict.verify_chain(&c, &[], when);
            if s.indication != Indication::TotalPassed {
                refused.push(format!("{name}: {}", s.reason.map(|m| m.en).unwrap_or_default()));
            }
        }
    }
    assert_eq!(checked, 77);
    // Only the six TSA certificates of quirks 4 and 5; no CA certificate of either hierarchy
    // breaks an RFC 5280 §4 profile rule, so Policy::vietnam() enforces all of them.
    let names: Vec<&str> = refused.iter().map(|r| r.split(':').next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "FPT-Certification-Authority-Timestamping__20230607.pem",
            "Intrust-Time-Stamping-Authority__20240709.pem",
            "Time-Stamp-CA2__20241008.pem",
            "VNPAY-CA-TSA__20240508.pem",
            "VNPT-Certification-Timestamping-Authority__20230825.pem",
            "Viettel-CA-Timestamping__20240523.pem",
        ],
        "{refused:#?}"
    );
    assert!(
        refused[0].contains("critical extension 1.3.6.1.5.5.7.1.1"),
        "{refused:#?}"
    );
    assert!(
        refused[1..]
            .iter()
            .all(|r| r.contains("keyCertSign without being a CA")),
        "{refused:#?}"
    );
}
