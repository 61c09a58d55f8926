//! libkyso: kyso's C API. The header `include/kyso.h` is generated from this file by cbindgen
//! and committed; `tests/header.rs` fails when they differ.
//!
//! Every exported function checks its pointers, runs inside a panic boundary, and writes its
//! out-parameters only on success. Inputs are borrowed for the call; what kyso keeps it copies.
#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use kyso::auth::{AuthError, Authenticator, Challenge, Form, MemoryNonceStore};
use kyso::crypto;
use kyso::report::{Indication, Lang, ValidationReport};
use kyso::revocation::RevocationMode;
use kyso::sign::{Content, SignError, SignOptions, Signer, SoftwareSigner};
use kyso::token::{Module, Pin, TokenError, TokenSigner};
use kyso::{load_certificates, Certificate, Hierarchy, Policy, Profile, Time, TrustStore, Verifier, VerifyError, When};

/// Success.
pub const KYSO_OK: u32 = 0;
/// A required pointer was NULL.
pub const KYSO_ERR_NULL_POINTER: u32 = 1;
/// An argument is out of range (an unknown hierarchy or flag, a string that is not UTF-8).
pub const KYSO_ERR_INVALID_ARGUMENT: u32 = 2;
/// Certificate input that cannot be read (not DER, PEM, base64 or .p7b; truncated; empty).
pub const KYSO_ERR_BAD_INPUT: u32 = 3;
/// The signature is not a well-formed CMS SignedData.
pub const KYSO_ERR_BAD_SIGNATURE: u32 = 4;
/// The signature is detached and no content was given.
pub const KYSO_ERR_CONTENT_MISSING: u32 = 5;
/// The caller's buffer is too small (`written` says how many bytes are needed).
pub const KYSO_ERR_BUFFER_TOO_SMALL: u32 = 6;
/// The PKCS#12 password is wrong.
pub const KYSO_ERR_WRONG_PASSWORD: u32 = 7;
/// The key cannot be used (unsupported type, no certificate matches it, bad PKCS#12).
pub const KYSO_ERR_KEY: u32 = 8;
/// The signer's certificate fails the pre-signing check (validity, key usage, chain).
pub const KYSO_ERR_CERTIFICATE_REFUSED: u32 = 9;
/// The signer failed while signing.
pub const KYSO_ERR_SIGNER: u32 = 10;
/// The PKCS#11 module cannot be loaded or initialised (or none was found).
pub const KYSO_ERR_PKCS11_MODULE: u32 = 11;
/// No token with that label (or no token at all).
pub const KYSO_ERR_NO_TOKEN: u32 = 12;
/// The token refused the PIN.
pub const KYSO_ERR_WRONG_PIN: u32 = 13;
/// The user PIN is locked.
pub const KYSO_ERR_PIN_LOCKED: u32 = 14;
/// The token is at its final PIN try; kyso does not try a PIN then.
pub const KYSO_ERR_PIN_FINAL_TRY: u32 = 15;
/// No private key (with that CKA_ID), or no certificate for it, on the token.
pub const KYSO_ERR_NO_KEY: u32 = 16;
/// The token was removed while in use.
pub const KYSO_ERR_TOKEN_REMOVED: u32 = 17;
/// Another PKCS#11 error.
pub const KYSO_ERR_PKCS11: u32 = 18;
/// Reading the content failed.
pub const KYSO_ERR_IO: u32 = 19;
/// An internal fault (a panic caught at the boundary). Please report it.
pub const KYSO_ERR_INTERNAL: u32 = 20;
/// The input is of a format this version of kyso recognises but does not verify yet.
pub const KYSO_ERR_UNSUPPORTED: u32 = 21;
/// The time-stamping authority failed or gave a time-stamp that does not fit (B-T signing).
pub const KYSO_ERR_TIMESTAMP: u32 = 22;

/// The signature or chain is valid.
pub const KYSO_VALID: u32 = 0;
/// Invalid: a signature, digest or certificate check failed for good.
pub const KYSO_INVALID: u32 = 1;
/// Indeterminate: not enough to decide (no path to an anchor, revocation unknown in hard-fail).
pub const KYSO_INDETERMINATE: u32 = 2;

/// Report text in English.
pub const KYSO_LANG_EN: u32 = 0;
/// Report text in Vietnamese (tiếng Việt), as Circular 15/2025 requires.
pub const KYSO_LANG_VI: u32 = 1;

/// The government-specialized hierarchy (VGCA).
pub const KYSO_HIERARCHY_GOVERNMENT: u32 = 1;
/// The public hierarchy (NEAC national root and licensed CAs).
pub const KYSO_HIERARCHY_PUBLIC: u32 = 2;
/// The caller's own anchors.
pub const KYSO_HIERARCHY_CUSTOM: u32 = 3;

/// Verify flag: revocation hard-fail (unknown status is INDETERMINATE, not a warning).
pub const KYSO_VERIFY_HARD_FAIL: u32 = 1;
/// Verify flag: do not check revocation at all.
pub const KYSO_VERIFY_NO_REVOCATION: u32 = 2;
/// Verify flag: accept SHA-1 and RSA keys of 1024–2047 bits (reported as legacy).
pub const KYSO_VERIFY_LEGACY: u32 = 4;
/// Verify flag: fetch CRLs and OCSP responses over HTTP for each signer's path.
pub const KYSO_VERIFY_ONLINE: u32 = 8;
/// Verify flag: the strict policy (RFC 5280 as written) instead of the Vietnam one (RFC 5280
/// with the named tolerances real Vietnamese certificates need).
pub const KYSO_VERIFY_STRICT: u32 = 16;

/// Evidence kind: a CRL (DER or PEM), for kyso_verifier_add_evidence.
pub const KYSO_EVIDENCE_CRL: u32 = 1;
/// Evidence kind: an OCSP response (DER), for kyso_verifier_add_evidence.
pub const KYSO_EVIDENCE_OCSP: u32 = 2;

/// Login result: the response is accepted (kyso_auth_result_refusal).
pub const KYSO_AUTH_ACCEPTED: u32 = 0;
/// Login refused: the challenge names another relying party.
pub const KYSO_AUTH_WRONG_AUDIENCE: u32 = 1;
/// Login refused: the challenge has expired (or is not valid yet).
pub const KYSO_AUTH_EXPIRED: u32 = 2;
/// Login refused: the challenge was already used (a replay).
pub const KYSO_AUTH_REPLAYED: u32 = 3;
/// Login refused: the response signs another challenge.
pub const KYSO_AUTH_OTHER_CHALLENGE: u32 = 4;
/// Login refused: the signature does not verify with the certificate's key.
pub const KYSO_AUTH_BAD_SIGNATURE: u32 = 5;
/// Login refused: the certificate does not allow digital signatures.
pub const KYSO_AUTH_KEY_USAGE: u32 = 6;
/// Login refused: the certificate's path or revocation status does not pass.
pub const KYSO_AUTH_CERTIFICATE_REFUSED: u32 = 7;

/// Response form: a JSON object with the signature over SHA-256 of the challenge and the
/// certificate.
pub const KYSO_AUTH_FORM_RAW: u32 = 1;
/// Response form: a detached CMS / CAdES signature over the challenge (DER).
pub const KYSO_AUTH_FORM_CMS: u32 = 2;
/// Response form: a compact JWS, the certificate in `x5c`.
pub const KYSO_AUTH_FORM_JWS: u32 = 3;

