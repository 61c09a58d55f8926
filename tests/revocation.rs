//! Revocation by CRL on generated Vietnam-shaped PKIs, the en-dash cRLIssuer quirk, and CRL
//! parsing on hostile and real-world vectors.

use std::sync::Arc;

use kyso::crypto;
use kyso::path::{self, CheckKind, CheckOutcome, PathError, PathOptions, Tolerances, Verdict};
use kyso::revocation::{
    CertStatus, Crl, RevocationEvidence, RevocationMode, RevocationOptions, RevocationReason, UnknownReason,
};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::{
    crl_dp_with_issuer, issue, issue_crl, ku, name, CertSpec, CrlSpec, Revoked, TestKey, VietnamTestPki,
};

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn at(y: i64, m: u32, d: u32) -> Time {
    Time(unix(y, m, d))
}

fn options(mode: RevocationMode, crls: Vec<Vec<u8>>, when: Time) -> PathOptions {
    let mut o = PathOptions::at(when);
    o.revocation = RevocationOptions {
        mode,
        evidence: Arc::new(RevocationEvidence::from_crls(
            crls.iter().map(|d| Crl::from_bytes(d).unwrap()).collect(),
        )),
    };
    o
}

struct Fixture {
    pki: VietnamTestPki,
    store: TrustStore,
    pool: Vec<Certificate>,
}

fn fixture() -> Fixture {
    let pki = VietnamTestPki::build();
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    let pool = vec![c(&pki.pub_sub.cert)];
    Fixture { pki, store, pool }
}

fn root_crl(f: &Fixture, revoked: Vec<Revoked>) -> Vec<u8> {
    issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(unix(2026, 12, 31)),
            number: 1,
            revoked,
            ..CrlSpec::default()
        },
        (&f.pki.pub_root.subject, &f.pki.pub_root.key),
    )
}

fn sub_crl(f: &Fixture, revoked: Vec<Revoked>, next_update: i64) -> Vec<u8> {
    issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(next_update),
            number: 7,
            revoked,
            ..CrlSpec::default()
        },
        (&f.pki.pub_sub.subject, &f.pki.pub_sub.key),
    )
}

#[test]
fn good_revoked_and_missing_evidence_in_each_mode() {
    let f = fixture();
    let leaf = c(&f.pki.company.cert);
    let now = at(2026, 11, 23);
    let good = vec![
        root_crl(&f, vec![]),
        sub_crl(
            &f,
            vec![Revoked {
                serial: 999,
                date: unix(2026, 1, 1),
                reason: Some(1),
            }],
            unix(2026, 12, 31),
        ),
    ];
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Hard, good, now),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    assert_eq!(r.revocation.len(), 2);
    assert!(r.revocation.iter().all(|s| matches!(s, CertStatus::Good { .. })));

    // The company's certificate revoked for key compromise.
    let revoked = vec![
        root_crl(&f, vec![]),
        sub_crl(
            &f,
            vec![Revoked {
                serial: 0x2003,
                date: unix(2026, 6, 1),
                reason: Some(1),
            }],
            unix(2026, 12, 31),
        ),
    ];
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Soft, revoked.clone(), now),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(
        matches!(
            r.error,
            Some(PathError::Revoked {
                index: 0,
                reason: RevocationReason::KeyCompromise,
                ..
            })
        ),
        "{:?}",
        r.error
    );
    // Judged at a time before the revocation (a signature made then): good.
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Hard, revoked, at(2026, 5, 1)),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);

    // No evidence: soft-fail is valid with the check marked not checked; hard-fail is
    // indeterminate; off says so.
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Soft, vec![], now),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Valid);
    assert!(r
        .checks
        .iter()
        .any(|c| c.check == CheckKind::Revocation && c.outcome == CheckOutcome::NotChecked));
    assert!(matches!(r.revocation[0], CertStatus::Unknown { .. }));
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Hard, vec![], now),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Indeterminate);
    assert!(matches!(r.error, Some(PathError::RevocationUnknown { .. })));
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Off, vec![], now),
        crypto::default_provider(),
    );
    assert_eq!(r.verdict, Verdict::Valid);
    assert!(r.revocation.iter().all(|s| *s == CertStatus::NotChecked));
}

