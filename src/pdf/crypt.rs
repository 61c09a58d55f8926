//! Encrypted PDFs: the standard security handler (ISO 32000-2 §7.6.4), for files that open
//! with the empty user password — the common case of a document "protected" against editing
//! or printing, which every reader opens without asking. RC4 (40 to 128 bits, revisions 2
//! and 3), crypt filters with RC4 or AES-128 (revision 4), and AES-256 (revisions 5 and 6).
//! A file that needs a password, or that is encrypted for its recipients' certificates
//! (`/Adobe.PubSec`), is refused with the reason.
//!
//! What is not encrypted is left alone: the encryption dictionary itself, cross-reference
//! streams, the `/Contents` of a signature dictionary (its bytes are what was signed, written
//! after the rest), the metadata stream when `/EncryptMetadata` is false, and the objects of
//! an object stream (the stream is decrypted as a whole).

use std::collections::HashMap;

use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit, StreamCipher};
use md5::{Digest, Md5};

use super::object::{Dict, ObjRef, Object};
use super::PdfError;
use crate::crypto::{default_provider, HashAlgorithm};

/// Why an encrypted PDF is not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncryptionError {
    /// Its user password is not empty: it opens only with a password kyso is not given.
    NeedsPassword,
    /// Encrypted for its recipients' certificates (`/Adobe.PubSec`), not with a password.
    PublicKey,
    /// A security handler, revision or cipher kyso does not implement.
    Unsupported(String),
    /// The encryption dictionary lacks an entry or has one of the wrong kind.
    Malformed(&'static str),
}

impl std::fmt::Display for EncryptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncryptionError::NeedsPassword => write!(
                f,
                "it is encrypted with a user password; kyso opens encrypted PDFs only when that password is empty"
            ),
            EncryptionError::PublicKey => write!(
                f,
                "it is encrypted for its recipients' certificates (/Adobe.PubSec), which kyso does not decrypt"
            ),
            EncryptionError::Unsupported(what) => write!(f, "its encryption is not one kyso implements: {what}"),
            EncryptionError::Malformed(what) => write!(f, "its encryption dictionary is malformed: {what}"),
        }
    }
}

/// How strings or streams are encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// Not encrypted.
    Identity,
    /// RC4 with a key for each object.
    Rc4,
    /// AES-128-CBC with a key for each object, the IV in the first 16 bytes.
    Aes128,
    /// AES-256-CBC with the file key, the IV in the first 16 bytes.
    Aes256,
}

/// What opens an encrypted file: the file key and the methods its crypt filters name.
#[derive(Debug, Clone)]
pub(crate) struct Crypt {
    key: Vec<u8>,
    strings: Method,
    streams: Method,
    filters: HashMap<Vec<u8>, Method>,
    encrypt_metadata: bool,
    /// The encryption dictionary's own object, whose strings are not encrypted.
    pub(crate) dict_ref: Option<ObjRef>,
    /// `/P`, the permissions granted to a user who opens the file with the user password.
    pub(crate) permissions: i32,
    /// The standard security handler's revision.
    revision: i64,
}

/// The padding string of Algorithm 2 (ISO 32000-2 §7.6.4.3.2).
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00,
    0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

fn md5(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn rc4(key: &[u8], data: &[u8]) -> Result<Vec<u8>, EncryptionError> {
    let mut out = data.to_vec();
    let mut c = rc4::Rc4::new_from_slice(key).map_err(|_| EncryptionError::Malformed("an RC4 key of a bad length"))?;
    c.apply_keystream(&mut out);
    Ok(out)
}

fn bytes<'d>(dict: &'d Dict, key: &str) -> Result<&'d [u8], EncryptionError> {
    match dict.get(key) {
        Some(Object::String(s)) => Ok(&s.bytes),
        _ => Err(EncryptionError::Malformed(match key {
            "O" => "/O is not a string",
            "U" => "/U is not a string",
            "OE" => "/OE is not a string",
            "UE" => "/UE is not a string",
            _ => "an entry is not a string",
        })),
    }
}

