//! Deterministic test PKIs for kyso: a government hierarchy (root → state-agency sub-CA) and a
//! public one (national root → licensed CA), leaves carrying MST and CCCD identities, and an
//! untrusted look-alike. Keys are fixed files (`keys/`), serials and times are fixed, and RSA
//! PKCS#1 v1.5 signatures are deterministic, so every build yields the same bytes.
//!
//! This crate does not depend on kyso: what it writes is read back by kyso's own parsers.

pub mod der;
pub mod shared;
pub mod softhsm;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING, RSA_PKCS1_SHA256};

/// A private key of the test PKI.
pub struct TestKey {
    name: &'static str,
    pkcs8: &'static [u8],
    kind: KeyKind,
}

enum KeyKind {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const P256: &str = "1.2.840.10045.3.1.7";
const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";

impl TestKey {
    /// Load one of the fixed keys by name: `gov-root`, `gov-sub`, `pub-root`, `pub-sub`,
    /// `leaf-a`, `leaf-b`, `leaf-c`, `rogue-root`, `tsa`, `ocsp` (RSA) or `ec-leaf` (P-256).
    pub fn load(name: &'static str) -> TestKey {
        let pkcs8: &'static [u8] = match name {
            "gov-root" => include_bytes!("../keys/gov-root.p8"),
            "gov-sub" => include_bytes!("../keys/gov-sub.p8"),
            "pub-root" => include_bytes!("../keys/pub-root.p8"),
            "pub-sub" => include_bytes!("../keys/pub-sub.p8"),
            "leaf-a" => include_bytes!("../keys/leaf-a.p8"),
            "leaf-b" => include_bytes!("../keys/leaf-b.p8"),
            "leaf-c" => include_bytes!("../keys/leaf-c.p8"),
            "rogue-root" => include_bytes!("../keys/rogue-root.p8"),
            "tsa" => include_bytes!("../keys/tsa.p8"),
            "ocsp" => include_bytes!("../keys/ocsp.p8"),
            "ec-leaf" => include_bytes!("../keys/ec-leaf.p8"),
            other => panic!("no test key named {other}"),
        };
        let kind = if name == "ec-leaf" {
            KeyKind::Ec(EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8).expect("test EC key"))
        } else {
            KeyKind::Rsa(RsaKeyPair::from_pkcs8(pkcs8).expect("test RSA key"))
        };
        TestKey { name, pkcs8, kind }
    }

    /// A key from PKCS#8 DER made elsewhere (e.g. by `openssl genpkey` in a test); the bytes
    /// are kept for the life of the process.
    pub fn from_pkcs8(pkcs8: Vec<u8>) -> TestKey {
        let pkcs8: &'static [u8] = Box::leak(pkcs8.into_boxed_slice());
        let kind = match RsaKeyPair::from_pkcs8(pkcs8) {
            Ok(k) => KeyKind::Rsa(k),
            Err(_) => KeyKind::Ec(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8).expect("RSA or P-256 PKCS#8 key"),
            ),
        };
        TestKey {
            name: "external",
            pkcs8,
            kind,
        }
    }

    /// The key's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The private key as PKCS#8 DER.
    pub fn pkcs8(&self) -> &'static [u8] {
        self.pkcs8
    }

    /// The subjectPublicKey bits (PKCS#1 RSAPublicKey, or the EC point).
    pub fn public_key_bits(&self) -> Vec<u8> {
        match &self.kind {
            KeyKind::Rsa(k) => k.public_key().as_ref().to_vec(),
            KeyKind::Ec(k) => k.public_key().as_ref().to_vec(),
        }
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki(&self) -> Vec<u8> {
        let alg = match &self.kind {
            KeyKind::Rsa(_) => der::seq(&[der::oid(RSA_ENCRYPTION), der::null()]),
            KeyKind::Ec(_) => der::seq(&[der::oid(EC_PUBLIC_KEY), der::oid(P256)]),
        };
        der::seq(&[alg, der::bits(&self.public_key_bits())])
    }

    /// The AlgorithmIdentifier of this key's signatures (sha256WithRSAEncryption or
    /// ecdsa-with-SHA256).
    pub fn signature_algorithm(&self) -> Vec<u8> {
        match &self.kind {
            KeyKind::Rsa(_) => der::seq(&[der::oid(SHA256_WITH_RSA), der::null()]),
            KeyKind::Ec(_) => der::seq(&[der::oid(ECDSA_SHA256)]),
        }
    }

    /// Sign with SHA-256 (RSA PKCS#1 v1.5, deterministic; or ECDSA, DER).
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        let rng = SystemRandom::new();
        match &self.kind {
            KeyKind::Rsa(k) => {
                let mut sig = vec![0u8; k.public_modulus_len()];
                k.sign(&RSA_PKCS1_SHA256, &rng, msg, &mut sig).expect("RSA sign");
                sig
            }
            KeyKind::Ec(k) => k.sign(&rng, msg).expect("ECDSA sign").as_ref().to_vec(),
        }
    }

    /// Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1).
    pub fn key_id(&self) -> Vec<u8> {
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &self.public_key_bits())
            .as_ref()
            .to_vec()
    }
}