/// Sign flag: the signature leaves the content out (detached).
pub const KYSO_SIGN_DETACHED: u32 = 1;
/// Sign flag: RSA-PSS instead of PKCS#1 v1.5 (RSA keys only).
pub const KYSO_SIGN_PSS: u32 = 2;
/// Sign flag: sign even when the certificate fails the pre-signing check.
pub const KYSO_SIGN_FORCE: u32 = 4;

/// A set of trusted anchors and known intermediates. Opaque.
pub struct kyso_trust_store {
    /// Shared with the verifiers each call builds (and their cache of CA signatures); a
    /// change copies it first.
    store: Arc<TrustStore>,
}

/// The result of a verification: its kyso.report/1 report. Opaque.
pub struct kyso_report {
    verdict: u32,
    report: ValidationReport,
    /// Built on the first JSON call: a caller that wants only the verdict does not pay for
    /// the JSON.
    json: std::sync::OnceLock<Result<String, String>>,
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn fail(code: u32, detail: impl std::fmt::Display) -> u32 {
    LAST_ERROR.with(|e| *e.borrow_mut() = detail.to_string());
    code
}

/// Run `f` inside the panic boundary.
fn guard(f: impl FnOnce() -> u32) -> u32 {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| fail(KYSO_ERR_INTERNAL, "internal fault (panic)"))
}

/// A borrowed byte slice; NULL is only allowed with length 0 when `optional`.
///
/// # Safety
/// `p` must point to `len` readable bytes when not NULL.
unsafe fn bytes<'a>(p: *const u8, len: usize, optional: bool) -> Result<Option<&'a [u8]>, u32> {
    if p.is_null() {
        if optional && len == 0 {
            return Ok(None);
        }
        return Err(fail(KYSO_ERR_NULL_POINTER, "a required buffer is NULL"));
    }
    // SAFETY: the caller promises `len` readable bytes at `p`.
    Ok(Some(unsafe { std::slice::from_raw_parts(p, len) }))
}

/// A verify call's handle (store or verifier), required input and optional input.
type VerifyInputs<'a, T> = (&'a T, &'a [u8], Option<&'a [u8]>);

/// The common start of the verify calls: the store, `out` non-NULL, a required input and an
/// optional one (NULL with length 0 for none).
///
/// # Safety
/// `ts` NULL or a live store; each buffer NULL or valid for its length.
unsafe fn verify_inputs<'a, T>(
    ts: *const T,
    out: *mut *mut kyso_report,
    required: (*const u8, usize),
    optional: (*const u8, usize),
) -> Result<VerifyInputs<'a, T>, u32> {
    // SAFETY: the caller gives a live handle or NULL.
    let Some(ts) = (unsafe { ts.as_ref() }) else {
        return Err(fail(KYSO_ERR_NULL_POINTER, "trust store or verifier is NULL"));
    };
    if out.is_null() {
        return Err(fail(KYSO_ERR_NULL_POINTER, "out is NULL"));
    }
    // SAFETY: the caller promises each buffer valid for its length, or NULL.
    let (first, second) = unsafe {
        (
            bytes(required.0, required.1, false)?,
            bytes(optional.0, optional.1, true)?,
        )
    };
    match first {
        Some(f) => Ok((ts, f, second)),
        None => Err(fail(KYSO_ERR_NULL_POINTER, "a required buffer is NULL")),
    }
}

/// A borrowed C string; `None` for NULL.
///
/// # Safety
/// `p` must be NULL or a NUL-terminated string.
unsafe fn text<'a>(p: *const c_char) -> Result<Option<&'a str>, u32> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller promises a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str()
        .map(Some)
        .map_err(|_| fail(KYSO_ERR_INVALID_ARGUMENT, "a string is not UTF-8"))
}

fn hierarchy(h: u32) -> Result<Hierarchy, u32> {
    match h {
        KYSO_HIERARCHY_GOVERNMENT => Ok(Hierarchy::Government),
        KYSO_HIERARCHY_PUBLIC => Ok(Hierarchy::Public),
        KYSO_HIERARCHY_CUSTOM => Ok(Hierarchy::Custom("custom".into())),
        other => Err(fail(KYSO_ERR_INVALID_ARGUMENT, format!("unknown hierarchy {other}"))),
    }
}

fn time_or_now(at_unix: i64) -> Result<Option<Time>, u32> {
    if at_unix == 0 {
        return Ok(None);
    }
    Time::from_unix(at_unix)
        .map(Some)
        .ok_or_else(|| fail(KYSO_ERR_INVALID_ARGUMENT, format!("time {at_unix} out of range")))
}

fn sign_error(e: SignError) -> u32 {
    let code = match &e {
        SignError::WrongPassword => KYSO_ERR_WRONG_PASSWORD,
        SignError::Key(_) => KYSO_ERR_KEY,
        SignError::CertificateRefused { .. } => KYSO_ERR_CERTIFICATE_REFUSED,
        SignError::Io { .. } => KYSO_ERR_IO,
        SignError::Token(t) => return token_error(t.clone()),
        SignError::NoTimestampAuthority | SignError::Timestamp(_) => KYSO_ERR_TIMESTAMP,
        SignError::NoRevocationValues => KYSO_ERR_INVALID_ARGUMENT,
        _ => KYSO_ERR_SIGNER,
    };
    fail(code, e)
}

fn token_error(e: TokenError) -> u32 {
    let code = match &e {
        TokenError::Module { .. } => KYSO_ERR_PKCS11_MODULE,
        TokenError::NoToken { .. } => KYSO_ERR_NO_TOKEN,
        TokenError::PinLocked => KYSO_ERR_PIN_LOCKED,
        TokenError::PinFinalTry => KYSO_ERR_PIN_FINAL_TRY,
        TokenError::WrongPin { .. } => KYSO_ERR_WRONG_PIN,
        TokenError::NoKey | TokenError::NoCertificate => KYSO_ERR_NO_KEY,
        TokenError::TokenRemoved => KYSO_ERR_TOKEN_REMOVED,
        _ => KYSO_ERR_PKCS11,
    };
    fail(code, e)
}

/// Hand a buffer to the caller (freed with kyso_bytes_free).
fn give(v: Vec<u8>, out: *mut *mut u8, out_len: *mut usize) {
    let len = v.len();
    let p = Box::into_raw(v.into_boxed_slice()) as *mut u8;
    // SAFETY: both out-pointers were checked non-NULL by the caller of `give`.
    unsafe {
        *out = p;
        *out_len = len;
    }
}

/// The library version, a static NUL-terminated string (never freed).
#[no_mangle]
pub extern "C" fn kyso_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

fn message(code: u32) -> &'static str {
    match code {
        KYSO_OK => "success",
        KYSO_ERR_NULL_POINTER => "a required pointer is NULL",
        KYSO_ERR_INVALID_ARGUMENT => "an argument is out of range",
        KYSO_ERR_BAD_INPUT => "the certificate input cannot be read",
        KYSO_ERR_BAD_SIGNATURE => "not a CMS SignedData",
        KYSO_ERR_CONTENT_MISSING => "the signature is detached and no content was given",
        KYSO_ERR_BUFFER_TOO_SMALL => "the buffer is too small",
        KYSO_ERR_WRONG_PASSWORD => "wrong PKCS#12 password",
        KYSO_ERR_KEY => "the key cannot be used",
        KYSO_ERR_CERTIFICATE_REFUSED => "the signer's certificate fails the pre-signing check",
        KYSO_ERR_SIGNER => "the signer failed",
        KYSO_ERR_PKCS11_MODULE => "the PKCS#11 module cannot be loaded",
        KYSO_ERR_NO_TOKEN => "no such token",
        KYSO_ERR_WRONG_PIN => "wrong PIN",
        KYSO_ERR_PIN_LOCKED => "the PIN is locked",
        KYSO_ERR_PIN_FINAL_TRY => "the token is at its final PIN try; kyso did not try the PIN",
        KYSO_ERR_NO_KEY => "no such key, or no certificate for it, on the token",
        KYSO_ERR_TOKEN_REMOVED => "the token was removed",
        KYSO_ERR_PKCS11 => "PKCS#11 error",
        KYSO_ERR_IO => "reading the content failed",
        KYSO_ERR_INTERNAL => "internal fault",
        KYSO_ERR_UNSUPPORTED => "a format this version of kyso does not verify yet",
        KYSO_ERR_TIMESTAMP => "the time-stamping authority failed",
        _ => "unknown result code",
    }
}