impl Crypt {
    /// Open `encrypt` (resolved; `dict_ref` its object) with the empty user password;
    /// `id0` is the first string of the trailer's `/ID`.
    pub(crate) fn open(encrypt: &Dict, dict_ref: Option<ObjRef>, id0: &[u8]) -> Result<Crypt, EncryptionError> {
        match encrypt.name("Filter") {
            Some(b"Standard") => {}
            Some(b"Adobe.PubSec") => return Err(EncryptionError::PublicKey),
            Some(other) => {
                return Err(EncryptionError::Unsupported(format!(
                    "the security handler /{}",
                    String::from_utf8_lossy(other)
                )))
            }
            None => return Err(EncryptionError::Malformed("no /Filter")),
        }
        let v = encrypt.int("V").unwrap_or(0);
        let r = encrypt.int("R").ok_or(EncryptionError::Malformed("no /R"))?;
        let p = encrypt.int("P").ok_or(EncryptionError::Malformed("no /P"))?;
        let p = i32::try_from(p)
            .or_else(|_| u32::try_from(p).map(|u| u as i32))
            .map_err(|_| EncryptionError::Malformed("/P is not a 32-bit integer"))?;
        let encrypt_metadata = !matches!(encrypt.get("EncryptMetadata"), Some(Object::Bool(false)));
        let (o, u) = (bytes(encrypt, "O")?, bytes(encrypt, "U")?);
        let (mut filters, mut strings, mut streams) = (HashMap::new(), Method::Rc4, Method::Rc4);
        if v >= 4 {
            let cf = encrypt.get("CF").and_then(Object::as_dict);
            if let Some(cf) = cf {
                for (name, f) in &cf.0 {
                    let Some(f) = f.as_dict() else { continue };
                    let m = match f.name("CFM") {
                        None | Some(b"None") => Method::Identity,
                        Some(b"V2") => Method::Rc4,
                        Some(b"AESV2") => Method::Aes128,
                        Some(b"AESV3") => Method::Aes256,
                        Some(other) => {
                            return Err(EncryptionError::Unsupported(format!(
                                "the crypt filter method /{}",
                                String::from_utf8_lossy(other)
                            )))
                        }
                    };
                    filters.insert(name.clone(), m);
                }
            }
            let pick = |key: &str| -> Result<Method, EncryptionError> {
                match encrypt.name(key) {
                    None | Some(b"Identity") => Ok(Method::Identity),
                    Some(n) => filters.get(n).copied().ok_or(EncryptionError::Malformed(
                        "/StmF or /StrF names a crypt filter /CF lacks",
                    )),
                }
            };
            strings = pick("StrF")?;
            streams = pick("StmF")?;
        } else if !(1..=3).contains(&v) {
            return Err(EncryptionError::Unsupported(format!("/V {v}")));
        }
        filters.insert(b"Identity".to_vec(), Method::Identity);
        let key = match r {
            2..=4 => {
                let n = if r == 2 {
                    5
                } else {
                    // Version 4 takes the length from its crypt filter (in bits or, as
                    // some writers put it, in bytes), 128 bits when it gives none.
                    let from_filter = encrypt
                        .get("CF")
                        .and_then(Object::as_dict)
                        .zip(encrypt.name("StmF"))
                        .and_then(|(cf, n)| cf.get(std::str::from_utf8(n).ok()?)?.as_dict()?.int("Length"));
                    let bits = match (v, from_filter) {
                        (4, Some(l)) if l < 40 => l * 8,
                        (4, Some(l)) => l,
                        (4, None) => 128,
                        _ => encrypt.int("Length").unwrap_or(40),
                    };
                    if !(40..=128).contains(&bits) || bits % 8 != 0 {
                        return Err(EncryptionError::Malformed(
                            "/Length is not a key length of 40 to 128 bits",
                        ));
                    }
                    usize::try_from(bits / 8).unwrap_or(5)
                };
                if o.len() < 32 || u.len() < 32 {
                    return Err(EncryptionError::Malformed("/O or /U shorter than 32 bytes"));
                }
                let meta: &[u8] = if r >= 4 && !encrypt_metadata { &[0xFF; 4] } else { &[] };
                let mut key = md5(&[&PAD, o.get(..32).unwrap_or(o), &p.to_le_bytes(), id0, meta]);
                if r >= 3 {
                    for _ in 0..50 {
                        key = md5(&[key.get(..n).unwrap_or(&key)]);
                    }
                }
                key.truncate(n);
                // Algorithms 4 and 5: the user password is right when /U is what it gives.
                let ok = if r == 2 {
                    rc4(&key, &PAD)?.as_slice() == u.get(..32).unwrap_or(u)
                } else {
                    let mut x = rc4(&key, &md5(&[&PAD, id0]))?;
                    for i in 1..=19u8 {
                        let k: Vec<u8> = key.iter().map(|b| b ^ i).collect();
                        x = rc4(&k, &x)?;
                    }
                    x.get(..16) == u.get(..16)
                };
                if !ok {
                    return Err(EncryptionError::NeedsPassword);
                }
                key
            }
            5 | 6 => {
                if o.len() < 48 || u.len() < 48 {
                    return Err(EncryptionError::Malformed("/O or /U shorter than 48 bytes"));
                }
                let ue = bytes(encrypt, "UE")?;
                if ue.len() != 32 {
                    return Err(EncryptionError::Malformed("/UE is not 32 bytes"));
                }
                let part = |r: std::ops::Range<usize>| u.get(r).unwrap_or(&[]);
                let (hash, validation, salt) = (part(0..32), part(32..40), part(40..48));
                if hash_r56(r, b"", validation) != hash {
                    return Err(EncryptionError::NeedsPassword);
                }
                let kek = hash_r56(r, b"", salt);
                let key = cbc::Decryptor::<aes::Aes256>::new_from_slices(&kek, &[0; 16])
                    .map_err(|_| EncryptionError::Malformed("/UE"))?
                    .decrypt_padded_vec::<NoPadding>(ue)
                    .map_err(|_| EncryptionError::Malformed("/UE"))?;
                if r == 6 {
                    check_perms(encrypt, &key, p)?;
                }
                key
            }
            other => {
                return Err(EncryptionError::Unsupported(format!(
                    "the standard security handler's revision {other}"
                )))
            }
        };
        if r >= 5 && (strings == Method::Aes128 || streams == Method::Aes128 || strings == Method::Rc4) {
            return Err(EncryptionError::Malformed(
                "a revision 5 or 6 file with a 128-bit crypt filter",
            ));
        }
        Ok(Crypt {
            key,
            strings,
            streams,
            filters,
            encrypt_metadata,
            dict_ref,
            permissions: p,
            revision: r,
        })
    }

