//! Large PDFs read without holding their large streams (`kyso::pdf::sparse`): a signed decree
//! with a scanned page verifies from its file exactly as from its bytes; a later revision
//! that swaps one pixel of the scan is caught from the file; a file whose keywords mislead the
//! reading is read whole instead, with the same report.
// Signing uses aws-lc-rs: these tests need the default provider.
#![cfg(feature = "aws-lc")]

use kyso::pdf::sign::{sign_pdf, PdfSigning};
use kyso::pdf::sparse::{Sparse, ELIDE_FROM};
use kyso::report::{Indication, ValidationReport};
use kyso::sign::{SignOptions, SoftwareSigner};
use kyso::{Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::VietnamTestPki;

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn verifier(pki: &VietnamTestPki) -> Verifier {
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    Verifier::new(store, Policy::vietnam())
}

fn json(r: &ValidationReport) -> String {
    serde_json::to_string_pretty(r).unwrap()
}

fn text(r: &ValidationReport) -> String {
    kyso::report::render(r, kyso::report::Lang::En)
}

/// The value of the file's last `startxref`.
fn last_startxref(pdf: &[u8]) -> usize {
    let at = pdf.windows(9).rposition(|w| w == b"startxref").unwrap();
    let tail = std::str::from_utf8(&pdf[at + 9..]).unwrap();
    tail.split_whitespace().next().unwrap().parse().unwrap()
}

/// `pdf` with an incremental update redefining object `num` as `object` (its bytes between
/// `N 0 obj` and `endobj`).
fn update(pdf: &[u8], num: u32, object: &[u8]) -> Vec<u8> {
    let prev = last_startxref(pdf);
    let mut out = pdf.to_vec();
    let at = out.len();
    out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
    out.extend_from_slice(object);
    out.extend_from_slice(b"\nendobj\n");
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f\r\n{num} 1\n{at:010} 00000 n\r\ntrailer\n<< /Size 64 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// Verified from its file and from its bytes: the same report, which is returned.
fn both_ways(v: &Verifier, dir: &Dir, name: &str, pdf: &[u8], when: When) -> ValidationReport {
    let path = dir.put(name, pdf);
    let from_file = v.verify_pdf_file(&path, when).unwrap();
    let from_bytes = v.verify_at(pdf, Content::Attached, when).unwrap();
    assert_eq!(json(&from_file), json(&from_bytes), "{name}");
    from_file
}

#[test]
fn a_signed_decree_with_a_scan_verifies_from_its_file_as_from_its_bytes() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-large");
    let scan = 3_000_000;
    let doc = kyso_testpki::pdf_document_with_scan(2, scan);
    let mut o = SignOptions::new(Time::now());
    o.chain = vec![c(&pki.gov_sub.cert)];
    let signer = SoftwareSigner::from_pkcs8(pki.officer.key.pkcs8(), c(&pki.officer.cert)).unwrap();
    let signed = sign_pdf(
        &doc,
        &signer,
        &PdfSigning::default(),
        &o,
        kyso::crypto::default_provider(),
    )
    .unwrap();
    let when = When {
        at: None,
        now: Some(Time::now()),
    };
    let v = verifier(&pki);

    // The scan's body stays in the file; the structure agrees with the reading.
    let path = dir.put("signed.pdf", &signed);
    let sparse = Sparse::open(&path).unwrap();
    assert_eq!(sparse.elided().len(), 1, "{sparse:?}");
    assert_eq!(sparse.elided_bytes(), scan);
    assert!(sparse.parse().unwrap().is_some());

    let r = both_ways(&v, &dir, "signed.pdf", &signed, when);
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));

    // One pixel of the scan changed in the signed bytes: the digest no longer matches.
    let pixel = signed.len() / 2;
    let mut tampered = signed.clone();
    tampered[pixel] ^= 1;
    assert!(Sparse::open(&dir.put("t.pdf", &tampered)).unwrap().elided_bytes() == scan);
    let r = both_ways(&v, &dir, "tampered.pdf", &tampered, when);
    assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));

    // A later revision redefines the scan (a shadow "replace"): with the same bytes it is the
    // same image; with one pixel changed it is a change to the page the signature covers.
    let num = 4 + 2 * 2;
    let start = signed
        .windows(b"8 0 obj\n".len())
        .position(|w| w == b"8 0 obj\n")
        .unwrap()
        + b"8 0 obj\n".len();
    let end = start + signed[start..].windows(7).position(|w| w == b"\nendobj").unwrap();
    let same = update(&signed, num, &signed[start..end]);
    let r = both_ways(&v, &dir, "same.pdf", &same, when);
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    let mut image_changed = signed[start..end].to_vec();
    let mid = image_changed.len() / 2;
    image_changed[mid] ^= 1;
    let replaced = update(&signed, num, &image_changed);
    assert_eq!(Sparse::open(&dir.put("r.pdf", &replaced)).unwrap().elided().len(), 2);
    let r = both_ways(&v, &dir, "replaced.pdf", &replaced, when);
    assert_ne!(r.indication, Indication::TotalPassed, "{}", text(&r));
}

