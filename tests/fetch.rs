//! Fetching evidence over HTTP, on 127.0.0.1 only, with real peers: an `openssl ocsp`
//! responder, a small HTTP server for CRLs and issuer certificates, a port nobody listens on,
//! and a server that accepts and never answers. Every loop is bounded and stops by itself.
#![cfg(feature = "net")]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kyso::crypto;
use kyso::fetch::{FetchError, FetchLimits, Fetcher};
use kyso::path::{self, PathError, PathOptions, Verdict};
use kyso::revocation::{CertStatus, RevocationEvidence, RevocationMode, RevocationOptions};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::der::unix;
use kyso_testpki::{issue, issue_crl, ku, name, CertSpec, CrlSpec, TestKey, VietnamTestPki};

#[path = "common/ocspd.rs"]
mod ocspd;
use ocspd::{closed_port, Responder};

/// A tiny HTTP/1.1 server: GET path → body, 404 otherwise. `silent` accepts connections and
/// never answers (a hung responder). Stops when dropped, or after 60 s.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(routes: HashMap<String, Vec<u8>>, silent: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut held = Vec::new();
            while !flag.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        if silent {
                            held.push(s);
                            continue;
                        }
                        s.set_nonblocking(false).ok();
                        s.set_read_timeout(Some(Duration::from_secs(5))).ok();
                        let mut buf = [0u8; 4096];
                        let n = s.read(&mut buf).unwrap_or(0);
                        let req = String::from_utf8_lossy(&buf[..n]);
                        let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                        let (status, body) = match routes.get(&path) {
                            Some(b) => ("200 OK", b.clone()),
                            None => ("404 Not Found", b"not here".to_vec()),
                        };
                        let head = format!(
                            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        s.write_all(head.as_bytes()).ok();
                        s.write_all(&body).ok();
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            drop(held);
        });
        Server { port, stop }
    }
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A port with nothing listening on it.
#[test]
fn evidence_from_a_live_responder_and_crl_server() {
    let pki = VietnamTestPki::build();
    let provider = crypto::default_provider();
    let now = Time::now();
    // The root's CRL and the licensed CA's certificate, served over HTTP.
    let root_crl = issue_crl(
        &CrlSpec {
            this_update: now.0 - 3600,
            next_update: Some(now.0 + 86_400),
            number: 1,
            ..CrlSpec::default()
        },
        (&pki.pub_root.subject, &pki.pub_root.key),
    );
    let mut routes = HashMap::new();
    routes.insert("/root.crl".to_string(), root_crl);
    routes.insert("/sub.cer".to_string(), pki.pub_sub.cert.clone());
    let http = Server::start(routes, false);
    // The licensed CA again, now naming the CRL served above.
    let sub_name = pki.pub_sub.subject.clone();
    let sub = Certificate::from_der(&issue(
        &CertSpec {
            serial: 0x2002,
            subject: sub_name.clone(),
            not_before: unix(2024, 6, 1),
            not_after: unix(2039, 6, 1),
            basic_constraints: Some((true, Some(0))),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
            crl_urls: vec![http.url("/root.crl")],
            ..CertSpec::default()
        },
        &pki.pub_sub.key,
        Some((&pki.pub_root.subject, &pki.pub_root.key)),
    ))
    .unwrap();
    // A delegated responder (id-kp-OCSPSigning, ocsp-nocheck) with a good and a revoked entry.
    let responder_key = TestKey::load("ocsp");
    let responder_cert = issue(
        &CertSpec {
            serial: 0x3000,
            subject: name(&[("C", "VN"), ("CN", "Kyso Test OCSP responder")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE),
            eku: vec!["1.3.6.1.5.5.7.3.9".into()],
            extra: vec![("1.3.6.1.5.5.7.48.1.5".into(), false, vec![0x05, 0x00])],
            ..CertSpec::default()
        },
        &responder_key,
        Some((&sub_name, &pki.pub_sub.key)),
    );
    let exp = kyso_testpki::openssl_index_time(unix(2035, 1, 1));
    let responder = Responder::start(
        sub.der(),
        &responder_cert,
        &responder_key,
        &format!(
            "V\t{exp}\t\t3001\tunknown\t/CN=leaf\nR\t{exp}\t{},keyCompromise\t3003\tunknown\t/CN=revoked\n",
            kyso_testpki::openssl_index_time(unix(2026, 2, 1))
        ),
    );
    let leaf_spec = |serial, ocsp: String| CertSpec {
        serial,
        subject: name(&[("C", "VN"), ("CN", "Online signer"), ("UID", "MST:0109999997")]),
        not_before: unix(2025, 1, 1),
        not_after: unix(2035, 1, 1),
        key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
        ocsp_url: Some(ocsp),
        ca_issuers_url: Some(http.url("/sub.cer")),
        ..CertSpec::default()
    };
    let leaf = Certificate::from_der(&issue(
        &leaf_spec(0x3001, format!("http://127.0.0.1:{}/", responder.port)),
        &TestKey::load("leaf-c"),
        Some((&sub_name, &pki.pub_sub.key)),
    ))
    .unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let fetcher = Fetcher::new(FetchLimits {
        timeout: Duration::from_secs(3),
        ..FetchLimits::default()
    });

    // The issuer from caIssuers.
    let issuers = fetcher.ca_issuers(&http.url("/sub.cer")).unwrap();
    assert_eq!(issuers[0].subject(), sub.subject());
    // Evidence for the whole path: OCSP for the leaf, the root's CRL for the CA.
    let path = vec![leaf.clone(), sub.clone(), store.anchors()[0].certificate.clone()];
    let (evidence, notes) = fetcher.gather(&path, provider, now);
    assert!(
        notes.iter().all(|n| n.error.is_none()),
        "{notes:?}\nresponder log:\n{}",
        responder.log()
    );
    assert_eq!((evidence.ocsp.len(), evidence.crls.len()), (1, 1));
    let mut o = PathOptions::at(now);
    o.revocation = RevocationOptions {
        mode: RevocationMode::Hard,
        evidence: Arc::new(evidence),
    };
    let r = path::verify_chain(&leaf, std::slice::from_ref(&sub), &store, &o, provider);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    match (&r.revocation[0], &r.revocation[1]) {
        (CertStatus::Good { source: a }, CertStatus::Good { source: b }) => {
            assert_eq!((a.kind, b.kind), ("ocsp", "crl"))
        }
        other => panic!("{other:?}"),
    }
    // The revoked certificate, through the same live responder.
    let revoked = Certificate::from_der(&issue(
        &leaf_spec(0x3003, format!("http://127.0.0.1:{}/", responder.port)),
        &TestKey::load("leaf-a"),
        Some((&sub_name, &pki.pub_sub.key)),
    ))
    .unwrap();
    let (evidence, _) = fetcher.gather(&[revoked.clone(), sub.clone(), path[2].clone()], provider, now);
    o.revocation.evidence = Arc::new(evidence);
    let r = path::verify_chain(&revoked, std::slice::from_ref(&sub), &store, &o, provider);
    assert!(
        matches!(r.error, Some(PathError::Revoked { index: 0, .. })),
        "{:?}",
        r.error
    );
    // The whole online step as `--online` and KYSO_VERIFY_ONLINE run it: the issuer from the
    // leaf's caIssuers, then the leaf's OCSP response.
    let mut pool = Vec::new();
    let mut ev = RevocationEvidence::default();
    let notes = kyso::fetch::complete_and_gather(&leaf, &mut pool, &store, &PathOptions::at(now), &mut ev);
    assert!(
        notes.iter().any(|n| n.kind == "ca_issuers" && n.error.is_none()),
        "{notes:?}"
    );
    assert_eq!(pool.len(), 1);
    assert_eq!(pool[0].subject(), sub.subject());
    assert_eq!(ev.ocsp.len(), 1, "{notes:?}");
    let mut soft = PathOptions::at(now);
    soft.revocation.evidence = Arc::new(ev);
    let r = path::verify_chain(&leaf, &pool, &store, &soft, provider);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.error);
    assert!(matches!(&r.revocation[0], CertStatus::Good { source } if source.kind == "ocsp"));
    // OCSP by GET, as caches like it.
    let get = Fetcher::new(FetchLimits {
        ocsp_get: true,
        timeout: Duration::from_secs(3),
        ..FetchLimits::default()
    });
    let resp = get
        .ocsp(&format!("http://127.0.0.1:{}", responder.port), &leaf, &sub, provider)
        .unwrap();
    assert_eq!(resp.responses.len(), 1);

    // A responder that is down: a prompt error; soft-fail is valid with unknown status,
    // hard-fail indeterminate.
    let down = Certificate::from_der(&issue(
        &leaf_spec(0x3002, format!("http://127.0.0.1:{}/", closed_port())),
        &TestKey::load("leaf-b"),
        Some((&sub_name, &pki.pub_sub.key)),
    ))
    .unwrap();
    let started = Instant::now();
    let (evidence, notes) = fetcher.gather(&[down.clone(), sub.clone(), path[2].clone()], provider, now);
    println!("down responder answered in {:?}", started.elapsed());
    assert!(notes.iter().any(|n| n.kind == "ocsp" && n.error.is_some()));
    let evidence = Arc::new(evidence);
    for (mode, verdict) in [
        (RevocationMode::Soft, Verdict::Valid),
        (RevocationMode::Hard, Verdict::Indeterminate),
    ] {
        o.revocation = RevocationOptions {
            mode,
            evidence: evidence.clone(),
        };
        let r = path::verify_chain(&down, std::slice::from_ref(&sub), &store, &o, provider);
        assert_eq!(r.verdict, verdict, "{mode:?}: {:?}", r.error);
        if mode == RevocationMode::Hard {
            assert!(matches!(r.error, Some(PathError::RevocationUnknown { index: 0, .. })));
        }
    }
}

