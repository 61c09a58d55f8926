//! Login by certificate: one raw RS256 response (RSA-2048 leaf under the test PKI's licensed
//! CA) checked by `Authenticator::verify` again and again on one core, the chain's edges
//! cached by the verifier after the first call (the warm store the issue's goal names:
//! ≥ 10,000 per second). The nonce store used here accepts every nonce, so the same response
//! can be measured; everything else is the real path: audience, window, signature, key usage,
//! path to the anchor with revocation (a fresh CRL given), identity.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::auth::{Authenticator, Challenge, Form, NonceStore};
use kyso::revocation::{Crl, RevocationEvidence};
use kyso::sign::SoftwareSigner;
use kyso::{Certificate, Hierarchy, Policy, Time, TrustStore, Verifier};
use kyso_testpki::{fresh_crl, VietnamTestPki};

/// For measuring only: every nonce is new.
struct Forgetful;

impl NonceStore for Forgetful {
    fn use_once(&self, _: &str, _: Time, _: Time) -> bool {
        true
    }
}

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let cert = |d: &[u8]| Certificate::from_der(d).unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(cert(&pki.pub_root.cert), Hierarchy::Public);
    let crl = Crl::from_der(fresh_crl(&pki.pub_sub, 1, &[], Time::now().0)).unwrap();
    let verifier = Verifier::new(store, Policy::vietnam()).with_evidence(RevocationEvidence::from_crls(vec![crl]));
    let auth = Authenticator::new(verifier, "https://dichvucong.example.vn", &Forgetful);
    let now = Time::now();
    let challenge = Challenge::issue("https://dichvucong.example.vn", 600, None, now).unwrap();
    let signer = SoftwareSigner::from_pkcs8(pki.company.key.pkcs8(), cert(&pki.company.cert)).unwrap();
    let mut g = c.benchmark_group("auth");
    for form in [Form::Raw, Form::Jws, Form::Cms] {
        let response = kyso::auth::respond(
            &challenge,
            form,
            &signer,
            &[cert(&pki.pub_sub.cert)],
            kyso::crypto::default_provider(),
        )
        .unwrap();
        assert!(auth.verify(&challenge, &response, now).is_ok());
        g.bench_function(format!("verify a {form:?} response (RSA-2048, warm store)"), |b| {
            b.iter(|| black_box(auth.verify(&challenge, &response, now).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
