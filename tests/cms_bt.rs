//! CAdES B-T: the signature time-stamp comes from a real TSA (`openssl ts -reply`), kyso
//! verifies the token, judges the chain at genTime, reports the level, and reports the +7 h
//! signing-time drift of some Vietnamese tools against genTime.
// Signing uses aws-lc-rs (never the `rsa` crate): these tests need the default provider.
#![cfg(feature = "aws-lc")]

use std::sync::Arc;

use kyso::cms::{self, Level, VerifyOptions};
use kyso::crypto;
use kyso::path::{PathOptions, Verdict};
use kyso::sign::{Content, SignOptions, SoftwareSigner, TimestampAuthority};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::VietnamTestPki;

#[path = "common/tsa.rs"]
mod tsa;
use tsa::OpensslTsa;

const DOC: &[u8] = b"Hoa don GTGT so 0000123";

#[test]
fn b_t_with_a_real_tsa() {
    let pki = VietnamTestPki::build();
    let (tsa, tsa_cert) = OpensslTsa::new(&pki, "direct");
    let tsa: Arc<dyn TimestampAuthority> = Arc::new(tsa);
    let now = Time::now();
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let sign_at = |when: Time| {
        let mut o = SignOptions::new(when);
        o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap(), tsa_cert.clone()];
        o.level = Level::BT;
        o.tsa = Some(tsa.clone());
        kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap()
    };
    let verify = |sig: &[u8]| {
        let mut v = VerifyOptions::new(now);
        v.path = PathOptions::vietnam(now);
        // The TSA certificate travels in the CMS's certificates.
        cms::verify(
            sig,
            None,
            &store,
            std::slice::from_ref(&tsa_cert),
            &v,
            crypto::default_provider(),
        )
        .unwrap()
    };
    let sig = sign_at(now);
    let r = verify(&sig);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.signers[0].error);
    let s = &r.signers[0];
    assert_eq!(s.level, Level::BT);
    let ts = s.timestamp.as_ref().unwrap().as_ref().unwrap();
    assert!((ts.info.gen_time.0 - now.0).abs() < 120, "genTime {}", ts.info.gen_time);
    assert_eq!(s.judged_at, ts.info.gen_time, "the chain is judged at genTime");
    assert_eq!(ts.hierarchy, Some(Hierarchy::Public));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The validation report: judged at the time-stamp, which it names in both languages.
    let vo = {
        let mut v = VerifyOptions::new(now);
        v.path = PathOptions::vietnam(now);
        v
    };
    let report = kyso::report::ValidationReport::from_cms(&r, &vo);
    let rs = &report.signatures[0];
    assert_eq!(rs.time_source, kyso::report::TimeSource::Timestamp);
    assert_eq!(rs.judged_at, ts.info.gen_time);
    let t = rs.timestamp.as_ref().unwrap();
    assert!(t.valid && t.gen_time == Some(ts.info.gen_time));
    let vi = kyso::report::render(&report, kyso::report::Lang::Vi);
    assert!(
        vi.contains("Dấu thời gian:") && vi.contains("(theo dấu thời gian)"),
        "{vi}"
    );
    assert!(!vi.contains("Dấu thời gian:                       không có"), "{vi}");

    // A tool that wrote Vietnam local time as UTC: reported against genTime, not corrected.
    let sig = sign_at(Time(now.0 + 7 * 3600));
    let r = verify(&sig);
    let s = &r.signers[0];
    assert!(
        s.warnings.iter().any(|w| w.to_string().contains("7 hours")),
        "{:?}",
        s.warnings
    );
    assert_eq!(s.signing_time, Some(Time(now.0 + 7 * 3600)), "reported as written");
    let report = kyso::report::ValidationReport::from_cms(&r, &vo);
    let w = &report.signatures[0].warnings;
    let local = w
        .iter()
        .find(|w| w.code == "signing_time_local")
        .expect("the +7 h warning");
    assert!(local.message.vi.contains("giờ Việt Nam (UTC+7)"), "{local:?}");

    // A damaged token (a byte of its own signature value flipped): the time-stamp is reported
    // invalid and the chain is judged at the claimed signing time instead.
    let sig = sign_at(now);
    let sd = cms::SignedData::from_bytes(&sig).unwrap();
    let token = sd.signers[0].unsigned_attrs[0].values[0].clone();
    let start = sig.windows(token.len()).position(|w| w == token.as_slice()).unwrap();
    let mut bad = sig.clone();
    bad[start + token.len() - 10] ^= 0x01;
    let r = verify(&bad);
    let s = &r.signers[0];
    assert!(matches!(s.timestamp, Some(Err(_))), "{:?}", s.timestamp);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.to_string().contains("time-stamp is not valid")),
        "{:?}",
        s.warnings
    );
    assert_eq!(Some(s.judged_at), s.signing_time);
    assert_eq!(r.verdict, Verdict::Valid, "the signature itself is intact");

    // OpenSSL still verifies the CMS with the time-stamp attribute in it.
    kyso_testpki::openssl_cms_verify("bt", &sig, None, &pki.pub_root.cert, &[]).unwrap();
}