/// Build a Name from `(type, value)` pairs, one attribute per RDN, in the order given.
/// Types: `C` (PrintableString), `CN`, `O`, `OU`, `L`, `ST`, `UID`, `SN`, `serialNumber`
/// (UTF8String), `E` (IA5String), or a dotted OID (UTF8String).
pub fn name(attrs: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(t, v)| {
            let (oid, value) = match *t {
                "C" => ("2.5.4.6", der::printable(v)),
                "CN" => ("2.5.4.3", der::utf8(v)),
                "SN" => ("2.5.4.4", der::utf8(v)),
                "serialNumber" => ("2.5.4.5", der::printable(v)),
                "L" => ("2.5.4.7", der::utf8(v)),
                "ST" => ("2.5.4.8", der::utf8(v)),
                "O" => ("2.5.4.10", der::utf8(v)),
                "OU" => ("2.5.4.11", der::utf8(v)),
                "UID" => ("0.9.2342.19200300.100.1.1", der::utf8(v)),
                "E" => ("1.2.840.113549.1.9.1", der::ia5(v)),
                dotted => (dotted, der::utf8(v)),
            };
            der::set(&[der::seq(&[der::oid(oid), value])])
        })
        .collect();
    der::seq(&rdns)
}

/// keyUsage bits (bit 0 = digitalSignature).
pub mod ku {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u16 = 1;
    /// nonRepudiation.
    pub const NON_REPUDIATION: u16 = 2;
    /// keyEncipherment.
    pub const KEY_ENCIPHERMENT: u16 = 4;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u16 = 32;
    /// cRLSign.
    pub const CRL_SIGN: u16 = 64;
}

/// What a certificate says. Fields left at their default are omitted.
#[derive(Clone, Debug, Default)]
pub struct CertSpec {
    /// Serial number (unsigned).
    pub serial: u64,
    /// Subject Name DER (see [`name`]).
    pub subject: Vec<u8>,
    /// notBefore, seconds since the epoch.
    pub not_before: i64,
    /// notAfter, seconds since the epoch.
    pub not_after: i64,
    /// basicConstraints: `Some((ca, pathLen))`, critical.
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage bits, critical.
    pub key_usage: Option<u16>,
    /// extKeyUsage OIDs (dotted).
    pub eku: Vec<String>,
    /// certificatePolicies OIDs (dotted).
    pub policies: Vec<String>,
    /// Whether certificatePolicies is critical.
    pub policies_critical: bool,
    /// cRLDistributionPoints URIs (one point each).
    pub crl_urls: Vec<String>,
    /// authorityInfoAccess OCSP URI.
    pub ocsp_url: Option<String>,
    /// authorityInfoAccess caIssuers URI.
    pub ca_issuers_url: Option<String>,
    /// subjectAltName rfc822Name values.
    pub san_email: Vec<String>,
    /// Further extensions: (dotted OID, critical, DER value).
    pub extra: Vec<(String, bool, Vec<u8>)>,
    /// Leave out subjectKeyIdentifier and authorityKeyIdentifier.
    pub no_key_ids: bool,
    /// Leave out authorityKeyIdentifier alone.
    pub no_aki: bool,
    /// Leave out subjectKeyIdentifier alone.
    pub no_ski: bool,
    /// Mark authorityKeyIdentifier critical.
    pub aki_critical: bool,
    /// Mark basicConstraints non-critical.
    pub basic_constraints_noncritical: bool,
    /// The serial number's INTEGER content octets as written (zero, negative, over-long),
    /// instead of `serial`.
    pub serial_octets: Option<Vec<u8>>,
    /// subjectAltName dNSName values (after the rfc822Name ones).
    pub san_dns: Vec<String>,
}