/// Copy `s` into `buf` (truncated, always NUL-terminated when `len` > 0). Returns the bytes
/// needed including the NUL.
fn copy_text(s: &str, buf: *mut c_char, len: usize) -> usize {
    let needed = s.len() + 1;
    if !buf.is_null() && len > 0 {
        let n = s.len().min(len - 1);
        // SAFETY: the caller gives `len` writable bytes at `buf`; n + 1 <= len.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf as *mut u8, n);
            *buf.add(n) = 0;
        }
    }
    needed
}

/// The English message of a result code, copied into `buf` (NUL-terminated, truncated to
/// `len`). Returns the bytes needed including the NUL; `buf` may be NULL to ask.
///
/// # Safety
/// `buf` must be NULL or point to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn kyso_error_message(code: u32, buf: *mut c_char, len: usize) -> usize {
    copy_text(message(code), buf, len)
}

/// The detail of the last error on this thread (e.g. which certificate, which byte),
/// copied like kyso_error_message. Returns the bytes needed including the NUL.
///
/// # Safety
/// `buf` must be NULL or point to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn kyso_last_error_message(buf: *mut c_char, len: usize) -> usize {
    LAST_ERROR.with(|e| copy_text(&e.borrow(), buf, len))
}

fn new_store(store: TrustStore, out: *mut *mut kyso_trust_store) -> u32 {
    if out.is_null() {
        return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
    }
    let b = Box::into_raw(Box::new(kyso_trust_store { store: Arc::new(store) }));
    // SAFETY: checked non-NULL above.
    unsafe { *out = b };
    KYSO_OK
}

/// A new, empty trust store. Free it with kyso_trust_store_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_trust_store_new(out: *mut *mut kyso_trust_store) -> u32 {
    guard(|| new_store(TrustStore::new(), out))
}

/// A trust store holding both Vietnamese hierarchies (the embedded, pinned bundle: the VGCA
/// and NEAC roots as anchors, the licensed CAs as intermediates). Free it with
/// kyso_trust_store_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_trust_store_new_vietnam(out: *mut *mut kyso_trust_store) -> u32 {
    guard(|| new_store(TrustStore::vietnam(), out))
}

/// Trust every certificate in `data` (DER, PEM, base64 or .p7b) as an anchor of `hierarchy`
/// (KYSO_HIERARCHY_*). Needs exclusive use of the store.
///
/// # Safety
/// `ts` must be NULL or a live store; `data` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn kyso_trust_store_add(
    ts: *mut kyso_trust_store,
    data: *const u8,
    len: usize,
    hierarchy: u32,
) -> u32 {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        with_store_input(ts, data, len, hierarchy, |store, data, h| {
            store
                .add_anchors_from_bytes(data, h)
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

/// Add every certificate in `data` as a known intermediate of `hierarchy`: not trusted by
/// itself, but used to complete paths (as the Vietnamese store holds the licensed CAs, so a
/// token's lone leaf certificate still verifies). Needs exclusive use of the store.
///
/// # Safety
/// As kyso_trust_store_add.
#[no_mangle]
pub unsafe extern "C" fn kyso_trust_store_add_intermediates(
    ts: *mut kyso_trust_store,
    data: *const u8,
    len: usize,
    hierarchy: u32,
) -> u32 {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        with_store_input(ts, data, len, hierarchy, |store, data, h| {
            let certs = load_certificates(data).map_err(|e| e.to_string())?;
            if certs.is_empty() {
                return Err("no certificate".into());
            }
            for c in certs {
                store.add_intermediate(c, h.clone());
            }
            Ok(())
        })
    })
}

/// The common part of the two store-building calls: check the store, the buffer and the
/// hierarchy, then run `add`; its error is KYSO_ERR_BAD_INPUT.
///
/// # Safety
/// `ts` NULL or a live store; `data` valid for `len` bytes.
unsafe fn with_store_input(
    ts: *mut kyso_trust_store,
    data: *const u8,
    len: usize,
    hierarchy: u32,
    add: impl FnOnce(&mut TrustStore, &[u8], Hierarchy) -> Result<(), String>,
) -> u32 {
    // SAFETY: the caller gives a live store or NULL.
    let Some(ts) = (unsafe { ts.as_mut() }) else {
        return fail(KYSO_ERR_NULL_POINTER, "trust store is NULL");
    };
    // SAFETY: per the contract above.
    let data = match unsafe { bytes(data, len, false) } {
        Ok(Some(d)) => d,
        Ok(None) => return fail(KYSO_ERR_NULL_POINTER, "data is NULL"),
        Err(c) => return c,
    };
    let h = match self::hierarchy(hierarchy) {
        Ok(h) => h,
        Err(c) => return c,
    };
    match add(Arc::make_mut(&mut ts.store), data, h) {
        Ok(()) => KYSO_OK,
        Err(e) => fail(KYSO_ERR_BAD_INPUT, e),
    }
}

/// Free a trust store (NULL is ignored).
///
/// # Safety
/// `ts` must be NULL or a store from kyso_trust_store_new*, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_trust_store_free(ts: *mut kyso_trust_store) {
    if !ts.is_null() {
        // SAFETY: it came from Box::into_raw in new_store.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(ts) })));
    }
}

fn give_report(report: ValidationReport, out: *mut *mut kyso_report) -> u32 {
    let verdict = match report.indication {
        Indication::TotalPassed => KYSO_VALID,
        Indication::TotalFailed => KYSO_INVALID,
        Indication::Indeterminate => KYSO_INDETERMINATE,
    };
    let b = Box::into_raw(Box::new(kyso_report {
        verdict,
        report,
        json: std::sync::OnceLock::new(),
    }));
    // SAFETY: `out` was checked non-NULL by the caller.
    unsafe { *out = b };
    KYSO_OK
}

/// Validate a certificate's path (RFC 5280) against the store. `leaf` is the certificate (any
/// input form; the first certificate is taken); `pool` (may be NULL with length 0) holds
/// untrusted certificates that may complete the path. `at_unix` 0 means now. The report's
/// JSON is `kyso chain verify --json` (schema kyso.chain/1). Free it with kyso_report_free.
///
/// # Safety
/// Pointers must be NULL or valid for their lengths; `ts` a live store.
#[no_mangle]
pub unsafe extern "C" fn kyso_verify_chain(
    ts: *const kyso_trust_store,
    leaf: *const u8,
    leaf_len: usize,
    pool: *const u8,
    pool_len: usize,
    at_unix: i64,
    out: *mut *mut kyso_report,
) -> u32 {
    // SAFETY: forwarded contract.
    unsafe { kyso_verify_chain_ex(ts, leaf, leaf_len, pool, pool_len, at_unix, 0, out) }
}

