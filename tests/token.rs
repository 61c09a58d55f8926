//! PKCS#11 on SoftHSM2: tokens, PIN state, key/certificate pairs, CAdES signing on the token
//! verified by kyso and by `openssl cms -verify`, several threads at once, wrong PINs and
//! missing tokens. Each test run gets its own token directory through SOFTHSM2_CONF.
#![cfg(feature = "pkcs11")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use kyso::cms::{self, VerifyOptions};
use kyso::path::Verdict;
use kyso::sign::{Content, SignError, SignOptions, Signer};
use kyso::token::{self, Module, Pin, PinState, TokenError, TokenSigner};
use kyso::{crypto, Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::softhsm::{self, SoftHsm};
use kyso_testpki::{issue, ku, name, CertSpec, TestKey, VietnamTestPki};

const PIN: &str = "123456";

struct Hsm {
    module: PathBuf,
    soft: SoftHsm,
    pki: VietnamTestPki,
    rsa3072: Certificate,
    ec: Certificate,
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (openssl is required)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Tokens are made once per process, before the module is loaded.
fn hsm() -> &'static Hsm {
    static H: OnceLock<Hsm> = OnceLock::new();
    H.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kyso-softhsm-{}", std::process::id()));
        let module = softhsm::module()
            .expect("SoftHSM2 is required (the README's test command installs it: apt-get install softhsm2 opensc)");
        let soft = SoftHsm::create(&dir, &module).unwrap();
        // Set before the module is first loaded, for this test process only.
        soft.set_env();
        let pki = VietnamTestPki::build();
        // An RSA-3072 key made here, and the P-256 test key, with certificates from the
        // licensed CA.
        let k3072 = dir.join("k3072.der");
        run(Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:3072",
                "-outform",
                "DER",
                "-out",
            ])
            .arg(&k3072));
        let p8 = dir.join("k3072.p8");
        run(Command::new("openssl")
            .args([
                "pkcs8", "-topk8", "-nocrypt", "-inform", "DER", "-outform", "DER", "-in",
            ])
            .arg(&k3072)
            .arg("-out")
            .arg(&p8));
        let key3072 = TestKey::from_pkcs8(std::fs::read(&p8).unwrap());
        let leaf = |serial, cn: &str, key: &TestKey| {
            issue(
                &CertSpec {
                    serial,
                    subject: name(&[("C", "VN"), ("CN", cn), ("UID", "CCCD:001099012347")]),
                    not_before: unix(2025, 1, 1),
                    not_after: unix(2035, 1, 1),
                    key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
                    ..CertSpec::default()
                },
                key,
                Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
            )
        };
        let c3072 = leaf(0x2a01, "Token RSA-3072", &key3072);
        let ec_key = TestKey::load("ec-leaf");
        let cec = leaf(0x2a02, "Token P-256", &ec_key);
        for (label, objs) in [
            (
                "kyso-rsa",
                vec![(
                    "01",
                    "company",
                    pki.company.key.pkcs8().to_vec(),
                    pki.company.cert.clone(),
                )],
            ),
            (
                "kyso-more",
                vec![
                    ("02", "rsa3072", key3072.pkcs8().to_vec(), c3072.clone()),
                    ("03", "p256", ec_key.pkcs8().to_vec(), cec.clone()),
                ],
            ),
            // Only the wrong-PIN test logs in here: PKCS#11 login is shared by all sessions of
            // a process, so a token another test is logged in to would accept any PIN.
            ("kyso-pin", vec![]),
            // Deleted while a signer is open on it.
            (
                "kyso-gone",
                vec![("04", "gone", pki.company.key.pkcs8().to_vec(), pki.company.cert.clone())],
            ),
        ] {
            soft.init_token(label, PIN, "87654321").unwrap();
            for (id, l, key, cert) in objs {
                soft.add_key_pair(label, PIN, id, Some(l), &key, &cert).unwrap();
            }
        }
        Hsm {
            module,
            soft,
            rsa3072: Certificate::from_der(&c3072).unwrap(),
            ec: Certificate::from_der(&cec).unwrap(),
            pki,
        }
    })
}

fn store(h: &Hsm) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_anchor(Certificate::from_der(&h.pki.pub_root.cert).unwrap(), Hierarchy::Public);
    s
}

