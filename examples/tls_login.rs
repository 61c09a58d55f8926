//! A small HTTPS server (hyper over tokio-rustls) that logs users in by their TLS client
//! certificate, validated by kyso against both Vietnamese hierarchies, and answers each request
//! with who the connected user is, as JSON.
//!
//! ```text
//! cargo run --example tls_login --features tls,net -- SERVER_CHAIN.pem SERVER_KEY.pem \
//!     [--listen 127.0.0.1:8443] [--anchor government|public:ROOT.pem]… [--connections N]
//! curl --cert me.pem --key me.key --cacert server-ca.pem https://127.0.0.1:8443/
//! ```
//!
//! Trust: the Vietnamese bundle kyso carries, plus each `--anchor` (a test root, say), with
//! the Circular's revocation rule and revocation evidence fetched online (OCSP, CRL). A
//! refused certificate ends the handshake with its TLS alert (unknown_ca,
//! certificate_revoked, certificate_expired…); the server prints why. `--connections N`
//! stops after N connections (for tests).

use std::sync::Arc;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response};
use kyso::auth::tls::{rustls, ClientVerifier};
use kyso::auth::Authenticated;
use kyso::{Certificate, Hierarchy, TrustStore, Verifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

struct Args {
    chain: String,
    key: String,
    listen: String,
    anchors: Vec<(Hierarchy, String)>,
    connections: Option<usize>,
}

fn args() -> Result<Args, String> {
    let usage = "usage: tls_login SERVER_CHAIN.pem SERVER_KEY.pem [--listen ADDR] [--anchor government|public:FILE]… [--connections N]";
    let mut files = Vec::new();
    let mut a = Args {
        chain: String::new(),
        key: String::new(),
        listen: "127.0.0.1:8443".into(),
        anchors: Vec::new(),
        connections: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--listen" => a.listen = it.next().ok_or(usage)?,
            "--connections" => a.connections = Some(it.next().and_then(|n| n.parse().ok()).ok_or(usage)?),
            "--anchor" => {
                let v = it.next().ok_or(usage)?;
                let (h, file) = v.split_once(':').ok_or(usage)?;
                let h = match h {
                    "government" => Hierarchy::Government,
                    "public" => Hierarchy::Public,
                    _ => return Err(usage.into()),
                };
                a.anchors.push((h, file.to_string()));
            }
            "-h" | "--help" => return Err(usage.into()),
            _ => files.push(arg),
        }
    }
    let [chain, key] = <[String; 2]>::try_from(files).map_err(|_| usage)?;
    (a.chain, a.key) = (chain, key);
    Ok(a)
}

/// Who the user is, as the page shows it.
fn whoami(who: &Authenticated) -> String {
    serde_json::json!({
        "name": who.identity.common_name,
        "ids": who.identity.ids.iter().map(|i| format!("{:?}:{}", i.kind, i.value)).collect::<Vec<_>>(),
        "organisation": who.identity.organization,
        "hierarchy": who.hierarchy,
        "issuing_ca": who.issuing_ca,
        "certificate_sha256": who.certificate_sha256,
    })
    .to_string()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&a.chain)?.collect::<Result<_, _>>()?;
    let key = PrivateKeyDer::from_pem_file(&a.key)?;
    let mut store = TrustStore::vietnam();
    for (h, file) in &a.anchors {
        let der = CertificateDer::from_pem_file(file)?;
        store.add_anchor(Certificate::from_der(&der)?, h.clone());
    }
    let verifier = Verifier::new(store, kyso::Policy::vietnam()).with_source(kyso::fetch::OnlineEvidence);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let clients = Arc::new(ClientVerifier::new(verifier, provider.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(clients.clone())
        .with_single_cert(chain, key)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind(&a.listen).await?;
    println!("listening on https://{}", listener.local_addr()?);
    let mut served = 0;
    while a.connections.is_none_or(|n| served < n) {
        let (tcp, peer) = listener.accept().await?;
        served += 1;
        let (acceptor, clients) = (acceptor.clone(), clients.clone());
        let task = async move {
            let tls = match acceptor.accept(tcp).await {
                Ok(tls) => tls,
                Err(e) => {
                    println!("{peer}: refused: {e}");
                    return;
                }
            };
            // The identity the handshake validated (kept by the verifier, not validated again).
            let who = clients.identity(tls.get_ref().1.peer_certificates().unwrap_or_default());
            let page = match &who {
                Ok(who) => {
                    println!("{peer}: {}", who.identity.common_name.as_deref().unwrap_or("?"));
                    whoami(who)
                }
                Err(e) => serde_json::json!({ "refused": e.to_string() }).to_string(),
            };
            let service = hyper::service::service_fn(move |_req: Request<hyper::body::Incoming>| {
                let page = page.clone();
                async move {
                    Response::builder()
                        .header("content-type", "application/json; charset=utf-8")
                        .body(Full::new(Bytes::from(page)))
                }
            });
            let io = hyper_util::rt::TokioIo::new(tls);
            if let Err(e) = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await
            {
                println!("{peer}: {e}");
            }
        };
        // One connection at a time when a count is given (a test's run ends when it is served).
        if a.connections.is_some() {
            task.await;
        } else {
            tokio::spawn(task);
        }
    }
    Ok(())
}
