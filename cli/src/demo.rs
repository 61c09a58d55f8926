//! `kyso demo`: the main job on an embedded default. Builds a test PKI of both hierarchies in
//! memory, signs a document as CAdES (CMS) with a company's certificate (public hierarchy) and
//! an officer's (government hierarchy), verifies both against one trust store holding both
//! roots with revocation checked on CRLs, and shows a tampered document, an untrusted signer
//! and a revoked signer being rejected. When SoftHSM2 (with softhsm2-util and OpenSC's
//! pkcs11-tool) is installed, the company also signs on a throw-away SoftHSM2 token.

use std::process::ExitCode;

use kyso::crypto;
use kyso::report::{Indication, Lang, ValidationReport};
use kyso::revocation::{Crl, RevocationEvidence, RevocationMode};
use kyso::sign::{Content, SignOptions, SoftwareSigner};
use kyso::{Certificate, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::{fresh_crl, Entity, VietnamTestPki, REVOKED_SERIAL};

const DOCUMENT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
QUYẾT ĐỊNH số 123/QĐ-BTN về việc thử nghiệm chữ ký số liên thông hai hệ thống.\n";

#[derive(serde::Serialize)]
struct Case {
    case: &'static str,
    expected: &'static str,
    signer: String,
    identity: Vec<String>,
    hierarchy: Option<String>,
    path: Vec<String>,
    revocation: Vec<String>,
    verdict: String,
    reason: Option<String>,
    as_expected: bool,
    /// The full validation report (schema kyso.report/1).
    report: ValidationReport,
}

fn cert(der: &[u8]) -> Result<Certificate, String> {
    Certificate::from_der(der).map_err(|e| e.to_string())
}

fn verdict_text(i: Indication) -> &'static str {
    match i {
        Indication::TotalPassed => "VALID",
        Indication::TotalFailed => "INVALID",
        Indication::Indeterminate => "INDETERMINATE",
    }
}

/// The demo's verifier: the store of both test roots, the Vietnam policy in hard-fail mode
/// with the four CAs' CRLs, judged now.
struct Demo {
    verifier: Verifier,
    when: When,
}

impl Demo {
    /// Verify one case through the Verifier, as `kyso verify` does, and sum it up from the report.
    fn check(&self, case: &'static str, expected: &'static str, sig: &[u8], content: &[u8]) -> Result<Case, String> {
        let report = self
            .verifier
            .verify_at(sig, kyso::Content::Bytes(content), self.when)
            .map_err(|e| e.to_string())?
            .with_document(format!("demo: {case}"), None);
        let s = report.signatures.first().ok_or("no signer")?;
        let verdict = verdict_text(report.indication);
        Ok(Case {
            case,
            expected,
            signer: s
                .signer
                .as_ref()
                .and_then(|p| p.common_name.clone())
                .unwrap_or_default(),
            identity: s
                .identity
                .as_ref()
                .map(|i| {
                    i.ids
                        .iter()
                        .map(|v| format!("{} {}", v.kind.prefix(), v.value))
                        .collect()
                })
                .unwrap_or_default(),
            hierarchy: s
                .hierarchy
                .as_deref()
                .filter(|_| report.indication == Indication::TotalPassed)
                .map(|h| match h {
                    "government" => Hierarchy::Government.label_en(),
                    "public" => Hierarchy::Public.label_en(),
                    other => other.to_string(),
                }),
            path: s
                .path
                .iter()
                .map(|p| p.common_name.clone().unwrap_or_else(|| p.subject.clone()))
                .collect(),
            revocation: s
                .path
                .iter()
                .filter(|p| p.revocation != "anchor")
                .map(|p| p.revocation.to_string())
                .collect(),
            as_expected: verdict == expected,
            verdict: verdict.into(),
            reason: s.reason.as_ref().map(|m| m.en.clone()),
            report,
        })
    }
}