fn ext(oid: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![der::oid(oid)];
    if critical {
        parts.push(der::boolean(true));
    }
    parts.push(der::octets(&value));
    der::seq(&parts)
}

/// Issue a certificate for `subject_key` as `spec` describes, signed by `issuer` (its Name DER
/// and key), or self-signed when `issuer` is `None`. Returns the DER.
pub fn issue(spec: &CertSpec, subject_key: &TestKey, issuer: Option<(&[u8], &TestKey)>) -> Vec<u8> {
    let (issuer_name, issuer_key) = issuer.unwrap_or((&spec.subject, subject_key));
    let mut exts = Vec::new();
    if let Some((ca, path_len)) = spec.basic_constraints {
        let mut bc = Vec::new();
        if ca {
            bc.push(der::boolean(true));
        }
        if let Some(p) = path_len {
            bc.push(der::int(u64::from(p)));
        }
        exts.push(ext("2.5.29.19", !spec.basic_constraints_noncritical, der::seq(&bc)));
    }
    if let Some(bits) = spec.key_usage {
        exts.push(ext("2.5.29.15", true, der::named_bits(bits)));
    }
    if !spec.eku.is_empty() {
        exts.push(ext(
            "2.5.29.37",
            false,
            der::seq(&spec.eku.iter().map(|o| der::oid(o)).collect::<Vec<_>>()),
        ));
    }
    if !spec.policies.is_empty() {
        let infos: Vec<Vec<u8>> = spec.policies.iter().map(|p| der::seq(&[der::oid(p)])).collect();
        exts.push(ext("2.5.29.32", spec.policies_critical, der::seq(&infos)));
    }
    if !spec.crl_urls.is_empty() {
        let points: Vec<Vec<u8>> = spec
            .crl_urls
            .iter()
            .map(|u| der::seq(&[der::ctx(0, &der::ctx(0, &der::ctx_prim(6, u.as_bytes())))]))
            .collect();
        exts.push(ext("2.5.29.31", false, der::seq(&points)));
    }
    let mut aia = Vec::new();
    if let Some(u) = &spec.ocsp_url {
        aia.push(der::seq(&[
            der::oid("1.3.6.1.5.5.7.48.1"),
            der::ctx_prim(6, u.as_bytes()),
        ]));
    }
    if let Some(u) = &spec.ca_issuers_url {
        aia.push(der::seq(&[
            der::oid("1.3.6.1.5.5.7.48.2"),
            der::ctx_prim(6, u.as_bytes()),
        ]));
    }
    if !aia.is_empty() {
        exts.push(ext("1.3.6.1.5.5.7.1.1", false, der::seq(&aia)));
    }
    if !spec.san_email.is_empty() || !spec.san_dns.is_empty() {
        let names: Vec<Vec<u8>> = spec
            .san_email
            .iter()
            .map(|e| der::ctx_prim(1, e.as_bytes()))
            .chain(spec.san_dns.iter().map(|d| der::ctx_prim(2, d.as_bytes())))
            .collect();
        exts.push(ext("2.5.29.17", false, der::seq(&names)));
    }
    if !spec.no_key_ids {
        if !spec.no_ski {
            exts.push(ext("2.5.29.14", false, der::octets(&subject_key.key_id())));
        }
        if issuer.is_some() && !spec.no_aki {
            exts.push(ext(
                "2.5.29.35",
                spec.aki_critical,
                der::seq(&[der::ctx_prim(0, &issuer_key.key_id())]),
            ));
        }
    }
    for (oid, critical, value) in &spec.extra {
        exts.push(ext(oid, *critical, value.clone()));
    }
    let sig_alg = issuer_key.signature_algorithm();
    let mut tbs = vec![
        der::ctx(0, &der::int(2)),
        match &spec.serial_octets {
            Some(o) => der::tlv(0x02, o),
            None => der::uint(&spec.serial.to_be_bytes()),
        },
        sig_alg.clone(),
        issuer_name.to_vec(),
        der::seq(&[der::time(spec.not_before), der::time(spec.not_after)]),
        spec.subject.clone(),
        subject_key.spki(),
    ];
    if !exts.is_empty() {
        tbs.push(der::ctx(3, &der::seq(&exts)));
    }
    let tbs = der::seq(&tbs);
    let sig = issuer_key.sign(&tbs);
    der::seq(&[tbs, sig_alg, der::bits(&sig)])
}