/// An RFC 3161 TSA over HTTP on 127.0.0.1: each POST is answered by `openssl ts -reply`.
/// Serves at most 10 requests or 60 s, then stops by itself.
#[cfg(feature = "net")]
fn http_tsa(tsa: Arc<OpensslTsa>) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut served = 0;
        while served < 10 && std::time::Instant::now() < deadline {
            let Ok((mut s, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            };
            served += 1;
            s.set_nonblocking(false).ok();
            s.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Headers, then Content-Length bytes of body.
            let body = loop {
                let n = s.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                        .unwrap_or(0);
                    while buf.len() < end + 4 + len {
                        let n = s.read(&mut chunk).unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    break Some(buf[end + 4..].to_vec());
                }
            };
            let Some(query) = body else { continue };
            let q = tsa.dir.join("http.tsq");
            let r = tsa.dir.join("http.tsr");
            std::fs::write(&q, &query).unwrap();
            let ok = std::process::Command::new("openssl")
                .args(["ts", "-reply", "-config"])
                .arg(tsa.dir.join("tsa.cnf"))
                .arg("-queryfile")
                .arg(&q)
                .arg("-out")
                .arg(&r)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            let reply = if ok { std::fs::read(&r).unwrap() } else { Vec::new() };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reply.len()
            );
            s.write_all(head.as_bytes()).ok();
            s.write_all(&reply).ok();
        }
    });
    port
}

#[cfg(feature = "net")]
#[test]
fn b_t_through_an_http_tsa_and_the_command_line() {
    let pki = VietnamTestPki::build();
    let (tsa, tsa_cert) = OpensslTsa::new(&pki, "http");
    let port = http_tsa(Arc::new(tsa));
    let url = format!("http://127.0.0.1:{port}/");
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let now = Time::now();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap(), tsa_cert.clone()];
    o.level = Level::BT;
    o.tsa = Some(Arc::new(kyso::fetch::HttpTsa::new(
        url,
        kyso::fetch::FetchLimits::default(),
    )));
    let sig = kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let r = cms::verify(
        &sig,
        None,
        &store,
        &[],
        &VerifyOptions::new(now),
        crypto::default_provider(),
    )
    .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.signers[0].error);
    assert_eq!(r.signers[0].level, Level::BT);
    assert!(matches!(r.signers[0].timestamp, Some(Ok(_))));
}

#[test]
fn b_lt_carries_the_revocation_values_it_needs() {
    use kyso::revocation::{CertStatus, Crl, RevocationEvidence, RevocationMode, RevocationOptions};
    use kyso_testpki::{issue_crl, CrlSpec};
    let pki = VietnamTestPki::build();
    let (tsa, tsa_cert) = OpensslTsa::new(&pki, "blt");
    let now = Time::now();
    let crl = |e: &kyso_testpki::Entity| {
        Crl::from_bytes(&issue_crl(
            &CrlSpec {
                this_update: now.0 - 3600,
                next_update: Some(now.0 + 86_400),
                number: 3,
                ..CrlSpec::default()
            },
            (&e.subject, &e.key),
        ))
        .unwrap()
    };
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap(), tsa_cert.clone()];
    o.level = Level::BLT;
    o.tsa = Some(Arc::new(tsa));
    o.revocation_values = RevocationEvidence::from_crls(vec![crl(&pki.pub_sub), crl(&pki.pub_root)]);
    let sig = kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap();
    assert_eq!(cms::SignedData::from_bytes(&sig).unwrap().crls.len(), 2);

    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    // Hard-fail revocation and no evidence from the caller: the signature's own values decide.
    let mut v = VerifyOptions::new(now);
    v.path.revocation = RevocationOptions {
        mode: RevocationMode::Hard,
        evidence: Arc::new(RevocationEvidence::default()),
    };
    let r = cms::verify(&sig, None, &store, &[], &v, crypto::default_provider()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.signers[0].error);
    let s = &r.signers[0];
    assert_eq!(s.level, Level::BLT);
    for st in &s.chain.as_ref().unwrap().revocation {
        match st {
            CertStatus::Good { source } => assert_eq!(source.origin.as_deref(), Some("embedded in the CMS")),
            other => panic!("{other:?}"),
        }
    }
    // OpenSSL reads the CRLs the CMS carries and accepts it.
    if let Err(e) = kyso_testpki::openssl_cms_verify("blt", &sig, None, &pki.pub_root.cert, &["-crl_check_all"]) {
        panic!("openssl with -crl_check_all on the carried CRLs: {e}");
    }
    // B-LT without values is refused at signing; a B-T signature stays B-T.
    o.revocation_values = RevocationEvidence::default();
    assert_eq!(
        kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()),
        Err(kyso::sign::SignError::NoRevocationValues)
    );
    o.level = Level::BT;
    let bt = kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap();
    let r = cms::verify(&bt, None, &store, &[], &v, crypto::default_provider()).unwrap();
    assert_eq!(r.verdict, Verdict::Indeterminate, "hard-fail without any evidence");
    assert_eq!(r.signers[0].level, Level::BT);
}