/// kyso_verify_chain with KYSO_VERIFY_* flags.
///
/// # Safety
/// As kyso_verify_chain.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_verify_chain_ex(
    ts: *const kyso_trust_store,
    leaf: *const u8,
    leaf_len: usize,
    pool: *const u8,
    pool_len: usize,
    at_unix: i64,
    flags: u32,
    out: *mut *mut kyso_report,
) -> u32 {
    guard(|| {
        // SAFETY: per the contract.
        let (ts, leaf, pool) = match unsafe { verify_inputs(ts, out, (leaf, leaf_len), (pool, pool_len)) } {
            Ok(v) => v,
            Err(c) => return c,
        };
        match verifier(ts, flags) {
            Ok(v) => chain_with(&v, leaf, pool, at_unix, out),
            Err(c) => c,
        }
    })
}

/// Validate `leaf`'s path with `v` (the first certificate of `leaf`; the rest, and `pool`,
/// may complete the path).
fn chain_with(v: &Verifier, leaf: &[u8], pool: Option<&[u8]>, at_unix: i64, out: *mut *mut kyso_report) -> u32 {
    let mut certs = match load_certificates(leaf) {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => return fail(KYSO_ERR_BAD_INPUT, "no certificate in leaf"),
        Err(e) => return fail(KYSO_ERR_BAD_INPUT, e),
    };
    let leaf = certs.remove(0);
    let mut pool_certs: Vec<Certificate> = certs;
    if let Some(p) = pool.filter(|p| !p.is_empty()) {
        match load_certificates(p) {
            Ok(c) => pool_certs.extend(c),
            Err(e) => return fail(KYSO_ERR_BAD_INPUT, e),
        }
    }
    let when = match when(at_unix) {
        Ok(w) => w,
        Err(c) => return c,
    };
    give_report(v.verify_chain(&leaf, &pool_certs, when), out)
}

/// Verify `sig` with `v`; `content` the detached content, if any.
fn cms_with(v: &Verifier, sig: &[u8], content: Option<&[u8]>, at_unix: i64, out: *mut *mut kyso_report) -> u32 {
    let when = match when(at_unix) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let content = match content {
        Some(c) => kyso::Content::Bytes(c),
        None => kyso::Content::Attached,
    };
    give_verified(v.verify_at(sig, content, when), out)
}

/// A verification's report into `out`, or its error's code.
fn give_verified(r: Result<kyso::report::ValidationReport, VerifyError>, out: *mut *mut kyso_report) -> u32 {
    match r {
        Ok(r) => give_report(r, out),
        Err(e) => {
            let code = match &e {
                VerifyError::ContentMissing => KYSO_ERR_CONTENT_MISSING,
                VerifyError::Content { .. } => KYSO_ERR_IO,
                VerifyError::Unsupported { .. } => KYSO_ERR_UNSUPPORTED,
                VerifyError::TooLarge { .. } => KYSO_ERR_BAD_INPUT,
                _ => KYSO_ERR_BAD_SIGNATURE,
            };
            fail(code, e)
        }
    }
}

/// The times of a call: `at_unix` (0: each signature's own time), now from the clock.
fn when(at_unix: i64) -> Result<When, u32> {
    Ok(When {
        at: time_or_now(at_unix)?,
        now: Some(Time::now()),
    })
}

/// The Verifier the flags describe: the Vietnam (or, with KYSO_VERIFY_STRICT, the strict)
/// policy with the revocation and algorithm flags, the HTTP fetcher as an evidence source
/// with KYSO_VERIFY_ONLINE.
fn verifier(ts: &kyso_trust_store, flags: u32) -> Result<Verifier, u32> {
    let known = KYSO_VERIFY_HARD_FAIL
        | KYSO_VERIFY_NO_REVOCATION
        | KYSO_VERIFY_LEGACY
        | KYSO_VERIFY_ONLINE
        | KYSO_VERIFY_STRICT;
    if flags & !known != 0
        || flags & (KYSO_VERIFY_HARD_FAIL | KYSO_VERIFY_NO_REVOCATION)
            == (KYSO_VERIFY_HARD_FAIL | KYSO_VERIFY_NO_REVOCATION)
    {
        return Err(fail(KYSO_ERR_INVALID_ARGUMENT, format!("bad verify flags {flags:#x}")));
    }
    let profile = if flags & KYSO_VERIFY_STRICT != 0 {
        Profile::Strict
    } else {
        Profile::Vietnam
    };
    let revocation = if flags & KYSO_VERIFY_HARD_FAIL != 0 {
        RevocationMode::Hard
    } else if flags & KYSO_VERIFY_NO_REVOCATION != 0 {
        RevocationMode::Off
    } else {
        RevocationMode::Soft
    };
    let policy = Policy::of(profile)
        .to_builder()
        .legacy_algorithms(flags & KYSO_VERIFY_LEGACY != 0)
        .revocation(revocation)
        .build();
    let mut v = Verifier::with_shared_store(ts.store.clone(), policy);
    if flags & KYSO_VERIFY_ONLINE != 0 {
        v = v.with_source(kyso::fetch::OnlineEvidence);
    }
    Ok(v)
}

/// Verify every signer of a CMS / CAdES signature (content digest, signature, ESS binding,
/// chain and revocation), or every signature of an XML document (XML-DSig, XAdES, edXML) or
/// of a PDF (PAdES: each field, its coverage and the changes after it); the format is
/// detected. `content` NULL with length 0 means the content is attached;
/// otherwise it is the detached content. `at_unix` 0 judges each chain at its signing time
/// (the Vietnamese rule). Offline: revocation uses the values carried in the signature
/// (CAdES-LT) and soft-fails otherwise (valid, with a warning). The report's JSON is
/// `kyso verify --json` (schema kyso.report/1). Free it with kyso_report_free.
///
/// # Safety
/// Pointers must be NULL or valid for their lengths; `ts` a live store.
#[no_mangle]
pub unsafe extern "C" fn kyso_verify_cms(
    ts: *const kyso_trust_store,
    sig: *const u8,
    sig_len: usize,
    content: *const u8,
    content_len: usize,
    at_unix: i64,
    out: *mut *mut kyso_report,
) -> u32 {
    // SAFETY: forwarded contract.
    unsafe { kyso_verify_cms_ex(ts, sig, sig_len, content, content_len, at_unix, 0, out) }
}

/// kyso_verify_cms with KYSO_VERIFY_* flags: hard-fail, no revocation, legacy algorithms,
/// online (CRLs and OCSP fetched over HTTP for each signer's path).
///
/// # Safety
/// As kyso_verify_cms.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_verify_cms_ex(
    ts: *const kyso_trust_store,
    sig: *const u8,
    sig_len: usize,
    content: *const u8,
    content_len: usize,
    at_unix: i64,
    flags: u32,
    out: *mut *mut kyso_report,
) -> u32 {
    guard(|| {
        // SAFETY: per the contract.
        let (ts, sig, content) = match unsafe { verify_inputs(ts, out, (sig, sig_len), (content, content_len)) } {
            Ok(v) => v,
            Err(c) => return c,
        };
        match verifier(ts, flags) {
            Ok(v) => cms_with(&v, sig, content, at_unix, out),
            Err(c) => c,
        }
    })
}

/// A verifier: a trust store (shared, with its cache of verified CA signatures), a policy
/// chosen by KYSO_VERIFY_* flags, and revocation evidence given by the caller (CRLs, OCSP
/// responses), reused by every verification made with it. Opaque; one verifier may be used
/// from several threads at once.
pub struct kyso_verifier {
    verifier: Verifier,
}