/// A certificate of the test PKI with its key.
pub struct Entity {
    /// Short label (`gov-root`, `company`…).
    pub label: &'static str,
    /// The certificate DER.
    pub cert: Vec<u8>,
    /// The subject Name DER.
    pub subject: Vec<u8>,
    /// The private key.
    pub key: TestKey,
}

/// The policy OID of the government hierarchy (2.16.704 = Vietnam), as VGCA certificates use.
pub const GOV_POLICY: &str = "2.16.704.1.1.1.1.1";
/// A policy OID standing in for a licensed CA's document-signing policy.
pub const PUBLIC_POLICY: &str = "2.16.704.99.1.1";
/// id-kp-emailProtection.
pub const KP_EMAIL: &str = "1.3.6.1.5.5.7.3.4";
/// id-kp-clientAuth.
pub const KP_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";

/// A test PKI shaped like both Vietnamese hierarchies.
pub struct VietnamTestPki {
    /// Government root (RSA-4096), like VGCA's G2 root.
    pub gov_root: Entity,
    /// State-agency sub-CA (RSA-2048, pathLen 0), like "CA phục vụ các cơ quan Nhà nước G2".
    pub gov_sub: Entity,
    /// Public national root (RSA-4096), with anyPolicy critical as the 2025 roots have.
    pub pub_root: Entity,
    /// Licensed CA (RSA-2048, pathLen 0), like VNPT-CA.
    pub pub_sub: Entity,
    /// A company's signing certificate under the licensed CA: UID=MST.
    pub company: Entity,
    /// A ministry officer's certificate under the state-agency CA: UID=CCCD and UID=MST.
    pub officer: Entity,
    /// An untrusted root that copies the public root's name.
    pub rogue_root: Entity,
    /// A leaf under the untrusted root, claiming the company's tax code.
    pub rogue_leaf: Entity,
}

impl VietnamTestPki {
    /// A third signer under the licensed CA (serial 0x2009, UID=CCCD, key `leaf-c`), the one
    /// the demo and the tests revoke with [`fresh_crl`].
    pub fn revoked_signer(&self) -> Entity {
        let key = TestKey::load("leaf-c");
        Entity {
            label: "revoked",
            cert: issue(
                &CertSpec {
                    serial: REVOKED_SERIAL,
                    subject: name(&[("C", "VN"), ("CN", "Trần Thị Bình"), ("UID", "CCCD:079199000123")]),
                    not_before: der::unix(2025, 1, 1),
                    not_after: der::unix(2035, 1, 1),
                    key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
                    ..CertSpec::default()
                },
                &key,
                Some((&self.pub_sub.subject, &self.pub_sub.key)),
            ),
            subject: Vec::new(),
            key,
        }
    }

