//! Certificate-based login: challenges answered in the three forms (raw signature, detached
//! CMS, compact JWS) by signers of both hierarchies, and each way a response is refused —
//! another audience, an expired challenge, a replay, a response to another challenge, a
//! tampered signature, an untrusted root, a revoked certificate — each its own error.
// Signing uses aws-lc-rs (never the `rsa` crate): these tests need the default provider.
#![cfg(feature = "aws-lc")]

use kyso::auth::{AuthError, Authenticator, Challenge, Form, MemoryNonceStore};
use kyso::report::{Indication, SubIndication};
use kyso::revocation::{Crl, RevocationEvidence};
use kyso::sign::SoftwareSigner;
use kyso::{Certificate, Hierarchy, Policy, Time, TrustStore, Verifier};
use kyso_testpki::{fresh_crl, Entity, VietnamTestPki, REVOKED_SERIAL};

const PORTAL: &str = "https://dichvucong.example.vn";

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn verifier(pki: &VietnamTestPki) -> Verifier {
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    let now = Time::now().0;
    let crls = vec![
        Crl::from_der(fresh_crl(&pki.pub_sub, 3, &[REVOKED_SERIAL], now)).unwrap(),
        Crl::from_der(fresh_crl(&pki.gov_sub, 3, &[], now)).unwrap(),
    ];
    Verifier::new(store, Policy::vietnam()).with_evidence(RevocationEvidence::from_crls(crls))
}

fn respond(challenge: &Challenge, form: Form, e: &Entity, sub: &Entity) -> Vec<u8> {
    let signer = SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap();
    kyso::auth::respond(
        challenge,
        form,
        &signer,
        &[c(&sub.cert)],
        kyso::crypto::default_provider(),
    )
    .unwrap()
}

const FORMS: [Form; 3] = [Form::Raw, Form::Cms, Form::Jws];

#[test]
fn both_hierarchies_in_every_form() {
    let pki = VietnamTestPki::build();
    let nonces = MemoryNonceStore::new();
    let auth = Authenticator::new(verifier(&pki), PORTAL, &nonces);
    for form in FORMS {
        for (who, sub, hierarchy) in [
            (&pki.company, &pki.pub_sub, "public"),
            (&pki.officer, &pki.gov_sub, "government"),
        ] {
            let now = Time::now();
            let ch = Challenge::issue(PORTAL, 120, Some("Đăng nhập Cổng dịch vụ công"), now).unwrap();
            // The challenge travels as JSON and comes back the same.
            let ch = Challenge::from_json(&ch.to_json()).unwrap();
            let response = respond(&ch, form, who, sub);
            let ok = auth
                .verify(&ch, &response, now)
                .unwrap_or_else(|e| panic!("{form:?} {hierarchy}: {e}"));
            assert_eq!(ok.form, form);
            assert_eq!(ok.hierarchy.as_deref(), Some(hierarchy), "{form:?}");
            assert!(!ok.identity.ids.is_empty(), "{form:?}: an MST or CCCD is named");
            assert!(ok.issuing_ca.is_some());
            // Once only.
            assert_eq!(
                auth.verify(&ch, &response, now).unwrap_err(),
                AuthError::Replayed,
                "{form:?}"
            );
        }
    }
}

