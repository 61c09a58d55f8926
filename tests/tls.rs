//! TLS client certificates through `kyso::auth::tls::ClientVerifier`: a real rustls server on
//! 127.0.0.1 and real clients, `openssl s_client` and `curl`, with certificates of both
//! hierarchies, an untrusted one, one revoked by a live `openssl ocsp` responder, an expired
//! one, and one whose extended key usage forbids client authentication. Every loop is
//! bounded and stops by itself.
#![cfg(all(feature = "tls", feature = "net"))]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kyso::auth::tls::rustls;
use kyso::auth::tls::ClientVerifier;
use kyso::fetch::OnlineEvidence;
use kyso::{Certificate, Hierarchy, Policy, TrustStore, Verifier};
use kyso_testpki::der::unix;
use kyso_testpki::{issue, ku, name, pem, CertSpec, TestKey, VietnamTestPki};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

#[path = "common/dir.rs"]
mod dir;
#[path = "common/ocspd.rs"]
mod ocspd;
use dir::Dir;
use ocspd::Responder;

/// A rustls server on 127.0.0.1 that answers each HTTPS request with who the client is (one
/// line: `CN|ids|hierarchy|CA`) and records each refused handshake. Serves `connections`
/// connections or 60 s, whichever ends first.
struct Server {
    port: u16,
    refused: Arc<Mutex<Vec<String>>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(config: Arc<rustls::ServerConfig>, clients: Arc<ClientVerifier>, connections: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let refused = Arc::new(Mutex::new(Vec::new()));
        let log = refused.clone();
        let handle = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut served = 0;
            while served < connections && Instant::now() < deadline {
                let Ok((tcp, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                served += 1;
                tcp.set_nonblocking(false).ok();
                tcp.set_read_timeout(Some(Duration::from_secs(10))).ok();
                let conn = rustls::ServerConnection::new(config.clone()).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                // The request line and headers; a refused certificate fails here.
                let mut lines = Vec::new();
                let mut reader = BufReader::new(&mut tls);
                let mut failure = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) => break,
                        Ok(_) if line == "\r\n" || line == "\n" => break,
                        Ok(_) => lines.push(line),
                        Err(e) => {
                            failure = Some(e.to_string());
                            break;
                        }
                    }
                }
                drop(reader);
                if let Some(f) = failure {
                    log.lock().unwrap().push(f);
                    continue;
                }
                let body = match clients.identity(tls.conn.peer_certificates().unwrap_or_default()) {
                    Ok(who) => format!(
                        "{}|{}|{}|{}\n",
                        who.identity.common_name.as_deref().unwrap_or(""),
                        who.identity
                            .ids
                            .iter()
                            .map(|i| format!("{:?}:{}", i.kind, i.value))
                            .collect::<Vec<_>>()
                            .join(","),
                        who.hierarchy.as_deref().unwrap_or(""),
                        who.issuing_ca.as_deref().unwrap_or("")
                    ),
                    Err(e) => format!("refused: {e}\n"),
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                tls.write_all(reply.as_bytes()).ok();
                tls.conn.send_close_notify();
                tls.flush().ok();
            }
        });
        Server {
            port,
            refused,
            handle: Some(handle),
        }
    }

    fn refused(&self) -> Vec<String> {
        self.refused.lock().unwrap().clone()
    }

    /// Wait for the server thread (it ends after its connections).
    fn join(mut self) -> Vec<String> {
        if let Some(h) = self.handle.take() {
            h.join().ok();
        }
        self.refused()
    }
}

/// A client's certificate and key as PEM files.
struct Client {
    cert: PathBuf,
    key: PathBuf,
}

fn client(dir: &Dir, label: &str, cert: &[u8], key: &TestKey) -> Client {
    Client {
        cert: dir.put(&format!("{label}.pem"), pem("CERTIFICATE", cert)),
        key: dir.put(&format!("{label}.key"), pem("PRIVATE KEY", key.pkcs8())),
    }
}