    /// Build every certificate (deterministic; ~20 ms).
    pub fn build() -> VietnamTestPki {
        let t = der::unix;
        let root_spec = |serial, subject: Vec<u8>, policies: Vec<String>, critical| CertSpec {
            serial,
            subject,
            not_before: t(2024, 1, 1),
            not_after: t(2044, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN | ku::DIGITAL_SIGNATURE),
            policies,
            policies_critical: critical,
            ..CertSpec::default()
        };
        let sub_spec = |serial, subject: Vec<u8>, policy: &str, crl: &str| CertSpec {
            serial,
            subject,
            not_before: t(2024, 6, 1),
            not_after: t(2039, 6, 1),
            basic_constraints: Some((true, Some(0))),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN | ku::DIGITAL_SIGNATURE),
            policies: vec![policy.to_string()],
            crl_urls: vec![crl.to_string()],
            ..CertSpec::default()
        };
        let leaf_spec = |serial, subject: Vec<u8>, policy: &str, email: &str| CertSpec {
            serial,
            subject,
            not_before: t(2025, 1, 1),
            not_after: t(2035, 1, 1),
            basic_constraints: Some((false, None)),
            key_usage: Some(ku::DIGITAL_SIGNATURE | ku::NON_REPUDIATION),
            eku: vec![KP_EMAIL.into(), KP_CLIENT_AUTH.into()],
            policies: vec![policy.to_string()],
            san_email: vec![email.to_string()],
            ..CertSpec::default()
        };
        let make = |label, spec: CertSpec, key: TestKey, issuer: Option<&Entity>| {
            let cert = issue(&spec, &key, issuer.map(|i| (i.subject.as_slice(), &i.key)));
            Entity {
                label,
                cert,
                subject: spec.subject,
                key,
            }
        };

        let gov_root_name = name(&[
            ("C", "VN"),
            ("O", "Ban Cơ yếu Chính phủ (thử nghiệm kyso)"),
            ("CN", "Kyso Test RootCA chuyên dùng Chính phủ"),
        ]);
        let gov_root = make(
            "gov-root",
            root_spec(0x1001, gov_root_name, vec![], false),
            TestKey::load("gov-root"),
            None,
        );
        let gov_sub = make(
            "gov-sub",
            sub_spec(
                0x1002,
                name(&[
                    ("C", "VN"),
                    ("O", "Ban Cơ yếu Chính phủ (thử nghiệm kyso)"),
                    ("CN", "Kyso Test CA phục vụ các cơ quan Nhà nước"),
                ]),
                GOV_POLICY,
                "http://127.0.0.1/kyso-test/gov-sub.crl",
            ),
            TestKey::load("gov-sub"),
            Some(&gov_root),
        );
        let pub_root_name = name(&[
            ("C", "VN"),
            ("O", "Kyso Test NEAC"),
            ("CN", "Kyso Test Vietnam National Root CA"),
        ]);
        let pub_root = make(
            "pub-root",
            root_spec(0x2001, pub_root_name.clone(), vec!["2.5.29.32.0".into()], true),
            TestKey::load("pub-root"),
            None,
        );
        let pub_sub = make(
            "pub-sub",
            sub_spec(
                0x2002,
                name(&[
                    ("C", "VN"),
                    ("O", "Kyso Test Telecom Group"),
                    ("CN", "Kyso Test VNPT-CA"),
                ]),
                PUBLIC_POLICY,
                "http://127.0.0.1/kyso-test/pub-sub.crl",
            ),
            TestKey::load("pub-sub"),
            Some(&pub_root),
        );
        let company = make(
            "company",
            leaf_spec(
                0x2003,
                name(&[
                    ("C", "VN"),
                    ("ST", "Hà Nội"),
                    ("L", "Quận Hoàn Kiếm"),
                    ("O", "CÔNG TY TNHH KYSO THỬ NGHIỆM"),
                    ("CN", "CÔNG TY TNHH KYSO THỬ NGHIỆM"),
                    ("UID", "MST:0109999999"),
                ]),
                PUBLIC_POLICY,
                "ketoan@kyso-thu-nghiem.vn",
            ),
            TestKey::load("leaf-a"),
            Some(&pub_sub),
        );
        let officer = make(
            "officer",
            leaf_spec(
                0x1003,
                name(&[
                    ("C", "VN"),
                    ("ST", "Hà Nội"),
                    ("O", "Bộ Thử nghiệm"),
                    ("OU", "Văn phòng Bộ"),
                    ("CN", "Nguyễn Văn An"),
                    ("UID", "CCCD:001099012345"),
                    ("UID", "MST:0100000001-001"),
                ]),
                GOV_POLICY,
                "nvan@bothunghiem.gov.vn",
            ),
            TestKey::load("leaf-b"),
            Some(&gov_sub),
        );
        let rogue_root = make(
            "rogue-root",
            root_spec(0x9001, pub_root_name, vec!["2.5.29.32.0".into()], true),
            TestKey::load("rogue-root"),
            None,
        );
        let rogue_leaf = make(
            "rogue-leaf",
            leaf_spec(
                0x9002,
                name(&[
                    ("C", "VN"),
                    ("O", "CÔNG TY TNHH KYSO THỬ NGHIỆM"),
                    ("CN", "CÔNG TY TNHH KYSO THỬ NGHIỆM"),
                    ("UID", "MST:0109999999"),
                ]),
                PUBLIC_POLICY,
                "ketoan@kyso-thu-nghiem.vn",
            ),
            TestKey::load("leaf-c"),
            Some(&rogue_root),
        );
        VietnamTestPki {
            gov_root,
            gov_sub,
            pub_root,
            pub_sub,
            company,
            officer,
            rogue_root,
            rogue_leaf,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let a = VietnamTestPki::build();
        let b = VietnamTestPki::build();
        assert_eq!(a.company.cert, b.company.cert);
        assert_eq!(a.gov_root.cert, b.gov_root.cert);
    }
}

