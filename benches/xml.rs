//! XML signature verification: kyso against libxmlsec1 (1.2, over OpenSSL 3) on the same files
//! in the same run, the document parsed each time on both sides.
//!
//! 1. A real tax message (TDiep 202 with an e-invoice, 10.5 KB, two signatures: the seller's
//!    and the tax authority's, RSA-2048/SHA-256) from `test-vectors/xml/vn/`: References and
//!    SignatureValue of both signatures (`kyso::xml::dsig::check_document`; libxmlsec1 with
//!    `XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS`, as their CAs are not in a store here).
//! 2. An e-invoice of the test PKI signed by kyso (seller, public hierarchy): the whole
//!    verification with the signer's chain to a trusted root — kyso through the `Verifier`
//!    (building the kyso.report/1 report besides, revocation off as libxmlsec1 checks none),
//!    libxmlsec1 with the root in its keys manager.
//!
//! 3. A batch of 10,000 such e-invoices (each its own number, `KYSO_BENCH_FILES=N` to change),
//!    as `kyso verify --batch` does it — read, verify, report, JSON line — on 1 and 2 worker
//!    threads, against libxmlsec1 reading and verifying the same files in a loop. The files are
//!    made once and kept under `target/kyso-bench-xml/batch-N/`.
//!
//! libxmlsec1's side is `benches/peers/xmlsec_verify.c`, built here with gcc and
//! `pkg-config xmlsec1-openssl` (Debian: libxmlsec1-dev); it times N verifications in one
//! process. kyso's side is timed by the same kind of loop (and by criterion beside it); the
//! ratio printed is libxmlsec1's time per document over kyso's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::batch::{self, Job};
use kyso::report::Indication;
use kyso::revocation::RevocationMode;
use kyso::sign::{SignOptions, SoftwareSigner};
use kyso::xml::sign::{sign_enveloped, Placement, XmlSignature};
use kyso::{crypto, Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::VietnamTestPki;

fn peer() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/kyso-bench-xml/xmlsec_verify");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let flags = Command::new("pkg-config")
        .args(["--cflags", "--libs", "xmlsec1-openssl"])
        .output()
        .expect("pkg-config is required");
    assert!(
        flags.status.success(),
        "libxmlsec1-dev is required (pkg-config xmlsec1-openssl)"
    );
    let flags = String::from_utf8(flags.stdout).unwrap();
    let st = Command::new("gcc")
        .args(["-O2", "-o"])
        .arg(&out)
        .arg(root.join("benches/peers/xmlsec_verify.c"))
        .args(flags.split_whitespace())
        .status()
        .expect("gcc is required");
    assert!(st.success(), "building the libxmlsec1 peer");
    out
}