/// `openssl s_client` sending one GET with `who`'s certificate; its output and error text.
fn s_client(port: u16, who: &Client, extra: &[&str]) -> (String, String) {
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-quiet"])
        .args(extra)
        .arg("-cert")
        .arg(&who.cert)
        // s_client reads one certificate from -cert; the CA after it goes as -cert_chain.
        .arg("-cert_chain")
        .arg(&who.cert)
        .arg("-key")
        .arg(&who.key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the openssl program is required");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .ok();
    let out = wait(child);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `curl --cert` (or no certificate) against the server, checking the server's certificate with `ca`.
fn curl(port: u16, who: Option<&Client>, ca: &Path) -> (bool, String, String) {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "--max-time", "20", "--cacert"]).arg(ca);
    if let Some(who) = who {
        cmd.arg("--cert").arg(&who.cert).arg("--key").arg(&who.key);
    }
    let child = cmd
        .arg(format!("https://127.0.0.1:{port}/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the curl program is required");
    let out = wait(child);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A child's output, killed after 30 s.
fn wait(mut child: std::process::Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().ok();
    child.wait_with_output().unwrap()
}

/// The server's own certificate and key (kyso_testpki::tls_server), its CA's PEM written to
/// `dir`.
fn server_identity(dir: &Dir) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, PathBuf) {
    let server = kyso_testpki::tls_server();
    let ca_file = dir.put("server-ca.pem", pem("CERTIFICATE", &server.ca));
    (
        vec![CertificateDer::from(server.cert)],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.key.pkcs8().to_vec())),
        ca_file,
    )
}