/// One revoked certificate for [`issue_crl`]: serial, revocation date, reason code.
#[derive(Clone, Debug)]
pub struct Revoked {
    /// Serial number.
    pub serial: u64,
    /// revocationDate, seconds since the epoch.
    pub date: i64,
    /// reasonCode (RFC 5280 §5.3.1), if any.
    pub reason: Option<u8>,
}

/// What a CRL says.
#[derive(Clone, Debug, Default)]
pub struct CrlSpec {
    /// thisUpdate.
    pub this_update: i64,
    /// nextUpdate.
    pub next_update: Option<i64>,
    /// cRLNumber.
    pub number: u64,
    /// Entries.
    pub revoked: Vec<Revoked>,
    /// Further CRL extensions: (dotted OID, critical, DER value).
    pub extra: Vec<(String, bool, Vec<u8>)>,
}

/// The serial of [`VietnamTestPki::revoked_signer`].
pub const REVOKED_SERIAL: u64 = 0x2009;

/// A CRL of `issuer` current at `now` (thisUpdate an hour before, nextUpdate a week after),
/// number `number`, listing `revoked` (each revoked a day before `now`, keyCompromise).
pub fn fresh_crl(issuer: &Entity, number: u64, revoked: &[u64], now: i64) -> Vec<u8> {
    issue_crl(
        &CrlSpec {
            this_update: now - 3600,
            next_update: Some(now + 7 * 86_400),
            number,
            revoked: revoked
                .iter()
                .map(|&serial| Revoked {
                    serial,
                    date: now - 86_400,
                    reason: Some(1),
                })
                .collect(),
            ..CrlSpec::default()
        },
        (&issuer.subject, &issuer.key),
    )
}