#[test]
fn unusable_crls_are_not_evidence() {
    let f = fixture();
    let leaf = c(&f.pki.company.cert);
    let now = at(2026, 11, 23);
    let hard = |crls| {
        path::verify_chain(
            &leaf,
            &f.pool,
            &f.store,
            &options(RevocationMode::Hard, crls, now),
            crypto::default_provider(),
        )
    };
    // Expired.
    let r = hard(vec![root_crl(&f, vec![]), sub_crl(&f, vec![], unix(2026, 11, 2))]);
    assert!(
        matches!(
            &r.error,
            Some(PathError::RevocationUnknown {
                index: 0,
                why: UnknownReason::CrlExpired { .. }
            })
        ),
        "{:?}",
        r.error
    );
    // Signed by another key with the same name.
    let forged = issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(unix(2026, 12, 31)),
            number: 8,
            ..CrlSpec::default()
        },
        (&f.pki.pub_sub.subject, &TestKey::load("rogue-root")),
    );
    let r = hard(vec![root_crl(&f, vec![]), forged]);
    assert!(
        matches!(
            &r.error,
            Some(PathError::RevocationUnknown {
                index: 0,
                why: UnknownReason::CrlNoValidSigner { .. }
            })
        ),
        "{:?}",
        r.error
    );
    // An unknown critical CRL extension.
    let odd = issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(unix(2026, 12, 31)),
            number: 9,
            extra: vec![("1.2.3.4".into(), true, vec![5, 0])],
            ..CrlSpec::default()
        },
        (&f.pki.pub_sub.subject, &f.pki.pub_sub.key),
    );
    let r = hard(vec![root_crl(&f, vec![]), odd]);
    assert!(
        matches!(&r.error, Some(PathError::RevocationUnknown { .. })),
        "{:?}",
        r.error
    );
    // The licensed CA itself revoked on the root's CRL.
    let r = hard(vec![
        root_crl(
            &f,
            vec![Revoked {
                serial: 0x2002,
                date: unix(2026, 3, 1),
                reason: Some(2),
            }],
        ),
        sub_crl(&f, vec![], unix(2026, 12, 31)),
    ]);
    assert!(
        matches!(
            r.error,
            Some(PathError::Revoked {
                index: 1,
                reason: RevocationReason::CaCompromise,
                ..
            })
        ),
        "{:?}",
        r.error
    );
}

