//! The body of every fuzz target, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer) and by
//! `tests/fuzz_replay.rs`, which replays every corpus file and every minimised crash under an
//! ordinary `cargo test`. Each function takes arbitrary bytes; the only acceptable outcomes are
//! an error or a result, never a panic, a hang, or a VALID verdict that nothing could earn.

use std::sync::OnceLock;

use kyso::cms::{self, VerifyOptions};
use kyso::path::{PathOptions, Verdict};
use kyso::{crypto, Certificate, Time, TrustStore};

/// A fixed instant, so runs are reproducible.
fn when() -> Time {
    Time::from_ymd_hms(2026, 11, 20, 0, 0, 0).unwrap_or_else(Time::now)
}

fn vietnam() -> &'static TrustStore {
    static S: OnceLock<TrustStore> = OnceLock::new();
    S.get_or_init(TrustStore::vietnam)
}

/// Every name of a target, for the replay test and the runner script.
pub const TARGETS: &[&str] = &[
    "certificate",
    "bundle",
    "crl",
    "ocsp",
    "cms",
    "tsp",
    "identity",
    "path",
    "cms_verify",
    "xml_c14n",
    "xml_verify",
    "pdf_reader",
    "pdf_byterange",
    "pdf_verify",
    "pdf_sparse",
];