#[test]
fn hung_servers_time_out_and_limits_hold() {
    let provider = crypto::default_provider();
    let pki = VietnamTestPki::build();
    let leaf = Certificate::from_der(&pki.company.cert).unwrap();
    let sub = Certificate::from_der(&pki.pub_sub.cert).unwrap();
    let hung = Server::start(HashMap::new(), true);
    let fetcher = Fetcher::new(FetchLimits {
        timeout: Duration::from_secs(1),
        max_crl_size: 64,
        ..FetchLimits::default()
    });
    let started = Instant::now();
    let e = fetcher.ocsp(&hung.url("/"), &leaf, &sub, provider).unwrap_err();
    assert!(matches!(e, FetchError::Network { .. }), "{e:?}");
    println!("hung responder gave up after {:?}", started.elapsed());
    assert!(matches!(
        fetcher.crl(&hung.url("/x.crl"), Time::now()),
        Err(FetchError::Network { .. })
    ));

    let mut routes = HashMap::new();
    routes.insert("/big.crl".to_string(), vec![0x30; 1000]);
    let http = Server::start(routes, false);
    assert!(matches!(
        fetcher.crl(&http.url("/big.crl"), Time::now()),
        Err(FetchError::TooLarge { limit: 64, .. })
    ));
    assert!(matches!(
        fetcher.crl(&http.url("/missing.crl"), Time::now()),
        Err(FetchError::Status { status: 404, .. })
    ));
    assert!(matches!(
        fetcher.crl("ldap://example/cn=crl", Time::now()),
        Err(FetchError::UnsupportedUrl { .. })
    ));
    let _ = RevocationEvidence::default();
}