fn signer(e: &Entity) -> Result<SoftwareSigner, String> {
    SoftwareSigner::from_pkcs8(e.key.pkcs8(), cert(&e.cert)?).map_err(|e| e.to_string())
}

pub fn run(json: bool, lang: Lang) -> Result<ExitCode, String> {
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let mut store = TrustStore::new();
    store.add_anchor(cert(&pki.gov_root.cert)?, Hierarchy::Government);
    store.add_anchor(cert(&pki.pub_root.cert)?, Hierarchy::Public);
    // A third signer under the licensed CA, revoked for key compromise.
    let revoked = pki.revoked_signer();
    // Fresh CRLs of the four CAs: the revocation evidence.
    let crls = [
        fresh_crl(&pki.gov_root, 1, &[], now.0),
        fresh_crl(&pki.pub_root, 1, &[], now.0),
        fresh_crl(&pki.gov_sub, 7, &[], now.0),
        fresh_crl(&pki.pub_sub, 7, &[REVOKED_SERIAL], now.0),
    ];
    let evidence = RevocationEvidence::from_crls(
        crls.iter()
            .map(|d| Crl::from_bytes(d))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    );
    let policy = Policy::builder().revocation(RevocationMode::Hard).build();
    let sign = |e: &Entity, chain: &Entity| -> Result<Vec<u8>, String> {
        let mut o = SignOptions::new(now);
        o.detached = true;
        o.chain = vec![cert(&chain.cert)?];
        kyso::sign::sign(
            Content::Bytes(DOCUMENT.as_bytes()),
            &signer(e)?,
            &o,
            crypto::default_provider(),
        )
        .map_err(|e| e.to_string())
    };
    let doc = DOCUMENT.as_bytes();
    let mut tampered = doc.to_vec();
    tampered.extend_from_slice("Sửa đổi: số tiền 1.000.000 đồng.\n".as_bytes());
    let company_sig = sign(&pki.company, &pki.pub_sub)?;
    let demo = Demo {
        verifier: Verifier::new(store, policy).with_evidence(evidence),
        when: When {
            at: None,
            now: Some(now),
        },
    };
    let mut rogue_opts = SignOptions::new(now);
    rogue_opts.detached = true;
    rogue_opts.chain = vec![cert(&pki.rogue_root.cert)?];
    let rogue_sig = kyso::sign::sign(
        Content::Bytes(doc),
        &signer(&pki.rogue_leaf)?,
        &rogue_opts,
        crypto::default_provider(),
    )
    .map_err(|e| e.to_string())?;
    let cases = vec![
        demo.check("company signs (public hierarchy)", "VALID", &company_sig, doc)?,
        demo.check(
            "officer countersigns (government hierarchy)",
            "VALID",
            &sign(&pki.officer, &pki.gov_sub)?,
            doc,
        )?,
        demo.check("document changed after signing", "INVALID", &company_sig, &tampered)?,
        demo.check(
            "signer under an untrusted look-alike root",
            "INDETERMINATE",
            &rogue_sig,
            doc,
        )?,
        demo.check(
            "signer whose certificate was revoked",
            "INVALID",
            &sign(&revoked, &pki.pub_sub)?,
            doc,
        )?,
    ];
    let mut cases = cases;
    let token_note = match sign_on_softhsm(&pki.company, &pki.pub_sub, now)? {
        Ok(sig) => {
            cases.push(demo.check("company signs on a PKCS#11 token (SoftHSM2)", "VALID", &sig, doc)?);
            None
        }
        Err(skipped) => Some(skipped),
    };
    let all_ok = cases.iter().all(|c| c.as_expected);
    if json {
        let out = serde_json::json!({
            "schema": "kyso.demo/2",
            "validation_time": now.rfc3339(),
            "provider": crypto::default_provider().name(),
            "cases": cases,
            "token_skipped": token_note,
            "all_as_expected": all_ok,
        });
        println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
    } else {
        print_text(&pki, &cases, now, lang);
        if let Some(n) = token_note {
            println!("PKCS#11 token case skipped: {n}.");
        }
    }
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_text(pki: &VietnamTestPki, cases: &[Case], now: Time, lang: Lang) {
    let name = |e: &Entity| {
        cert(&e.cert)
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
    println!("Trust store: the two roots. Revocation: the four CAs' CRLs, hard-fail.");
    println!("Signatures: detached CAdES B-B (CMS, SHA-256, RSA PKCS#1 v1.5, signingCertificateV2).");
    println!(
        "Validation time: {now}. Crypto: {}.\n",
        crypto::default_provider().name()
    );
    for (i, c) in cases.iter().enumerate() {
        println!("{}. {}", i + 1, c.case);
        println!("   signer     {}  [{}]", c.signer, c.identity.join(", "));
        if !c.path.is_empty() {
            println!("   path       {}", c.path.join(" → "));
        }
        if let Some(h) = &c.hierarchy {
            println!("   hierarchy  {h}");
        }
        for (j, r) in c.revocation.iter().enumerate() {
            println!("   revocation #{j} {r}");
        }
        if let Some(r) = &c.reason {
            println!("   reason     {r}");
        }
        let mark = if c.as_expected { "as expected" } else { "UNEXPECTED" };
        println!("   verdict    {}  ({mark})\n", c.verdict);
    }
    let ok = cases.iter().filter(|c| c.as_expected).count();
    println!("{ok} of {} cases as expected.", cases.len());
    // What `kyso verify` prints for a signature: the full report of cases 2 and 3.
    for i in [1, 2] {
        if let Some(c) = cases.get(i) {
            println!(
                "\n── {} {} ──",
                if lang == Lang::Vi {
                    "Báo cáo đầy đủ, trường hợp"
                } else {
                    "Full report of case"
                },
                i + 1
            );
            print!("{}", kyso::report::render(&c.report, lang));
        }
    }
}

/// Put `e`'s key and certificate on a fresh SoftHSM2 token in a temporary directory and sign
/// the document there. `Ok(Err(why))` when SoftHSM2 or its tools are not installed.
fn sign_on_softhsm(e: &Entity, chain: &Entity, now: Time) -> Result<Result<Vec<u8>, String>, String> {
    use kyso::token::{Module, Pin, TokenSigner};
    use std::process::Command;
    let Some(module) = kyso::token::discover()
        .into_iter()
        .find(|p| p.ends_with("libsofthsm2.so"))
    else {
        return Ok(Err("SoftHSM2 not found (apt-get install softhsm2 opensc)".into()));
    };
    let has = |tool: &str| Command::new(tool).arg("--help").output().is_ok();
    if !has("softhsm2-util") || !has("pkcs11-tool") {
        return Ok(Err(
            "softhsm2-util or pkcs11-tool not found (apt-get install softhsm2 opensc)".into(),
        ));
    }
    let dir = std::env::temp_dir().join(format!("kyso-demo-token-{}", std::process::id()));
    let result = (|| -> Result<Vec<u8>, String> {
        let soft = kyso_testpki::softhsm::SoftHsm::create(&dir, &module)?;
        // The token directory is this run's own; set before the module is first loaded.
        soft.set_env();
        const PIN: &str = "246810";
        soft.init_token("kyso-demo", PIN, "13572468")?;
        soft.add_key_pair("kyso-demo", PIN, "01", None, e.key.pkcs8(), &e.cert)?;
        let m = Module::open(&module).map_err(|e| e.to_string())?;
        let signer =
            TokenSigner::open(&m, Some("kyso-demo"), None, &Pin::new(PIN), false, false).map_err(|e| e.to_string())?;
        let mut o = SignOptions::new(now);
        o.detached = true;
        o.chain = vec![cert(&chain.cert)?];
        kyso::sign::sign(
            Content::Bytes(DOCUMENT.as_bytes()),
            &signer,
            &o,
            crypto::default_provider(),
        )
        .map_err(|e| e.to_string())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.map(Ok).map_err(|e| format!("signing on SoftHSM2: {e}"))
}
