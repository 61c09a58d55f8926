//! Batch verification of 10,000 CMS files (1 KB attached CAdES, leaf RSA-2048 → licensed CA
//! RSA-2048 embedded → root RSA-4096 trusted), as `kyso verify --batch` does it: read the file,
//! parse, verify, build the kyso.report/1 report and serialise it to a JSON line. kyso with 1
//! and with 2 worker threads, against a loop of OpenSSL's CMS_verify in one process (read,
//! d2i_CMS, CMS_verify). Revocation is off on both sides (OpenSSL checks none by default).
//!
//! The files are made once (signing 10,000 documents takes a while) and kept under
//! `target/kyso-bench-batch/`. `KYSO_BENCH_FILES=N` changes the count.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kyso::batch::{self, Job};
use kyso::cms::{self, VerifyOptions};
use kyso::report::Indication;
use kyso::revocation::RevocationMode;
use kyso::sign::{Content, SignOptions, SoftwareSigner};
use kyso::{crypto, Certificate, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::VietnamTestPki;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::X509;

fn files(pki: &VietnamTestPki, n: usize) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/kyso-bench-batch/{n}"));
    // The marker lives beside the folder: inside it, it would be one more (unreadable) file.
    let done = dir.with_extension("complete");
    let paths: Vec<PathBuf> = (0..n).map(|i| dir.join(format!("hd{i:05}.p7m"))).collect();
    if done.is_file() {
        return paths;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(Time::now());
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    for (i, p) in paths.iter().enumerate() {
        let mut doc = format!("<HDon><SHDon>{i:07}</SHDon>").into_bytes();
        doc.resize(1024, b' ');
        let sig = kyso::sign::sign(Content::Bytes(&doc), &signer, &o, crypto::default_provider()).unwrap();
        std::fs::write(p, sig).unwrap();
    }
    std::fs::write(done, b"").unwrap();
    paths
}

fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("KYSO_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let pki = VietnamTestPki::build();
    let paths = files(&pki, n);
    let jobs: Arc<Vec<Job>> = Arc::new(
        paths
            .iter()
            .map(|p| Job {
                signature: p.clone(),
                content: None,
            })
            .collect(),
    );

    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let now = Time::now();
    let when = When {
        at: None,
        now: Some(now),
    };
    let policy = Policy::builder().revocation(RevocationMode::Off).build();
    let verifier = Arc::new(Verifier::new(store, policy));
    let kyso_batch = |threads: usize| {
        let v = verifier.clone();
        let work: Arc<batch::Work<(String, bool)>> = Arc::new(move |_, job: &Job| {
            let r = batch::verify_file(&v, job, when);
            let ok = r.indication == Indication::TotalPassed;
            (serde_json::to_string(&r).unwrap(), ok)
        });
        let mut valid = 0;
        let mut bytes = 0;
        batch::run(
            jobs.clone(),
            threads,
            Arc::new(AtomicBool::new(false)),
            work,
            |_, (line, ok)| {
                bytes += line.len();
                valid += usize::from(ok);
            },
        );
        assert!(bytes > 0);
        valid
    };
    assert_eq!(kyso_batch(2), n, "every file verifies");

    let mut b = X509StoreBuilder::new().unwrap();
    b.add_cert(X509::from_der(&pki.pub_root.cert).unwrap()).unwrap();
    let o_store = b.build();
    let openssl_loop = || {
        let mut valid = 0;
        for p in &paths {
            let der = std::fs::read(p).unwrap();
            let mut ci = CmsContentInfo::from_der(&der).unwrap();
            let mut out = Vec::new();
            if ci
                .verify(None, Some(&o_store), None, Some(&mut out), CMSOptions::BINARY)
                .is_ok()
            {
                valid += 1;
            }
        }
        valid
    };
    assert_eq!(openssl_loop(), n, "OpenSSL verifies every file");

    // The same work without the report and its JSON, to show what the report costs.
    let bare = {
        let paths = &paths;
        let store = verifier.store();
        let mut vo = VerifyOptions::new(now);
        vo.path = verifier.policy().path_options(now, Default::default());
        move || {
            let mut valid = 0;
            for p in paths {
                let der = std::fs::read(p).unwrap();
                let r = cms::verify(&der, None, store, &[], &vo, crypto::default_provider()).unwrap();
                valid += usize::from(r.verdict == kyso::path::Verdict::Valid);
            }
            valid
        }
    };
    assert_eq!(bare(), n);

    let mut g = c.benchmark_group(format!("batch verify, {n} CMS files"));
    g.bench_function("kyso, 1 thread, verify only (no report)", |b| b.iter(&bare));
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("kyso, 1 thread", |b| b.iter(|| kyso_batch(1)));
    g.bench_function("kyso, 2 threads", |b| b.iter(|| kyso_batch(2)));
    g.bench_function("openssl CMS_verify loop", |b| b.iter(openssl_loop));
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(10));
    targets = benches
}
criterion_main!(group);