    /// The cipher of its streams (or strings) and the revision: `"AES-256, revision 6"`.
    pub(crate) fn describe(&self) -> String {
        let m = if self.streams == Method::Identity {
            self.strings
        } else {
            self.streams
        };
        let cipher = match m {
            Method::Identity => "none".to_string(),
            Method::Rc4 => format!("RC4 {}-bit", self.key.len() * 8),
            Method::Aes128 => "AES-128".to_string(),
            Method::Aes256 => "AES-256".to_string(),
        };
        format!("{cipher}, revision {}", self.revision)
    }

    fn object_key(&self, r: ObjRef, aes: bool) -> Vec<u8> {
        let num = r.num.to_le_bytes();
        let gen = r.gen.to_le_bytes();
        let salt: &[u8] = if aes { b"sAlT" } else { b"" };
        let mut k = md5(&[&self.key, &num[..3], &gen[..2], salt]);
        k.truncate((self.key.len() + 5).min(16));
        k
    }

    fn apply(&self, m: Method, r: ObjRef, data: &[u8]) -> Result<Vec<u8>, PdfError> {
        let bad = |what: &'static str| PdfError::Syntax { offset: 0, what };
        match m {
            Method::Identity => Ok(data.to_vec()),
            Method::Rc4 => rc4(&self.object_key(r, false), data).map_err(|_| bad("an RC4 key")),
            Method::Aes128 | Method::Aes256 => {
                // Shorter than an IV: an empty string some writers leave (pyHanko tolerates it).
                let (Some(iv), Some(body)) = (data.get(..16), data.get(16..)) else {
                    return Ok(Vec::new());
                };
                let out = if m == Method::Aes128 {
                    cbc::Decryptor::<aes::Aes128>::new_from_slices(&self.object_key(r, true), iv)
                        .map_err(|_| bad("an AES key"))?
                        .decrypt_padded_vec::<Pkcs7>(body)
                } else {
                    cbc::Decryptor::<aes::Aes256>::new_from_slices(&self.key, iv)
                        .map_err(|_| bad("an AES key"))?
                        .decrypt_padded_vec::<Pkcs7>(body)
                };
                out.map_err(|_| bad("encrypted data that does not decrypt (bad AES padding)"))
            }
        }
    }