/// libxmlsec1's mean time per document over `iterations`, in nanoseconds.
fn xmlsec(peer: &Path, file: &Path, iterations: u32, chain: Option<(&Path, i64)>) -> f64 {
    let mut c = Command::new(peer);
    c.arg(file).arg(iterations.to_string());
    if let Some((root, at)) = chain {
        c.arg(root).arg(at.to_string());
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "libxmlsec1 refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[path = "common/timing.rs"]
mod timing;
use timing::per_doc;

fn benches(c: &mut Criterion) {
    let peer = peer();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kyso-bench-xml");
    let provider = crypto::default_provider();
    let n = 2000;

    // 1. The real tax message.
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/xml/vn/ts24-tdiep-202-hdon-nban-cqt.xml");
    let doc = std::fs::read(&real).unwrap();
    let check = || {
        let checks = kyso::xml::dsig::check_document(&doc, provider).unwrap();
        assert!(checks
            .iter()
            .all(|s| s.signature.is_ok() && s.references.iter().all(|r| r.digest_matches == Ok(true))));
        checks.len()
    };
    assert_eq!(check(), 2);
    let kyso_ns = per_doc(n, || {
        std::hint::black_box(check());
    });
    let xmlsec_ns = xmlsec(&peer, &real, n, None);
    println!(
        "real TDiep 202, 2 signatures, references + signature value: kyso {:.1} µs, libxmlsec1 {:.1} µs per document: {:.1}×",
        kyso_ns / 1e3,
        xmlsec_ns / 1e3,
        xmlsec_ns / kyso_ns
    );
    let mut g = c.benchmark_group("XML verify, real TDiep 202 (2 signatures)");
    g.bench_function("kyso check_document", |b| b.iter(check));
    g.finish();

    // 2. A test-PKI e-invoice with its chain.
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    let invoice = std::fs::read_to_string(&real).unwrap();
    // The real message's invoice data, re-signed by the test seller into a fresh slot.
    let start = invoice.find("<HDon").unwrap();
    let end = start + invoice[start..].find("<DSCKS>").unwrap();
    let body = format!("{}<DSCKS><NBan/></DSCKS></HDon>", &invoice[start..end]);
    let what = XmlSignature {
        into: Placement::parse("DSCKS/NBan"),
        references: Vec::new(),
        id: None,
        xades: false,
        exclusive_c14n: false,
    };
    let signed = sign_enveloped(body.as_bytes(), &signer, &what, &o, provider).unwrap();
    let file = dir.join("hdon-test-pki.xml");
    std::fs::write(&file, &signed).unwrap();
    let root_pem = dir.join("pub-root.pem");
    std::fs::write(&root_pem, kyso_testpki::pem("CERTIFICATE", &pki.pub_root.cert)).unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let verifier = Verifier::new(
        store,
        Policy::vietnam().to_builder().revocation(RevocationMode::Off).build(),
    );
    let when = When {
        at: None,
        now: Some(now),
    };
    let verify = || {
        let r = verifier.report(&signed, Content::Attached, when);
        assert_eq!(r.indication, Indication::TotalPassed);
        r
    };
    verify();
    let kyso_ns = per_doc(n, || {
        std::hint::black_box(verify());
    });
    let xmlsec_ns = xmlsec(&peer, &file, n, Some((&root_pem, now.unix())));
    println!(
        "e-invoice {} KB, 1 signature, with the chain: kyso Verifier + report {:.1} µs, libxmlsec1 {:.1} µs per document: {:.1}×",
        signed.len() / 1024,
        kyso_ns / 1e3,
        xmlsec_ns / 1e3,
        xmlsec_ns / kyso_ns
    );
    let mut g = c.benchmark_group("XML verify, e-invoice with chain");
    g.bench_function("kyso Verifier", |b| b.iter(verify));
    g.finish();

    // 3. The batch.
    let count: usize = std::env::var("KYSO_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let folder = dir.join(format!("batch-{count}"));
    let done = folder.with_extension("complete");
    let paths: Vec<PathBuf> = (0..count).map(|i| folder.join(format!("hd{i:05}.xml"))).collect();
    if !done.is_file() {
        std::fs::create_dir_all(&folder).unwrap();
        for (i, p) in paths.iter().enumerate() {
            let numbered = body.replacen("<SHDon>", &format!("<SHDon>{i:07}"), 1);
            std::fs::write(
                p,
                sign_enveloped(numbered.as_bytes(), &signer, &what, &o, provider).unwrap(),
            )
            .unwrap();
        }
        std::fs::write(&done, b"").unwrap();
    }
    let list = dir.join(format!("batch-{count}.list"));
    std::fs::write(
        &list,
        paths.iter().map(|p| format!("{}\n", p.display())).collect::<String>(),
    )
    .unwrap();
    let jobs: Arc<Vec<Job>> = Arc::new(
        paths
            .iter()
            .map(|p| Job {
                signature: p.clone(),
                content: None,
            })
            .collect(),
    );
    let verifier = Arc::new(verifier);
    let kyso_batch = |threads: usize| {
        let v = verifier.clone();
        let work: Arc<batch::Work<(String, bool)>> = Arc::new(move |_, job: &Job| {
            let r = batch::verify_file(&v, job, when);
            (
                serde_json::to_string(&r).unwrap(),
                r.indication == Indication::TotalPassed,
            )
        });
        let mut valid = 0;
        batch::run(
            jobs.clone(),
            threads,
            Arc::new(AtomicBool::new(false)),
            work,
            |_, (line, ok)| {
                std::hint::black_box(line);
                valid += usize::from(ok);
            },
        );
        valid
    };
    assert_eq!(kyso_batch(2), count, "every file verifies");
    let timed = |threads| {
        let t = Instant::now();
        assert_eq!(kyso_batch(threads), count);
        t.elapsed().as_nanos() as f64 / count as f64
    };
    let (one, two) = (timed(1), timed(2));
    let xmlsec_ns = xmlsec(
        &peer,
        Path::new(&format!("@{}", list.display())),
        1,
        Some((&root_pem, now.unix())),
    );
    println!(
        "batch of {count} e-invoices: kyso {:.0} docs/s on 1 thread, {:.0} on 2; libxmlsec1 {:.0} docs/s: {:.1}× and {:.1}×",
        1e9 / one,
        1e9 / two,
        1e9 / xmlsec_ns,
        xmlsec_ns / one,
        xmlsec_ns / two
    );
}

criterion_group!(xml, benches);
criterion_main!(xml);
