//! Encrypted PDFs that open with the empty user password (the standard security handler):
//! qpdf encrypts a document with each cipher (RC4 40 and 128 bits, crypt filters with RC4 and
//! AES-128, AES-256 revisions 5 and 6, metadata left in clear); kyso signs it by incremental
//! update and verifies it; qpdf --check, poppler's pdfsig and pyHanko accept kyso's output, and
//! kyso verifies pyHanko's signatures on the same files. Files that need a password, files
//! encrypted for certificates (pyHanko's corpus) and permissions edited without the key are
//! refused, each with its reason.
// Signing uses aws-lc-rs (never the `rsa` crate): these tests need the default provider.
#![cfg(feature = "aws-lc")]

use std::path::Path;
use std::process::Command;

use kyso::pdf::crypt::EncryptionError;
use kyso::pdf::diff::Modification;
use kyso::pdf::sign::{sign_pdf, PdfSignError, PdfSigning};
use kyso::pdf::{Pdf, PdfError};
use kyso::report::{Indication, ValidationReport};
use kyso::sign::{SignError, SignOptions, SoftwareSigner};
use kyso::{Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::{Entity, VietnamTestPki};

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn sign(input: &[u8], e: &Entity, sub: &Entity, what: &PdfSigning) -> Result<Vec<u8>, SignError> {
    let signer = SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap();
    let mut o = SignOptions::new(Time::now());
    o.chain = vec![c(&sub.cert)];
    sign_pdf(input, &signer, what, &o, kyso::crypto::default_provider())
}

fn verifier(pki: &VietnamTestPki) -> Verifier {
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    Verifier::new(store, Policy::vietnam())
}

fn report(pki: &VietnamTestPki, data: &[u8]) -> ValidationReport {
    verifier(pki).report(data, Content::Attached, When::default())
}

fn text(r: &ValidationReport) -> String {
    kyso::report::render(r, kyso::report::Lang::En)
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what} is required: {e}"));
    let says = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: {says}");
    says
}

/// `input` encrypted by qpdf with the user password `user` and `args` (key length, its
/// options, then after a `--` qpdf's other options).
fn qpdf_encrypt(dir: &Dir, input: &[u8], name: &str, user: &str, args: &[&str]) -> Vec<u8> {
    let from = dir.put("plain.pdf", input);
    let to = dir.0.join(name);
    run(
        Command::new("qpdf")
            .arg("--allow-weak-crypto")
            .arg("--encrypt")
            .arg(user)
            .arg("owner-secret")
            .args(args)
            .args(if args.contains(&"--") { &[][..] } else { &["--"][..] })
            .arg(&from)
            .arg(&to),
        "qpdf",
    );
    std::fs::read(to).unwrap()
}

/// pyHanko's library (its command line asks for the password on a terminal): `sign` adds a
/// signature field signed with a PEM key, `validate` prints each signature's verdict.
const PYHANKO: &str = r#"
import sys
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.keys import load_cert_from_pemder
from pyhanko_certvalidator import ValidationContext

if sys.argv[1] == "sign":
    inp, out, key, cert, chain, field = sys.argv[2:8]
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=[chain])
    with open(inp, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        w.encrypt("")
        with open(out, "wb") as o:
            signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name=field), signer=signer, output=o)
else:
    path, root = sys.argv[2:4]
    vc = ValidationContext(trust_roots=[load_cert_from_pemder(root)])
    r = PdfFileReader(open(path, "rb"))
    r.decrypt("")
    for s in r.embedded_signatures:
        st = validate_pdf_signature(s, vc)
        print(s.field_name, st.bottom_line, st.intact, st.valid, st.modification_level.name)
"#;

fn pyhanko(dir: &Dir, args: &[&Path]) -> String {
    let script = dir.put("pyhanko_crypt.py", PYHANKO);
    run(Command::new("python3").arg(script).args(args), "pyHanko (PyPI)")
}

