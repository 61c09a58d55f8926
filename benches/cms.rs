//! CMS verify of a 1 KB detached CAdES signature with a Vietnam-shaped chain (leaf RSA-2048 →
//! licensed CA RSA-2048 embedded → root RSA-4096 trusted): kyso against OpenSSL's CMS_verify,
//! parsing the signature each time in both. kyso's store remembers verified certificate
//! signatures (CA to CA and CA to leaf), so from the second run on only the signer's signature
//! over the signed attributes is checked: the batch case, thousands of invoices of one seller.
//! Also kyso through the Verifier, which builds the kyso.report/1 report besides.

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::cms::{self, VerifyOptions};
use kyso::path::{PathOptions, Verdict};
use kyso::sign::{Content, SignOptions, SoftwareSigner};
use kyso::{crypto, Certificate, Hierarchy, Policy, Time, TrustStore, Verifier};
use kyso_testpki::VietnamTestPki;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::X509;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let doc = vec![b'x'; 1024];
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.detached = true;
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    let sig = kyso::sign::sign(Content::Bytes(&doc), &signer, &o, crypto::default_provider()).unwrap();

    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let mut vo = VerifyOptions::new(now);
    vo.path = PathOptions::at(now);
    let verify = |sig: &[u8]| {
        let d = doc.clone();
        let mut reopen =
            move || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::io::Cursor::new(d.clone()))) };
        cms::verify(sig, Some(&mut reopen), &store, &[], &vo, crypto::default_provider()).unwrap()
    };
    assert_eq!(verify(&sig).verdict, Verdict::Valid);

    let mut b = X509StoreBuilder::new().unwrap();
    b.add_cert(X509::from_der(&pki.pub_root.cert).unwrap()).unwrap();
    let o_store = b.build();
    let o_verify = |sig: &[u8]| {
        let mut ci = CmsContentInfo::from_der(sig).unwrap();
        ci.verify(None, Some(&o_store), Some(&doc), None, CMSOptions::BINARY)
            .is_ok()
    };
    assert!(o_verify(&sig));

    let verifier = Verifier::new(store.clone(), Policy::vietnam());
    let report = verifier.verify(&sig, kyso::Content::Bytes(&doc)).unwrap();
    assert_eq!(report.indication, kyso::report::Indication::TotalPassed);

    let mut g = c.benchmark_group("CMS verify, 1 KB detached, VN chain");
    g.bench_function("kyso", |b| b.iter(|| verify(black_box(&sig))));
    g.bench_function("kyso Verifier, with the report", |b| {
        b.iter(|| verifier.verify(black_box(&sig), kyso::Content::Bytes(&doc)).unwrap())
    });
    g.bench_function("openssl CMS_verify", |b| b.iter(|| o_verify(black_box(&sig))));
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