/// Issue a v2 CRL signed by `issuer` (its Name DER and key). Returns the DER.
pub fn issue_crl(spec: &CrlSpec, issuer: (&[u8], &TestKey)) -> Vec<u8> {
    let (issuer_name, key) = issuer;
    let mut entries = Vec::with_capacity(spec.revoked.len() * 40);
    for r in &spec.revoked {
        let mut e = vec![der::uint(&r.serial.to_be_bytes()), der::time(r.date)];
        if let Some(code) = r.reason {
            e.push(der::seq(&[ext("2.5.29.21", false, der::tlv(0x0A, &[code]))]));
        }
        entries.extend(der::seq(&e));
    }
    let mut exts = vec![
        ext("2.5.29.35", false, der::seq(&[der::ctx_prim(0, &key.key_id())])),
        ext("2.5.29.20", false, der::int(spec.number)),
    ];
    for (oid, critical, value) in &spec.extra {
        exts.push(ext(oid, *critical, value.clone()));
    }
    let sig_alg = key.signature_algorithm();
    let mut tbs = vec![
        der::int(1),
        sig_alg.clone(),
        issuer_name.to_vec(),
        der::time(spec.this_update),
    ];
    if let Some(n) = spec.next_update {
        tbs.push(der::time(n));
    }
    if !spec.revoked.is_empty() {
        tbs.push(der::tlv(0x30, &entries));
    }
    tbs.push(der::ctx(0, &der::seq(&exts)));
    let tbs = der::seq(&tbs);
    let sig = key.sign(&tbs);
    der::seq(&[tbs, sig_alg, der::bits(&sig)])
}

/// A cRLDistributionPoints value with one point: a URI and, when given, a cRLIssuer
/// directory name (for the en-dash quirk of the 2025 roots).
pub fn crl_dp_with_issuer(uri: &str, crl_issuer: Option<&[u8]>) -> Vec<u8> {
    let mut dp = vec![der::ctx(0, &der::ctx(0, &der::ctx_prim(6, uri.as_bytes())))];
    if let Some(n) = crl_issuer {
        dp.push(der::ctx(2, &der::ctx(4, n)));
    }
    der::seq(&[der::seq(&dp)])
}

