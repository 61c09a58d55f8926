//! Path building and the RFC 5280 §6.1 checks kyso makes today, on generated PKIs and on the
//! real Vietnamese CA certificates.

use kyso::crypto::{self, AlgorithmPolicy};
use kyso::path::{
    self, Budget, CheckKind, CheckOutcome, LeafKeyUsage, PathError, PathOptions, TimeModel, Tolerances, Verdict,
};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::{issue, ku, name, CertSpec, TestKey, VietnamTestPki};

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn at(y: i64, m: u32, d: u32) -> Time {
    Time(unix(y, m, d))
}

fn store(pki: &VietnamTestPki) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    s.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    s
}

fn check(leaf: &Certificate, pool: &[Certificate], s: &TrustStore, o: &PathOptions) -> path::ChainResult {
    path::verify_chain(leaf, pool, s, o, crypto::default_provider())
}

#[test]
fn both_hierarchies_from_an_unordered_pool() {
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    let pool = vec![c(&pki.rogue_root.cert), c(&pki.pub_sub.cert), c(&pki.gov_sub.cert)];
    let o = PathOptions::at(at(2026, 11, 23));
    let r = check(&c(&pki.company.cert), &pool, &s, &o);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    assert_eq!(r.hierarchy, Some(Hierarchy::Public));
    assert_eq!(r.path.len(), 3);
    let r = check(&c(&pki.officer.cert), &pool, &s, &o);
    assert_eq!((r.verdict, r.hierarchy), (Verdict::Valid, Some(Hierarchy::Government)));
    // Without the sub-CA, no path: indeterminate, naming the missing issuer.
    let r = check(&c(&pki.officer.cert), &[], &s, &o);
    assert_eq!(r.verdict, Verdict::Indeterminate);
    assert!(matches!(r.error, Some(PathError::NoIssuerFound { index: 0, .. })));
}