/// A new verifier over `ts` (which may be freed afterwards: the verifier keeps its own
/// reference) with `flags` (KYSO_VERIFY_*). Free it with kyso_verifier_free.
///
/// # Safety
/// `ts` NULL or a live store; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_new(
    ts: *const kyso_trust_store,
    flags: u32,
    out: *mut *mut kyso_verifier,
) -> u32 {
    guard(|| {
        // SAFETY: the caller gives a live store or NULL.
        let Some(ts) = (unsafe { ts.as_ref() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "trust store is NULL");
        };
        if out.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        match verifier(ts, flags) {
            Ok(verifier) => {
                // SAFETY: `out` is non-NULL and writable per the contract.
                unsafe { *out = Box::into_raw(Box::new(kyso_verifier { verifier })) };
                KYSO_OK
            }
            Err(c) => c,
        }
    })
}

/// Add revocation evidence to `v`: a CRL (DER or PEM; complete or delta) when `kind` is
/// KYSO_EVIDENCE_CRL, a DER OCSP response when KYSO_EVIDENCE_OCSP.
///
/// # Safety
/// `v` NULL or a live verifier not used by another thread during the call; `data` NULL or
/// `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_add_evidence(
    v: *mut kyso_verifier,
    kind: u32,
    data: *const u8,
    len: usize,
) -> u32 {
    guard(|| {
        // SAFETY: the caller gives a live verifier or NULL.
        let Some(v) = (unsafe { v.as_mut() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "verifier is NULL");
        };
        // SAFETY: per the contract.
        let data = match unsafe { bytes(data, len, false) } {
            Ok(Some(d)) => d,
            Ok(None) => return fail(KYSO_ERR_NULL_POINTER, "data is NULL"),
            Err(c) => return c,
        };
        let evidence = match kind {
            KYSO_EVIDENCE_CRL => match kyso::revocation::Crl::from_bytes(data) {
                Ok(crl) => kyso::revocation::RevocationEvidence::from_crls(vec![crl]),
                Err(e) => return fail(KYSO_ERR_BAD_INPUT, e),
            },
            KYSO_EVIDENCE_OCSP => match kyso::revocation::OcspResponse::from_der(data) {
                Ok(r) => kyso::revocation::RevocationEvidence::default().with_ocsp(vec![r]),
                Err(e) => return fail(KYSO_ERR_BAD_INPUT, e),
            },
            other => return fail(KYSO_ERR_INVALID_ARGUMENT, format!("unknown evidence kind {other}")),
        };
        v.verifier = v.verifier.clone().with_evidence(evidence);
        KYSO_OK
    })
}

/// Verify a signed input with `v`: as kyso_verify_cms, under the verifier's policy and
/// evidence. The format is detected: CMS / CAdES, XML (XML-DSig, XAdES, edXML) or PDF
/// (PAdES).
///
/// # Safety
/// `v` NULL or a live verifier; buffers NULL or valid for their lengths; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_verify(
    v: *const kyso_verifier,
    sig: *const u8,
    sig_len: usize,
    content: *const u8,
    content_len: usize,
    at_unix: i64,
    out: *mut *mut kyso_report,
) -> u32 {
    guard(|| {
        // SAFETY: per the contract.
        match unsafe { verify_inputs(v, out, (sig, sig_len), (content, content_len)) } {
            Ok((v, sig, content)) => cms_with(&v.verifier, sig, content, at_unix, out),
            Err(c) => c,
        }
    })
}

/// Verify the PDF file at `path` (UTF-8) with `v`, without holding the bodies of its large
/// streams in memory: they are read back from the file when the signed ranges are hashed (a
/// 200 MB scanned decree verifies in a few megabytes). The report is kyso_verifier_verify's
/// on the file's bytes. An unreadable file is KYSO_ERR_IO; a file that is not a PDF,
/// KYSO_ERR_BAD_SIGNATURE.
///
/// # Safety
/// `v` NULL or a live verifier; `path` NULL or a NUL-terminated string; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_verify_pdf_file(
    v: *const kyso_verifier,
    path: *const c_char,
    at_unix: i64,
    out: *mut *mut kyso_report,
) -> u32 {
    guard(|| {
        // SAFETY: per the contract.
        let Some(v) = (unsafe { v.as_ref() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "verifier is NULL");
        };
        if out.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        // SAFETY: per the contract.
        let path = match unsafe { text(path) } {
            Ok(Some(p)) => p,
            Ok(None) => return fail(KYSO_ERR_NULL_POINTER, "path is NULL"),
            Err(c) => return c,
        };
        let when = match when(at_unix) {
            Ok(w) => w,
            Err(c) => return c,
        };
        give_verified(v.verifier.verify_pdf_file(std::path::Path::new(path), when), out)
    })
}

/// Validate a certificate's path with `v`: as kyso_verify_chain, under the verifier's policy
/// and evidence.
///
/// # Safety
/// As kyso_verifier_verify.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_verify_chain(
    v: *const kyso_verifier,
    leaf: *const u8,
    leaf_len: usize,
    pool: *const u8,
    pool_len: usize,
    at_unix: i64,
    out: *mut *mut kyso_report,
) -> u32 {
    guard(|| {
        // SAFETY: per the contract.
        match unsafe { verify_inputs(v, out, (leaf, leaf_len), (pool, pool_len)) } {
            Ok((v, leaf, pool)) => chain_with(&v.verifier, leaf, pool, at_unix, out),
            Err(c) => c,
        }
    })
}

/// Free a verifier (NULL is ignored).
///
/// # Safety
/// `v` NULL or a verifier from kyso_verifier_new, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_verifier_free(v: *mut kyso_verifier) {
    if !v.is_null() {
        // SAFETY: it came from Box::into_raw in kyso_verifier_new.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(v) })));
    }
}

/// The report's verdict: KYSO_VALID, KYSO_INVALID or KYSO_INDETERMINATE (KYSO_INDETERMINATE
/// for a NULL report).
///
/// # Safety
/// `r` must be NULL or a live report.
#[no_mangle]
pub unsafe extern "C" fn kyso_report_verdict(r: *const kyso_report) -> u32 {
    // SAFETY: the caller gives a live report or NULL.
    match unsafe { r.as_ref() } {
        Some(r) => r.verdict,
        None => KYSO_INDETERMINATE,
    }
}

/// Copy the report's JSON (schema kyso.report/1, the same document `kyso verify --json` and
/// `kyso chain verify --json` print; UTF-8, NUL-terminated) into `buf`. `*written` receives
/// the bytes needed including the NUL, on success and on KYSO_ERR_BUFFER_TOO_SMALL; call with
/// `buf` NULL and `len` 0 to ask for the size. (Before 0.2 this gave the technical schemas
/// kyso.cms/1 and kyso.chain/1; they are gone.)
///
/// # Safety
/// `r` must be NULL or a live report; `buf` NULL or `len` writable bytes; `written` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_report_json(
    r: *const kyso_report,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> u32 {
    guard(|| {
        // SAFETY: as this function's contract.
        unsafe { report_out(r, buf, len, written, report_json) }
    })
}

/// The report's kyso.report/1 JSON, made once.
fn report_json(r: &kyso_report) -> Result<String, String> {
    r.json
        .get_or_init(|| serde_json::to_string_pretty(&r.report).map_err(|e| e.to_string()))
        .clone()
}