/// Run target `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "certificate" => certificate(data),
        "bundle" => bundle(data),
        "crl" => crl(data),
        "ocsp" => ocsp(data),
        "cms" => cms_parse(data),
        "tsp" => tsp(data),
        "identity" => identity(data),
        "path" => path(data),
        "cms_verify" => cms_verify(data),
        "xml_c14n" => xml_c14n(data),
        "xml_verify" => xml_verify(data),
        "pdf_reader" => pdf_reader(data),
        "pdf_byterange" => pdf_byterange(data),
        "pdf_verify" => pdf_verify(data),
        "pdf_sparse" => pdf_sparse(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// Certificate::from_der, then everything a report reads from a certificate.
pub fn certificate(data: &[u8]) {
    if let Ok(cert) = Certificate::from_der(data) {
        let _ = kyso::vn::quirks(&cert);
        let _ = kyso::vn::Identity::of(&cert);
        let _ = cert.public_key();
        let _ = cert.extensions().unknown_critical();
        let _ = kyso::report::CertificateSummary::new(&cert, vietnam());
    }
}

/// The input loader: DER, PEM (many blocks), base64, .p7b in DER or BER.
pub fn bundle(data: &[u8]) {
    let _ = kyso::load(data);
    let _ = kyso::load_certificates(data);
}

/// CRL parse, summary and lookups.
pub fn crl(data: &[u8]) {
    if let Ok(crl) = kyso::revocation::Crl::from_bytes(data) {
        let _ = kyso::report::CrlSummary::new(&crl);
        for serial in [&[0x01][..], &[0x10, 0x01], data.get(..8).unwrap_or(&[])] {
            let _ = crl.find(serial, crl.issuer());
        }
    }
}

/// OCSP response parse.
pub fn ocsp(data: &[u8]) {
    let _ = kyso::revocation::OcspResponse::from_der(data);
}

/// CMS SignedData parse and signer accessors.
pub fn cms_parse(data: &[u8]) {
    if let Ok(sd) = cms::SignedData::from_bytes(data) {
        for si in &sd.signers {
            let _ = si.signing_time();
            for c in &sd.certificates {
                let _ = si.names(c);
            }
        }
    }
}

/// RFC 3161: a response's token, then the token verified against the Vietnamese store. Random
/// bytes can never make a token that verifies.
pub fn tsp(data: &[u8]) {
    let token = kyso::cms::tsp::token_from_response(data).unwrap_or_else(|_| data.to_vec());
    let r = kyso::cms::tsp::verify_token(
        &token,
        &[0u8; 32],
        None,
        vietnam(),
        &[],
        &PathOptions::vietnam(when()),
        crypto::default_provider(),
    );
    assert!(r.is_err(), "a fuzzed time-stamp token verified");
}

/// Vietnamese identity parsing (UID values such as `MST:0101234567-001`).
pub fn identity(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let _ = kyso::vn::identity::parse_uid(&s);
}

/// Path building with a fuzzed pool: the first certificate is the leaf, the rest the pool.
pub fn path(data: &[u8]) {
    if let Ok(mut certs) = kyso::load_certificates(data) {
        if certs.is_empty() {
            return;
        }
        let leaf = certs.remove(0);
        let _ = kyso::path::verify_chain(
            &leaf,
            &certs,
            vietnam(),
            &PathOptions::vietnam(when()),
            crypto::default_provider(),
        );
    }
}

/// CMS verification end to end against the Vietnamese store: never VALID for bytes no real CA
/// signed.
pub fn cms_verify(data: &[u8]) {
    let o = VerifyOptions::new(when());
    if let Ok(r) = cms::verify(data, None, vietnam(), &[], &o, crypto::default_provider()) {
        assert_ne!(r.verdict, Verdict::Valid, "a fuzzed signature verified");
        // The report of whatever came out: never TOTAL_PASSED, and it renders in both languages.
        let report = kyso::report::ValidationReport::from_cms(&r, &o);
        assert_ne!(report.indication, kyso::report::Indication::TotalPassed);
        let _ = kyso::report::render(&report, kyso::report::Lang::Vi);
        let _ = kyso::report::render(&report, kyso::report::Lang::En);
    }
}

/// The XML reader and every canonical form: an error or canonical octets, and canonical XML
/// canonicalized again is itself (C14N's defining property).
pub fn xml_c14n(data: &[u8]) {
    use kyso::xml::c14n::{self, C14nMethod};
    for m in [
        C14nMethod::C14n10 { comments: false },
        C14nMethod::C14n10 { comments: true },
        C14nMethod::C14n11 { comments: false },
        C14nMethod::from_uri(c14n::EXC_C14N, Some("#default a b")).unwrap_or(C14nMethod::C14n10 { comments: false }),
    ] {
        if let Ok(once) = c14n::canonicalize(data, &m) {
            if let Ok(twice) = c14n::canonicalize(&once, &m) {
                assert_eq!(once, twice, "canonical XML is not a fixed point under {m:?}");
            }
        }
    }
}

/// An XML document through the Verifier: a report or an error, never TOTAL_PASSED (nothing
/// in fuzzed bytes chains to a Vietnamese root), and the report renders in both languages.
pub fn xml_verify(data: &[u8]) {
    verify_never_passes(data);
}

/// `data` through the Vietnamese Verifier: a report or an error, never TOTAL_PASSED, and the
/// report renders in both languages.
fn verify_never_passes(data: &[u8]) {
    static V: OnceLock<kyso::Verifier> = OnceLock::new();
    let v = V.get_or_init(kyso::Verifier::vietnam);
    let at = Some(when());
    let report = v.report(data, kyso::Content::Attached, kyso::When { at, now: at });
    assert_ne!(report.indication, kyso::report::Indication::TotalPassed);
    let _ = kyso::report::render(&report, kyso::report::Lang::Vi);
    let _ = kyso::report::render(&report, kyso::report::Lang::En);
}

/// The PDF reader: the revisions and, for each, every object its sections list, read and
/// resolved; revisions end in order, inside the file.
pub fn pdf_reader(data: &[u8]) {
    let Ok(pdf) = kyso::pdf::Pdf::parse(data) else { return };
    let mut end = 0;
    for (i, r) in pdf.revisions().iter().enumerate() {
        assert!(r.end > end || i == 0, "revision ends not increasing");
        assert!(r.end <= data.len(), "a revision ends past the file");
        end = r.end;
        for num in r.objects.iter().take(2000) {
            if let Ok(Some(l)) = pdf.get(i, kyso::pdf::ObjRef { num: *num, gen: 0 }) {
                let _ = pdf.resolve(i, &l.object);
                let _ = l.object.to_pdf();
            }
        }
        let _ = pdf.catalog(i);
    }
}

/// The signature fields, their /ByteRange checks and the changes after each: a checked range
/// lies inside the file and leaves out exactly a /Contents string.
pub fn pdf_byterange(data: &[u8]) {
    let Ok(pdf) = kyso::pdf::Pdf::parse(data) else { return };
    let Ok((sigs, _)) = kyso::pdf::signature::signatures(&pdf) else {
        return;
    };
    for s in &sigs {
        if let Ok([a, b]) = &s.byte_range {
            assert_eq!(a.start, 0);
            assert!(a.end <= b.start && b.end <= data.len());
            assert_eq!(data.get(a.end), Some(&b'<'));
            assert_eq!(data.get(b.start - 1), Some(&b'>'));
        }
        if let Some(r) = s.revision {
            let _ = kyso::pdf::diff::changes_after(&pdf, r, s.docmdp);
        }
    }
    let _ = kyso::pdf::dss::read(&pdf);
}

/// A PDF through the Verifier: a report or an error, never TOTAL_PASSED (nothing in fuzzed
/// bytes chains to a Vietnamese root), and the report renders in both languages.
pub fn pdf_verify(data: &[u8]) {
    verify_never_passes(data);
}

/// A PDF verified from a file with every stream body over 64 bytes left in it
/// (`kyso::pdf::sparse`) against the same bytes verified in memory: the same report, or the
/// same error.
pub fn pdf_sparse(data: &[u8]) {
    if kyso::Format::detect(data) != kyso::Format::Pdf {
        return;
    }
    static V: OnceLock<kyso::Verifier> = OnceLock::new();
    let v = V.get_or_init(kyso::Verifier::vietnam);
    let at = Some(when());
    let when = kyso::When { at, now: at };
    let dir = std::env::temp_dir().join(format!("kyso-fuzz-sparse-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{:?}.pdf", std::thread::current().id()).replace(['(', ')'], ""));
    if std::fs::write(&file, data).is_err() {
        return;
    }
    // A file just written must read: a failure here is a finding, not a skip.
    let sparse = match kyso::pdf::sparse::Sparse::open_eliding(&file, 64) {
        Ok(s) => s,
        Err(e) => panic!("the file's reading fails: {e}"),
    };
    let from_file = v.verify_pdf_sparse(&sparse, &file, when);
    let from_bytes = v.verify_at(data, kyso::Content::Attached, when);
    let json = |r: &kyso::report::ValidationReport| serde_json::to_string(r).unwrap_or_default();
    match (from_file, from_bytes) {
        (Ok(a), Ok(b)) => assert_eq!(json(&a), json(&b), "the file's reading gives another report"),
        (Err(a), Err(b)) => assert_eq!(a, b, "the file's reading fails otherwise"),
        (a, b) => panic!("one reading verifies, the other fails: {a:?} / {b:?}"),
    }
    let _ = std::fs::remove_file(&file);
}