#[test]
fn expiry_is_reported_as_expiry() {
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    let pool = vec![c(&pki.pub_sub.cert)];
    let r = check(&c(&pki.company.cert), &pool, &s, &PathOptions::at(at(2036, 1, 1)));
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(
        matches!(r.error, Some(PathError::Expired { index: 0, .. })),
        "{:?}",
        r.error
    );
    let r = check(&c(&pki.company.cert), &pool, &s, &PathOptions::at(at(2024, 12, 1)));
    assert!(
        matches!(r.error, Some(PathError::NotYetValid { index: 0, .. })),
        "{:?}",
        r.error
    );

    // An intermediate that expired while the leaf is still valid: "expired", not "no issuer".
    let sub_key = TestKey::load("pub-sub");
    let sub_name = name(&[("C", "VN"), ("CN", "Short-lived CA")]);
    let sub = issue(
        &CertSpec {
            serial: 77,
            subject: sub_name.clone(),
            not_before: unix(2024, 1, 1),
            not_after: unix(2026, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(ku::KEY_CERT_SIGN),
            ..CertSpec::default()
        },
        &sub_key,
        Some((&pki.pub_root.subject, &pki.pub_root.key)),
    );
    let leaf = issue(
        &CertSpec {
            serial: 78,
            subject: name(&[("CN", "leaf")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2030, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE),
            ..CertSpec::default()
        },
        &TestKey::load("leaf-c"),
        Some((&sub_name, &sub_key)),
    );
    let r = check(&c(&leaf), &[c(&sub)], &s, &PathOptions::at(at(2026, 6, 1)));
    assert!(
        matches!(r.error, Some(PathError::Expired { index: 1, .. })),
        "{:?}",
        r.error
    );
}

fn ca_spec(serial: u64, subject: Vec<u8>, path_len: Option<u32>, key_usage: Option<u16>) -> CertSpec {
    CertSpec {
        serial,
        subject,
        not_before: unix(2024, 1, 1),
        not_after: unix(2040, 1, 1),
        basic_constraints: Some((true, path_len)),
        key_usage,
        ..CertSpec::default()
    }
}

fn leaf_spec(serial: u64) -> CertSpec {
    CertSpec {
        serial,
        subject: name(&[("CN", "leaf")]),
        not_before: unix(2025, 1, 1),
        not_after: unix(2030, 1, 1),
        key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
        ..CertSpec::default()
    }
}

#[test]
fn ca_constraints_key_usage_and_critical_extensions() {
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    let o = PathOptions::at(at(2026, 11, 23));
    let root = (&pki.pub_root.subject[..], &pki.pub_root.key);
    let k1 = TestKey::load("pub-sub");
    let k2 = TestKey::load("gov-sub");
    let n1 = name(&[("CN", "CA one")]);
    let n2 = name(&[("CN", "CA two")]);

    // pathLen 0 on the first CA, a second CA below it: exceeded.
    let ca1 = issue(
        &ca_spec(1, n1.clone(), Some(0), Some(ku::KEY_CERT_SIGN)),
        &k1,
        Some(root),
    );
    let ca2 = issue(
        &ca_spec(2, n2.clone(), None, Some(ku::KEY_CERT_SIGN)),
        &k2,
        Some((&n1, &k1)),
    );
    let leaf = issue(&leaf_spec(3), &TestKey::load("leaf-c"), Some((&n2, &k2)));
    let r = check(&c(&leaf), &[c(&ca1), c(&ca2)], &s, &o);
    assert!(
        matches!(r.error, Some(PathError::PathLenExceeded { index: 1 })),
        "{:?}",
        r.error
    );

    // An issuer without keyCertSign.
    let ca1 = issue(&ca_spec(4, n1.clone(), None, Some(ku::CRL_SIGN)), &k1, Some(root));
    let leaf = issue(&leaf_spec(5), &TestKey::load("leaf-c"), Some((&n1, &k1)));
    let r = check(&c(&leaf), &[c(&ca1)], &s, &o);
    assert!(
        matches!(
            r.error,
            Some(PathError::KeyUsage {
                index: 1,
                required: "keyCertSign"
            })
        ),
        "{:?}",
        r.error
    );

    // An issuer that is not a CA.
    let mut not_ca = ca_spec(6, n1.clone(), None, None);
    not_ca.basic_constraints = Some((false, None));
    let ca1 = issue(&not_ca, &k1, Some(root));
    let r = check(&c(&leaf), &[c(&ca1)], &s, &o);
    assert!(matches!(r.error, Some(PathError::NotCa { index: 1 })), "{:?}", r.error);

    // An unknown critical extension on the leaf.
    let ca1 = issue(&ca_spec(7, n1.clone(), None, None), &k1, Some(root));
    let mut l = leaf_spec(8);
    l.extra.push(("1.2.3.4.5".into(), true, vec![0x05, 0x00]));
    let leaf = issue(&l, &TestKey::load("leaf-c"), Some((&n1, &k1)));
    let r = check(&c(&leaf), &[c(&ca1)], &s, &o);
    assert!(
        matches!(&r.error, Some(PathError::UnknownCriticalExtension { index: 0, oid }) if oid == "1.2.3.4.5"),
        "{:?}",
        r.error
    );

    // Leaf key usage: keyEncipherment only is refused for documents, accepted with Any.
    let mut l = leaf_spec(9);
    l.key_usage = Some(ku::KEY_ENCIPHERMENT);
    let leaf = issue(&l, &TestKey::load("leaf-c"), Some((&n1, &k1)));
    let r = check(&c(&leaf), &[c(&ca1)], &s, &o);
    assert!(
        matches!(r.error, Some(PathError::KeyUsage { index: 0, .. })),
        "{:?}",
        r.error
    );
    let mut any = o.clone();
    any.leaf_key_usage = LeafKeyUsage::Any;
    assert_eq!(check(&c(&leaf), &[c(&ca1)], &s, &any).verdict, Verdict::Valid);
}

#[test]
fn pathological_pool_ends_inside_the_budget() {
    // 300 CAs sharing one name, each cross-signing the next, none reaching an anchor.
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    let shared = name(&[("C", "VN"), ("CN", "Same Name CA")]);
    let keys = [
        TestKey::load("leaf-a"),
        TestKey::load("leaf-b"),
        TestKey::load("leaf-c"),
    ];
    let mut pool = Vec::new();
    for i in 0..300u64 {
        let mut spec = ca_spec(1000 + i, shared.clone(), None, None);
        spec.no_key_ids = true;
        let k = &keys[(i % 3) as usize];
        let issuer = &keys[((i + 1) % 3) as usize];
        pool.push(c(&issue(&spec, k, Some((&shared, issuer)))));
    }
    let mut l = leaf_spec(5000);
    l.no_key_ids = true;
    let leaf = c(&issue(&l, &keys[0], Some((&shared, &keys[1]))));
    let started = std::time::Instant::now();
    let r = check(&leaf, &pool, &s, &PathOptions::at(at(2026, 11, 23)));
    assert_ne!(r.verdict, Verdict::Valid);
    assert!(
        matches!(r.error, Some(PathError::BudgetExhausted { .. })),
        "{:?}",
        r.error
    );
    assert!(r.signature_checks <= Budget::default().max_signature_checks);
    // Not a timing assertion: printed so a regression is visible in the log.
    println!(
        "pathological pool: {:?}, {} signature checks",
        started.elapsed(),
        r.signature_checks
    );
}

#[test]
fn every_vietnamese_ca_certificate_chains_to_its_root() {
    let s = TrustStore::vietnam();
    let (mut n, mut tolerated) = (0, 0);
    for b in kyso::vn::bundle().iter().filter(|b| !b.anchor) {
        let cert = &b.certificate;
        // Validate each at a time inside its own validity period, under the Vietnam policy.
        let mut o = PathOptions::vietnam(Time(cert.not_before().0 + 86_400));
        o.leaf_key_usage = LeafKeyUsage::Any;
        o.algorithms = AlgorithmPolicy::LEGACY;
        let r = check(cert, &[], &s, &o);
        assert_eq!(r.verdict, Verdict::Valid, "{}: {:?}", b.name, r.error);
        assert_eq!(r.hierarchy.as_ref(), Some(&b.hierarchy), "{}", b.name);
        assert!(r
            .checks
            .iter()
            .any(|c| c.check == CheckKind::Revocation && c.outcome == CheckOutcome::NotChecked));
        // The same path under RFC 5280 as written: refused exactly when a tolerance was used.
        let mut strict = o.clone();
        strict.tolerances = Tolerances::NONE;
        let rs = check(cert, &[], &s, &strict);
        if r.tolerated.is_empty() {
            assert_eq!(rs.verdict, Verdict::Valid, "{}: {:?}", b.name, rs.error);
        } else {
            tolerated += 1;
            assert_eq!(rs.verdict, Verdict::Invalid, "{}", b.name);
            let quirks: Vec<u8> = r.tolerated.iter().map(|(_, q)| q.number()).collect();
            assert!(quirks.iter().all(|q| [4, 5].contains(q)), "{}: {quirks:?}", b.name);
        }
        // SHA-1 chains (G1, MIC era) are legacy, and refused by the strict algorithm policy.
        if !r.legacy.is_empty() {
            o.algorithms = AlgorithmPolicy::STRICT;
            let strict = check(cert, &[], &s, &o);
            assert!(
                matches!(strict.error, Some(PathError::Algorithm { .. })),
                "{}: {:?}",
                b.name,
                strict.error
            );
        }
        n += 1;
    }
    assert_eq!(n, 64);
    // FPT, Viettel, VNPT, VNPAY, CA2 and Intrust timestamping certificates.
    assert_eq!(tolerated, 6);
}

#[test]
fn fpt_timestamping_certificate_needs_both_named_tolerances() {
    let s = TrustStore::vietnam();
    let fpt = kyso::vn::bundle()
        .iter()
        .find(|b| b.name.contains("FPT-Certification-Authority-Timestamping"))
        .unwrap();
    let mut o = PathOptions::vietnam(at(2024, 1, 1));
    o.leaf_key_usage = LeafKeyUsage::Any;
    let r = check(&fpt.certificate, &[], &s, &o);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    let numbers: Vec<u8> = r.tolerated.iter().map(|(_, q)| q.number()).collect();
    assert_eq!(numbers, [4, 5]);
    o.tolerances.critical_authority_info_access = false;
    let r = check(&fpt.certificate, &[], &s, &o);
    assert!(
        matches!(&r.error, Some(PathError::UnknownCriticalExtension { index: 0, oid }) if oid == "1.3.6.1.5.5.7.1.1")
    );
    o.tolerances = Tolerances::VIETNAM;
    o.tolerances.key_cert_sign_without_ca = false;
    let r = check(&fpt.certificate, &[], &s, &o);
    assert!(
        matches!(r.error, Some(PathError::KeyCertSignWithoutCa { index: 0 })),
        "{:?}",
        r.error
    );
}

#[test]
fn chain_model_judges_each_ca_when_it_issued() {
    // A CA that expired in 2026 issued a leaf in 2025: a signature made in 2025 and checked
    // today is valid in the chain model and expired in the shell model.
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    let sub_key = TestKey::load("pub-sub");
    let sub_name = name(&[("C", "VN"), ("CN", "Retired CA")]);
    let sub = issue(
        &CertSpec {
            serial: 90,
            subject: sub_name.clone(),
            not_before: unix(2024, 1, 1),
            not_after: unix(2026, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(ku::KEY_CERT_SIGN),
            ..CertSpec::default()
        },
        &sub_key,
        Some((&pki.pub_root.subject, &pki.pub_root.key)),
    );
    let leaf = issue(
        &CertSpec {
            serial: 91,
            subject: name(&[("CN", "signer")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2027, 1, 1),
            key_usage: Some(ku::NON_REPUDIATION),
            ..CertSpec::default()
        },
        &TestKey::load("leaf-c"),
        Some((&sub_name, &sub_key)),
    );
    let mut o = PathOptions::at(at(2026, 6, 1));
    let shell = check(&c(&leaf), &[c(&sub)], &s, &o);
    assert!(
        matches!(shell.error, Some(PathError::Expired { index: 1, .. })),
        "{:?}",
        shell.error
    );
    o.model = TimeModel::Chain;
    let chain = check(&c(&leaf), &[c(&sub)], &s, &o);
    assert_eq!(chain.verdict, Verdict::Valid, "{:?}", chain.error);
    // The leaf itself must still be valid at the time judged.
    o.time = at(2027, 6, 1);
    assert!(matches!(
        check(&c(&leaf), &[c(&sub)], &s, &o).error,
        Some(PathError::Expired { index: 0, .. })
    ));
}

#[test]
fn ca_signatures_are_cached_per_store_and_the_policy_still_applies() {
    let s = TrustStore::vietnam();
    let g1_sub = kyso::vn::bundle()
        .iter()
        .find(|b| b.name.contains("Co-quan-chung-thuc-so-Chinh-phu__2010"))
        .unwrap();
    let mut o = PathOptions::at(at(2020, 1, 1));
    o.leaf_key_usage = LeafKeyUsage::Any;
    o.algorithms = AlgorithmPolicy::LEGACY;
    let first = check(&g1_sub.certificate, &[], &s, &o);
    assert_eq!(first.verdict, Verdict::Valid, "{:?}", first.error);
    assert_eq!(first.signature_checks, 1);
    let again = check(&g1_sub.certificate, &[], &s, &o);
    assert_eq!(
        (again.verdict, again.signature_checks),
        (Verdict::Valid, 0),
        "served from the cache"
    );
    assert_eq!(again.legacy, first.legacy);
    o.algorithms = AlgorithmPolicy::STRICT;
    let strict = check(&g1_sub.certificate, &[], &s, &o);
    assert!(
        matches!(strict.error, Some(PathError::Algorithm { .. })),
        "the cache does not bypass the SHA-1 policy"
    );
}

#[test]
fn cross_certificate_gives_a_second_path() {
    // The licensed CA's key and name, also certified by the government root: with only the
    // government root trusted, the path goes through the cross-certificate.
    let pki = VietnamTestPki::build();
    let mut cross = CertSpec {
        serial: 0x3001,
        subject: pki.pub_sub.subject.clone(),
        not_before: unix(2024, 6, 1),
        not_after: unix(2039, 6, 1),
        basic_constraints: Some((true, Some(0))),
        key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
        ..CertSpec::default()
    };
    cross.policies = vec!["2.5.29.32.0".into()];
    let cross = c(&issue(
        &cross,
        &pki.pub_sub.key,
        Some((&pki.gov_root.subject, &pki.gov_root.key)),
    ));
    let pool = vec![c(&pki.pub_sub.cert), cross.clone()];
    let leaf = c(&pki.company.cert);
    let o = PathOptions::at(at(2026, 11, 23));
    let mut gov_only = TrustStore::new();
    gov_only.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    let r = check(&leaf, &pool, &gov_only, &o);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    assert_eq!(r.path[1], cross);
    assert_eq!(r.hierarchy, Some(Hierarchy::Government));
    // Both roots trusted: a valid path is found either way.
    let both = store(&pki);
    assert_eq!(check(&leaf, &pool, &both, &o).verdict, Verdict::Valid);
}

#[test]
fn name_constraints_on_generated_certificates() {
    // A CA permitted only e-mail under .gov.vn and directory names under C=VN, O=Bộ Thử nghiệm.
    let pki = VietnamTestPki::build();
    let s = store(&pki);
    use kyso_testpki::der;
    let base_dn = name(&[("C", "VN"), ("O", "Bộ Thử nghiệm")]);
    let nc = der::seq(&[der::ctx(
        0,
        &[
            der::seq(&[der::ctx_prim(1, b".gov.vn")]),
            der::seq(&[der::ctx(4, &base_dn)]),
        ]
        .concat(),
    )]);
    let ca_name = name(&[("C", "VN"), ("CN", "Constrained CA")]);
    let k = TestKey::load("gov-sub");
    let mut spec = ca_spec(40, ca_name.clone(), None, Some(ku::KEY_CERT_SIGN));
    spec.extra.push(("2.5.29.30".into(), true, nc));
    let ca = c(&issue(&spec, &k, Some((&pki.gov_root.subject, &pki.gov_root.key))));
    let o = PathOptions::at(at(2026, 11, 23));
    let leaf = |serial, subject: Vec<u8>, email: &str| {
        let mut l = leaf_spec(serial);
        l.subject = subject;
        if !email.is_empty() {
            l.san_email = vec![email.into()];
        }
        c(&issue(&l, &TestKey::load("leaf-c"), Some((&ca_name, &k))))
    };
    let inside = name(&[("C", "VN"), ("O", "Bộ Thử nghiệm"), ("CN", "An")]);
    let ok = leaf(41, inside.clone(), "an@mail.gov.vn");
    assert_eq!(check(&ok, std::slice::from_ref(&ca), &s, &o).verdict, Verdict::Valid);
    let bad_mail = leaf(42, inside, "an@gmail.com");
    let r = check(&bad_mail, std::slice::from_ref(&ca), &s, &o);
    assert!(
        matches!(&r.error, Some(PathError::NameConstraint { index: 0, excluded: false, name }) if name.contains("gmail")),
        "{:?}",
        r.error
    );
    // emailAddress in the subject is held to the rfc822Name constraint too.
    let bad_subject = leaf(
        43,
        name(&[("C", "VN"), ("O", "Bộ Thử nghiệm"), ("E", "an@gmail.com")]),
        "",
    );
    assert!(matches!(
        check(&bad_subject, std::slice::from_ref(&ca), &s, &o).error,
        Some(PathError::NameConstraint { .. })
    ));
    let bad_dn = leaf(
        44,
        name(&[("C", "VN"), ("O", "Bộ Khác"), ("CN", "An")]),
        "an@mail.gov.vn",
    );
    assert!(matches!(
        check(&bad_dn, &[ca], &s, &o).error,
        Some(PathError::NameConstraint { .. })
    ));
}
