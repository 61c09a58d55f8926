//! `Policy::strict()` is strict: each certificate that RFC 5280's profile forbids — the cases
//! a public X.509 conformance suite (x509-limbo) found accepted before — is refused for its
//! named rule, through the Verifier; and the leaf whose basicConstraints carries a
//! pathLenConstraint, which validation must ignore for a non-CA, is accepted. Under
//! `Policy::vietnam()` the same rules hold (no real Vietnamese CA certificate breaks one, see
//! tests/vn.rs), so each case is judged the same way there.

use kyso::path::ProfileViolation;
use kyso::report::{Indication, SubIndication};
use kyso::{Certificate, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::der::{self, unix};
use kyso_testpki::{issue, ku, name, CertSpec, TestKey};

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn root_spec() -> CertSpec {
    CertSpec {
        serial: 1,
        subject: name(&[("C", "VN"), ("O", "Test"), ("CN", "Test Root")]),
        not_before: unix(2024, 1, 1),
        not_after: unix(2040, 1, 1),
        basic_constraints: Some((true, None)),
        key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
        ..CertSpec::default()
    }
}

fn ca_spec() -> CertSpec {
    CertSpec {
        serial: 2,
        subject: name(&[("C", "VN"), ("O", "Test"), ("CN", "Test CA")]),
        ..root_spec()
    }
}

fn leaf_spec() -> CertSpec {
    CertSpec {
        serial: 3,
        subject: name(&[("C", "VN"), ("CN", "Nguyễn Văn A"), ("UID", "MST:0109999999")]),
        not_before: unix(2025, 1, 1),
        not_after: unix(2030, 1, 1),
        key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
        ..CertSpec::default()
    }
}

/// A root → CA → leaf chain, each spec changed as the case needs, validated by `policy`.
fn judge(
    policy: Policy,
    root: impl FnOnce(&mut CertSpec),
    ca: impl FnOnce(&mut CertSpec),
    leaf: impl FnOnce(&mut CertSpec),
) -> kyso::report::ValidationReport {
    let (kr, kc, kl) = (
        TestKey::load("pub-root"),
        TestKey::load("pub-sub"),
        TestKey::load("leaf-a"),
    );
    let (mut r, mut s, mut l) = (root_spec(), ca_spec(), leaf_spec());
    root(&mut r);
    ca(&mut s);
    leaf(&mut l);
    let root_der = issue(&r, &kr, None);
    let ca_der = issue(&s, &kc, Some((&r.subject, &kr)));
    let leaf_der = issue(&l, &kl, Some((&s.subject, &kc)));
    let mut store = TrustStore::new();
    store.add_anchor(c(&root_der), Hierarchy::Public);
    let at = Time(unix(2026, 6, 1));
    let v = Verifier::new(
        store,
        policy
            .to_builder()
            .revocation(kyso::revocation::RevocationMode::Off)
            .build(),
    );
    v.verify_chain(
        &c(&leaf_der),
        &[c(&ca_der)],
        When {
            at: Some(at),
            now: Some(at),
        },
    )
}

fn keep(_: &mut CertSpec) {}

/// The violation a refused report names (from its first signature's failing check).
fn refused_for(r: &kyso::report::ValidationReport) -> String {
    assert_eq!(r.indication, Indication::TotalFailed, "{:?}", r.reason);
    assert_eq!(r.sub_indication, Some(SubIndication::ChainConstraintsFailure));
    r.reason.as_ref().unwrap().en.clone()
}

#[test]
fn the_baseline_chain_is_valid_under_both_policies() {
    for p in [Policy::strict(), Policy::vietnam()] {
        let r = judge(p, keep, keep, keep);
        assert_eq!(r.indication, Indication::TotalPassed, "{:?}", r.reason);
    }
}

#[test]
fn each_profile_violation_is_refused_under_strict_and_vietnam() {
    let bad_nc = || {
        // nameConstraints permitting dNSName example.vn, marked non-critical.
        let nc = der::seq(&[der::ctx(0, &der::seq(&[der::ctx_prim(2, b"example.vn")]))]);
        ("2.5.29.30".to_string(), false, nc)
    };
    type Case = (
        &'static str,
        Box<dyn Fn(&mut CertSpec)>,
        Box<dyn Fn(&mut CertSpec)>,
        Box<dyn Fn(&mut CertSpec)>,
        ProfileViolation,
    );
    let cases: Vec<Case> = vec![
        (
            "leaf without AKI",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.no_aki = true),
            ProfileViolation::MissingAuthorityKeyIdentifier,
        ),
        (
            "CA without AKI",
            Box::new(keep),
            Box::new(|s| s.no_aki = true),
            Box::new(keep),
            ProfileViolation::MissingAuthorityKeyIdentifier,
        ),
        (
            "CA without SKI",
            Box::new(keep),
            Box::new(|s| s.no_ski = true),
            Box::new(keep),
            ProfileViolation::MissingSubjectKeyIdentifier,
        ),
        (
            "critical AKI",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.aki_critical = true),
            ProfileViolation::CriticalAuthorityKeyIdentifier,
        ),
        (
            "zero serial",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.serial_octets = Some(vec![0])),
            ProfileViolation::SerialNotPositive,
        ),
        (
            "negative serial",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.serial_octets = Some(vec![0xFF, 0x01])),
            ProfileViolation::SerialNotPositive,
        ),
        (
            "21-octet serial",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.serial_octets = Some(vec![0x11; 21])),
            ProfileViolation::SerialTooLong { octets: 21 },
        ),
        (
            "CA with an empty subject",
            Box::new(keep),
            Box::new(|s| s.subject = der::seq(&[])),
            Box::new(|l| l.san_email = vec!["a@example.vn".into()]),
            ProfileViolation::EmptyCaSubject,
        ),
        (
            "root without basicConstraints",
            Box::new(|r| r.basic_constraints = None),
            Box::new(keep),
            Box::new(keep),
            ProfileViolation::MissingBasicConstraints,
        ),
        (
            "root with non-critical basicConstraints",
            Box::new(|r| r.basic_constraints_noncritical = true),
            Box::new(keep),
            Box::new(keep),
            ProfileViolation::NonCriticalBasicConstraints,
        ),
        (
            "non-critical name constraints",
            Box::new(keep),
            Box::new(move |s| s.extra.push(bad_nc())),
            Box::new(keep),
            ProfileViolation::NonCriticalNameConstraints,
        ),
        (
            "underscore in a dNSName",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.san_dns = vec!["hoa_don.example.vn".into()]),
            ProfileViolation::MalformedDnsName {
                name: "hoa_don.example.vn".into(),
            },
        ),
        (
            "malformed e-mail address",
            Box::new(keep),
            Box::new(keep),
            Box::new(|l| l.san_email = vec!["ke.toan.example.vn".into()]),
            ProfileViolation::MalformedEmail {
                name: "ke.toan.example.vn".into(),
            },
        ),
    ];
    for (what, root, ca, leaf, violation) in &cases {
        for p in [Policy::strict(), Policy::vietnam()] {
            let profile = p.profile();
            let r = judge(p, root, ca, leaf);
            let reason = refused_for(&r);
            assert!(
                reason.contains(&violation.describe_en()),
                "{what} ({profile:?}): {reason}"
            );
            // The Vietnamese wording comes with it.
            assert!(
                r.reason.as_ref().unwrap().vi.contains(&violation.describe_vi()),
                "{what}"
            );
        }
    }
}

