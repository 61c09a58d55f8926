//! CMS / CAdES: kyso signs and OpenSSL verifies, OpenSSL signs and kyso verifies, tampering is
//! caught with the right reason, and the public vectors' verdicts are reproduced.
// Signing uses aws-lc-rs (never the `rsa` crate): these tests need the default provider.
#![cfg(feature = "aws-lc")]

use std::path::PathBuf;
use std::process::Command;

use kyso::cms::{self, SignerError, VerifyOptions};
use kyso::crypto::{self, AlgorithmPolicy};
use kyso::path::{PathOptions, Verdict};
use kyso::sign::{Content, SignError, SignOptions, SoftwareSigner};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::{issue, ku, name, CertSpec, Entity, TestKey, VietnamTestPki};

struct Dir(PathBuf);
impl Dir {
    fn new(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("kyso-cms-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn put(&self, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, data).unwrap();
        p
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn openssl(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl program is required");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn store(pki: &VietnamTestPki) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    s.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    s
}

fn signer_for(e: &Entity) -> SoftwareSigner {
    SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap()
}

const DOC: &[u8] = b"QUYET DINH so 123/QD-BTN - tai lieu thu nghiem\r\n";

fn options_for(sub: &Entity, now: Time) -> SignOptions {
    let mut o = SignOptions::new(now);
    o.chain = vec![c(&sub.cert)];
    o
}

fn verify_opts(now: Time) -> VerifyOptions {
    let mut v = VerifyOptions::new(now);
    v.path = PathOptions::vietnam(now);
    v
}

#[test]
fn openssl_verifies_what_kyso_signs() {
    let pki = VietnamTestPki::build();
    let d = Dir::new("out");
    let roots = d.put(
        "roots.pem",
        kyso_testpki::pem("CERTIFICATE", &pki.gov_root.cert) + &kyso_testpki::pem("CERTIFICATE", &pki.pub_root.cert),
    );
    let doc = d.put("doc.txt", DOC);
    let now = Time::now();
    // An ECDSA P-256 leaf under the licensed CA as well.
    let ec_key = TestKey::load("ec-leaf");
    let ec_leaf = issue(
        &CertSpec {
            serial: 0x2100,
            subject: name(&[("C", "VN"), ("CN", "EC signer"), ("UID", "CCCD:001099012346")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
            ..CertSpec::default()
        },
        &ec_key,
        Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
    );
    let ec_signer = SoftwareSigner::from_pkcs8(ec_key.pkcs8(), c(&ec_leaf)).unwrap();
    let cases: Vec<(&str, Box<dyn kyso::sign::Signer>, &Entity)> = vec![
        ("company RSA", Box::new(signer_for(&pki.company)), &pki.pub_sub),
        ("officer RSA", Box::new(signer_for(&pki.officer)), &pki.gov_sub),
        (
            "company RSA-PSS",
            Box::new(signer_for(&pki.company).with_pss().unwrap()),
            &pki.pub_sub,
        ),
        ("EC P-256", Box::new(ec_signer), &pki.pub_sub),
    ];
    for (label, signer, sub) in &cases {
        for detached in [false, true] {
            let mut o = options_for(sub, now);
            o.detached = detached;
            let sig = kyso::sign::sign(Content::Bytes(DOC), signer.as_ref(), &o, crypto::default_provider()).unwrap();
            let sigf = d.put("sig.p7s", &sig);
            let mut args: Vec<&std::ffi::OsStr> = vec![
                "cms".as_ref(),
                "-verify".as_ref(),
                "-binary".as_ref(),
                "-cades".as_ref(),
            ];
            args.extend(["-inform".as_ref(), "DER".as_ref(), "-in".as_ref(), sigf.as_os_str()]);
            args.extend([
                "-CAfile".as_ref(),
                roots.as_os_str(),
                "-purpose".as_ref(),
                "any".as_ref(),
            ]);
            args.extend(["-out".as_ref(), std::ffi::OsStr::new("/dev/null")]);
            if detached {
                args.extend(["-content".as_ref(), doc.as_os_str()]);
            }
            let (ok, out) = openssl(&args);
            assert!(
                ok,
                "{label} detached={detached}: openssl refused kyso's signature:\n{out}"
            );
            // And kyso agrees, naming the hierarchy.
            let mut reopen =
                || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::io::Cursor::new(DOC.to_vec()))) };
            let content: Option<&mut dyn FnMut() -> std::io::Result<Box<dyn std::io::Read>>> =
                if detached { Some(&mut reopen) } else { None };
            let r = cms::verify(
                &sig,
                content,
                &store(&pki),
                &[],
                &verify_opts(now),
                crypto::default_provider(),
            )
            .unwrap();
            assert_eq!(r.verdict, Verdict::Valid, "{label}: {:?}", r.signers[0].error);
            assert!(r.signers[0].signing_certificate_bound);
        }
    }
    // OpenSSL refuses a tampered document too.
    let sig = kyso::sign::sign(
        Content::Bytes(DOC),
        &signer_for(&pki.company),
        &SignOptions {
            detached: true,
            ..options_for(&pki.pub_sub, now)
        },
        crypto::default_provider(),
    )
    .unwrap();
    let sigf = d.put("sig.p7s", &sig);
    let bad = d.put("bad.txt", b"QUYET DINH so 124");
    let (ok, _) = openssl(&[
        "cms".as_ref(),
        "-verify".as_ref(),
        "-binary".as_ref(),
        "-inform".as_ref(),
        "DER".as_ref(),
        "-in".as_ref(),
        sigf.as_os_str(),
        "-CAfile".as_ref(),
        roots.as_os_str(),
        "-purpose".as_ref(),
        "any".as_ref(),
        "-content".as_ref(),
        bad.as_os_str(),
        "-out".as_ref(),
        "/dev/null".as_ref(),
    ]);
    assert!(!ok);
}

#[test]
fn kyso_verifies_what_openssl_signs() {
    let pki = VietnamTestPki::build();
    let d = Dir::new("in");
    let cert = d.put("signer.pem", kyso_testpki::pem("CERTIFICATE", &pki.officer.cert));
    let key = d.put("signer.key", kyso_testpki::pem("PRIVATE KEY", pki.officer.key.pkcs8()));
    let chain = d.put("chain.pem", kyso_testpki::pem("CERTIFICATE", &pki.gov_sub.cert));
    let doc = d.put("doc.txt", DOC);
    let now = Time::now();
    for (detached, cades) in [(false, false), (true, false), (false, true), (true, true)] {
        let out = d.put("sig.der", b"");
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "cms".as_ref(),
            "-sign".as_ref(),
            "-binary".as_ref(),
            "-outform".as_ref(),
            "DER".as_ref(),
        ];
        args.extend([
            "-signer".as_ref(),
            cert.as_os_str(),
            "-inkey".as_ref(),
            key.as_os_str(),
            "-certfile".as_ref(),
            chain.as_os_str(),
        ]);
        args.extend([
            "-in".as_ref(),
            doc.as_os_str(),
            "-out".as_ref(),
            out.as_os_str(),
            "-md".as_ref(),
            "sha256".as_ref(),
        ]);
        if !detached {
            args.push("-nodetach".as_ref());
        }
        if cades {
            args.push("-cades".as_ref());
        }
        let (ok, msg) = openssl(&args);
        assert!(ok, "{msg}");
        let sig = std::fs::read(&out).unwrap();
        let mut reopen = || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::fs::File::open(&doc)?)) };
        let content: Option<&mut dyn FnMut() -> std::io::Result<Box<dyn std::io::Read>>> =
            if detached { Some(&mut reopen) } else { None };
        let r = cms::verify(
            &sig,
            content,
            &store(&pki),
            &[],
            &verify_opts(now),
            crypto::default_provider(),
        )
        .unwrap();
        assert_eq!(
            r.verdict,
            Verdict::Valid,
            "detached={detached} cades={cades}: {:?}",
            r.signers[0].error
        );
        let s = &r.signers[0];
        assert_eq!(s.signing_certificate_bound, cades);
        assert_eq!(s.chain.as_ref().unwrap().hierarchy, Some(Hierarchy::Government));
        assert!(s.signing_time.is_some());
    }
}

