//! CMS verify of a 1 KB detached CAdES signature (the `benches/cms.rs` input) through the C
//! API against the Rust API, in the same process: the cost of the C layer. The C functions are
//! compiled into this benchmark from `src/lib.rs` (the cdylib cannot be linked by Rust).

#[allow(dead_code, clippy::missing_safety_doc)]
#[path = "../src/lib.rs"]
mod capi;

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::cms::{self, VerifyOptions};
use kyso::path::{PathOptions, Verdict};
use kyso::sign::{Content, SignOptions, SoftwareSigner};
use kyso::{crypto, Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::VietnamTestPki;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let now = Time::now();
    let doc: &'static [u8] = Box::leak(vec![b'x'; 1024].into_boxed_slice());
    let signer = SoftwareSigner::from_pkcs8(
        pki.company.key.pkcs8(),
        Certificate::from_der(&pki.company.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(now);
    o.detached = true;
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];
    let sig = kyso::sign::sign(Content::Bytes(doc), &signer, &o, crypto::default_provider()).unwrap();

    // Rust: the same defaults as kyso_verify_cms (Vietnam path policy, soft-fail revocation).
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&pki.pub_root.cert).unwrap(), Hierarchy::Public);
    let rust = |sig: &[u8]| {
        let vo = VerifyOptions::new(Time::now());
        let mut reopen = || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::io::Cursor::new(doc))) };
        cms::verify(sig, Some(&mut reopen), &store, &[], &vo, crypto::default_provider())
            .unwrap()
            .verdict
    };
    assert_eq!(rust(&sig), Verdict::Valid);
    let _ = PathOptions::vietnam(now);

    // C: a store built through the API, then verify + verdict + free per call.
    let mut ts: *mut capi::kyso_trust_store = std::ptr::null_mut();
    // SAFETY: valid pointers to live buffers, as a C caller passes them.
    unsafe {
        assert_eq!(capi::kyso_trust_store_new(&mut ts), 0);
        assert_eq!(
            capi::kyso_trust_store_add(
                ts,
                pki.pub_root.cert.as_ptr(),
                pki.pub_root.cert.len(),
                capi::KYSO_HIERARCHY_PUBLIC
            ),
            0
        );
    }
    let c_api = |sig: &[u8]| -> u32 {
        let mut r: *mut capi::kyso_report = std::ptr::null_mut();
        // SAFETY: as above; the report is freed once.
        unsafe {
            assert_eq!(
                capi::kyso_verify_cms(ts, sig.as_ptr(), sig.len(), doc.as_ptr(), doc.len(), 0, &mut r),
                0
            );
            let v = capi::kyso_report_verdict(r);
            capi::kyso_report_free(r);
            v
        }
    };
    assert_eq!(c_api(&sig), capi::KYSO_VALID);

    let mut g = c.benchmark_group("CMS verify 1 KB detached, C API vs Rust API");
    g.bench_function("Rust cms::verify", |b| b.iter(|| rust(black_box(&sig))));
    g.bench_function("C kyso_verify_cms + verdict + free", |b| {
        b.iter(|| c_api(black_box(&sig)))
    });
    g.finish();
    // SAFETY: freed once, not used afterwards.
    unsafe { capi::kyso_trust_store_free(ts) };
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(4));
    targets = benches
}
criterion_main!(group);
