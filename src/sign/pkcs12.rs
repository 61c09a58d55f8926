//! PKCS#12 (RFC 7292) files as exported by Windows, browsers, OpenSSL and Vietnamese CAs: the
//! private key and certificates, the MAC checked first (a wrong password is an error, not
//! garbage). Read with kyso's BER reader: Windows writes BER.
//!
//! Encryption schemes: PBES2 (PBKDF2 with AES or 3DES; OpenSSL 3's default, via the `pkcs5`
//! crate) and the legacy PKCS#12 PBEs pbeWithSHAAnd3-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC
//! and pbeWithSHAAnd40BitRC2-CBC (older exports; kyso only decrypts with them).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, InnerIvInit, KeyIvInit};

use crate::asn1::{self, tag, Tlv};
use crate::cert::Certificate;
use crate::crypto::{split_algorithm_identifier, CryptoProvider, HashAlgorithm};
use crate::error::InputError;

use super::{KeyError, SignError};

const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const PBE_SHA1_3DES: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03];
const PBE_SHA1_RC2_128: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05];
const PBE_SHA1_RC2_40: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06];
const ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const KEY_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01];
const SHROUDED_KEY_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02];
const CERT_BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03];
const X509_CERTIFICATE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01];

/// Most PBKDF iterations accepted: 10 million (real files use 2,048 to 600,000); more would
/// let a hostile file burn minutes of CPU.
const MAX_ITERATIONS: u32 = 10_000_000;
/// Largest PKCS#12 file kyso opens: a key and a chain take a few KB; 16 MiB bounds a hostile
/// one with room for long chains.
pub(crate) const MAX_PKCS12_SIZE: usize = 16 << 20;

fn bad(what: &'static str) -> SignError {
    SignError::Key(KeyError::Pkcs12 { what })
}

fn input(e: InputError) -> SignError {
    SignError::Key(KeyError::Pkcs12Input(e))
}

/// OCTET STRING contents, primitive or constructed (BER chunks).
fn octets(t: Tlv<'_>) -> Result<Vec<u8>, SignError> {
    match t.tag {
        tag::OCTET_STRING | tag::P0 => Ok(t.contents.to_vec()),
        tag::OCTET_STRING_CONSTRUCTED | tag::C0 => {
            let mut out = Vec::new();
            for c in t.children() {
                out.extend(octets(c.map_err(input)?)?);
            }
            Ok(out)
        }
        _ => Err(bad("OCTET STRING expected")),
    }
}

fn uint(t: Tlv<'_>) -> Result<u32, SignError> {
    if t.tag != tag::INTEGER || t.contents.len() > 5 {
        return Err(bad("INTEGER"));
    }
    let v = t.contents.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
    u32::try_from(v).map_err(|_| bad("INTEGER out of range"))
}

/// The password as BMPString with its two terminating zero octets (RFC 7292 §B.1).
fn bmp_password(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.extend_from_slice(&[0, 0]);
    out
}

/// The PKCS#12 key derivation (RFC 7292 Appendix B.2).
fn kdf(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    n: usize,
) -> Vec<u8> {
    let u = hash.output_len();
    let v = if matches!(hash, HashAlgorithm::Sha384 | HashAlgorithm::Sha512) {
        128
    } else {
        64
    };
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = v * src.len().div_ceil(v);
        src.iter().copied().cycle().take(len).collect()
    };
    let d = vec![id; v];
    let mut i_buf = fill(salt);
    i_buf.extend(fill(password));
    let mut out = Vec::with_capacity(n + u);
    while out.len() < n {
        let mut a = provider.digest(hash, &[d.as_slice(), i_buf.as_slice()].concat());
        for _ in 1..iterations {
            a = provider.digest(hash, &a);
        }
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for block in i_buf.chunks_mut(v) {
            // block = (block + b + 1) mod 2^(8v)
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = (sum & 0xFF) as u8;
                carry = sum >> 8;
            }
        }
        out.extend_from_slice(&a);
    }
    out.truncate(n);
    out
}