#[test]
fn each_refusal_is_its_own_error() {
    let pki = VietnamTestPki::build();
    let nonces = MemoryNonceStore::new();
    let auth = Authenticator::new(verifier(&pki), PORTAL, &nonces);
    let now = Time::now();
    for form in FORMS {
        let ch = Challenge::issue(PORTAL, 60, None, now).unwrap();
        let response = respond(&ch, form, &pki.company, &pki.pub_sub);
        // Another relying party's challenge.
        let elsewhere = Challenge::issue("https://other.example.vn", 60, None, now).unwrap();
        let r = respond(&elsewhere, form, &pki.company, &pki.pub_sub);
        assert!(matches!(
            auth.verify(&elsewhere, &r, now),
            Err(AuthError::WrongAudience { .. })
        ));
        // Too late.
        let later = Time(now.0 + 61);
        assert!(matches!(
            auth.verify(&ch, &response, later),
            Err(AuthError::Expired { .. })
        ));
        // A response to another challenge of the same portal.
        let other = Challenge::issue(PORTAL, 60, None, now).unwrap();
        let got = auth.verify(&other, &response, now).unwrap_err();
        match form {
            // The raw form signs nothing but the bytes: the signature fails.
            Form::Raw => assert!(matches!(got, AuthError::BadSignature(_)), "{got}"),
            _ => assert_eq!(got, AuthError::OtherChallenge, "{form:?}"),
        }
        // Untrusted root, revoked certificate.
        let rogue = respond(&ch, form, &pki.rogue_leaf, &pki.rogue_root);
        match auth.verify(&ch, &rogue, now) {
            Err(AuthError::Refused {
                indication,
                sub_indication,
                ..
            }) => {
                assert_eq!(indication, Indication::Indeterminate);
                assert_eq!(sub_indication, Some(SubIndication::NoCertificateChainFound));
            }
            other => panic!("{form:?}: the rogue root: {other:?}"),
        }
        let revoked = respond(&ch, form, &pki.revoked_signer(), &pki.pub_sub);
        match auth.verify(&ch, &revoked, now) {
            Err(e @ AuthError::Refused { .. }) => {
                let AuthError::Refused {
                    indication,
                    sub_indication,
                    ref reason,
                } = e
                else {
                    unreachable!()
                };
                assert_eq!(indication, Indication::TotalFailed, "{reason}");
                assert_eq!(sub_indication, Some(SubIndication::Revoked));
                // The JSON a service logs names the refusal and its sub-indication.
                let j = e.to_json();
                assert_eq!(
                    (
                        j["accepted"].as_bool(),
                        j["error"].as_str(),
                        j["sub_indication"].as_str()
                    ),
                    (Some(false), Some("certificate_refused"), Some("REVOKED"))
                );
            }
            other => panic!("{form:?}: revoked: {other:?}"),
        }
        // None of those used the challenge up: the right response still logs in, once.
        assert!(auth.verify(&ch, &response, now).is_ok(), "{form:?}");
    }
    // A tampered raw signature and a JWS with its payload swapped.
    let ch = Challenge::issue(PORTAL, 60, None, now).unwrap();
    let raw = String::from_utf8(respond(&ch, Form::Raw, &pki.company, &pki.pub_sub)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let sig = v["signature"].as_str().unwrap().to_string();
    let flipped = if sig.starts_with('A') {
        sig.replacen('A', "B", 1)
    } else {
        format!("A{}", &sig[1..])
    };
    v["signature"] = serde_json::Value::String(flipped);
    assert!(matches!(
        auth.verify(&ch, v.to_string().as_bytes(), now),
        Err(AuthError::BadSignature(_))
    ));
    let jws = String::from_utf8(respond(&ch, Form::Jws, &pki.company, &pki.pub_sub)).unwrap();
    let other = Challenge::issue(PORTAL, 60, None, now).unwrap();
    let other_jws = String::from_utf8(respond(&other, Form::Jws, &pki.company, &pki.pub_sub)).unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    let other_parts: Vec<&str> = other_jws.split('.').collect();
    let swapped = format!("{}.{}.{}", parts[0], other_parts[1], parts[2]);
    assert!(matches!(
        auth.verify(&ch, swapped.as_bytes(), now),
        Err(AuthError::BadSignature(_))
    ));
    // Garbage is malformed, not a panic.
    for junk in [&b""[..], b"{", b"eyJ.a.b", b"\x30\x03\x02\x01\x00"] {
        assert!(matches!(auth.verify(&ch, junk, now), Err(AuthError::Malformed(_))));
    }
    assert!(Challenge::issue(PORTAL, 0, None, now).is_err());
    assert!(Challenge::issue(PORTAL, 100_000, None, now).is_err());
    assert!(Challenge::from_json("{\"schema\":\"other\"}").is_err());
}

/// Eight threads race with one response: exactly one logs in.
#[test]
fn a_challenge_verifies_once_under_concurrency() {
    let pki = VietnamTestPki::build();
    let nonces = MemoryNonceStore::new();
    let auth = Authenticator::new(verifier(&pki), PORTAL, &nonces);
    let now = Time::now();
    let ch = Challenge::issue(PORTAL, 60, None, now).unwrap();
    let response = respond(&ch, Form::Jws, &pki.officer, &pki.gov_sub);
    let ok = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| auth.verify(&ch, &response, now).is_ok()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).filter(|ok| *ok).count()
    });
    assert_eq!(ok, 1);
}

#[test]
fn a_truncated_or_garbled_response_is_unreadable_not_another_challenge() {
    let pki = VietnamTestPki::build();
    let nonces = MemoryNonceStore::new();
    let auth = Authenticator::new(verifier(&pki), PORTAL, &nonces);
    let now = Time::now();
    let ch = Challenge::issue(PORTAL, 120, None, now).unwrap();
    for form in FORMS {
        let r = respond(&ch, form, &pki.company, &pki.pub_sub);
        for cut in [1, r.len() / 3, r.len() / 2, r.len() - 1] {
            match auth.verify(&ch, &r[..cut], now) {
                Err(AuthError::Malformed(_) | AuthError::BadSignature(_)) => {}
                other => panic!("{form:?} cut at {cut}/{}: {other:?}", r.len()),
            }
        }
    }
    for junk in [&b""[..], b"{}", b"eyJ.x.y", b"\x30\x80\x00\x00", b"not a response"] {
        assert!(
            matches!(auth.verify(&ch, junk, now), Err(AuthError::Malformed(_))),
            "{junk:?}"
        );
    }
    // The untouched response still logs in: nothing above used the challenge.
    assert!(auth
        .verify(&ch, &respond(&ch, Form::Cms, &pki.company, &pki.pub_sub), now)
        .is_ok());
}