/// The report-to-text calls: check the pointers, make the text, copy it out as `out_text`.
///
/// # Safety
/// `r` NULL or a live report; `buf` NULL or `len` writable bytes; `written` NULL or writable.
unsafe fn report_out(
    r: *const kyso_report,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
    make: impl FnOnce(&kyso_report) -> Result<String, String>,
) -> u32 {
    // SAFETY: the caller gives a live report or NULL.
    let Some(r) = (unsafe { r.as_ref() }) else {
        return fail(KYSO_ERR_NULL_POINTER, "report is NULL");
    };
    if written.is_null() {
        return fail(KYSO_ERR_NULL_POINTER, "written is NULL");
    }
    match make(r) {
        // SAFETY: `written` checked; `buf` and `len` as the caller's contract.
        Ok(text) => unsafe { out_text(&text, buf, len, written) },
        Err(e) => fail(KYSO_ERR_INTERNAL, e),
    }
}

/// Write `text` and its NUL into `buf` when it fits; `*written` receives the bytes needed.
///
/// # Safety
/// `written` non-NULL and writable; `buf` NULL or `len` writable bytes.
unsafe fn out_text(text: &str, buf: *mut c_char, len: usize, written: *mut usize) -> u32 {
    let needed = text.len() + 1;
    // SAFETY: the caller checked `written`.
    unsafe { *written = needed };
    if buf.is_null() || len < needed {
        return fail(KYSO_ERR_BUFFER_TOO_SMALL, format!("{needed} bytes needed"));
    }
    copy_text(text, buf, len);
    KYSO_OK
}

/// The same as kyso_report_json (kept for callers written against 0.1): the validation
/// report (schema kyso.report/1: ETSI-style indication and sub-indication, and per signature
/// the fields Circular 15/2025 lists, every message in English and Vietnamese) as JSON.
///
/// # Safety
/// `r` must be NULL or a live report; `buf` NULL or `len` writable bytes; `written` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_report_validation_json(
    r: *const kyso_report,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> u32 {
    guard(|| {
        // SAFETY: as this function's contract.
        unsafe { report_out(r, buf, len, written, report_json) }
    })
}

/// Copy the validation report as text for people, in `lang` (KYSO_LANG_VI or KYSO_LANG_EN),
/// UTF-8 and NUL-terminated, into `buf`. Sizes as kyso_report_json; an unknown `lang` is
/// KYSO_ERR_INVALID_ARGUMENT.
///
/// # Safety
/// `r` must be NULL or a live report; `buf` NULL or `len` writable bytes; `written` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_report_text(
    r: *const kyso_report,
    lang: u32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> u32 {
    guard(|| {
        let lang = match lang {
            KYSO_LANG_EN => Lang::En,
            KYSO_LANG_VI => Lang::Vi,
            other => {
                return fail(
                    KYSO_ERR_INVALID_ARGUMENT,
                    format!("lang {other}: not KYSO_LANG_EN or KYSO_LANG_VI"),
                )
            }
        };
        // SAFETY: as this function's contract.
        unsafe { report_out(r, buf, len, written, |r| Ok(kyso::report::render(&r.report, lang))) }
    })
}

/// Free a report (NULL is ignored).
///
/// # Safety
/// `r` must be NULL or a report from kyso_verify_*, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_report_free(r: *mut kyso_report) {
    if !r.is_null() {
        // SAFETY: it came from Box::into_raw in give_report.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(r) })));
    }
}

fn sign_with(
    signer: &dyn Signer,
    chain: Vec<Certificate>,
    content: &[u8],
    flags: u32,
    check: Option<&kyso_trust_store>,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    let now = Time::now();
    let mut o = SignOptions::new(now);
    o.detached = flags & KYSO_SIGN_DETACHED != 0;
    o.force = flags & KYSO_SIGN_FORCE != 0;
    o.chain = chain;
    if let Some(ts) = check {
        o.check_against = Some(((*ts.store).clone(), kyso::path::PathOptions::vietnam(now)));
    }
    match kyso::sign::sign(Content::Bytes(content), signer, &o, crypto::default_provider()) {
        Ok(sig) => {
            give(sig, out, out_len);
            KYSO_OK
        }
        Err(e) => sign_error(e),
    }
}

fn check_sign_flags(flags: u32) -> Result<(), u32> {
    if flags & !(KYSO_SIGN_DETACHED | KYSO_SIGN_PSS | KYSO_SIGN_FORCE) != 0 {
        return Err(fail(KYSO_ERR_INVALID_ARGUMENT, format!("bad sign flags {flags:#x}")));
    }
    Ok(())
}

/// Sign `content` as CAdES B-B (SHA-256) with the key and certificate of a PKCS#12 file; the
/// file's other certificates go into the signature. `password` may be NULL (empty). The
/// certificate is not checked against a trust store (see kyso_sign_cms_pkcs12_ex). On success
/// `*out` holds the DER signature (free it with kyso_bytes_free(*out, *out_len)).
///
/// # Safety
/// Pointers must be NULL or valid for their lengths; strings NUL-terminated.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_sign_cms_pkcs12(
    p12: *const u8,
    p12_len: usize,
    password: *const c_char,
    content: *const u8,
    content_len: usize,
    detached: i32,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    let flags = if detached != 0 { KYSO_SIGN_DETACHED } else { 0 };
    // SAFETY: forwarded contract.
    unsafe {
        kyso_sign_cms_pkcs12_ex(
            p12,
            p12_len,
            password,
            content,
            content_len,
            flags,
            std::ptr::null(),
            out,
            out_len,
        )
    }
}

/// kyso_sign_cms_pkcs12 with KYSO_SIGN_* flags, and a trust store (may be NULL) against which
/// the signer's certificate is checked before signing (validity, key usage, a path to an
/// anchor); KYSO_SIGN_FORCE signs anyway.
///
/// # Safety
/// As kyso_sign_cms_pkcs12; `check` NULL or a live store.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_sign_cms_pkcs12_ex(
    p12: *const u8,
    p12_len: usize,
    password: *const c_char,
    content: *const u8,
    content_len: usize,
    flags: u32,
    check: *const kyso_trust_store,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        if let Err(c) = check_sign_flags(flags) {
            return c;
        }
        // SAFETY: per the contract.
        let (p12, content, password) = match unsafe {
            (
                bytes(p12, p12_len, false),
                bytes(content, content_len, true),
                text(password),
            )
        } {
            (Ok(Some(p)), Ok(c), Ok(pw)) => (p, c.unwrap_or(&[]), pw.unwrap_or("")),
            (Err(c), _, _) | (_, Err(c), _) | (_, _, Err(c)) => return c,
            (Ok(None), _, _) => return fail(KYSO_ERR_NULL_POINTER, "p12 is NULL"),
        };
        let (mut signer, chain) = match SoftwareSigner::from_pkcs12(p12, password) {
            Ok(s) => s,
            Err(e) => return sign_error(e),
        };
        if flags & KYSO_SIGN_PSS != 0 {
            signer = match signer.with_pss() {
                Ok(s) => s,
                Err(e) => return sign_error(e),
            };
        }
        // SAFETY: the caller gives a live store or NULL.
        let check = unsafe { check.as_ref() };
        sign_with(&signer, chain, content, flags, check, out, out_len)
    })
}

