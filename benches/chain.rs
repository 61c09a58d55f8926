//! Path validation of a Vietnam-shaped chain — leaf RSA-2048 → licensed CA RSA-2048 →
//! national root RSA-4096 (the generated test PKI) — by kyso and by OpenSSL's
//! X509_verify_cert, on the same certificates in the same run.

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::path::{self, PathOptions, Verdict};
use kyso::{crypto, Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::VietnamTestPki;
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::{X509StoreContext, X509};
use std::hint::black_box;

fn openssl_store(root: &X509) -> X509Store {
    let mut b = X509StoreBuilder::new().unwrap();
    b.add_cert(root.clone()).unwrap();
    b.build()
}

fn openssl_verify(store: &X509Store, leaf: &X509, chain: &Stack<X509>) -> bool {
    let mut ctx = X509StoreContext::new().unwrap();
    ctx.init(store, leaf, chain, |c| c.verify_cert()).unwrap()
}

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let (leaf_der, sub_der, root_der) = (&pki.company.cert, &pki.pub_sub.cert, &pki.pub_root.cert);
    let provider = crypto::default_provider();
    let options = PathOptions::at(Time::now());

    // Parsed once; the store keeps the licensed CA's verified signature.
    let leaf = Certificate::from_der(leaf_der).unwrap();
    let pool = vec![Certificate::from_der(sub_der).unwrap()];
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(root_der).unwrap(), Hierarchy::Public);
    assert_eq!(
        path::verify_chain(&leaf, &pool, &store, &options, provider).verdict,
        Verdict::Valid
    );

    let o_leaf = X509::from_der(leaf_der).unwrap();
    let o_root = X509::from_der(root_der).unwrap();
    let mut o_chain = Stack::new().unwrap();
    o_chain.push(X509::from_der(sub_der).unwrap()).unwrap();
    let o_store = openssl_store(&o_root);
    assert!(openssl_verify(&o_store, &o_leaf, &o_chain));

    let mut g = c.benchmark_group("validate VN chain, certificates already parsed");
    g.bench_function("kyso (store caches CA signatures)", |b| {
        b.iter(|| path::verify_chain(black_box(&leaf), &pool, &store, &options, provider))
    });
    g.bench_function("kyso (fresh store every time: no cache)", |b| {
        b.iter_batched(
            || {
                let mut s = TrustStore::new();
                s.add_anchor(store.anchors()[0].certificate.clone(), Hierarchy::Public);
                s
            },
            |s| path::verify_chain(black_box(&leaf), &pool, &s, &options, provider),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("openssl X509_verify_cert", |b| {
        b.iter(|| openssl_verify(&o_store, black_box(&o_leaf), &o_chain))
    });
    g.finish();

    let mut g = c.benchmark_group("validate VN chain, parsing leaf and CA each time");
    g.bench_function("kyso", |b| {
        b.iter(|| {
            let leaf = Certificate::from_der(black_box(leaf_der)).unwrap();
            let pool = vec![Certificate::from_der(black_box(sub_der)).unwrap()];
            path::verify_chain(&leaf, &pool, &store, &options, provider)
        })
    });
    g.bench_function("openssl", |b| {
        b.iter(|| {
            let leaf = X509::from_der(black_box(leaf_der)).unwrap();
            let mut chain = Stack::new().unwrap();
            chain.push(X509::from_der(black_box(sub_der)).unwrap()).unwrap();
            openssl_verify(&o_store, &leaf, &chain)
        })
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