/// The ciphers a user meets: qpdf's options for each, and whether pyHanko opens it (it does
/// not implement revision 5, a deprecated Adobe extension that qpdf and poppler read).
const CIPHERS: [(&str, &[&str], bool); 8] = [
    ("rc4-40", &["40"], true),
    ("rc4-128", &["128"], true),
    ("rc4-128-v4", &["128", "--force-V4"], true),
    ("aes-128", &["128", "--use-aes=y"], true),
    (
        "aes-128-clear-metadata",
        &["128", "--use-aes=y", "--cleartext-metadata"],
        true,
    ),
    ("aes-256-r5", &["256", "--force-R5"], false),
    ("aes-256", &["256"], true),
    // Object streams and a cross-reference stream: the objects inside are decrypted as
    // their stream is, the cross-reference stream is not encrypted.
    (
        "aes-256-object-streams",
        &["256", "--", "--object-streams=generate"],
        true,
    ),
];

/// For each cipher: kyso signs twice (the officer, then the firm), each update encrypted as
/// the file is; kyso, qpdf, pdfsig and pyHanko accept both signatures; pyHanko then signs and
/// kyso verifies all three.
#[test]
fn encrypted_pdfs_sign_and_verify() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-crypt");
    let root = dir.put("root.pem", kyso_testpki::pem("CERTIFICATE", &pki.pub_root.cert));
    let gov_root = dir.put("gov-root.pem", kyso_testpki::pem("CERTIFICATE", &pki.gov_root.cert));
    let key = dir.put("k.pem", kyso_testpki::pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let cert = dir.put("c.pem", kyso_testpki::pem("CERTIFICATE", &pki.company.cert));
    let chain = dir.put("chain.pem", kyso_testpki::pem("CERTIFICATE", &pki.pub_sub.cert));
    for (name, args, pyhanko_opens) in CIPHERS {
        let input = qpdf_encrypt(&dir, &kyso_testpki::pdf_document(1), &format!("{name}.pdf"), "", args);
        let pdf = Pdf::parse(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(pdf.encrypted(), "{name}");
        // Decrypted: the catalog and the page tree are read.
        assert!(pdf.catalog(0).unwrap().get("Pages").is_some(), "{name}");

        let once = sign(&input, &pki.officer, &pki.gov_sub, &PdfSigning::default()).unwrap();
        assert!(once.starts_with(&input), "{name}: the earlier bytes are kept");
        let twice = sign(&once, &pki.company, &pki.pub_sub, &PdfSigning::default()).unwrap();
        let r = report(&pki, &twice);
        assert_eq!(r.indication, Indication::TotalPassed, "{name}: {}", text(&r));
        assert_eq!(r.signatures.len(), 2, "{name}");
        assert!(r.pdf.as_ref().unwrap().encryption.is_some(), "{name}");
        assert!(
            r.signatures[0].pdf.as_ref().unwrap().modification < Modification::Undefined,
            "{name}: {}",
            text(&r)
        );
        let path = dir.put(&format!("{name}-kyso.pdf"), &twice);
        run(Command::new("qpdf").arg("--check").arg(&path), "qpdf --check");
        let says = run(Command::new("pdfsig").arg(&path), "pdfsig (poppler-utils)");
        assert_eq!(says.matches("Signature is Valid").count(), 2, "{name}: pdfsig: {says}");
        if !pyhanko_opens {
            continue;
        }
        // pyHanko, trusting the firm's root only: the officer's signature is valid but not
        // trusted; the firm's is trusted, intact, with nothing changed after it.
        let says = pyhanko(&dir, &[Path::new("validate"), &path, &root]);
        let lines: Vec<&str> = says.lines().filter(|l| l.starts_with("Signature")).collect();
        assert_eq!(lines.len(), 2, "{name}: pyHanko: {says}");
        assert!(lines[0].contains(" True True "), "{name}: pyHanko: {says}");
        assert!(
            lines[1].starts_with("Signature2 True True True NONE"),
            "{name}: pyHanko: {says}"
        );
        let says = pyhanko(&dir, &[Path::new("validate"), &path, &gov_root]);
        assert!(says.contains("Signature1 True True True"), "{name}: pyHanko: {says}");

        let third = dir.0.join(format!("{name}-pyhanko.pdf"));
        pyhanko(
            &dir,
            &[Path::new("sign"), &path, &third, &key, &cert, &chain, Path::new("Sig3")],
        );
        let r = report(&pki, &std::fs::read(&third).unwrap());
        assert_eq!(r.indication, Indication::TotalPassed, "{name}: {}", text(&r));
        assert_eq!(r.signatures.len(), 3, "{name}");
    }
}

/// A file that needs a user password, a file whose permissions allow no signing, and a
/// revision 6 file whose /P was edited without the key: each refused with its reason.
#[test]
fn encrypted_pdfs_refused_with_reason() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("pdf-crypt-refused");
    let doc = kyso_testpki::pdf_document(1);
    for bits in ["128", "256"] {
        let locked = qpdf_encrypt(&dir, &doc, "locked.pdf", "user-secret", &[bits]);
        assert_eq!(
            Pdf::parse(&locked).unwrap_err(),
            PdfError::Encrypted(EncryptionError::NeedsPassword)
        );
        let r = report(&pki, &locked);
        assert_ne!(r.indication, Indication::TotalPassed);
        assert!(text(&r).contains("user password"), "{}", text(&r));
        assert!(matches!(
            sign(&locked, &pki.company, &pki.pub_sub, &PdfSigning::default()),
            Err(SignError::Pdf(PdfSignError::Document(PdfError::Encrypted(
                EncryptionError::NeedsPassword
            ))))
        ));
    }

    let no_forms = qpdf_encrypt(
        &dir,
        &doc,
        "no-forms.pdf",
        "",
        &["256", "--annotate=n", "--form=n", "--modify-other=n"],
    );
    assert!(Pdf::parse(&no_forms).unwrap().encrypted());
    assert!(matches!(
        sign(&no_forms, &pki.company, &pki.pub_sub, &PdfSigning::default()),
        Err(SignError::Pdf(PdfSignError::NotPermitted))
    ));
    // Form filling alone (bit 9) is enough to sign.
    let forms = qpdf_encrypt(
        &dir,
        &doc,
        "forms.pdf",
        "",
        &["256", "--annotate=n", "--modify-other=n"],
    );
    let signed = sign(&forms, &pki.company, &pki.pub_sub, &PdfSigning::default()).unwrap();
    assert_eq!(report(&pki, &signed).indication, Indication::TotalPassed);

    // /P edited to grant everything: /Perms (encrypted with the file key) no longer agrees.
    let mut edited = no_forms.clone();
    let at = find(&edited, b"/P -").expect("qpdf writes /P as a negative integer");
    let end = at
        + 3
        + edited[at + 3..]
            .iter()
            .position(|b| !b.is_ascii_digit() && *b != b'-')
            .unwrap();
    let grant = b"/P -4";
    let mut padded = grant.to_vec();
    padded.resize(end - at, b' ');
    edited[at..end].copy_from_slice(&padded);
    assert!(matches!(
        Pdf::parse(&edited).unwrap_err(),
        PdfError::Encrypted(EncryptionError::Malformed(_))
    ));
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// pyHanko's encrypted corpus: the files that need its passwords ('usersecret') and those
/// encrypted for certificates are refused, each for its reason, never read as plain.
#[test]
fn pyhanko_encrypted_corpus_refused() {
    let Some(dir) = kyso_testpki::shared::vectors("pdf/pyhanko/pdf") else {
        return;
    };
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    for name in ["minimal-rc4.pdf", "minimal-aes256.pdf", "minimal-with-field-rc4.pdf"] {
        assert_eq!(
            Pdf::parse(&read(name)).unwrap_err(),
            PdfError::Encrypted(EncryptionError::NeedsPassword),
            "{name}"
        );
    }
    for name in [
        "minimal-pubkey-rc4.pdf",
        "minimal-pubkey-aes256.pdf",
        "signed-encrypted-pubkey-with-catalog-ref.pdf",
    ] {
        assert_eq!(
            Pdf::parse(&read(name)).unwrap_err(),
            PdfError::Encrypted(EncryptionError::PublicKey),
            "{name}"
        );
    }
    assert!(matches!(
        Pdf::parse(&read("malformed-encrypt-dict2.pdf")).unwrap_err(),
        PdfError::Encrypted(EncryptionError::Malformed(_))
    ));
}