#[test]
fn tampering_is_caught_with_the_right_reason() {
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let signer = signer_for(&pki.company);
    let sig = kyso::sign::sign(
        Content::Bytes(DOC),
        &signer,
        &options_for(&pki.pub_sub, now),
        crypto::default_provider(),
    )
    .unwrap();
    let verify = |sig: &[u8]| {
        cms::verify(
            sig,
            None,
            &store(&pki),
            &[],
            &verify_opts(now),
            crypto::default_provider(),
        )
    };
    assert_eq!(verify(&sig).unwrap().verdict, Verdict::Valid);
    // The content inside: the message digest no longer matches.
    let pos = sig.windows(DOC.len()).position(|w| w == DOC).unwrap();
    let mut t = sig.clone();
    t[pos + 3] ^= 0x20;
    let r = verify(&t).unwrap();
    assert_eq!(
        (r.verdict, r.signers[0].error.clone()),
        (Verdict::Invalid, Some(SignerError::DigestMismatch))
    );
    // A signed attribute (the signing time): the signature no longer verifies.
    let when = now.to_der();
    let pos = sig.windows(when.len()).position(|w| w == when.as_slice()).unwrap();
    let mut t = sig.clone();
    t[pos + 5] ^= 0x01;
    let r = verify(&t).unwrap();
    assert!(
        matches!(r.signers[0].error, Some(SignerError::Signature(_))),
        "{:?}",
        r.signers[0].error
    );
    // The signature value itself (its last byte).
    let mut t = sig.clone();
    let n = t.len();
    t[n - 1] ^= 0x01;
    let r = verify(&t).unwrap();
    assert!(matches!(r.signers[0].error, Some(SignerError::Signature(_))));
    // An untrusted signer: indeterminate, naming the chain.
    let rogue = signer_for(&pki.rogue_leaf);
    let sig = kyso::sign::sign(
        Content::Bytes(DOC),
        &rogue,
        &SignOptions::new(now),
        crypto::default_provider(),
    )
    .unwrap();
    let r = verify(&sig).unwrap();
    assert_eq!(r.verdict, Verdict::Indeterminate);
    assert!(matches!(r.signers[0].error, Some(SignerError::Chain(_))));
    // Detached without content: a typed error.
    let sig = kyso::sign::sign(
        Content::Bytes(DOC),
        &signer,
        &SignOptions {
            detached: true,
            ..options_for(&pki.pub_sub, now)
        },
        crypto::default_provider(),
    )
    .unwrap();
    assert_eq!(verify(&sig).unwrap_err(), cms::CmsError::ContentMissing);
    // Truncations of a signature: errors, never panics.
    for cut in (0..sig.len()).step_by(13) {
        assert!(verify(&sig[..cut]).is_err());
    }
}