/// Sign `content` as CAdES B-B on a PKCS#11 token. `module_path` NULL: the first known module
/// found on this machine; `token_label` NULL: the first token; `key_id` NULL with length 0:
/// the first key with a certificate. `pin` is required; kyso never tries it on a token at its
/// final try (KYSO_ERR_PIN_FINAL_TRY). Free `*out` with kyso_bytes_free.
///
/// # Safety
/// Pointers must be NULL or valid for their lengths; strings NUL-terminated.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_sign_cms_pkcs11(
    module_path: *const c_char,
    token_label: *const c_char,
    pin: *const c_char,
    key_id: *const u8,
    key_id_len: usize,
    content: *const u8,
    content_len: usize,
    detached: i32,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        // SAFETY: per the contract.
        let parsed = unsafe {
            (
                text(module_path),
                text(token_label),
                text(pin),
                bytes(key_id, key_id_len, true),
                bytes(content, content_len, true),
            )
        };
        let (module_path, label, pin, key_id, content) = match parsed {
            (Ok(m), Ok(l), Ok(Some(p)), Ok(k), Ok(c)) => (m, l, p, k, c.unwrap_or(&[])),
            (Ok(_), Ok(_), Ok(None), _, _) => return fail(KYSO_ERR_NULL_POINTER, "pin is NULL"),
            (Err(c), ..) | (_, Err(c), ..) | (_, _, Err(c), ..) | (.., Err(c), _) | (.., Err(c)) => return c,
        };
        let signer = match open_token(module_path, label, pin, key_id) {
            Ok(s) => s,
            Err(c) => return c,
        };
        let flags = if detached != 0 { KYSO_SIGN_DETACHED } else { 0 };
        sign_with(&signer, Vec::new(), content, flags, None, out, out_len)
    })
}

/// The signer on a PKCS#11 token: the module at `module_path` (None: the first known module
/// found), the token `label` (None: the first), the key `key_id` (None: the first with a
/// certificate), logged in with `pin`.
fn open_token(
    module_path: Option<&str>,
    label: Option<&str>,
    pin: &str,
    key_id: Option<&[u8]>,
) -> Result<TokenSigner, u32> {
    let path = match module_path {
        Some(p) => std::path::PathBuf::from(p),
        None => match kyso::token::discover().into_iter().next() {
            Some(p) => p,
            None => return Err(fail(KYSO_ERR_PKCS11_MODULE, "no PKCS#11 module found")),
        },
    };
    let module = Module::open(&path).map_err(token_error)?;
    let pin = Pin::new(pin);
    TokenSigner::open(&module, label, key_id, &pin, false, false).map_err(token_error)
}

/// Free a buffer returned by kyso (NULL is ignored). `len` is the length returned with it.
///
/// # Safety
/// `p` must be NULL or a buffer from kyso with its length, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_bytes_free(p: *mut u8, len: usize) {
    if !p.is_null() {
        // SAFETY: it came from Box::<[u8]>::into_raw in `give` with this length.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, len)) })
        }));
    }
}

/// A new login challenge for `audience` (the relying party's origin), valid `ttl_seconds`
/// (1 to 3600) from `now_unix` (0: now), with an optional `purpose` shown to the user (NULL for
/// none). `*out` receives its JSON (UTF-8, not NUL-terminated; the bytes a response signs):
/// free it with kyso_bytes_free(*out, *out_len).
///
/// # Safety
/// Strings NULL or NUL-terminated; `out` and `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_auth_challenge(
    audience: *const c_char,
    ttl_seconds: i64,
    purpose: *const c_char,
    now_unix: i64,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        // SAFETY: per the contract.
        let (audience, purpose) = match unsafe { (text(audience), text(purpose)) } {
            (Ok(Some(a)), Ok(p)) => (a, p),
            (Ok(None), _) => return fail(KYSO_ERR_NULL_POINTER, "audience is NULL"),
            (Err(c), _) | (_, Err(c)) => return c,
        };
        let now = match time_or_now(now_unix) {
            Ok(t) => t.unwrap_or_else(Time::now),
            Err(c) => return c,
        };
        match Challenge::issue(audience, ttl_seconds, purpose, now) {
            Ok(c) => {
                give(c.to_json().into_bytes(), out, out_len);
                KYSO_OK
            }
            Err(e) => fail(KYSO_ERR_INVALID_ARGUMENT, e),
        }
    })
}

/// Checks login responses for one relying party: a verifier (trust, policy, evidence), the
/// audience expected, and the nonces already used (in memory, until their challenge expires).
/// Opaque; one authenticator may be used from several threads at once.
pub struct kyso_authenticator {
    verifier: Verifier,
    audience: String,
    nonces: MemoryNonceStore,
}

/// A new authenticator for `audience` over `v` (which may be freed afterwards). Free it with
/// kyso_authenticator_free.
///
/// # Safety
/// `v` NULL or a live verifier; `audience` NULL or NUL-terminated; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_authenticator_new(
    v: *const kyso_verifier,
    audience: *const c_char,
    out: *mut *mut kyso_authenticator,
) -> u32 {
    guard(|| {
        // SAFETY: the caller gives a live verifier or NULL.
        let Some(v) = (unsafe { v.as_ref() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "verifier is NULL");
        };
        if out.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        // SAFETY: per the contract.
        let audience = match unsafe { text(audience) } {
            Ok(Some(a)) => a.to_string(),
            Ok(None) => return fail(KYSO_ERR_NULL_POINTER, "audience is NULL"),
            Err(c) => return c,
        };
        let a = kyso_authenticator {
            verifier: v.verifier.clone(),
            audience,
            nonces: MemoryNonceStore::new(),
        };
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { *out = Box::into_raw(Box::new(a)) };
        KYSO_OK
    })
}

/// Free an authenticator (NULL is ignored).
///
/// # Safety
/// `a` NULL or an authenticator from kyso_authenticator_new, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_authenticator_free(a: *mut kyso_authenticator) {
    if !a.is_null() {
        // SAFETY: it came from Box::into_raw in kyso_authenticator_new.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(a) })));
    }
}

/// The outcome of a login: accepted (who it is) or refused (why). Opaque.
pub struct kyso_auth_result {
    refusal: u32,
    json: String,
}

/// Check `response` (raw, CMS or JWS, detected) to `challenge` (its JSON) at `at_unix`
/// (0: now). KYSO_OK means the check ran: `*out` then says accepted or refused
/// (kyso_auth_result_refusal) and who or why (kyso_auth_result_json); the challenge's nonce is
/// used up only when accepted. A challenge or response that cannot be read gives
/// KYSO_ERR_BAD_INPUT and no result.
///
/// # Safety
/// `a` NULL or a live authenticator; buffers NULL or valid for their lengths; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_auth_verify(
    a: *const kyso_authenticator,
    challenge: *const u8,
    challenge_len: usize,
    response: *const u8,
    response_len: usize,
    at_unix: i64,
    out: *mut *mut kyso_auth_result,
) -> u32 {
    guard(|| {
        // SAFETY: the caller gives a live authenticator or NULL.
        let Some(a) = (unsafe { a.as_ref() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "authenticator is NULL");
        };
        if out.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        // SAFETY: per the contract.
        let (challenge, response) = match unsafe {
            (
                bytes(challenge, challenge_len, false),
                bytes(response, response_len, false),
            )
        } {
            (Ok(Some(c)), Ok(Some(r))) => (c, r),
            (Err(c), _) | (_, Err(c)) => return c,
            _ => return fail(KYSO_ERR_NULL_POINTER, "a required buffer is NULL"),
        };
        let now = match time_or_now(at_unix) {
            Ok(t) => t.unwrap_or_else(Time::now),
            Err(c) => return c,
        };
        let challenge = match challenge_of(challenge) {
            Ok(c) => c,
            Err(c) => return c,
        };
        let auth = Authenticator::new(a.verifier.clone(), &a.audience, &a.nonces);
        let (refusal, json) = match auth.verify(&challenge, response, now) {
            Ok(who) => (KYSO_AUTH_ACCEPTED, who.to_json()),
            Err(e @ AuthError::Malformed(_)) => return fail(KYSO_ERR_BAD_INPUT, e),
            Err(e) => {
                let code = match &e {
                    AuthError::WrongAudience { .. } => KYSO_AUTH_WRONG_AUDIENCE,
                    AuthError::Expired { .. } => KYSO_AUTH_EXPIRED,
                    AuthError::Replayed => KYSO_AUTH_REPLAYED,
                    AuthError::OtherChallenge => KYSO_AUTH_OTHER_CHALLENGE,
                    AuthError::BadSignature(_) => KYSO_AUTH_BAD_SIGNATURE,
                    AuthError::KeyUsage | AuthError::ClientAuthPurpose => KYSO_AUTH_KEY_USAGE,
                    _ => KYSO_AUTH_CERTIFICATE_REFUSED,
                };
                (code, e.to_json())
            }
        };
        let json = match serde_json::to_string_pretty(&json) {
            Ok(j) => j,
            Err(e) => return fail(KYSO_ERR_INTERNAL, e),
        };
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { *out = Box::into_raw(Box::new(kyso_auth_result { refusal, json })) };
        KYSO_OK
    })
}