#[test]
fn openssl_and_curl_clients_of_both_hierarchies() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("tls");
    let now = kyso::Time::now();
    let exp = kyso_testpki::openssl_index_time(unix(2035, 1, 1));
    // The licensed CA answers OCSP for its certificates itself; 0x6002 is revoked.
    let responder = Responder::start(
        &pki.pub_sub.cert,
        &pki.pub_sub.cert,
        &pki.pub_sub.key,
        &format!(
            "V\t{exp}\t\t6001\tunknown\t/CN=good\nR\t{exp}\t{},keyCompromise\t6002\tunknown\t/CN=revoked\n",
            kyso_testpki::openssl_index_time(now.unix() - 86_400)
        ),
    );
    let online_leaf = |serial: u64, cn: &str, not_after: i64, eku: Vec<String>| {
        issue(
            &CertSpec {
                serial,
                subject: name(&[("C", "VN"), ("CN", cn), ("UID", "CCCD:079199000777")]),
                not_before: unix(2025, 1, 1),
                not_after,
                key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
                eku,
                ocsp_url: Some(format!("http://127.0.0.1:{}/", responder.port)),
                ..CertSpec::default()
            },
            &TestKey::load("leaf-c"),
            Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
        )
    };
    let client_auth = vec!["1.3.6.1.5.5.7.3.2".to_string()];
    let good = online_leaf(0x6001, "Lê Văn Cường", unix(2035, 1, 1), client_auth.clone());
    let revoked = online_leaf(0x6002, "Phạm Thị Dung", unix(2035, 1, 1), client_auth.clone());
    let expired = online_leaf(0x6003, "Hồ Văn Em", unix(2025, 6, 1), client_auth);
    let email_only = online_leaf(
        0x6001,
        "Lê Văn Cường",
        unix(2035, 1, 1),
        vec!["1.3.6.1.5.5.7.3.4".into()],
    );

    let mut store = TrustStore::new();
    store.add_anchor(
        Certificate::from_der(&pki.gov_root.cert).unwrap(),
        Hierarchy::Government,
    );
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let verifier = Verifier::new(store, Policy::vietnam()).with_source(OnlineEvidence);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // Validated afresh at every handshake here: each client below is a new case.
    let clients = Arc::new(ClientVerifier::new(verifier, provider.clone()).with_cache(0));
    let (chain, key, server_ca) = server_identity(&dir);
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(clients.clone())
            .with_single_cert(chain, key)
            .unwrap(),
    );
    // The clients send their licensed CA or state-agency CA along, as token software does.
    let with_ca = |leaf: &[u8], ca: &[u8]| {
        let mut p = pem("CERTIFICATE", leaf);
        p.push_str(&pem("CERTIFICATE", ca));
        p
    };
    let company = Client {
        cert: dir.put("company.pem", with_ca(&pki.company.cert, &pki.pub_sub.cert)),
        key: dir.put("company.key", pem("PRIVATE KEY", pki.company.key.pkcs8())),
    };
    let officer = Client {
        cert: dir.put("officer.pem", with_ca(&pki.officer.cert, &pki.gov_sub.cert)),
        key: dir.put("officer.key", pem("PRIVATE KEY", pki.officer.key.pkcs8())),
    };
    let online = |label: &str, leaf: &[u8]| Client {
        cert: dir.put(&format!("{label}.pem"), with_ca(leaf, &pki.pub_sub.cert)),
        key: dir.put(
            &format!("{label}.key"),
            pem("PRIVATE KEY", TestKey::load("leaf-c").pkcs8()),
        ),
    };
    let good_c = online("good", &good);
    let revoked_c = online("revoked", &revoked);
    let expired_c = online("expired", &expired);
    let email_c = online("email", &email_only);
    let rogue = client(&dir, "rogue", &pki.rogue_leaf.cert, &pki.rogue_leaf.key);

    let server = Server::start(config, clients.clone(), 12);
    let port = server.port;

    // Both hierarchies, through openssl s_client (TLS 1.3) and curl.
    let (out, err) = s_client(port, &company, &[]);
    assert!(
        out.contains("CÔNG TY TNHH KYSO THỬ NGHIỆM|") && out.contains("0109999999") && out.contains("|public|"),
        "{out}\n{err}\n{:?}",
        server.refused()
    );
    let (ok, out, err) = curl(port, Some(&officer), &server_ca);
    assert!(ok, "{err}\n{:?}", server.refused());
    assert!(
        out.starts_with("Nguyễn Văn An|") && out.contains("001099012345"),
        "{out}"
    );
    assert!(out.contains("|government|"), "{out}");
    // TLS 1.2 too.
    let (out, err) = s_client(port, &officer, &["-tls1_2"]);
    assert!(out.contains("|government|"), "{out}\n{err}");
    // Good at the live responder.
    let (ok, out, err) = curl(port, Some(&good_c), &server_ca);
    assert!(
        ok && out.starts_with("Lê Văn Cường|"),
        "{out}\n{err}\n{:?}",
        server.refused()
    );

    // Refused, each with its own alert: untrusted, revoked (live OCSP), expired, wrong EKU.
    let (out, err) = s_client(port, &rogue, &[]);
    assert!(!out.contains("HTTP/1.1 200"), "{out}");
    assert!(err.contains("unknown ca"), "{err}");
    let (ok, _, err) = curl(port, Some(&rogue), &server_ca);
    assert!(!ok && err.contains("unknown ca"), "{err}");
    let (out, err) = s_client(port, &revoked_c, &[]);
    assert!(
        !out.contains("HTTP/1.1 200") && err.contains("certificate revoked"),
        "{out}\n{err}"
    );
    let (ok, _, err) = curl(port, Some(&revoked_c), &server_ca);
    assert!(!ok && err.contains("certificate revoked"), "{err}");
    let (out, err) = s_client(port, &expired_c, &[]);
    assert!(
        !out.contains("HTTP/1.1 200") && err.contains("certificate expired"),
        "{out}\n{err}"
    );
    let (ok, _, err) = curl(port, Some(&email_c), &server_ca);
    assert!(!ok && err.contains("unsupported certificate"), "{err}");
    // No certificate at all: refused (a certificate is mandatory).
    let (ok, _, err) = curl(port, None, &server_ca);
    assert!(!ok, "{err}");
    let (out, err) = s_client(port, &company, &["-tls1_2"]);
    assert!(out.contains("|public|"), "{out}\n{err}");

    let refused = server.join();
    assert_eq!(refused.len(), 7, "{refused:?}");
    assert!(
        responder.log().is_empty() || !responder.log().contains("Error"),
        "{}",
        responder.log()
    );
}