#[test]
fn signer_certificate_is_checked_before_signing() {
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let mut o = options_for(&pki.pub_sub, now);
    o.check_against = Some((store(&pki), PathOptions::at(now)));
    assert!(kyso::sign::sign(
        Content::Bytes(DOC),
        &signer_for(&pki.company),
        &o,
        crypto::default_provider()
    )
    .is_ok());
    let mut o = SignOptions::new(now);
    o.check_against = Some((store(&pki), PathOptions::at(now)));
    let e = kyso::sign::sign(
        Content::Bytes(DOC),
        &signer_for(&pki.rogue_leaf),
        &o,
        crypto::default_provider(),
    )
    .unwrap_err();
    // Refused for the reason path validation gives: no path to a trusted anchor.
    assert!(
        matches!(
            e,
            SignError::CertificateRefused {
                error: Some(kyso::path::PathError::NoIssuerFound { .. })
            }
        ),
        "{e:?}"
    );
    o.force = true;
    assert!(kyso::sign::sign(
        Content::Bytes(DOC),
        &signer_for(&pki.rogue_leaf),
        &o,
        crypto::default_provider()
    )
    .is_ok());
    // A key that does not match the certificate.
    assert!(matches!(
        SoftwareSigner::from_pkcs8(pki.officer.key.pkcs8(), c(&pki.company.cert)),
        Err(SignError::Key(kyso::sign::KeyError::DoesNotMatchCertificate))
    ));
    // A PEM key whose body is not base64 is that, not an empty key.
    assert!(matches!(
        SoftwareSigner::from_pkcs8(
            b"-----BEGIN PRIVATE KEY-----\n!!not base64!!\n-----END PRIVATE KEY-----\n",
            c(&pki.company.cert)
        ),
        Err(SignError::Key(kyso::sign::KeyError::Malformed(
            kyso::InputError::Base64 { line: 1 }
        )))
    ));
}

