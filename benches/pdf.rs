//! PDF signature verification: kyso against pyHanko (in one Python process, the file parsed
//! each time) and poppler's `pdfsig` (one process per document, as it is used) on the same
//! files in the same run.
//!
//! 1. `vn-real-01` from `../shared/vectors/pdf/vn`: a decree signed by the government's
//!    portal (VGCA G2, RSA-2048, a signature time-stamp), 208 KB, 2 revisions.
//! 2. `vn-real-03`: a decree with six VGCA G2 signatures in eight revisions (1.2 MB), where
//!    each earlier signature's later revisions are compared (difference analysis) on both
//!    sides.
//! 3. A decision of the test PKI signed by kyso (public hierarchy, the chain trusted).
//!
//! kyso: `Verifier::report` (the whole verification: every signature, its chain, the changes
//! after it, the kyso.report/1 report), revocation not checked as pyHanko's
//! `--no-revocation-check`. pyHanko: `benches/peers/pyhanko_verify.py` (validate every embedded
//! signature with the same roots, fetching off). pdfsig: checks each signature's bytes and its
//! certificate against its own NSS store (no chain to our roots), timed per process. Ratio =
//! the peer's time per document over kyso's.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::report::Indication;
use kyso::revocation::RevocationMode;
use kyso::sign::{SignOptions, SoftwareSigner};
use kyso::{Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::VietnamTestPki;

#[path = "common/timing.rs"]
mod timing;
use timing::per_doc;

/// pyHanko's mean time per document over `n`, in nanoseconds, and its summaries.
fn pyhanko(file: &Path, n: u32, root: &Path, others: &[PathBuf]) -> (f64, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/pyhanko_verify.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(file)
        .arg(n.to_string())
        .arg(root)
        .args(others)
        .output()
        .expect("python3 with pyHanko is required");
    assert!(
        out.status.success(),
        "pyHanko: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let ns = lines.next().unwrap().trim().parse().unwrap();
    (ns, lines.collect::<Vec<_>>().join("; "))
}

/// pdfsig's mean wall time per process over `n`, in nanoseconds.
fn pdfsig(file: &Path, n: u32) -> f64 {
    let run = || {
        let out = Command::new("pdfsig")
            .arg(file)
            .output()
            .expect("pdfsig (poppler-utils) is required");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Signature is Valid"));
    };
    per_doc(n, run)
}

fn pem_file(dir: &Path, name: &str, der: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, kyso_testpki::pem("CERTIFICATE", der)).unwrap();
    p
}

fn benches(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kyso-bench-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let now = Time::now();
    let when = When {
        at: None,
        now: Some(now),
    };
    let no_revocation = || Policy::vietnam().to_builder().revocation(RevocationMode::Off).build();
    let mut cases: Vec<(String, PathBuf, Verifier, PathBuf, Vec<PathBuf>, u32)> = Vec::new();

    // 1, 2: the real decrees, against the bundled VGCA G2 root (its sub-CA given to pyHanko
    // as kyso's bundle has it).
    if let Some(vn) = kyso_testpki::shared::vectors("pdf/vn") {
        let trust = kyso_testpki::shared::vn_trust("vgca").unwrap();
        let root = trust.join("RootCA-chuyen-dung-Chinh-phu-G2__20180822.pem");
        let sub = trust.join("CA-phuc-vu-cac-co-quan-Nha-nuoc-G2__20180822.pem");
        for (name, prefix, n) in [
            (
                "real decree, 1 VGCA G2 signature + time-stamp (208 KB)",
                "vn-real-01",
                50,
            ),
            (
                "real decree, 6 VGCA G2 signatures in 8 revisions (1.2 MB)",
                "vn-real-03",
                5,
            ),
        ] {
            let file = std::fs::read_dir(&vn)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .unwrap();
            cases.push((
                name.into(),
                file,
                Verifier::new(TrustStore::vietnam(), no_revocation()),
                root.clone(),
                vec![sub.clone()],
                n,
            ));
        }
    } else {
        println!("../shared is missing: the real decrees are skipped");
    }

    // 3: a decision of the test PKI signed by kyso.
    let pki = VietnamTestPki::build();
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    let signed = kyso::pdf::sign::sign_pdf(
        &kyso_testpki::pdf_document(3),
        &signer,
        &kyso::pdf::sign::PdfSigning::default(),
        &o,
        kyso::crypto::default_provider(),
    )
    .unwrap();
    let file = dir.join("decision.pdf");
    std::fs::write(&file, &signed).unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    cases.push((
        "decision of the test PKI signed by kyso (3 pages, the chain trusted)".into(),
        file,
        Verifier::new(store, no_revocation()),
        pem_file(&dir, "pub-root.pem", &pki.pub_root.cert),
        Vec::new(),
        50,
    ));

    for (name, file, verifier, root, others, n) in &cases {
        let doc = std::fs::read(file).unwrap();
        let verify = || {
            let r = verifier.report(&doc, Content::Attached, when);
            assert_ne!(r.indication, Indication::TotalFailed, "{name}: {:?}", r.reason);
            r.signatures.len()
        };
        let sigs = verify();
        let kyso_ns = per_doc(n * 4, || {
            std::hint::black_box(verify());
        });
        let (py_ns, py_says) = pyhanko(file, *n, root, others);
        let pdfsig_ns = pdfsig(file, *n);
        println!(
            "{name}: {sigs} signature(s): kyso {:.2} ms, pyHanko {:.2} ms ({:.1}×), pdfsig {:.2} ms ({:.1}×) per document [pyHanko: {py_says}]",
            kyso_ns / 1e6,
            py_ns / 1e6,
            py_ns / kyso_ns,
            pdfsig_ns / 1e6,
            pdfsig_ns / kyso_ns,
        );
        let mut g = c.benchmark_group(format!("PDF verify, {name}"));
        g.sample_size(10);
        g.bench_function("kyso Verifier::report", |b| b.iter(verify));
        g.finish();
    }
}

criterion_group!(pdf, benches);
criterion_main!(pdf);
