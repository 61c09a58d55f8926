//! Certificate parsing and certificate-signature verification: kyso against OpenSSL on the
//! same real certificates, in the same run. Ratios go to BENCHMARKS.md.
//!
//! Inputs: VNPT-CA SHA2 (RSA-4096 key, signed by Vietnam National Root CA with
//! sha256WithRSAEncryption, RSA-4096) and the root itself.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn load(rel: &str) -> Vec<u8> {
    // Benchmarks are run by hand, with ../shared beside the project.
    let p = kyso_testpki::shared::root().join("vn-trust").join(rel);
    kyso::load_certificates(&std::fs::read(p).unwrap()).unwrap()[0]
        .der()
        .to_vec()
}

fn benches(c: &mut Criterion) {
    let sub = load("neac-subca/VNPT-CA-SHA2__20240830.pem");
    let root = load("neac-roots/Vietnam-National-Root-CA__20140415.pem");

    let mut g = c.benchmark_group("parse certificate (VNPT-CA SHA2)");
    g.bench_function("kyso", |b| {
        b.iter(|| kyso::Certificate::from_der(black_box(&sub)).unwrap())
    });
    g.bench_function("openssl", |b| {
        b.iter(|| openssl::x509::X509::from_der(black_box(&sub)).unwrap())
    });
    g.finish();

    let k_sub = kyso::Certificate::from_der(&sub).unwrap();
    let k_root = kyso::Certificate::from_der(&root).unwrap();
    let o_sub = openssl::x509::X509::from_der(&sub).unwrap();
    let o_root_key = openssl::x509::X509::from_der(&root).unwrap().public_key().unwrap();
    let provider = kyso::crypto::default_provider();
    let mut g = c.benchmark_group("verify certificate signature (RSA-4096, SHA-256)");
    g.bench_function("kyso", |b| {
        b.iter(|| {
            k_sub
                .verify_signed_by(black_box(&k_root), provider, kyso::crypto::AlgorithmPolicy::STRICT)
                .unwrap()
        })
    });
    g.bench_function("openssl", |b| {
        b.iter(|| assert!(o_sub.verify(black_box(&o_root_key)).unwrap()))
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