    /// A string of object `r`, decrypted.
    pub(crate) fn string(&self, r: ObjRef, data: &[u8]) -> Result<Vec<u8>, PdfError> {
        self.apply(self.strings, r, data)
    }

    /// The data of stream `r` (its dictionary `dict`), decrypted; with the `/Crypt` filter
    /// it names, if any, taken off `dict`.
    pub(crate) fn stream(&self, r: ObjRef, dict: &mut Dict, data: &[u8]) -> Result<Vec<u8>, PdfError> {
        match dict.name("Type") {
            Some(b"XRef") => return Ok(data.to_vec()),
            Some(b"Metadata") if !self.encrypt_metadata => return Ok(data.to_vec()),
            _ => {}
        }
        let mut method = self.streams;
        let first_is_crypt = match dict.get("Filter") {
            Some(Object::Name(n)) => n == b"Crypt",
            Some(Object::Array(a)) => matches!(a.first(), Some(Object::Name(n)) if n == b"Crypt"),
            _ => false,
        };
        if first_is_crypt {
            let params = match dict.get("DecodeParms") {
                Some(Object::Dict(d)) => Some(d.clone()),
                Some(Object::Array(a)) => a.first().and_then(Object::as_dict).cloned(),
                _ => None,
            };
            let name = params.as_ref().and_then(|p| p.name("Name")).unwrap_or(b"Identity");
            method = *self.filters.get(name).ok_or(PdfError::Filter(format!(
                "a /Crypt filter /{} the encryption dictionary does not define",
                String::from_utf8_lossy(name)
            )))?;
            drop_first_filter(dict);
        }
        self.apply(method, r, data)
    }

    /// Decrypt every string of `object` (object `r`, read from the file).
    pub(crate) fn object(&self, r: ObjRef, object: &mut Object) -> Result<(), PdfError> {
        if Some(r) == self.dict_ref {
            return Ok(());
        }
        // A cross-reference stream is not encrypted, its dictionary (the trailer's /ID) neither.
        if let Object::Stream(d, _) = object {
            if d.name("Type") == Some(b"XRef") {
                return Ok(());
            }
        }
        map_strings(object, 0, &|b| self.string(r, b))
    }

    /// `data` encrypted with `m` for object `r` (a fresh random IV for AES).
    fn seal(&self, m: Method, r: ObjRef, data: &[u8]) -> Result<Vec<u8>, PdfError> {
        let mut iv = [0u8; 16];
        if matches!(m, Method::Aes128 | Method::Aes256) {
            getrandom::fill(&mut iv).map_err(|_| PdfError::Filter("no random IV for AES".into()))?;
        }
        let body = match m {
            Method::Identity => return Ok(data.to_vec()),
            Method::Rc4 => return rc4(&self.object_key(r, false), data).map_err(|e| PdfError::Filter(e.to_string())),
            Method::Aes128 => cbc::Encryptor::<aes::Aes128>::new_from_slices(&self.object_key(r, true), &iv)
                .map(|c| c.encrypt_padded_vec::<Pkcs7>(data)),
            Method::Aes256 => cbc::Encryptor::<aes::Aes256>::new_from_slices(&self.key, &iv)
                .map(|c| c.encrypt_padded_vec::<Pkcs7>(data)),
        };
        let body = body.map_err(|_| PdfError::Filter("an AES key of a bad length".into()))?;
        Ok([&iv[..], &body].concat())
    }

    /// Encrypt every string of `object`, to be written as object `r`.
    pub(crate) fn seal_strings(&self, r: ObjRef, object: &mut Object) -> Result<(), PdfError> {
        map_strings(object, 0, &|b| self.seal(self.strings, r, b))
    }

