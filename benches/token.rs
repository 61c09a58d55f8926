//! CAdES signing of 1 KB on a SoftHSM2 token: kyso's whole `cms::sign` through PKCS#11 against
//! the bare C_SignInit + C_Sign it cannot avoid, and OpenSSL's CMS_sign with the same key in
//! software for scale. Needs softhsm2-util and pkcs11-tool (the README's test command installs
//! them).

use criterion::{criterion_group, criterion_main, Criterion};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::UserType;
use kyso::sign::{Content, SignOptions};
use kyso::token::{Module, Pin, TokenSigner};
use kyso::{crypto, Certificate, Time};
use kyso_testpki::VietnamTestPki;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::pkey::PKey;
use openssl::stack::Stack;
use openssl::x509::X509;
use std::hint::black_box;

const PIN: &str = "123456";

fn benches(c: &mut Criterion) {
    let module_path = kyso_testpki::softhsm::module().expect("SoftHSM2 is required");
    let module = module_path.to_str().unwrap();
    let pki = VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-bench-token-{}", std::process::id()));
    let soft = kyso_testpki::softhsm::SoftHsm::create(&dir, &module_path).unwrap();
    soft.set_env();
    soft.init_token("bench", PIN, "87654321").unwrap();
    soft.add_key_pair("bench", PIN, "01", None, pki.company.key.pkcs8(), &pki.company.cert)
        .unwrap();

    let doc = vec![b'x'; 1024];
    let m = Module::open(module).unwrap();
    let signer = TokenSigner::open(&m, Some("bench"), None, &Pin::new(PIN), false, false).unwrap();
    let mut o = SignOptions::new(Time::now());
    o.detached = true;
    o.chain = vec![Certificate::from_der(&pki.pub_sub.cert).unwrap()];

    // The same token through cryptoki directly: one signature over signed-attributes-sized data.
    let ctx = cryptoki::context::Pkcs11::new(module).unwrap();
    let _ = ctx.initialize(cryptoki::context::CInitializeArgs::new(
        cryptoki::context::CInitializeFlags::OS_LOCKING_OK,
    ));
    let slot = ctx.get_slots_with_token().unwrap()[0];
    let session = ctx.open_ro_session(slot).unwrap();
    let _ = session.login(UserType::User, Some(&cryptoki::types::AuthPin::from(PIN.to_string())));
    let key = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .unwrap()[0];
    let attrs = vec![0x31u8; 220];

    let o_key = PKey::private_key_from_der(pki.company.key.pkcs8()).unwrap();
    let o_cert = X509::from_der(&pki.company.cert).unwrap();
    let mut o_chain = Stack::new().unwrap();
    o_chain.push(X509::from_der(&pki.pub_sub.cert).unwrap()).unwrap();

    let mut g = c.benchmark_group("CAdES sign 1 KB, RSA-2048 on SoftHSM2");
    g.bench_function("kyso cms::sign on the token", |b| {
        b.iter(|| kyso::sign::sign(Content::Bytes(black_box(&doc)), &signer, &o, crypto::default_provider()).unwrap())
    });
    g.bench_function("bare C_Sign on the token", |b| {
        b.iter(|| session.sign(&Mechanism::Sha256RsaPkcs, key, black_box(&attrs)).unwrap())
    });
    g.bench_function("openssl CMS_sign, software key", |b| {
        b.iter(|| {
            CmsContentInfo::sign(
                Some(&o_cert),
                Some(&o_key),
                Some(&o_chain),
                Some(black_box(&doc)),
                CMSOptions::DETACHED | CMSOptions::BINARY,
            )
            .unwrap()
            .to_der()
            .unwrap()
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