/// `stream` inside a long string, `endstream` later in it: the reading takes the string for a
/// body, the structure does not agree, and the file is read whole.
#[test]
fn a_file_whose_keywords_mislead_the_reading_is_read_whole() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-large-string");
    let doc = kyso_testpki::pdf_document(1);
    let mut title = b"<< /Title (stream\n".to_vec();
    title.extend(std::iter::repeat_n(b'A', ELIDE_FROM + 1000));
    title.extend_from_slice(b" endstream) >>");
    let pdf = update(&doc, 7, &title);
    let path = dir.put("title.pdf", &pdf);
    let sparse = Sparse::open(&path).unwrap();
    assert_eq!(sparse.elided().len(), 1);
    assert!(sparse.parse().unwrap().is_none());
    let when = When {
        at: None,
        now: Some(Time::now()),
    };
    let v = verifier(&pki);
    let from_file = v.verify_pdf_file(&path, when);
    let from_bytes = v.verify_at(&pdf, Content::Attached, when);
    match (from_file, from_bytes) {
        (Ok(a), Ok(b)) => assert_eq!(json(&a), json(&b)),
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("{a:?} / {b:?}"),
    }
}

/// Every PDF of the shared corpora (pyHanko's and the real Vietnamese ones), read with every
/// stream body longer than 64 bytes left in the file: where the structure agrees, the report
/// is the one its bytes give, byte for byte; where it does not, the file is read whole.
#[test]
fn the_shared_pdfs_verify_from_their_files_as_from_their_bytes() {
    let Some(root) = kyso_testpki::shared::vectors("pdf") else {
        return;
    };
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 20, "{} PDFs", files.len());
    let v = Verifier::vietnam();
    let when = When {
        at: None,
        now: Some(Time::now()),
    };
    let (mut sparse_read, mut elided) = (0, 0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let sparse = Sparse::open_eliding(f, 64).unwrap();
        if sparse.parse().is_ok_and(|p| p.is_some()) {
            sparse_read += 1;
            elided += sparse.elided().len();
        }
        let from_file = v.verify_pdf_sparse(&sparse, f, when);
        let from_bytes = v.verify_at(&bytes, Content::Attached, when);
        match (from_file, from_bytes) {
            (Ok(a), Ok(b)) => assert_eq!(json(&a), json(&b), "{}", f.display()),
            (Err(a), Err(b)) => assert_eq!(a, b, "{}", f.display()),
            (a, b) => panic!("{}: {a:?} / {b:?}", f.display()),
        }
    }
    // The reading is used for most of them, with many bodies left in the file.
    assert!(sparse_read * 2 > files.len(), "{sparse_read} of {}", files.len());
    assert!(elided > 100, "{elided}");
    eprintln!(
        "{} PDFs: {sparse_read} read in part ({elided} bodies left in their files)",
        files.len()
    );
}