    /// The body of object `r` as kyso wrote it (an object, or a stream dictionary followed
    /// by its data), encrypted: its strings, and a stream's data.
    pub(crate) fn seal_object(&self, r: ObjRef, body: &[u8]) -> Result<Vec<u8>, PdfError> {
        let wrapped = [format!("{} 0 obj\n", r.num).as_bytes(), body, b"\nendobj"].concat();
        let (_, mut object) = super::object::indirect_at(&wrapped, 0)?;
        self.seal_strings(r, &mut object)?;
        match object {
            Object::Stream(mut dict, range) => {
                let data = wrapped.get(range).ok_or(PdfError::Syntax {
                    offset: 0,
                    what: "a stream kyso wrote",
                })?;
                let plain = matches!(dict.name("Type"), Some(b"XRef"))
                    || (matches!(dict.name("Type"), Some(b"Metadata")) && !self.encrypt_metadata);
                let data = if plain {
                    data.to_vec()
                } else {
                    self.seal(self.streams, r, data)?
                };
                dict.set("Length", Object::Int(i64::try_from(data.len()).unwrap_or(i64::MAX)));
                let mut out = dict.to_pdf().into_bytes();
                out.extend_from_slice(b"\nstream\n");
                out.extend_from_slice(&data);
                out.extend_from_slice(b"\nendstream");
                Ok(out)
            }
            other => Ok(other.to_pdf().into_bytes()),
        }
    }
}

/// What a string becomes (decrypted or encrypted).
type StringMap<'f> = &'f dyn Fn(&[u8]) -> Result<Vec<u8>, PdfError>;

/// Replace every string in `object` by `f` of it, except a signature dictionary's
/// `/Contents` (a dictionary with a `/ByteRange`).
fn map_strings(object: &mut Object, depth: usize, f: StringMap<'_>) -> Result<(), PdfError> {
    if depth > super::object::MAX_NESTING {
        return Err(PdfError::TooDeep);
    }
    match object {
        Object::String(s) => s.bytes = f(&s.bytes)?,
        Object::Array(items) => {
            for item in items {
                map_strings(item, depth + 1, f)?;
            }
        }
        Object::Dict(d) | Object::Stream(d, _) => {
            let signature = d.get("ByteRange").is_some();
            for (k, v) in &mut d.0 {
                if signature && k == b"Contents" {
                    continue;
                }
                map_strings(v, depth + 1, f)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Take the first filter (and its parameters) off a stream dictionary.
fn drop_first_filter(dict: &mut Dict) {
    for key in ["Filter", "DecodeParms"] {
        let rest = match dict.get(key) {
            Some(Object::Array(a)) => Object::Array(a.iter().skip(1).cloned().collect()),
            _ => Object::Null,
        };
        dict.set(key, rest);
    }
}

/// The hash of revisions 5 (SHA-256 of password and salt) and 6 (Algorithm 2.B, ISO
/// 32000-2 §7.6.4.3.4) for the user password: 32 bytes.
fn hash_r56(r: i64, password: &[u8], salt: &[u8]) -> Vec<u8> {
    let p = default_provider();
    let mut k = p.digest(HashAlgorithm::Sha256, &[password, salt].concat());
    if r == 5 {
        return k;
    }
    let mut round = 0usize;
    loop {
        let k1: Vec<u8> = [password, &k].concat().repeat(64);
        let (key, iv) = (k.get(..16).unwrap_or(&[]), k.get(16..32).unwrap_or(&[]));
        let e = match cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv) {
            Ok(c) => c.encrypt_padded_vec::<NoPadding>(&k1),
            Err(_) => return Vec::new(),
        };
        let sum: u32 = e.iter().take(16).map(|b| u32::from(*b)).sum();
        k = match sum % 3 {
            0 => p.digest(HashAlgorithm::Sha256, &e),
            1 => p.digest(HashAlgorithm::Sha384, &e),
            _ => p.digest(HashAlgorithm::Sha512, &e),
        };
        round += 1;
        let last = e.last().copied().unwrap_or(0);
        if round >= 64 && usize::from(last) + 32 <= round {
            break;
        }
    }
    k.truncate(32);
    k
}

/// `/Perms` (revision 6): the permissions encrypted with the file key, which must agree with
/// `/P` — a file whose permissions were edited without the key is refused.
fn check_perms(encrypt: &Dict, key: &[u8], p: i32) -> Result<(), EncryptionError> {
    let Some(Object::String(perms)) = encrypt.get("Perms") else {
        return Err(EncryptionError::Malformed("no /Perms"));
    };
    let plain = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, &[0; 16])
        .ok()
        .and_then(|c| c.decrypt_padded_vec::<NoPadding>(perms.bytes.get(..16)?).ok())
        .ok_or(EncryptionError::Malformed("/Perms is not 16 bytes"))?;
    if plain.get(9..12) != Some(b"adb") || plain.get(..4) != Some(&p.to_le_bytes()[..]) {
        return Err(EncryptionError::Malformed("/Perms does not agree with /P"));
    }
    Ok(())
}