/// KYSO_AUTH_ACCEPTED, or why the login was refused (KYSO_AUTH_*);
/// KYSO_AUTH_CERTIFICATE_REFUSED for a NULL result.
///
/// # Safety
/// `r` NULL or a live result.
#[no_mangle]
pub unsafe extern "C" fn kyso_auth_result_refusal(r: *const kyso_auth_result) -> u32 {
    // SAFETY: the caller gives a live result or NULL.
    match unsafe { r.as_ref() } {
        Some(r) => r.refusal,
        None => KYSO_AUTH_CERTIFICATE_REFUSED,
    }
}

/// Copy the result's kyso.auth/1 JSON (the document `kyso auth verify --json` prints: who it
/// is — name, CCCD / MST / CMND / passport, organisation —, hierarchy and CA; or the refusal
/// and its reason) into `buf`, as kyso_report_json does.
///
/// # Safety
/// `r` NULL or a live result; `buf` NULL or `len` writable bytes; `written` writable.
#[no_mangle]
pub unsafe extern "C" fn kyso_auth_result_json(
    r: *const kyso_auth_result,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> u32 {
    guard(|| {
        // SAFETY: the caller gives a live result or NULL.
        let Some(r) = (unsafe { r.as_ref() }) else {
            return fail(KYSO_ERR_NULL_POINTER, "result is NULL");
        };
        if written.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "written is NULL");
        }
        // SAFETY: `written` checked; `buf` and `len` as the contract.
        unsafe { out_text(&r.json, buf, len, written) }
    })
}

/// Free a login result (NULL is ignored).
///
/// # Safety
/// `r` NULL or a result from kyso_auth_verify, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kyso_auth_result_free(r: *mut kyso_auth_result) {
    if !r.is_null() {
        // SAFETY: it came from Box::into_raw in kyso_auth_verify.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(r) })));
    }
}

/// A challenge from its JSON bytes (KYSO_ERR_BAD_INPUT when unreadable).
fn challenge_of(json: &[u8]) -> Result<Challenge, u32> {
    std::str::from_utf8(json)
        .map_err(|_| AuthError::Malformed("the challenge is not UTF-8".into()))
        .and_then(Challenge::from_json)
        .map_err(|e| fail(KYSO_ERR_BAD_INPUT, e))
}

fn auth_form(form: u32) -> Result<Form, u32> {
    match form {
        KYSO_AUTH_FORM_RAW => Ok(Form::Raw),
        KYSO_AUTH_FORM_CMS => Ok(Form::Cms),
        KYSO_AUTH_FORM_JWS => Ok(Form::Jws),
        other => Err(fail(
            KYSO_ERR_INVALID_ARGUMENT,
            format!("unknown response form {other}"),
        )),
    }
}

/// The client side: `challenge` (its JSON) signed in `form` by `signer`, its `chain` carried.
fn respond_with(
    challenge: &[u8],
    form: Form,
    signer: &dyn Signer,
    chain: &[Certificate],
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    let challenge = match challenge_of(challenge) {
        Ok(c) => c,
        Err(c) => return c,
    };
    match kyso::auth::respond(&challenge, form, signer, chain, crypto::default_provider()) {
        Ok(r) => {
            give(r, out, out_len);
            KYSO_OK
        }
        Err(e) => sign_error(e),
    }
}

/// Sign a login `challenge` (its JSON) with the key and certificate of a PKCS#12 file, in
/// `form` (KYSO_AUTH_FORM_*); the file's other certificates go along. `password` may be NULL
/// (empty). `*out` receives the response (raw and JWS: text, not NUL-terminated; CMS: DER):
/// free it with kyso_bytes_free.
///
/// # Safety
/// Pointers NULL or valid for their lengths; strings NUL-terminated; `out`, `out_len` writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_auth_respond_pkcs12(
    challenge: *const u8,
    challenge_len: usize,
    p12: *const u8,
    p12_len: usize,
    password: *const c_char,
    form: u32,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        let form = match auth_form(form) {
            Ok(f) => f,
            Err(c) => return c,
        };
        // SAFETY: per the contract.
        let parsed = unsafe {
            (
                bytes(challenge, challenge_len, false),
                bytes(p12, p12_len, false),
                text(password),
            )
        };
        let (challenge, p12, password) = match parsed {
            (Ok(Some(c)), Ok(Some(p)), Ok(pw)) => (c, p, pw.unwrap_or("")),
            (Err(c), _, _) | (_, Err(c), _) | (_, _, Err(c)) => return c,
            _ => return fail(KYSO_ERR_NULL_POINTER, "a required buffer is NULL"),
        };
        match SoftwareSigner::from_pkcs12(p12, password) {
            Ok((signer, chain)) => respond_with(challenge, form, &signer, &chain, out, out_len),
            Err(e) => sign_error(e),
        }
    })
}

/// Sign a login `challenge` on a PKCS#11 token, in `form`: the module, token, key and PIN as
/// for kyso_sign_cms_pkcs11 (kyso never tries a PIN on a token at its final try).
///
/// # Safety
/// Pointers NULL or valid for their lengths; strings NUL-terminated; `out`, `out_len` writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kyso_auth_respond_pkcs11(
    module_path: *const c_char,
    token_label: *const c_char,
    pin: *const c_char,
    key_id: *const u8,
    key_id_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    form: u32,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> u32 {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return fail(KYSO_ERR_NULL_POINTER, "out is NULL");
        }
        let form = match auth_form(form) {
            Ok(f) => f,
            Err(c) => return c,
        };
        // SAFETY: per the contract.
        let parsed = unsafe {
            (
                text(module_path),
                text(token_label),
                text(pin),
                bytes(key_id, key_id_len, true),
                bytes(challenge, challenge_len, false),
            )
        };
        let (module_path, label, pin, key_id, challenge) = match parsed {
            (Ok(m), Ok(l), Ok(Some(p)), Ok(k), Ok(Some(c))) => (m, l, p, k, c),
            (Ok(_), Ok(_), Ok(None), _, _) => return fail(KYSO_ERR_NULL_POINTER, "pin is NULL"),
            (Err(c), ..) | (_, Err(c), ..) | (_, _, Err(c), ..) | (.., Err(c), _) | (.., Err(c)) => return c,
            _ => return fail(KYSO_ERR_NULL_POINTER, "challenge is NULL"),
        };
        match open_token(module_path, label, pin, key_id) {
            Ok(signer) => respond_with(challenge, form, &signer, &[], out, out_len),
            Err(c) => c,
        }
    })
}
