//! CAdES signing of 1 KB on a SoftHSM2 token: kyso's whole `cms::sign` through PKCS#11 against
//! the bare C_SignInit + C_Sign it cannot avoid, and OpenSSL's CMS_sign with the same key in
//! software for scale. Needs softhsm2-util and pkcs11-tool (the README's test command installs
//! them).

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::UserType;
use kyso::cms::{self, Content, SignOptions};
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
    let module = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).is_file())
    .expect("SoftHSM2 is required");
    let pki = VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-bench-token-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!("directories.tokendir = {}\n", dir.join("tokens").display()),
    )
    .unwrap();
    std::env::set_var("SOFTHSM2_CONF", &conf);
    let run = |c: &mut Command| assert!(c.status().unwrap().success(), "{c:?}");
    run(Command::new("softhsm2-util").args([
        "--init-token",
        "--free",
        "--label",
        "bench",
        "--pin",
        PIN,
        "--so-pin",
        "87654321",
    ]));
    for (t, bytes, name) in [
        ("privkey", pki.company.key.pkcs8(), "k.p8"),
        ("cert", &pki.company.cert[..], "c.der"),
    ] {
        let f = dir.join(name);
        std::fs::write(&f, bytes).unwrap();
        run(Command::new("pkcs11-tool")
            .args([
                "--module",
                module,
                "--token-label",
                "bench",
                "--login",
                "--pin",
                PIN,
                "--type",
                t,
                "--id",
                "01",
                "--write-object",
            ])
            .arg(&f));
    }

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
        b.iter(|| cms::sign(Content::Bytes(black_box(&doc)), &signer, &o, crypto::default_provider()).unwrap())
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