#[test]
fn a_root_with_an_unknown_critical_extension_is_refused() {
    let ext = |r: &mut CertSpec| r.extra.push(("1.3.6.1.4.1.99999.1".into(), true, der::null()));
    for p in [Policy::strict(), Policy::vietnam()] {
        let r = judge(p, ext, keep, keep);
        let reason = refused_for(&r);
        assert!(reason.contains("critical extension 1.3.6.1.4.1.99999.1"), "{reason}");
    }
}

#[test]
fn the_trust_anchors_name_constraints_apply() {
    // The root permits only dNSName example.vn (critical, as it must be); a leaf for
    // other.vn is outside it (RFC 5937), one for example.vn inside.
    let nc = der::seq(&[der::ctx(0, &der::seq(&[der::ctx_prim(2, b"example.vn")]))]);
    let constrained = |r: &mut CertSpec| r.extra.push(("2.5.29.30".into(), true, nc.clone()));
    for p in [Policy::strict(), Policy::vietnam()] {
        let outside = judge(p.clone(), constrained, keep, |l| {
            l.san_dns = vec!["www.other.vn".into()]
        });
        assert_eq!(outside.indication, Indication::TotalFailed, "{:?}", outside.reason);
        assert!(outside.reason.unwrap().en.contains("www.other.vn"));
        let inside = judge(p, constrained, keep, |l| l.san_dns = vec!["www.example.vn".into()]);
        assert_eq!(inside.indication, Indication::TotalPassed, "{:?}", inside.reason);
    }
}

#[test]
fn a_leafs_path_length_constraint_is_ignored() {
    // basicConstraints cA FALSE with a pathLenConstraint: RFC 5280 §4.2.1.9 says a CA must not
    // write it, and §6.1 gives it no meaning for a non-CA, so validation ignores it.
    for p in [Policy::strict(), Policy::vietnam()] {
        let r = judge(p, keep, keep, |l| l.basic_constraints = Some((false, Some(0))));
        assert_eq!(r.indication, Indication::TotalPassed, "{:?}", r.reason);
    }
}

#[test]
fn the_low_level_path_api_keeps_rfc_5280_section_6_alone() {
    // PathOptions::at checks no profile rule (what PKITS exercises); the Verifier's policies do.
    let o = kyso::path::PathOptions::at(Time(unix(2026, 6, 1)));
    assert_eq!(o.profile, kyso::path::ProfileChecks::NONE);
    assert_eq!(Policy::strict().profile_checks(), kyso::path::ProfileChecks::RFC5280);
}