#[test]
fn a_certificate_that_passed_is_remembered_until_its_time_is_up() {
    let pki = VietnamTestPki::build();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let verifier = || Verifier::new(store.clone(), Policy::vietnam());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let leaf = CertificateDer::from(pki.company.cert.clone());
    let ca = [CertificateDer::from(pki.pub_sub.cert.clone())];
    let now = kyso::Time::now();

    let cached = ClientVerifier::new(verifier(), provider.clone());
    let first = cached.check(&leaf, &ca, now).unwrap();
    assert_eq!(first.form, kyso::auth::Form::Tls);
    assert_eq!(first.hierarchy.as_deref(), Some("public"));
    // The second handshake is answered from the first, even without the CA sent along …
    let again = cached.check(&leaf, &[], now).unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    // … until the cache time is up, or it is forgotten: then the path is needed again.
    let later = kyso::Time::from_unix(now.unix() + kyso::auth::tls::DEFAULT_CACHE_SECONDS + 1).unwrap();
    assert!(cached.check(&leaf, &[], later).is_err());
    cached.forget();
    assert!(cached.check(&leaf, &[], now).is_err());
    // Never past the certificate's notAfter.
    let after = kyso::Time::from_unix(unix(2035, 1, 2)).unwrap();
    cached.check(&leaf, &ca, now).unwrap();
    assert!(cached.check(&leaf, &ca, after).is_err());
    // Without a cache every handshake validates afresh.
    let fresh = ClientVerifier::new(verifier(), provider).with_cache(0);
    let a = fresh.check(&leaf, &ca, now).unwrap();
    let b = fresh.check(&leaf, &ca, now).unwrap();
    assert!(!Arc::ptr_eq(&a, &b));
    // A certificate restricted to e-mail protection is refused for its purpose.
    let email_only = issue(
        &CertSpec {
            serial: 0x6010,
            subject: name(&[("C", "VN"), ("CN", "Chỉ ký thư")]),
            not_before: unix(2025, 1, 1),
            not_after: unix(2035, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE),
            eku: vec!["1.3.6.1.5.5.7.3.4".into()],
            ..CertSpec::default()
        },
        &TestKey::load("leaf-c"),
        Some((&pki.pub_sub.subject, &pki.pub_sub.key)),
    );
    assert_eq!(
        fresh.check(&CertificateDer::from(email_only), &ca, now).unwrap_err(),
        kyso::auth::AuthError::ClientAuthPurpose
    );
    // A refusal is never remembered, and says why.
    let rogue = CertificateDer::from(pki.rogue_leaf.cert.clone());
    assert!(matches!(
        fresh.check(&rogue, &[], now),
        Err(kyso::auth::AuthError::Refused {
            sub_indication: Some(kyso::report::SubIndication::NoCertificateChainFound),
            ..
        })
    ));
}

/// The example server (examples/tls_login.rs, built by `cargo test` beside this test) with
/// curl: an officer's certificate shows who they are, an untrusted one is refused.
#[test]
fn the_example_server_shows_who_is_connected() {
    let exe = std::env::current_exe().unwrap();
    let example = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("examples").join("tls_login"))
        .filter(|p| p.exists());
    let Some(example) = example else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: the example tls_login was not built (cargo test builds it with --features tls,net)"
        );
        eprintln!("skipped: examples/tls_login is not built (run cargo test --features tls,net without --test)");
        return;
    };
    let pki = VietnamTestPki::build();
    let dir = Dir::new("tls-example");
    let (chain, key, server_ca) = server_identity(&dir);
    let chain_file = dir.put("server.pem", pem("CERTIFICATE", &chain[0]));
    let PrivateKeyDer::Pkcs8(k) = &key else { unreachable!() };
    let key_file = dir.put("server.key", pem("PRIVATE KEY", k.secret_pkcs8_der()));
    let gov = dir.put("gov-root.pem", pem("CERTIFICATE", &pki.gov_root.cert));
    let port = ocspd::closed_port();
    let mut server = Command::new(&example)
        .arg(&chain_file)
        .arg(&key_file)
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--connections",
            "2",
            "--anchor",
        ])
        .arg(format!("government:{}", gov.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(first.starts_with("listening on https://127.0.0.1:"), "{first}");
    let officer = Client {
        cert: dir.put(
            "officer.pem",
            pem("CERTIFICATE", &pki.officer.cert) + &pem("CERTIFICATE", &pki.gov_sub.cert),
        ),
        key: dir.put("officer.key", pem("PRIVATE KEY", pki.officer.key.pkcs8())),
    };
    let (ok, out, err) = curl(port, Some(&officer), &server_ca);
    assert!(ok, "{err}");
    let who: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(who["name"], "Nguyễn Văn An");
    assert_eq!(who["hierarchy"], "government");
    assert!(who["ids"].to_string().contains("001099012345"), "{who}");
    let rogue = client(&dir, "rogue", &pki.rogue_leaf.cert, &pki.rogue_leaf.key);
    let (ok, _, err) = curl(port, Some(&rogue), &server_ca);
    assert!(!ok && err.contains("unknown ca"), "{err}");
    let out = wait(server);
    let log: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(out.status.success(), "{log:?} {}", String::from_utf8_lossy(&out.stderr));
    assert!(log.iter().any(|l| l.ends_with(": Nguyễn Văn An")), "{log:?}");
    assert!(
        log.iter().any(|l| l.contains("refused") && l.contains("UnknownIssuer")),
        "{log:?}"
    );
}