#[test]
fn public_cms_vectors() {
    let Some(dir) = kyso_testpki::shared::vectors("cms") else {
        return;
    };
    let read = |p: &str| std::fs::read(dir.join(p)).unwrap();
    let mut carl = TrustStore::new();
    carl.add_anchor(c(&read("rfc4134/CarlRSASelf.cer")), Hierarchy::Custom("rfc4134".into()));
    carl.add_anchor(
        c(&read("rfc4134/CarlDSSSelf.cer")),
        Hierarchy::Custom("rfc4134-dsa".into()),
    );
    let at = Time(unix(2020, 1, 1));
    let mut o = VerifyOptions::new(at);
    o.path = PathOptions::at(at);
    o.path.algorithms = AlgorithmPolicy::LEGACY;
    o.path.leaf_key_usage = kyso::path::LeafKeyUsage::Any;
    o.at = Some(at);
    let v = |p: &str, content: Option<Vec<u8>>| {
        let mut reopen = move || -> std::io::Result<Box<dyn std::io::Read>> {
            Ok(Box::new(std::io::Cursor::new(content.clone().unwrap_or_default())))
        };
        let detached = p == "rfc4134/4.3.bin";
        let c: Option<&mut dyn FnMut() -> std::io::Result<Box<dyn std::io::Read>>> =
            if detached { Some(&mut reopen) } else { None };
        cms::verify(&read(p), c, &carl, &[], &o, crypto::default_provider())
    };
    // RSA with SHA-1 (legacy allowed here): valid; 4.5 carries no signed attributes.
    for p in ["rfc4134/4.2.bin", "rfc4134/4.5.bin"] {
        let r = v(p, None).unwrap();
        assert_eq!(
            r.verdict,
            Verdict::Valid,
            "{p}: {:?}",
            r.signers.iter().map(|s| &s.error).collect::<Vec<_>>()
        );
    }
    // DSA signers (4.3 detached, 4.4 and 4.10 with many attributes, 4.6 two signers, 4.7 by
    // subjectKeyIdentifier): every structure read, then "unsupported algorithm", never valid.
    for p in [
        "rfc4134/4.1.bin",
        "rfc4134/4.3.bin",
        "rfc4134/4.4.bin",
        "rfc4134/4.6.bin",
        "rfc4134/4.7.bin",
        "rfc4134/4.10.bin",
    ] {
        let r = v(p, Some(read("rfc4134/ExContent.bin"))).unwrap();
        assert_ne!(r.verdict, Verdict::Valid, "{p}");
        for s in &r.signers {
            assert!(
                matches!(&s.error, Some(SignerError::Signature(e)) if e.to_string().contains("unsupported")),
                "{p}: {:?}",
                s.error
            );
        }
    }
    // 4.4: a DSA signer (unsupported) with an RSA countersignature, verified on its own and
    // valid. Its sid names CarlRSA serial 46346BC7…C410B3B0, AliceRSA's certificate (the
    // manifest's note says Diane; the data says Alice, and Alice's key verifies it).
    let r = v("rfc4134/4.4.bin", None).unwrap();
    let cs = &r.signers[0].countersignatures;
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].verdict, Verdict::Valid, "{:?}", cs[0].error);
    let who = cs[0].certificate.as_ref().unwrap().subject().display();
    assert!(who.contains("AliceRSA"), "{who}");
    // No signers: not a success.
    let r = v("rfc4134/4.11.bin", None).unwrap();
    assert!(r.signers.is_empty() && r.verdict == Verdict::Indeterminate);
    // RustCrypto fixtures: the signature verifies in DER and BER (no anchor shipped).
    for p in ["rustcrypto-cms/cms_der.bin", "rustcrypto-cms/cms_ber.bin"] {
        let r = v(p, None).unwrap();
        assert!(r.signers[0].signature.is_some(), "{p}: {:?}", r.signers[0].error);
    }
    for p in [
        "rustcrypto-cms/signer_info_explicit_attrs.bin",
        "rustcrypto-cms/signer_info_sequence_not_set.bin",
    ] {
        assert!(v(p, None).is_err(), "{p} must fail to decode");
    }
}