fn sign_and_check(h: &Hsm, signer: &dyn Signer) -> Vec<u8> {
    let now = Time::now();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&h.pki.pub_sub.cert).unwrap()];
    o.detached = true;
    let sig = kyso::sign::sign(
        Content::Bytes(b"signed on a token"),
        signer,
        &o,
        crypto::default_provider(),
    )
    .unwrap();
    let mut reopen = || -> std::io::Result<Box<dyn std::io::Read>> {
        Ok(Box::new(std::io::Cursor::new(b"signed on a token".to_vec())))
    };
    let r = cms::verify(
        &sig,
        Some(&mut reopen),
        &store(h),
        &[],
        &VerifyOptions::new(now),
        crypto::default_provider(),
    )
    .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.signers[0].error);
    sig
}

#[test]
fn tokens_pin_state_and_pairs() {
    let h = hsm();
    let m = Module::open(&h.module).unwrap();
    let tokens = m.tokens().unwrap();
    let labels: Vec<&str> = tokens.iter().map(|t| t.label.as_str()).collect();
    assert!(
        labels.contains(&"kyso-rsa") && labels.contains(&"kyso-more"),
        "{labels:?}"
    );
    let ours = tokens.iter().filter(|t| t.label.starts_with("kyso-"));
    assert!(
        ours.clone()
            .all(|t| t.login_required && t.flags.contains(&"token_initialized")),
        "{tokens:?}"
    );
    // The wrong-PIN test may run at the same time on kyso-more; kyso-rsa never sees a bad PIN.
    assert!(
        tokens
            .iter()
            .filter(|t| t.label == "kyso-rsa")
            .all(|t| t.pin_state == PinState::Ok),
        "{tokens:?}"
    );
    let pairs = m.pairs(Some("kyso-more"), Some(&Pin::new(PIN)), false).unwrap();
    assert_eq!(pairs.len(), 2);
    let keys: Vec<&str> = pairs.iter().map(|p| p.key.as_str()).collect();
    assert!(keys.contains(&"RSA-3072") && keys.contains(&"EC P-256"), "{keys:?}");
    assert!(pairs
        .iter()
        .all(|p| p.identity.as_ref().unwrap().ids[0].value == "001099012347"));
    // One context per module per process.
    let again = Module::open(&h.module).unwrap();
    assert_eq!(again.tokens().unwrap().len(), tokens.len());
    assert!(token::discover().iter().any(|p| p.file_name() == h.module.file_name()));
}

#[test]
fn cades_signed_on_the_token_for_each_key_type() {
    let h = hsm();
    let m = Module::open(&h.module).unwrap();
    let pin = Pin::new(PIN);
    let rsa = TokenSigner::open(&m, Some("kyso-rsa"), None, &pin, false, false).unwrap();
    assert_eq!(rsa.certificate().der(), h.pki.company.cert.as_slice());
    let sig = sign_and_check(h, &rsa);
    // Tokens that cannot hash: kyso builds the DigestInfo, the token does CKM_RSA_PKCS; the
    // signature is the same PKCS#1 v1.5 signature (deterministic), bit for bit.
    let raw = TokenSigner::open(&m, Some("kyso-rsa"), None, &pin, false, false)
        .unwrap()
        .with_raw_rsa();
    sign_and_check(h, &raw);
    assert_eq!(raw.sign(b"same input").unwrap(), rsa.sign(b"same input").unwrap());
    let pss = TokenSigner::open(&m, Some("kyso-rsa"), Some(&[1]), &pin, false, true).unwrap();
    sign_and_check(h, &pss);
    let r3072 = TokenSigner::open(&m, Some("kyso-more"), Some(&[2]), &pin, false, false).unwrap();
    assert_eq!(r3072.certificate(), &h.rsa3072);
    sign_and_check(h, &r3072);
    let ec = TokenSigner::open(&m, Some("kyso-more"), Some(&[3]), &pin, false, false).unwrap();
    assert_eq!(ec.certificate(), &h.ec);
    sign_and_check(h, &ec);
    // OpenSSL agrees about the RSA signature made on the token.
    kyso_testpki::openssl_cms_verify("token", &sig, Some(b"signed on a token"), &h.pki.pub_root.cert, &[]).unwrap();
    // And refuses it over other content (so the helper's "yes" means something).
    let refused = kyso_testpki::openssl_cms_verify("token-other", &sig, Some(b"other"), &h.pki.pub_root.cert, &[]);
    assert!(refused.unwrap_err().contains("content verify error"));
}

