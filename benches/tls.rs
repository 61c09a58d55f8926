//! A full TLS 1.3 handshake with a client certificate (RSA-2048 company certificate under the
//! test PKI's licensed CA, sent with its CA), client and server rustls in memory on one core,
//! the server validating the client through
//! - kyso's `ClientVerifier` remembering certificates that passed (a returning user),
//! - kyso's `ClientVerifier` validating every handshake afresh (`with_cache(0)`),
//! - rustls' own `WebPkiClientVerifier`,
//!
//! and the certificate step alone (`verify_client_cert`), kyso afresh against webpki,
//! on the same chain with the same two CRLs (the licensed CA's and the root's), so both
//! check revocation of the whole path. Everything else in the handshake is the same.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::auth::tls::rustls;
use kyso::auth::tls::ClientVerifier;
use kyso::revocation::{Crl, RevocationEvidence};
use kyso::{Certificate, Hierarchy, Policy, Time, TrustStore, Verifier};
use kyso_testpki::{fresh_crl, TestKey, VietnamTestPki};
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::danger::ClientCertVerifier;
use rustls::server::WebPkiClientVerifier;

/// One handshake, the bytes carried between the two sides in memory.
fn handshake(client: &Arc<rustls::ClientConfig>, server: &Arc<rustls::ServerConfig>) {
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let mut c = rustls::ClientConnection::new(client.clone(), name).unwrap();
    let mut s = rustls::ServerConnection::new(server.clone()).unwrap();
    let mut buf = Vec::with_capacity(16 * 1024);
    for _ in 0..20 {
        buf.clear();
        while c.wants_write() {
            c.write_tls(&mut buf).unwrap();
        }
        let mut r = &buf[..];
        while !r.is_empty() {
            s.read_tls(&mut r).unwrap();
        }
        s.process_new_packets().unwrap();
        buf.clear();
        while s.wants_write() {
            s.write_tls(&mut buf).unwrap();
        }
        let mut r = &buf[..];
        while !r.is_empty() {
            c.read_tls(&mut r).unwrap();
        }
        c.process_new_packets().unwrap();
        if !c.is_handshaking() && !s.is_handshaking() && !c.wants_write() {
            // TLS 1.3: the client's certificate reaches the server after the client is done.
            if s.peer_certificates().is_some() {
                return;
            }
        }
    }
    panic!("the handshake did not finish");
}

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let now = Time::now();
    // The server's certificate, under a CA of its own.
    let tls = kyso_testpki::tls_server();
    let (ca, server_cert, server_key) = (tls.ca, tls.cert, tls.key);
    let key = |k: &TestKey| PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(k.pkcs8().to_vec()));

    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from(ca)).unwrap();
    let mut client = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![
                CertificateDer::from(pki.company.cert.clone()),
                CertificateDer::from(pki.pub_sub.cert.clone()),
            ],
            key(&pki.company.key),
        )
        .unwrap();
    // Every handshake a full one: no session resumed (it would skip the certificates).
    client.resumption = rustls::client::Resumption::disabled();
    let client = Arc::new(client);
    let crls = [
        fresh_crl(&pki.pub_sub, 1, &[], now.0),
        fresh_crl(&pki.pub_root, 1, &[], now.0),
    ];
    let server = |verifier: Arc<dyn ClientCertVerifier>| {
        Arc::new(
            rustls::ServerConfig::builder_with_provider(provider.clone())
                .with_protocol_versions(&[&rustls::version::TLS13])
                .unwrap()
                .with_client_cert_verifier(verifier)
                .with_single_cert(vec![CertificateDer::from(server_cert.clone())], key(&server_key))
                .unwrap(),
        )
    };
    let kyso_verifier = || {
        let mut store = TrustStore::new();
        store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
        let evidence = RevocationEvidence::from_crls(crls.iter().map(|d| Crl::from_der(d.clone()).unwrap()).collect());
        Verifier::new(store, Policy::vietnam()).with_evidence(evidence)
    };
    let fresh_verifier = Arc::new(ClientVerifier::new(kyso_verifier(), provider.clone()).with_cache(0));
    let cached = server(Arc::new(ClientVerifier::new(kyso_verifier(), provider.clone())));
    let fresh = server(fresh_verifier.clone());
    let mut webpki_roots = rustls::RootCertStore::empty();
    webpki_roots
        .add(CertificateDer::from(pki.pub_root.cert.clone()))
        .unwrap();
    let webpki_verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(webpki_roots), provider.clone())
        .with_crls(crls.iter().map(|d| CertificateRevocationListDer::from(d.clone())))
        .build()
        .unwrap();
    let webpki = server(webpki_verifier.clone());

    let mut g = c.benchmark_group("tls");
    g.bench_function("handshake, kyso ClientVerifier (returning user)", |b| {
        b.iter(|| handshake(black_box(&client), &cached))
    });
    g.bench_function("handshake, kyso ClientVerifier (validated afresh)", |b| {
        b.iter(|| handshake(black_box(&client), &fresh))
    });
    g.bench_function("handshake, rustls WebPkiClientVerifier", |b| {
        b.iter(|| handshake(black_box(&client), &webpki))
    });
    // The certificate step alone, as the handshake calls it.
    let leaf = CertificateDer::from(pki.company.cert.clone());
    let sub = [CertificateDer::from(pki.pub_sub.cert.clone())];
    let t = rustls::pki_types::UnixTime::now();
    g.bench_function("verify_client_cert, kyso (validated afresh)", |b| {
        b.iter(|| black_box(fresh_verifier.verify_client_cert(&leaf, &sub, t).unwrap()))
    });
    g.bench_function("verify_client_cert, webpki", |b| {
        b.iter(|| black_box(webpki_verifier.verify_client_cert(&leaf, &sub, t).unwrap()))
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