/// Decrypt data protected by `alg` (an AlgorithmIdentifier's DER) with `password`.
fn decrypt(provider: &dyn CryptoProvider, alg: &[u8], data: &[u8], password: &str) -> Result<Vec<u8>, SignError> {
    let (oid, params) = split_algorithm_identifier(alg).map_err(input)?;
    if oid == PBES2 {
        use pkcs5::der::Decode;
        let scheme =
            pkcs5::EncryptionScheme::from_der(alg).map_err(|e| unsupported(format!("PBES2 parameters ({e})")))?;
        return scheme
            .decrypt(password.as_bytes(), data)
            .map_err(|_| SignError::WrongPassword);
    }
    let params = asn1::read_exact(params.ok_or_else(|| bad("PBE parameters"))?).map_err(input)?;
    let mut k = params.children();
    let salt = k.required("PBE salt").map_err(input)?.contents.to_vec();
    let iterations = uint(k.required("PBE iterations").map_err(input)?)?;
    if iterations > MAX_ITERATIONS {
        return Err(bad("too many PBE iterations"));
    }
    let pw = bmp_password(password);
    let wrong = |_| SignError::WrongPassword;
    if oid == PBE_SHA1_3DES {
        let key = kdf(provider, HashAlgorithm::Sha1, &pw, &salt, 1, iterations, 24);
        let iv = kdf(provider, HashAlgorithm::Sha1, &pw, &salt, 2, iterations, 8);
        let d = cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv).map_err(|_| bad("3DES key"))?;
        return d.decrypt_padded_vec::<Pkcs7>(data).map_err(wrong);
    }
    let rc2_bits = if oid == PBE_SHA1_RC2_40 {
        40
    } else if oid == PBE_SHA1_RC2_128 {
        128
    } else {
        return Err(unsupported(format!("encryption {}", crate::oid::dotted(oid))));
    };
    let key = kdf(provider, HashAlgorithm::Sha1, &pw, &salt, 1, iterations, rc2_bits / 8);
    let iv = kdf(provider, HashAlgorithm::Sha1, &pw, &salt, 2, iterations, 8);
    let cipher = rc2::Rc2::new_with_eff_key_len(&key, rc2_bits);
    let d = cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv).map_err(|_| bad("RC2 IV"))?;
    d.decrypt_padded_vec::<Pkcs7>(data).map_err(wrong)
}

fn unsupported(scheme: String) -> SignError {
    SignError::Key(KeyError::Pkcs12Unsupported { scheme })
}

/// The MAC of the PFX (RFC 7292 §4): HMAC with a key from the PKCS#12 KDF (id 3).
fn check_mac(
    provider: &dyn CryptoProvider,
    mac_data: Tlv<'_>,
    auth_safe: &[u8],
    password: &str,
) -> Result<(), SignError> {
    let mut k = mac_data.children();
    let digest_info = k.required("DigestInfo").map_err(input)?;
    let mut d = digest_info.children();
    let alg = d.required("MAC algorithm").map_err(input)?;
    let expected = d.required("MAC").map_err(input)?.contents.to_vec();
    let salt = k.required("MAC salt").map_err(input)?.contents.to_vec();
    let iterations = match k.next() {
        Some(t) => uint(t.map_err(input)?)?,
        None => 1,
    };
    if iterations > MAX_ITERATIONS {
        return Err(bad("too many MAC iterations"));
    }
    let (h, _) = split_algorithm_identifier(alg.raw).map_err(input)?;
    let hash = HashAlgorithm::from_oid(h).ok_or_else(|| bad("MAC hash"))?;
    let key = kdf(
        provider,
        hash,
        &bmp_password(password),
        &salt,
        3,
        iterations,
        hash.output_len(),
    );
    use aws_lc_rs::hmac;
    let alg = match hash {
        HashAlgorithm::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        HashAlgorithm::Sha224 => hmac::HMAC_SHA224,
        HashAlgorithm::Sha256 => hmac::HMAC_SHA256,
        HashAlgorithm::Sha384 => hmac::HMAC_SHA384,
        HashAlgorithm::Sha512 => hmac::HMAC_SHA512,
    };
    hmac::verify(&hmac::Key::new(alg, &key), auth_safe, &expected).map_err(|_| SignError::WrongPassword)
}

