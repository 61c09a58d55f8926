//! `kyso demo`: the main job on an embedded default. Builds a test PKI of both hierarchies in
//! memory, signs a document with a company's (public hierarchy) and an officer's (government
//! hierarchy) certificate, verifies both against one trust store holding both roots, and shows
//! a tampered document and an untrusted signer being rejected.

use std::process::ExitCode;

use kyso::crypto::{self, AlgorithmPolicy, SignatureAlgorithm};
use kyso::path::{self, PathOptions, Verdict};
use kyso::vn::Identity;
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::{Entity, VietnamTestPki};

const DOCUMENT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
QUYẾT ĐỊNH số 123/QĐ-BTN về việc thử nghiệm chữ ký số liên thông hai hệ thống.\n";

#[derive(serde::Serialize)]
struct Case {
    case: &'static str,
    expected: &'static str,
    signer: String,
    identity: Vec<String>,
    signature: String,
    chain: String,
    hierarchy: Option<String>,
    path: Vec<String>,
    verdict: String,
    reason: Option<String>,
    as_expected: bool,
}

fn cert(e: &Entity) -> Result<Certificate, String> {
    Certificate::from_der(&e.cert).map_err(|err| format!("{}: {err}", e.label))
}

/// One trust store, one pool of certificates travelling with the documents, one time.
struct Verifier {
    store: TrustStore,
    pool: Vec<Certificate>,
    at: Time,
}

impl Verifier {
    /// Verify a raw signature over `doc` by `signer`, then the signer's chain.
    fn verify(&self, case: &'static str, expected: &'static str, doc: &[u8], sig: &[u8], signer: &Certificate) -> Case {
        let (pool, store, at) = (&self.pool, &self.store, self.at);
        let provider = crypto::default_provider();
        let alg = SignatureAlgorithm::RsaPkcs1 {
            hash: crypto::HashAlgorithm::Sha256,
        };
        let signature = match signer.public_key() {
            Ok(key) => crypto::verify_signature(provider, AlgorithmPolicy::STRICT, &alg, key, doc, sig),
            Err(e) => Err(e),
        };
        let chain = path::verify_chain(signer, pool, store, &PathOptions::at(at), provider);
        let id = Identity::of(signer);
        let verdict = match (&signature, chain.verdict) {
            (Err(_), _) => Verdict::Invalid,
            (Ok(_), v) => v,
        };
        let reason = match (&signature, &chain.error) {
            (Err(e), _) => Some(format!("document signature: {e}")),
            (Ok(_), Some(e)) => Some(e.describe()),
            _ => None,
        };
        let verdict_text = match verdict {
            Verdict::Valid => "VALID",
            Verdict::Invalid => "INVALID",
            Verdict::Indeterminate => "INDETERMINATE",
        };
        Case {
            case,
            expected,
            signer: signer.subject().common_name().unwrap_or_default(),
            identity: id
                .ids
                .iter()
                .map(|v| format!("{} {}", v.kind.prefix(), v.value))
                .collect(),
            signature: match &signature {
                Ok(_) => "intact (RSA PKCS#1 v1.5, SHA-256)".into(),
                Err(e) => format!("FAILED: {e}"),
            },
            chain: match &chain.error {
                None => "valid".into(),
                Some(e) => e.describe(),
            },
            hierarchy: chain
                .hierarchy
                .as_ref()
                .filter(|_| chain.verdict == Verdict::Valid)
                .map(Hierarchy::label_en),
            path: chain
                .path
                .iter()
                .map(|c| c.subject().common_name().unwrap_or_default())
                .collect(),
            as_expected: verdict_text == expected,
            verdict: verdict_text.into(),
            reason,
        }
    }
}

pub fn run(json: bool) -> Result<ExitCode, String> {
    let pki = VietnamTestPki::build();
    let mut store = TrustStore::new();
    store.add_anchor(cert(&pki.gov_root)?, Hierarchy::Government);
    store.add_anchor(cert(&pki.pub_root)?, Hierarchy::Public);
    // The sub-CAs travel with the document, as CMS signatures carry them.
    let pool = vec![cert(&pki.gov_sub)?, cert(&pki.pub_sub)?, cert(&pki.rogue_root)?];
    let company = cert(&pki.company)?;
    let officer = cert(&pki.officer)?;
    let rogue = cert(&pki.rogue_leaf)?;
    let now = Time::now();
    let doc = DOCUMENT.as_bytes();
    let company_sig = pki.company.key.sign(doc);
    let officer_sig = pki.officer.key.sign(doc);
    let rogue_sig = pki.rogue_leaf.key.sign(doc);
    let mut tampered = doc.to_vec();
    tampered.extend_from_slice("Sửa đổi: số tiền 1.000.000 đồng.\n".as_bytes());

    let v = Verifier { store, pool, at: now };
    let cases = vec![
        v.verify("company signs (public hierarchy)", "VALID", doc, &company_sig, &company),
        v.verify(
            "officer countersigns (government hierarchy)",
            "VALID",
            doc,
            &officer_sig,
            &officer,
        ),
        v.verify(
            "document changed after signing",
            "INVALID",
            &tampered,
            &company_sig,
            &company,
        ),
        v.verify(
            "signer under an untrusted look-alike root",
            "INDETERMINATE",
            doc,
            &rogue_sig,
            &rogue,
        ),
    ];
    let all_ok = cases.iter().all(|c| c.as_expected);
    if json {
        let out = serde_json::json!({
            "schema": "kyso.demo/1",
            "validation_time": now.rfc3339(),
            "provider": crypto::default_provider().name(),
            "cases": cases,
            "all_as_expected": all_ok,
        });
        println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
    } else {
        print_text(&pki, &cases, now);
    }
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_text(pki: &VietnamTestPki, cases: &[Case], now: Time) {
    let name = |e: &Entity| {
        Certificate::from_der(&e.cert)
            .ok()
            .and_then(|c| c.subject().common_name())
            .unwrap_or_default()
    };
    println!("kyso demo — one verifier, both Vietnamese hierarchies\n");
    println!("Test PKI built in memory (RSA, SHA-256; test keys, never trust them):");
    println!("  government  {}  →  {}", name(&pki.gov_root), name(&pki.gov_sub));
    println!("  public      {}  →  {}", name(&pki.pub_root), name(&pki.pub_sub));
    println!(
        "  untrusted   {} (same name as the public root, other key)",
        name(&pki.rogue_root)
    );
    println!(
        "Trust store: the two roots. Validation time: {now}. Crypto: {}.",
        crypto::default_provider().name()
    );
    println!(
        "Document: {} bytes, signed as raw RSA PKCS#1 v1.5 signatures.\n",
        DOCUMENT.len()
    );
    for (i, c) in cases.iter().enumerate() {
        println!("{}. {}", i + 1, c.case);
        println!("   signer     {}  [{}]", c.signer, c.identity.join(", "));
        println!("   signature  {}", c.signature);
        println!("   chain      {}", c.chain);
        if !c.path.is_empty() {
            println!("   path       {}", c.path.join(" → "));
        }
        if let Some(h) = &c.hierarchy {
            println!("   hierarchy  {h}");
        }
        let mark = if c.as_expected { "as expected" } else { "UNEXPECTED" };
        println!("   verdict    {}  ({mark})\n", c.verdict);
    }
    let ok = cases.iter().filter(|c| c.as_expected).count();
    println!("{ok} of {} cases as expected.", cases.len());
}