#[test]
fn several_threads_sign_at_once() {
    let h = hsm();
    let m = Module::open(&h.module).unwrap();
    let signer = Arc::new(TokenSigner::open(&m, Some("kyso-rsa"), None, &Pin::new(PIN), false, false).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let s = signer.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    sign_and_check(hsm(), s.as_ref());
                }
            })
        })
        .collect();
    for t in handles {
        t.join().unwrap();
    }
}

#[test]
fn wrong_pin_missing_token_and_key_are_typed_errors() {
    let h = hsm();
    let m = Module::open(&h.module).unwrap();
    let state = |m: &Module| {
        m.tokens()
            .unwrap()
            .into_iter()
            .find(|t| t.label == "kyso-pin")
            .unwrap()
            .pin_state
    };
    assert_eq!(state(&m), PinState::Ok);
    // SoftHSM2 keeps one PIN counter flag: CKF_USER_PIN_COUNT_LOW after a wrong PIN, cleared by
    // a good one. kyso reads it back into the error and the token's state.
    let e = TokenSigner::open(&m, Some("kyso-pin"), None, &Pin::new("000000"), false, false).unwrap_err();
    assert_eq!(e, TokenError::WrongPin { count_low: true });
    assert_eq!(state(&m), PinState::CountLow);
    // The right PIN still works afterwards (the token holds no key) and clears the flag.
    assert_eq!(
        TokenSigner::open(&m, Some("kyso-pin"), None, &Pin::new(PIN), false, false).unwrap_err(),
        TokenError::NoKey
    );
    assert_eq!(state(&m), PinState::Ok);
    assert_eq!(
        TokenSigner::open(&m, Some("no-such-token"), None, &Pin::new(PIN), false, false).unwrap_err(),
        TokenError::NoToken {
            label: Some("no-such-token".into())
        }
    );
    assert_eq!(
        TokenSigner::open(&m, Some("kyso-rsa"), Some(&[9]), &Pin::new(PIN), false, false).unwrap_err(),
        TokenError::NoKey
    );
    assert!(matches!(
        Module::open("/nonexistent/libnothing.so"),
        Err(TokenError::Module { .. })
    ));
    // The PIN never prints.
    assert_eq!(format!("{:?}", Pin::new(PIN)), "Pin(***)");
}

#[test]
fn the_final_try_is_never_spent_without_force() {
    // SoftHSM2 keeps no PIN counters, so the decision is tested on the flags themselves.
    assert_eq!(PinState::from_flags(true, false, true, true), PinState::FinalTry);
    assert_eq!(PinState::FinalTry.may_try(false), Err(TokenError::PinFinalTry));
    assert!(PinState::FinalTry.may_try(true).is_ok());
    assert_eq!(
        PinState::from_flags(true, true, false, false).may_try(true),
        Err(TokenError::PinLocked)
    );
    assert!(PinState::from_flags(true, false, false, true).may_try(false).is_ok());
    assert_eq!(
        PinState::from_flags(false, false, false, false),
        PinState::NotInitialized
    );
}

#[test]
fn a_token_pulled_out_is_a_typed_error_and_nothing_is_written() {
    let h = hsm();
    let m = Module::open(&h.module).unwrap();
    let signer = TokenSigner::open(&m, Some("kyso-gone"), None, &Pin::new(PIN), false, false).unwrap();
    sign_and_check(h, &signer);
    // softhsm2-util removes the token's files under the open session, as pulling a USB token does.
    h.soft.delete_token("kyso-gone").unwrap();
    let mut o = SignOptions::new(Time::now());
    o.detached = true;
    let mut out = Vec::new();
    let r = kyso::sign::sign(
        Content::Bytes(b"after removal"),
        &signer,
        &o,
        crypto::default_provider(),
    )
    .map(|s| out = s);
    assert_eq!(r, Err(SignError::Token(TokenError::TokenRemoved)));
    assert!(out.is_empty());
}