/// XAdES B-T through a real TSA (`openssl ts -reply`): kyso time-stamps the canonical
/// SignatureValue, verifies the signature as B-T and judges its chain at the time-stamp's
/// genTime; a changed SignatureValue breaks both the signature and the time-stamp.
#[test]
fn xades_b_t_with_a_real_tsa() {
    use kyso::report::Indication;
    use kyso::xml::sign::{sign_enveloped, Placement, XmlSignature};
    let pki = VietnamTestPki::build();
    let (tsa, tsa_cert) = OpensslTsa::new(&pki, "xades");
    let now = Time::now();
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    o.level = kyso::cms::Level::BT;
    o.tsa = Some(Arc::new(tsa));
    let what = XmlSignature {
        into: Placement::parse("DSCKS/NBan"),
        references: Vec::new(),
        id: None,
        xades: true,
        exclusive_c14n: false,
    };
    let invoice = b"<HDon><DLHDon Id=\"d\"><SHDon>1</SHDon></DLHDon><DSCKS><NBan/></DSCKS></HDon>";
    let signed = sign_enveloped(invoice, &signer, &what, &o, kyso::crypto::default_provider()).unwrap();
    assert!(String::from_utf8_lossy(&signed).contains("<xades:EncapsulatedTimeStamp>"));
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let v = kyso::Verifier::new(store, kyso::Policy::vietnam()).with_pool([tsa_cert.clone()]);
    let when = kyso::When {
        at: None,
        now: Some(now),
    };
    let r = v.report(&signed, kyso::Content::Attached, when);
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    let s = &r.signatures[0];
    assert_eq!(s.level, Some(kyso::cms::Level::BT));
    let ts = s.timestamp.as_ref().expect("the time-stamp is reported");
    assert!(ts.valid);
    assert_eq!(s.time_source, kyso::report::TimeSource::Timestamp);
    // B-LT: kyso carries the chain's certificates and CRLs in the unsigned properties (which
    // the signature does not cover). Under hard-fail revocation with no other evidence, only
    // the values the signature carries can make it valid.
    let crl = |e: &kyso_testpki::Entity| kyso_testpki::fresh_crl(e, 1, &[], now.unix());
    let mut o_lt = o.clone();
    o_lt.level = kyso::cms::Level::BLT;
    let no_values = sign_enveloped(invoice, &signer, &what, &o_lt, kyso::crypto::default_provider());
    assert!(
        matches!(no_values, Err(kyso::sign::SignError::NoRevocationValues)),
        "{no_values:?}"
    );
    o_lt.revocation_values = kyso::revocation::RevocationEvidence::from_crls(vec![
        kyso::revocation::Crl::from_der(crl(&pki.pub_sub)).unwrap(),
        kyso::revocation::Crl::from_der(crl(&pki.pub_root)).unwrap(),
    ]);
    let lt = sign_enveloped(invoice, &signer, &what, &o_lt, kyso::crypto::default_provider()).unwrap();
    let lt = String::from_utf8(lt).unwrap();
    assert_eq!(lt.matches("<xades:EncapsulatedCRLValue>").count(), 2);
    assert_eq!(lt.matches("<xades:EncapsulatedX509Certificate>").count(), 1);
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let hard = kyso::Verifier::new(
        store,
        kyso::Policy::vietnam()
            .to_builder()
            .revocation(kyso::revocation::RevocationMode::Hard)
            .build(),
    )
    .with_pool([tsa_cert.clone()]);
    let r = hard.report(lt.as_bytes(), kyso::Content::Attached, when);
    assert_eq!(r.signatures[0].level, Some(kyso::cms::Level::BLT));
    assert_eq!(
        r.signatures[0].path[0].revocation,
        "good",
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    let r = hard.report(&signed, kyso::Content::Attached, when);
    assert_eq!(r.signatures[0].level, Some(kyso::cms::Level::BT));
    assert_ne!(
        r.indication,
        Indication::TotalPassed,
        "hard-fail without the carried values"
    );
    // Without XAdES, a time-stamp cannot be asked for.
    let plain = XmlSignature { xades: false, ..what };
    assert!(sign_enveloped(invoice, &signer, &plain, &o, kyso::crypto::default_provider()).is_err());
}