/// Ask `openssl cms -verify -binary -cades` whether it accepts a DER CMS signature (with its
/// detached `content`, if any) under `root` (DER), plus `extra` options such as
/// `-crl_check_all`. The files are written to a fresh folder named after `tag`, removed after.
/// `Err` carries OpenSSL's message.
pub fn openssl_cms_verify(
    tag: &str,
    sig: &[u8],
    content: Option<&[u8]>,
    root: &[u8],
    extra: &[&str],
) -> Result<(), String> {
    let d = std::env::temp_dir().join(format!("kyso-openssl-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
    let write = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).map_err(|e| e.to_string());
    write("sig.p7s", sig)?;
    write("root.pem", pem("CERTIFICATE", root).as_bytes())?;
    let mut c = std::process::Command::new("openssl");
    c.args([
        "cms", "-verify", "-binary", "-cades", "-inform", "DER", "-purpose", "any", "-out",
    ])
    .arg(if cfg!(windows) { "NUL" } else { "/dev/null" })
    .args(extra)
    .arg("-in")
    .arg(d.join("sig.p7s"))
    .arg("-CAfile")
    .arg(d.join("root.pem"));
    if let Some(data) = content {
        write("content", data)?;
        c.arg("-content").arg(d.join("content"));
    }
    let out = c.output().map_err(|e| format!("the openssl program is required: {e}"));
    std::fs::remove_dir_all(&d).ok();
    let out = out?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A small unsigned PDF of `pages` pages of text (an official letter's first lines), its
/// xref table at the right offsets: the document the PDF signing tests sign.
pub fn pdf_document(pages: usize) -> Vec<u8> {
    pdf_document_with_scan(pages, 0)
}

/// [`pdf_document`] whose first page also shows a scanned page: an uncompressed grey image of
/// about `scan` bytes (rounded down to a whole number of 1,000-pixel rows; none when 0) of
/// pseudo-random pixels, what makes a real decree weigh tens of megabytes.
pub fn pdf_document_with_scan(pages: usize, scan: usize) -> Vec<u8> {
    let rows = scan / 1000;
    let image = 4 + 2 * pages;
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for i in 0..pages {
        let (xobject, draw) = if i == 0 && rows > 0 {
            (
                format!(" /XObject << /Im1 {image} 0 R >>"),
                " q 451 0 0 638 72 100 cm /Im1 Do Q",
            )
        } else {
            (String::new(), "")
        };
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>{xobject} >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let body = format!(
            "BT /F1 18 Tf 72 760 Td (QUYET DINH so {}/QD-BTC, trang {}) Tj ET{draw}",
            100 + i,
            i + 1
        );
        objs.push(format!("<< /Length {} >>\nstream\n{body}\nendstream", body.len()).into_bytes());
    }
    if rows > 0 {
        let len = rows * 1000;
        let mut o = format!(
            "<< /Type /XObject /Subtype /Image /Width 1000 /Height {rows} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {len} >>\nstream\n"
        )
        .into_bytes();
        let mut x: u32 = 0x2545_f491;
        o.extend((0..len).map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        }));
        o.extend_from_slice(b"\nendstream");
        objs.push(o);
    }
    pdf_of_objects(&objs)
}

/// A one-revision PDF of `objs` (the text of objects 1, 2, …, after their `N 0 obj`; object 1
/// the catalog), with its xref table at the right offsets and its trailer.
pub fn pdf_of_objects<O: AsRef<[u8]>>(objs: &[O]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o.as_ref());
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A TLS server's identity for tests on 127.0.0.1: a CA of its own and, under it, a server
/// certificate (CN and subjectAltName iPAddress 127.0.0.1, serverAuth).
pub struct TlsServer {
    /// The server CA's certificate, for clients to trust (`curl --cacert`).
    pub ca: Vec<u8>,
    /// The server's certificate.
    pub cert: Vec<u8>,
    /// The server's key.
    pub key: TestKey,
}

/// The [`TlsServer`] of the TLS tests and benches (keys `tsa` for the CA, `ocsp` for the
/// server).
pub fn tls_server() -> TlsServer {
    let ca_key = TestKey::load("tsa");
    let ca_name = name(&[("C", "VN"), ("CN", "Kyso test TLS server CA")]);
    let ca = issue(
        &CertSpec {
            serial: 0x5000,
            subject: ca_name.clone(),
            not_before: der::unix(2025, 1, 1),
            not_after: der::unix(2040, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(ku::KEY_CERT_SIGN | ku::CRL_SIGN),
            ..CertSpec::default()
        },
        &ca_key,
        None,
    );
    let key = TestKey::load("ocsp");
    let cert = issue(
        &CertSpec {
            serial: 0x5001,
            subject: name(&[("C", "VN"), ("CN", "127.0.0.1")]),
            not_before: der::unix(2025, 1, 1),
            not_after: der::unix(2040, 1, 1),
            key_usage: Some(ku::DIGITAL_SIGNATURE | ku::KEY_ENCIPHERMENT),
            eku: vec!["1.3.6.1.5.5.7.3.1".into()],
            // subjectAltName: iPAddress 127.0.0.1.
            extra: vec![("2.5.29.17".into(), false, vec![0x30, 0x06, 0x87, 0x04, 127, 0, 0, 1])],
            ..CertSpec::default()
        },
        &key,
        Some((&ca_name, &ca_key)),
    );
    TlsServer { ca, cert, key }
}

/// PEM text of a DER object (`CERTIFICATE`, `PRIVATE KEY`…), for handing files to OpenSSL.
pub fn pem(label: &str, der: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |a, (i, b)| a | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// A time as OpenSSL's CA index.txt writes it (`YYMMDDHHMMSSZ`).
pub fn openssl_index_time(unix_time: i64) -> String {
    match der::time(unix_time).get(2..) {
        Some(t) if t.len() == 13 => String::from_utf8_lossy(t).into_owned(),
        _ => String::new(),
    }
}
