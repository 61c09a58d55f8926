//! A generated 1,000,000-entry CRL (serials spread over 8 bytes, one entry in ten with a
//! reason code): parse time and per-lookup time, kyso against OpenSSL (d2i_X509_CRL and
//! X509_CRL_get0_by_serial) on the same bytes.

use criterion::{criterion_group, criterion_main, Criterion};
use kyso::revocation::Crl;
use kyso_testpki::der::unix;
use kyso_testpki::{issue_crl, CrlSpec, Revoked, VietnamTestPki};
use openssl::bn::BigNum;
use openssl::x509::X509Crl;
use std::hint::black_box;

const N: u64 = 1_000_000;

fn serial(i: u64) -> u64 {
    0x0100_0000_0000_0000 + i.wrapping_mul(0x9E37_79B9)
}

fn benches(c: &mut Criterion) {
    let pki = VietnamTestPki::build();
    let revoked: Vec<Revoked> = (0..N)
        .map(|i| Revoked {
            serial: serial(i),
            date: unix(2026, 1, 1) + i as i64,
            reason: (i % 10 == 0).then_some(1),
        })
        .collect();
    let der = issue_crl(
        &CrlSpec {
            this_update: unix(2026, 11, 1),
            next_update: Some(unix(2026, 12, 1)),
            number: 1,
            revoked,
            ..CrlSpec::default()
        },
        (&pki.pub_sub.subject, &pki.pub_sub.key),
    );
    println!("CRL: {} entries, {:.1} MB", N, der.len() as f64 / 1e6);

    let mut g = c.benchmark_group("parse 1,000,000-entry CRL");
    g.sample_size(10);
    g.bench_function("kyso", |b| b.iter(|| Crl::from_der(black_box(der.clone())).unwrap()));
    g.bench_function("openssl", |b| b.iter(|| X509Crl::from_der(black_box(&der)).unwrap()));
    g.finish();

    let crl = Crl::from_der(der.clone()).unwrap();
    let issuer = kyso::Name::from_der(&pki.pub_sub.subject).unwrap();
    let o_crl = X509Crl::from_der(&der).unwrap();
    let probes: Vec<u64> = (0..1000).map(|k| serial(k * 997)).collect();
    let probe_bytes: Vec<Vec<u8>> = probes
        .iter()
        .map(|s| {
            let b = s.to_be_bytes();
            let mut v: Vec<u8> = b.iter().copied().skip_while(|x| *x == 0).collect();
            if v[0] & 0x80 != 0 {
                v.insert(0, 0);
            }
            v
        })
        .collect();
    let probe_bn: Vec<_> = probes
        .iter()
        .map(|s| {
            BigNum::from_hex_str(&format!("{s:x}"))
                .unwrap()
                .to_asn1_integer()
                .unwrap()
        })
        .collect();
    // OpenSSL sorts its entries on the first lookup: do it before measuring.
    assert!(matches!(
        o_crl.get_by_serial(&probe_bn[0]),
        openssl::x509::CrlStatus::Revoked(_)
    ));
    assert!(crl.find(&probe_bytes[0], &issuer).is_some());

    let mut g = c.benchmark_group("1,000 lookups in the 1,000,000-entry CRL");
    g.bench_function("kyso", |b| {
        b.iter(|| {
            probe_bytes
                .iter()
                .filter(|p| crl.find(black_box(p), &issuer).is_some())
                .count()
        })
    });
    g.bench_function("openssl", |b| {
        b.iter(|| {
            probe_bn
                .iter()
                .filter(|p| matches!(o_crl.get_by_serial(black_box(p)), openssl::x509::CrlStatus::Revoked(_)))
                .count()
        })
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(5));
    targets = benches
}
criterion_main!(group);