/// The private key (PKCS#8 DER) and certificates of a PKCS#12 file.
pub(crate) fn open(
    p12: &[u8],
    password: &str,
    provider: &dyn CryptoProvider,
) -> Result<(Vec<u8>, Vec<Certificate>), SignError> {
    if p12.len() > MAX_PKCS12_SIZE {
        return Err(input(InputError::TooLarge {
            size: p12.len(),
            limit: MAX_PKCS12_SIZE,
        }));
    }
    let pfx = asn1::read_exact(p12).map_err(input)?;
    let mut k = pfx.children();
    let _version = k.required("version").map_err(input)?;
    let auth = k.required("authSafe").map_err(input)?;
    let mut a = auth.children();
    let _data_oid = a.required("authSafe contentType").map_err(input)?;
    let wrapped = a.required("authSafe content").map_err(input)?;
    let auth_safe = octets(
        wrapped
            .children()
            .next()
            .ok_or_else(|| bad("authSafe content"))?
            .map_err(input)?,
    )?;
    if let Some(mac) = k.next() {
        check_mac(provider, mac.map_err(input)?, &auth_safe, password)?;
    }
    let mut key = None;
    let mut certs = Vec::new();
    let safes = asn1::read_exact(&auth_safe).map_err(input)?;
    for ci in safes.children() {
        let ci = ci.map_err(input)?;
        let mut c = ci.children();
        let ct = c.required("ContentInfo type").map_err(input)?;
        let content = c.required("ContentInfo content").map_err(input)?;
        let inner = content
            .children()
            .next()
            .ok_or_else(|| bad("content"))?
            .map_err(input)?;
        let safe_contents = if ct.contents == ENCRYPTED_DATA {
            let mut e = inner.children();
            let _v = e.required("EncryptedData version").map_err(input)?;
            let eci = e.required("EncryptedContentInfo").map_err(input)?;
            let mut f = eci.children();
            let _ct = f.required("contentType").map_err(input)?;
            let alg = f.required("contentEncryptionAlgorithm").map_err(input)?;
            let data = octets(f.required("encryptedContent").map_err(input)?)?;
            decrypt(provider, alg.raw, &data, password)?
        } else {
            octets(inner)?
        };
        bags(provider, &safe_contents, password, &mut key, &mut certs)?;
    }
    let key = key.ok_or_else(|| bad("no private key"))?;
    Ok((key, certs))
}

fn bags(
    provider: &dyn CryptoProvider,
    der: &[u8],
    password: &str,
    key: &mut Option<Vec<u8>>,
    certs: &mut Vec<Certificate>,
) -> Result<(), SignError> {
    let list = asn1::read_exact(der).map_err(input)?;
    for bag in list.children() {
        let bag = bag.map_err(input)?;
        let mut b = bag.children();
        let id = b.required("bagId").map_err(input)?;
        let value = b.required("bagValue").map_err(input)?;
        let value = value.children().next().ok_or_else(|| bad("bagValue"))?.map_err(input)?;
        if id.contents == KEY_BAG {
            *key = Some(value.raw.to_vec());
        } else if id.contents == SHROUDED_KEY_BAG {
            let mut e = value.children();
            let alg = e.required("key encryption algorithm").map_err(input)?;
            let data = octets(e.required("encrypted key").map_err(input)?)?;
            *key = Some(decrypt(provider, alg.raw, &data, password)?);
        } else if id.contents == CERT_BAG {
            let mut c = value.children();
            let cert_id = c.required("certId").map_err(input)?;
            let cv = c.required("certValue").map_err(input)?;
            if cert_id.contents == X509_CERTIFICATE {
                let der = octets(cv.children().next().ok_or_else(|| bad("certValue"))?.map_err(input)?)?;
                certs.push(Certificate::from_der(&der).map_err(|e| SignError::Key(KeyError::Pkcs12Certificate(e)))?);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_matches_a_known_answer() {
        // RFC 7292 has no vectors; this is the widely used one from the PKCS#12 v1.0
        // implementations' test suites: password "smeg", salt 0A58CF64530D823F, id 1,
        // 1 iteration, 24 bytes.
        let salt = hex::decode("0A58CF64530D823F").unwrap();
        let key = kdf(
            crate::crypto::default_provider(),
            HashAlgorithm::Sha1,
            &bmp_password("smeg"),
            &salt,
            1,
            1,
            24,
        );
        assert_eq!(
            hex::encode_upper(key),
            "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"
        );
    }
}