#[test]
fn pkcs12_files_written_by_openssl() {
    let pki = VietnamTestPki::build();
    let d = Dir::new("p12");
    let cert = d.put("c.pem", kyso_testpki::pem("CERTIFICATE", &pki.company.cert));
    let key = d.put("k.pem", kyso_testpki::pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let chain = d.put("chain.pem", kyso_testpki::pem("CERTIFICATE", &pki.pub_sub.cert));
    let now = Time::now();
    // OpenSSL 3's default (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, SHA-256 MAC), the legacy
    // 3DES form, and -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC) when the legacy
    // provider is installed.
    let variants: [(&str, &[&str]); 3] = [
        ("default", &[]),
        (
            "3des",
            &[
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-3DES",
                "-macalg",
                "sha1",
            ],
        ),
        ("legacy", &["-legacy"]),
    ];
    let mut opened = 0;
    for (label, extra) in variants {
        let out = d.0.join(format!("{label}.p12"));
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["pkcs12".as_ref(), "-export".as_ref(), "-in".as_ref(), cert.as_os_str()];
        args.extend([
            "-inkey".as_ref(),
            key.as_os_str(),
            "-certfile".as_ref(),
            chain.as_os_str(),
        ]);
        args.extend([
            "-passout".as_ref(),
            "pass:Mật-khẩu 123".as_ref(),
            "-out".as_ref(),
            out.as_os_str(),
        ]);
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        let (ok, msg) = openssl(&args);
        if !ok {
            assert_eq!(label, "legacy", "openssl could not write the {label} file: {msg}");
            println!("skipping the -legacy variant: this OpenSSL has no legacy provider ({msg})");
            continue;
        }
        let p12 = std::fs::read(&out).unwrap();
        let (signer, chain) =
            SoftwareSigner::from_pkcs12(&p12, "Mật-khẩu 123").unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            kyso::sign::Signer::certificate(&signer).der(),
            pki.company.cert.as_slice(),
            "{label}"
        );
        assert_eq!(chain.len(), 1, "{label}");
        let mut o = SignOptions::new(now);
        o.chain = chain;
        let sig = kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap();
        let r = cms::verify(
            &sig,
            None,
            &store(&pki),
            &[],
            &verify_opts(now),
            crypto::default_provider(),
        )
        .unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{label}");
        let e = SoftwareSigner::from_pkcs12(&p12, "wrong").unwrap_err();
        assert_eq!(e, kyso::sign::SignError::WrongPassword, "{label}");
        opened += 1;
    }
    assert!(opened >= 2);
    match SoftwareSigner::from_pkcs12(b"\x30\x03\x02\x01\x03", "x") {
        // PFX { version 3 } and nothing else: authSafe is missing where it should start, at
        // byte 5 of the input.
        Err(SignError::Key(why)) => assert_eq!(
            why,
            kyso::sign::KeyError::Pkcs12Input(kyso::InputError::Malformed {
                what: "authSafe",
                offset: 5
            })
        ),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a 5-byte PKCS#12 opened"),
    }
}
