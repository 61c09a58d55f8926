//! PDF signing by incremental update: kyso signs B-B, B-T (a real TSA, `openssl ts`), B-LT
//! (a DSS) and B-LTA (a document time-stamp), approval and certification signatures, two in
//! sequence; kyso, pyHanko, poppler's `pdfsig` and `qpdf --check` accept them; kyso verifies
//! pyHanko's signatures.
// Signing uses aws-lc-rs (never the `rsa` crate): these tests need the default provider.
#![cfg(feature = "aws-lc")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use kyso::cms::Level;
use kyso::pdf::diff::Modification;
use kyso::pdf::sign::{sign_pdf, PdfSigning, SubFilter};
use kyso::report::{Indication, ValidationReport};
use kyso::sign::{SignOptions, SoftwareSigner};
use kyso::{Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::{Entity, VietnamTestPki};

#[path = "common/tsa.rs"]
mod tsa;
use tsa::OpensslTsa;

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn signer(e: &Entity) -> SoftwareSigner {
    SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap()
}

fn options(sub: &Entity) -> SignOptions {
    let mut o = SignOptions::new(Time::now());
    o.chain = vec![c(&sub.cert)];
    o
}

fn verifier(pki: &VietnamTestPki) -> Verifier {
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    Verifier::new(store, Policy::vietnam())
}

fn text(r: &ValidationReport) -> String {
    kyso::report::render(r, kyso::report::Lang::En)
}

fn pdfsig(path: &std::path::Path) -> String {
    let out = Command::new("pdfsig")
        .arg(path)
        .output()
        .expect("pdfsig (poppler-utils) is required");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn qpdf_check(path: &std::path::Path) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .expect("qpdf is required");
    assert!(
        out.status.success(),
        "qpdf --check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pyhanko sign validate` with `root` as the only trust anchor: its output and whether it
/// accepted (exit 0).
fn pyhanko_validate(dir: &Dir, path: &std::path::Path, root: &[u8], extra: &[&str]) -> (bool, String) {
    let root = dir.put("pyhanko-root.pem", kyso_testpki::pem("CERTIFICATE", root));
    let out = Command::new("python3")
        .args([
            "-m",
            "pyhanko",
            "sign",
            "validate",
            "--no-revocation-check",
            "--trust-replace",
            "--trust",
        ])
        .arg(&root)
        .args(extra)
        .arg(path)
        .output()
        .expect("pyHanko (python3 -m pyhanko) is required");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// B-B, approval, invisible: kyso, pdfsig, qpdf and pyHanko all accept it; the earlier bytes
/// are untouched; a changed byte breaks it.
#[test]
fn b_b_signed_by_kyso_is_accepted_by_every_peer() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-bb");
    let doc = kyso_testpki::pdf_document(2);
    let what = PdfSigning {
        reason: Some("Phê duyệt".into()),
        location: Some("Hà Nội".into()),
        ..PdfSigning::default()
    };
    let signed = sign_pdf(
        &doc,
        &signer(&pki.officer),
        &what,
        &options(&pki.gov_sub),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    assert_eq!(
        &signed[..doc.len()],
        &doc[..],
        "an incremental update: the original bytes are kept"
    );
    let r = verifier(&pki).report(&signed, Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    let s = &r.signatures[0];
    assert_eq!(s.hierarchy.as_deref(), Some("government"));
    let p = s.pdf.as_ref().unwrap();
    assert_eq!(p.field, "Signature1");
    assert_eq!(p.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    assert_eq!(p.reason.as_deref(), Some("Phê duyệt"));
    assert_eq!(p.coverage, kyso::pdf::signature::Coverage::EntireFile);
    let path = dir.put("bb.pdf", &signed);
    qpdf_check(&path);
    let says = pdfsig(&path);
    assert!(says.contains("Signature is Valid"), "{says}");
    let (ok, says) = pyhanko_validate(&dir, &path, &pki.gov_root.cert, &[]);
    assert!(ok && says.contains("INTACT:TRUSTED,UNTOUCHED"), "{says}");

    let mut changed = signed.clone();
    changed[300] ^= 0x20;
    let r = verifier(&pki).report(&changed, Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));
}

/// The officer approves, then the ministry signs as the organisation (Decree 30/2020's
/// order), adbe.pkcs7.detached as Vietnamese software writes it: both verify in kyso and
/// pyHanko, the first with the second's update named as permitted.
#[test]
fn two_signatures_in_sequence_both_verify() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-two");
    let doc = kyso_testpki::pdf_document(1);
    let first = sign_pdf(
        &doc,
        &signer(&pki.officer),
        &PdfSigning {
            sub_filter: SubFilter::Pkcs7Detached,
            ..PdfSigning::default()
        },
        &options(&pki.gov_sub),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    let second = sign_pdf(
        &first,
        &signer(&pki.company),
        &PdfSigning::default(),
        &options(&pki.pub_sub),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    assert_eq!(&second[..first.len()], &first[..]);
    let r = verifier(&pki).report(&second, Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].pdf.as_ref().unwrap().field, "Signature1");
    assert_eq!(r.signatures[1].pdf.as_ref().unwrap().field, "Signature2");
    assert_eq!(
        r.signatures[0].pdf.as_ref().unwrap().modification,
        Modification::LtaUpdates
    );
    assert_eq!(r.signatures[0].hierarchy.as_deref(), Some("government"));
    assert_eq!(r.signatures[1].hierarchy.as_deref(), Some("public"));
    let path = dir.put("two.pdf", &second);
    qpdf_check(&path);
    let says = pdfsig(&path);
    assert_eq!(says.matches("Signature is Valid").count(), 2, "{says}");
    // pyHanko: each signature against its own hierarchy's root.
    let (_, says) = pyhanko_validate(&dir, &path, &pki.gov_root.cert, &[]);
    assert!(says.contains("Signature1") && says.contains("INTACT:TRUSTED"), "{says}");
    let (ok, says) = pyhanko_validate(&dir, &path, &pki.pub_root.cert, &[]);
    assert!(says.contains("Signature2") && says.contains("INTACT:TRUSTED"), "{says}");
    assert!(!says.contains("ILLEGAL"), "{says}");
    let _ = ok;
}

/// A certification signature (DocMDP P=1) followed by an approval signature: the second is
/// a change the first does not permit. With P=2 it is permitted.
#[test]
fn certification_permissions_are_kept() {
    let pki = VietnamTestPki::build();
    let doc = kyso_testpki::pdf_document(1);
    for (p, allowed) in [(1u8, false), (2, true)] {
        let certified = sign_pdf(
            &doc,
            &signer(&pki.officer),
            &PdfSigning {
                certify: Some(p),
                ..PdfSigning::default()
            },
            &options(&pki.gov_sub),
            kyso::crypto::default_provider(),
        )
        .unwrap();
        let r = verifier(&pki).report(&certified, Content::Attached, When::default());
        assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
        assert_eq!(r.signatures[0].pdf.as_ref().unwrap().docmdp, Some(p));
        let then = sign_pdf(
            &certified,
            &signer(&pki.company),
            &PdfSigning::default(),
            &options(&pki.pub_sub),
            kyso::crypto::default_provider(),
        )
        .unwrap();
        let r = verifier(&pki).report(&then, Content::Attached, When::default());
        let m = r.signatures[0].pdf.as_ref().unwrap().modification;
        if allowed {
            assert_eq!(r.indication, Indication::TotalPassed, "P={p}: {}", text(&r));
        } else {
            assert_eq!(m, Modification::NotAllowed, "P={p}");
            assert_eq!(r.signatures[0].indication, Indication::TotalFailed);
        }
        // A second certification is refused.
        let again = sign_pdf(
            &certified,
            &signer(&pki.company),
            &PdfSigning {
                certify: Some(2),
                ..PdfSigning::default()
            },
            &options(&pki.pub_sub),
            kyso::crypto::default_provider(),
        );
        assert!(matches!(again, Err(kyso::sign::SignError::Pdf(_))), "{again:?}");
    }
}

/// B-T, B-LT and B-LTA with a real TSA: the level is reported, the DSS's CRLs are the
/// evidence under hard-fail revocation, the document time-stamp verifies; pyHanko and
/// pdfsig accept the result.
#[test]
fn b_t_b_lt_and_b_lta_with_a_real_tsa() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-lta");
    let (tsa, tsa_cert) = OpensslTsa::new(&pki, "pades");
    let tsa = Arc::new(tsa);
    let now = Time::now();
    let crl = |e: &Entity| kyso::revocation::Crl::from_der(kyso_testpki::fresh_crl(e, 1, &[], now.unix())).unwrap();
    let doc = kyso_testpki::pdf_document(1);
    let hard = |pool: Vec<Certificate>| {
        let mut store = TrustStore::new();
        store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
        Verifier::new(
            store,
            Policy::vietnam()
                .to_builder()
                .revocation(kyso::revocation::RevocationMode::Hard)
                .build(),
        )
        .with_pool(pool)
    };
    for level in [Level::BT, Level::BLT, Level::BLTA] {
        let mut o = options(&pki.pub_sub);
        o.level = level;
        o.tsa = Some(tsa.clone());
        o.revocation_values =
            kyso::revocation::RevocationEvidence::from_crls(vec![crl(&pki.pub_sub), crl(&pki.pub_root)]);
        let signed = sign_pdf(
            &doc,
            &signer(&pki.company),
            &PdfSigning::default(),
            &o,
            kyso::crypto::default_provider(),
        )
        .unwrap();
        let r = hard(vec![tsa_cert.clone()]).report(&signed, Content::Attached, When::default());
        let s = &r.signatures[0];
        if level == Level::BT {
            // Without the DSS, hard-fail revocation has no evidence; soft-fail accepts.
            assert_ne!(r.indication, Indication::TotalPassed);
            let r = verifier(&pki)
                .with_pool([tsa_cert.clone()])
                .report(&signed, Content::Attached, When::default());
            assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
            assert_eq!(r.signatures[0].level, Some(Level::BT));
        } else {
            assert_eq!(s.level, Some(level), "{level:?}: {}", text(&r));
            assert!(s.timestamp.as_ref().is_some_and(|t| t.valid), "{}", text(&r));
            assert_eq!(s.indication, Indication::TotalPassed, "{level:?}: {}", text(&r));
        }
        if level == Level::BLTA {
            assert_eq!(r.signatures.len(), 2, "the signature and the document time-stamp");
            let ts = &r.signatures[1];
            assert_eq!(
                ts.pdf.as_ref().unwrap().kind,
                kyso::pdf::signature::SignatureKind::DocumentTimestamp
            );
            assert_eq!(ts.integrity, kyso::report::Outcome::Passed, "{}", text(&r));
        }
        let path = dir.put(&format!("{level:?}.pdf"), &signed);
        qpdf_check(&path);
        let says = pdfsig(&path);
        assert!(says.contains("Signature is Valid"), "{level:?}: {says}");
        let (ok, says) = pyhanko_validate(&dir, &path, &pki.pub_root.cert, &[]);
        assert!(ok, "{level:?}: {says}");
        assert!(says.contains("INTACT:TRUSTED"), "{level:?}: {says}");
    }
}

/// kyso verifies what pyHanko signs: an approval signature, then a second one.
#[test]
fn pyhanko_signed_pdfs_verify_in_kyso() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-pyhanko");
    let input = dir.put("in.pdf", kyso_testpki::pdf_document(1));
    let key = dir.put("k.pem", kyso_testpki::pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let cert = dir.put("c.pem", kyso_testpki::pem("CERTIFICATE", &pki.company.cert));
    let chain = dir.put("chain.pem", kyso_testpki::pem("CERTIFICATE", &pki.pub_sub.cert));
    let okey = dir.put("ok.pem", kyso_testpki::pem("PRIVATE KEY", pki.officer.key.pkcs8()));
    let ocert = dir.put("oc.pem", kyso_testpki::pem("CERTIFICATE", &pki.officer.cert));
    let ochain = dir.put("ochain.pem", kyso_testpki::pem("CERTIFICATE", &pki.gov_sub.cert));
    let sign = |field: &str, from: &PathBuf, to: &PathBuf, k: &PathBuf, c: &PathBuf, ch: &PathBuf| {
        let out = Command::new("python3")
            .args([
                "-m",
                "pyhanko",
                "sign",
                "addsig",
                "--field",
                field,
                "pemder",
                "--no-pass",
                "--key",
            ])
            .arg(k)
            .arg("--cert")
            .arg(c)
            .arg("--chain")
            .arg(ch)
            .arg(from)
            .arg(to)
            .output()
            .expect("pyHanko is required");
        assert!(
            out.status.success(),
            "pyhanko addsig: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let once = dir.0.join("once.pdf");
    let twice = dir.0.join("twice.pdf");
    sign("Sig1", &input, &once, &okey, &ocert, &ochain);
    sign("Sig2", &once, &twice, &key, &cert, &chain);
    let r = verifier(&pki).report(&std::fs::read(&twice).unwrap(), Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].hierarchy.as_deref(), Some("government"));
    assert!(r.signatures[0].pdf.as_ref().unwrap().modification < Modification::Undefined);
    // And kyso signs after pyHanko.
    let third = sign_pdf(
        &std::fs::read(&twice).unwrap(),
        &signer(&pki.officer),
        &PdfSigning::default(),
        &options(&pki.gov_sub),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    let r = verifier(&pki).report(&third, Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(r.signatures.len(), 3);
}

/// A red round seal, 64×64 RGBA PNG with a transparent background.
fn seal_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, 64, 64);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut w = e.write_header().unwrap();
        let mut px = Vec::new();
        for y in 0..64i32 {
            for x in 0..64i32 {
                let d = (x - 32) * (x - 32) + (y - 32) * (y - 32);
                let ring = (26 * 26..=31 * 31).contains(&d) || d < 10 * 10;
                px.extend_from_slice(if ring { &[200, 0, 0, 255] } else { &[0, 0, 0, 0] });
            }
        }
        w.write_image_data(&px).unwrap();
    }
    out
}

/// Page 1 rendered by poppler's `pdftoppm` at 72 dpi in grey: (width, height, pixels).
fn render(dir: &Dir, path: &std::path::Path) -> (usize, usize, Vec<u8>) {
    let prefix = dir.0.join("page");
    let st = Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1", "-gray"])
        .arg(path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is required");
    assert!(st.success());
    let pgm = std::fs::read(dir.0.join("page-1.pgm")).unwrap();
    // P5, width, height, maxval, then the bytes.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[s..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, pgm[i + 1..].to_vec())
}

/// A visible signature with the organisation's seal: the widget's rectangle shows the
/// signer, the organisation and the signing time with Vietnamese diacritics (pdftotext reads
/// them back through the embedded font's ToUnicode), poppler renders it (not blank where the
/// box is, blank elsewhere), and every peer still accepts the signature.
#[test]
fn a_visible_signature_with_a_seal_renders_in_vietnamese() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-visible");
    let font = kyso::pdf::appearance::DEFAULT_FONTS
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("a font with Vietnamese glyphs (fonts-dejavu-core) is required");
    let placement = kyso::pdf::appearance::Placement::parse("1,300,80,240,70").unwrap();
    let what = PdfSigning {
        reason: Some("Ban hành văn bản".into()),
        visible: Some(kyso::pdf::appearance::Visible {
            placement,
            lines: Vec::new(),
            font: std::fs::read(font).unwrap(),
            image: Some(kyso::pdf::appearance::Image { data: seal_png() }),
        }),
        ..PdfSigning::default()
    };
    let unsigned = kyso_testpki::pdf_document(1);
    let signed = sign_pdf(
        &unsigned,
        &signer(&pki.company),
        &what,
        &options(&pki.pub_sub),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    // The subset keeps the file small: well under the 750 KB of the whole font.
    assert!(
        signed.len() - unsigned.len() < 120_000,
        "{}",
        signed.len() - unsigned.len()
    );
    let r = verifier(&pki).report(&signed, Content::Attached, When::default());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    let path = dir.put("visible.pdf", &signed);
    qpdf_check(&path);
    assert!(pdfsig(&path).contains("Signature is Valid"));
    let (ok, says) = pyhanko_validate(&dir, &path, &pki.pub_root.cert, &[]);
    assert!(ok, "{says}");
    // The text, read back by poppler.
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is required");
    let words = String::from_utf8_lossy(&out.stdout).into_owned();
    for expected in [
        "Ký bởi: CÔNG TY TNHH KYSO THỬ NGHIỆM",
        "Thời gian ký:",
        "(giờ Việt Nam)",
        "Lý do: Ban hành văn bản",
    ] {
        assert!(words.contains(expected), "{expected:?} not in {words:?}");
    }
    // The rendering: dark pixels inside the box (text and seal), the page's right margin
    // above it blank.
    let (w, h, px) = render(&dir, &path);
    let dark = |x0: usize, y0: usize, x1: usize, y1: usize| {
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                if px[y * w + x] < 128 {
                    n += 1;
                }
            }
        }
        n
    };
    let (bx, by) = (300, h - 80 - 70);
    let inside = dark(bx, by, bx + 240, by + 70);
    assert!(inside > 200, "the signature box rendered blank ({inside} dark pixels)");
    let seal = dark(bx + 3, by + 3, bx + 67, by + 67);
    assert!(seal > 100, "the seal is not drawn ({seal} dark pixels)");
    assert_eq!(dark(300, 300, 540, 370), 0, "a part of the page that should be blank");
    assert!(w >= 595);
}

/// pyHanko's library: `sign` puts a FieldMDP /Lock on the field Sig1 and signs it, `fill`
/// sets TextField1's value in a new revision.
const PYHANKO_FIELDMDP: &str = r#"
import sys
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils import generic
from pyhanko.sign import signers, fields

if sys.argv[1] == "sign":
    inp, out, key, cert, chain, action, names = sys.argv[2:9]
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=[chain])
    spec = fields.FieldMDPSpec(fields.FieldMDPAction[action], fields=names.split(","))
    with open(inp, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        for ref in w.root["/AcroForm"]["/Fields"]:
            fd = ref.get_object()
            if fd.get("/T") == "Sig1":
                fd["/Lock"] = spec.as_pdf_object()
                w.update_container(fd)
        with open(out, "wb") as o:
            signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer, output=o)
else:
    inp, out, value = sys.argv[2:5]
    with open(inp, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        for ref in w.root["/AcroForm"]["/Fields"]:
            fd = ref.get_object()
            if fd.get("/T") == "TextField1":
                fd["/V"] = generic.pdf_string(value)
                w.update_container(fd)
        with open(out, "wb") as o:
            w.write(o)
"#;

/// pyHanko's form (a text field, an empty signature field): pyHanko signs with a FieldMDP
/// lock, then fills the text field in a later revision. A lock on that field makes the change
/// not allowed; a lock on every field but it leaves it form filling. pyHanko agrees.
#[test]
fn fieldmdp_locks_judged() {
    let Some(form) = kyso_testpki::shared::vectors("pdf/pyhanko/pdf/minimal-with-simple-form.pdf") else {
        return;
    };
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-fieldmdp");
    let script = dir.put("fieldmdp.py", PYHANKO_FIELDMDP);
    let key = dir.put("k.pem", kyso_testpki::pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let cert = dir.put("c.pem", kyso_testpki::pem("CERTIFICATE", &pki.company.cert));
    let chain = dir.put("chain.pem", kyso_testpki::pem("CERTIFICATE", &pki.pub_sub.cert));
    let py = |args: &[&std::ffi::OsStr]| {
        let out = Command::new("python3")
            .arg(&script)
            .args(args)
            .output()
            .expect("pyHanko is required");
        assert!(
            out.status.success(),
            "pyHanko: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for (action, locked) in [("INCLUDE", true), ("EXCLUDE", false)] {
        let signed = dir.0.join(format!("{action}-signed.pdf"));
        let filled = dir.0.join(format!("{action}-filled.pdf"));
        py(&[
            "sign".as_ref(),
            form.as_os_str(),
            signed.as_os_str(),
            key.as_os_str(),
            cert.as_os_str(),
            chain.as_os_str(),
            action.as_ref(),
            "TextField1".as_ref(),
        ]);
        py(&[
            "fill".as_ref(),
            signed.as_os_str(),
            filled.as_os_str(),
            "changed".as_ref(),
        ]);
        let r = verifier(&pki).report(&std::fs::read(&filled).unwrap(), Content::Attached, When::default());
        let info = r.signatures[0].pdf.as_ref().unwrap();
        assert!(info.lock.is_some(), "{action}: {}", text(&r));
        let field = info.changes.iter().find(|c| c.field.as_deref() == Some("TextField1"));
        assert!(field.is_some(), "{action}: {}", text(&r));
        let (ok, says) = pyhanko_validate(&dir, &filled, &pki.pub_root.cert, &[]);
        if locked {
            assert_eq!(info.modification, Modification::NotAllowed, "{}", text(&r));
            assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));
            assert!(!ok && says.contains("ILLEGAL_MODIFICATIONS"), "pyHanko: {says}");
        } else {
            assert_eq!(info.modification, Modification::FormFilling, "{}", text(&r));
            assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
            assert!(ok && says.contains("EXTENDED_WITH_FORM_FILLING"), "pyHanko: {says}");
        }
    }
}