#[test]
fn en_dash_crl_issuer_is_a_named_tolerance() {
    // Like the 2025 national roots: "... ROOT CA - RS" whose sub-CAs name "... ROOT CA – RS"
    // (en dash) as cRLIssuer.
    let root_key = TestKey::load("pub-root");
    let root_name = name(&[("CN", "KYSO TEST ROOT CA - RS"), ("C", "VN")]);
    let dash_name = name(&[("CN", "KYSO TEST ROOT CA \u{2013} RS"), ("C", "VN")]);
    let root = issue(
        &CertSpec {
            serial: 1,
            subject: root_name.clone(),
            not_before: unix(2025, 1, 1),
            not_after: unix(2050, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
            ..CertSpec::default()
        },
        &root_key,
        None,
    );
    let sub_key = TestKey::load("pub-sub");
    let sub = issue(
        &CertSpec {
            serial: 2,
            subject: name(&[("C", "VN"), ("CN", "KYSO TEST CA RS 2026")]),
            not_before: unix(2026, 1, 1),
            not_after: unix(2031, 1, 1),
            basic_constraints: Some((true, Some(0))),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
            extra: vec![(
                "2.5.29.31".into(),
                true,
                crl_dp_with_issuer("https://rootca.example/crl/rs.crl", Some(&dash_name)),
            )],
            ..CertSpec::default()
        },
        &sub_key,
        Some((&root_name, &root_key)),
    );
    let sub = c(&sub);
    assert!(kyso::vn::quirks(&sub).iter().any(|q| q.number() == 3));
    let crl = issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(unix(2026, 12, 1)),
            number: 3,
            ..CrlSpec::default()
        },
        (&root_name, &root_key),
    );
    let mut store = TrustStore::new();
    store.add_anchor(c(&root), Hierarchy::Public);
    let mut o = options(RevocationMode::Hard, vec![crl.clone()], at(2026, 11, 23));
    o.leaf_key_usage = path::LeafKeyUsage::Any;
    o.tolerances = Tolerances::NONE;
    let strict = path::verify_chain(&sub, &[], &store, &o, crypto::default_provider());
    assert_eq!(
        strict.verdict,
        Verdict::Indeterminate,
        "strictly an indirect CRL from a CA that does not exist"
    );
    o.tolerances.en_dash_crl_issuer = true;
    let tolerant = path::verify_chain(&sub, &[], &store, &o, crypto::default_provider());
    assert_eq!(tolerant.verdict, Verdict::Valid, "{:?}", tolerant.error);
    assert_eq!(
        tolerant.tolerated.iter().map(|(_, q)| q.number()).collect::<Vec<_>>(),
        [3],
        "{:?}",
        tolerant.revocation
    );
    match &tolerant.revocation[0] {
        CertStatus::Good { source } => assert!(source.tolerated.is_some()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn crl_parsing_vectors_and_truncation() {
    let Some(dir) = kyso_testpki::shared::vectors("crl/pyca-custom") else {
        return;
    };
    let mut parsed = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        if let Ok(crl) = Crl::from_bytes(&bytes) {
            parsed += 1;
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.contains("unknown_crit_entry_ext") || name.contains("unrecognized_extension") {
                assert!(
                    !crl.unknown_critical().is_empty() || name.contains("unrecognized"),
                    "{name}"
                );
            }
            if name == "crl_almost_10k.pem" {
                assert!(crl.len() > 9000);
            }
            // Truncations of a parsed CRL fail cleanly.
            let der = crl.der().to_vec();
            for cut in (0..der.len()).step_by(97) {
                assert!(Crl::from_bytes(&der[..cut]).is_err());
            }
        }
    }
    assert!(parsed >= 15, "{parsed}");
    assert!(Crl::from_bytes(b"").is_err());
    assert!(Crl::from_bytes(&[0x30, 0x80, 0x30]).is_err());
}

#[test]
fn large_crl_lookup() {
    // 100,000 entries: every serial found, absent ones not, reasons kept.
    let f = fixture();
    let revoked: Vec<Revoked> = (0..100_000u64)
        .map(|i| Revoked {
            serial: 1_000_000 + i * 3,
            date: unix(2026, 1, 1),
            reason: if i % 10 == 0 { Some(4) } else { None },
        })
        .collect();
    let der = sub_crl(&f, revoked, unix(2026, 12, 31));
    let crl = Crl::from_bytes(&der).unwrap();
    assert_eq!(crl.len(), 100_000);
    let issuer = kyso::Name::from_der(&f.pki.pub_sub.subject).unwrap();
    for i in (0..100_000u64).step_by(997) {
        let serial = 1_000_000 + i * 3;
        let bytes: Vec<u8> = serial.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        let e = crl
            .find(&bytes, &issuer)
            .unwrap_or_else(|| panic!("{serial} not found"));
        assert_eq!(e.reason == RevocationReason::Superseded, i % 10 == 0);
        let absent: Vec<u8> = (serial + 1)
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        assert!(crl.find(&absent, &issuer).is_none());
    }
}

#[test]
fn the_latest_crl_decides_and_its_bytes_are_returned() {
    let f = fixture();
    let leaf = c(&f.pki.company.cert);
    let older = issue_crl(
        &CrlSpec {
            this_update: unix(2026, 10, 1),
            next_update: Some(unix(2026, 12, 31)),
            number: 5,
            ..CrlSpec::default()
        },
        (&f.pki.pub_sub.subject, &f.pki.pub_sub.key),
    );
    let newer = sub_crl(
        &f,
        vec![Revoked {
            serial: 0x2003,
            date: unix(2026, 10, 15),
            reason: Some(4),
        }],
        unix(2026, 12, 31),
    );
    for crls in [vec![older.clone(), newer.clone()], vec![newer.clone(), older.clone()]] {
        let mut all = vec![root_crl(&f, vec![])];
        all.extend(crls);
        let r = path::verify_chain(
            &leaf,
            &f.pool,
            &f.store,
            &options(RevocationMode::Hard, all, at(2026, 11, 23)),
            crypto::default_provider(),
        );
        assert!(
            matches!(
                r.error,
                Some(PathError::Revoked {
                    reason: RevocationReason::Superseded,
                    ..
                })
            ),
            "{:?}",
            r.error
        );
    }
    let all = vec![root_crl(&f, vec![]), older.clone()];
    let r = path::verify_chain(
        &leaf,
        &f.pool,
        &f.store,
        &options(RevocationMode::Hard, all, at(2026, 11, 23)),
        crypto::default_provider(),
    );
    match &r.revocation[0] {
        CertStatus::Good { source } => assert_eq!(
            source.der.as_slice(),
            older.as_slice(),
            "the CRL relied on, byte for byte"
        ),
        other => panic!("{other:?}"),
    }
}
