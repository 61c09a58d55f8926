//! Enveloped XML signatures as Vietnamese e-invoices carry them: kyso signs the seller's
//! signature into `DSCKS/NBan` with a public-hierarchy certificate, the tax authority's into
//! `DSCKS/CQT` with a government one, and verifies both; then the real peers: `xmlsec1` and
//! the JDK's own `javax.xml.crypto.dsig` verify what kyso signs, and sign what kyso verifies;
//! then the attacks on a signed invoice (signature wrapping, retargeted References, swapped
//! values, algorithm confusion, injected keys, appended signatures, hostile XML), each with
//! its typed outcome.

// Signing needs the aws-lc-rs provider (SoftwareSigner).
#![cfg(feature = "aws-lc")]

use std::path::Path;
use std::process::Command;

use kyso::report::{Indication, Outcome};
use kyso::revocation::{Crl, RevocationEvidence};
use kyso::sign::{SignError, SignOptions, SoftwareSigner};
use kyso::xml::sign::{sign_enveloped, Placement, XmlSignError, XmlSignature};
use kyso::{Certificate, Content, Hierarchy, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::{fresh_crl, pem, Entity, VietnamTestPki};

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

/// 2026-06-01 10:00 UTC: inside every test certificate's validity.
fn now() -> Time {
    Time::from_ymd_hms(2026, 6, 1, 10, 0, 0).unwrap()
}

/// An e-invoice of Circular 78/2021's shape (without the tax authority's code yet).
const INVOICE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"DLHDon-C26TAA-123\"><TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C26TAA</KHHDon><SHDon>123</SHDon><NLap>2026-06-01</NLap><DVTTe>VND</DVTTe></TTChung><NDHDon><NBan><Ten>Công ty TNHH Thử Nghiệm Ký Số</Ten><MST>0109999999</MST><DChi>Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội</DChi></NBan><NMua><Ten>Cục Thuế Hà Nội</Ten><MST>0100000001-001</MST></NMua><DSHHDVu><HHDVu><STT>1</STT><THHDVu>Dịch vụ tư vấn &amp; triển khai</THHDVu><SLuong>1</SLuong><DGia>1000000</DGia><ThTien>1000000</ThTien><TSuat>10%</TSuat></HHDVu></DSHHDVu><TToan><TgTCThue>1000000</TgTCThue><TgTThue>100000</TgTThue><TgTTTBSo>1100000</TgTTTBSo></TToan></NDHDon></DLHDon>\n<DSCKS><NBan/><CQT/></DSCKS></HDon>\n";

fn signer(e: &Entity) -> SoftwareSigner {
    SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap()
}

fn options(sub: &Entity) -> SignOptions {
    let mut o = SignOptions::new(now());
    o.chain = vec![c(&sub.cert)];
    o
}

fn into(path: &str) -> XmlSignature {
    XmlSignature {
        into: Placement::parse(path),
        references: Vec::new(),
        id: None,
        xades: false,
        exclusive_c14n: false,
    }
}

fn verifier(pki: &VietnamTestPki, policy: Policy) -> Verifier {
    let mut store = TrustStore::new();
    store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
    store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
    let t = now().unix();
    let crls = [&pki.pub_sub, &pki.gov_sub, &pki.pub_root, &pki.gov_root]
        .iter()
        .map(|e| Crl::from_bytes(&fresh_crl(e, 1, &[], t)).unwrap())
        .collect();
    Verifier::new(store, policy).with_evidence(RevocationEvidence::from_crls(crls))
}

fn when() -> When {
    When {
        at: None,
        now: Some(now()),
    }
}

/// The seller signs, the tax authority adds its code and countersigns: both signatures are
/// valid, each of its own hierarchy and role, each covering what its role must sign.
fn seller_then_tax_authority(pki: &VietnamTestPki) -> (Vec<u8>, Vec<u8>) {
    let provider = kyso::crypto::default_provider();
    let seller = sign_enveloped(
        INVOICE.as_bytes(),
        &signer(&pki.company),
        &into("DSCKS/NBan"),
        &options(&pki.pub_sub),
        provider,
    )
    .unwrap();
    // The tax authority's code goes in after the seller signed, as its system adds it.
    let text = String::from_utf8(seller.clone()).unwrap();
    let with_code = text.replacen(
        "\n<DSCKS>",
        "\n<MCCQT Id=\"MCCQT-1\">00E2F1A9C4B7D84B5C9A1E2F3D4C5B6A7F</MCCQT>\n<DSCKS>",
        1,
    );
    let both = sign_enveloped(
        with_code.as_bytes(),
        &signer(&pki.officer),
        &into("HDon/DSCKS/CQT"),
        &options(&pki.gov_sub),
        provider,
    )
    .unwrap();
    (seller, both)
}

#[test]
fn an_invoice_signed_by_the_seller_and_countersigned_by_the_tax_authority_verifies() {
    let pki = VietnamTestPki::build();
    let (seller, both) = seller_then_tax_authority(&pki);
    // Nothing outside the new Signature changed: the input is a prefix and a suffix of it.
    let s = String::from_utf8(seller.clone()).unwrap();
    let cut = INVOICE.find("<NBan/>").unwrap();
    assert!(s.starts_with(&INVOICE[..cut]));
    assert!(s.ends_with(&INVOICE[cut + "<NBan/>".len()..]));
    assert!(
        s.contains("<SigningTime>2026-06-01T17:00:00</SigningTime>"),
        "Vietnam time, no zone"
    );

    let v = verifier(&pki, Policy::vietnam());
    let r = v.report(&both, Content::Attached, when());
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["kind"], "xml");
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    assert_eq!(r.signatures.len(), 2);
    let (nban, cqt) = (&r.signatures[0], &r.signatures[1]);
    assert_eq!(nban.role.as_ref().unwrap().code, "NBan");
    assert_eq!(nban.hierarchy.as_deref(), Some("public"));
    assert_eq!(cqt.role.as_ref().unwrap().code, "CQT");
    assert_eq!(cqt.hierarchy.as_deref(), Some("government"));
    for s in [nban, cqt] {
        assert_eq!(s.integrity, Outcome::Passed);
        assert!(s.warnings.iter().all(|w| w.code != "vn_coverage"), "{:?}", s.warnings);
        assert!(s.references.iter().all(|x| x.digest == Outcome::Passed));
    }
    let covered =
        |s: &kyso::report::SignatureReport| s.references.iter().filter_map(|x| x.covers.clone()).collect::<Vec<_>>();
    assert_eq!(covered(nban), ["DLHDon", "Object"]);
    assert_eq!(covered(cqt), ["DLHDon", "MCCQT", "Object"]);
    // The signing time each claimed is the one it wrote (Vietnam time, read as such).
    assert_eq!(nban.signing_time, Some(now()));
    assert!(nban.warnings.iter().any(|w| w.code == "signing_time_local"));
    let text = kyso::report::render(&r, kyso::report::Lang::Vi);
    assert!(text.contains("Tham chiếu 1"), "{text}");
}

#[test]
fn a_changed_invoice_fails_with_the_reference_that_changed() {
    let pki = VietnamTestPki::build();
    let (_, both) = seller_then_tax_authority(&pki);
    let v = verifier(&pki, Policy::vietnam());
    let text = String::from_utf8(both).unwrap();
    // The amount inside DLHDon: both signatures' first Reference fails, the SigningTime one holds.
    let changed = text.replacen("<TgTTTBSo>1100000<", "<TgTTTBSo>1900000<", 1);
    let r = v.report(changed.as_bytes(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalFailed);
    for s in &r.signatures {
        assert_eq!(s.integrity, Outcome::Failed);
        assert_eq!(s.references[0].digest, Outcome::Failed);
        assert_eq!(s.references.last().unwrap().digest, Outcome::Passed);
    }
    // The code only the tax authority signed: the seller's signature stays valid.
    let recoded = text.replacen("00E2F1A9", "00E2F1A8", 1);
    let r = v.report(recoded.as_bytes(), Content::Attached, when());
    assert_eq!(r.signatures[0].indication, Indication::TotalPassed);
    assert_eq!(r.signatures[1].indication, Indication::TotalFailed);
    assert_eq!(r.signatures[1].references[1].covers.as_deref(), Some("MCCQT"));
    assert_eq!(r.signatures[1].references[1].digest, Outcome::Failed);
    // Comments and whitespace outside the signed data: still valid.
    let spaced = text.replacen("\n<DSCKS>", "\n<!-- lưu trữ -->\n  <DSCKS>", 1);
    let r = v.report(spaced.as_bytes(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed);
}

#[test]
fn signing_refuses_what_it_cannot_place_or_reference() {
    let pki = VietnamTestPki::build();
    let provider = kyso::crypto::default_provider();
    let s = signer(&pki.company);
    let o = options(&pki.pub_sub);
    let err = |what: &XmlSignature, doc: &str| match sign_enveloped(doc.as_bytes(), &s, what, &o, provider) {
        Err(SignError::Xml(e)) => e,
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        err(&into("DSCKS/NMua"), INVOICE),
        XmlSignError::PlacementNotFound(_)
    ));
    let mut named = into("DSCKS/NBan");
    named.references = vec!["khong-co".into()];
    assert!(matches!(err(&named, INVOICE), XmlSignError::Reference(_)));
    let twice = INVOICE.replacen("<NLap>", "<NLap Id=\"DLHDon-C26TAA-123\">", 1);
    let mut dup = into("DSCKS/NBan");
    dup.references = vec!["DLHDon-C26TAA-123".into()];
    assert!(matches!(err(&dup, &twice), XmlSignError::Reference(_)));
    assert!(matches!(
        err(&into("DSCKS/NBan"), "<!DOCTYPE x [<!ENTITY e \"x\">]><HDon/>"),
        XmlSignError::Document(kyso::xml::XmlError::Dtd)
    ));
    // A document without DLHDon: the whole document, enveloped.
    let plain = "<ThongBao><NoiDung>Thông báo</NoiDung><CKy/></ThongBao>";
    let signed = sign_enveloped(plain.as_bytes(), &s, &into("CKy"), &o, provider).unwrap();
    let r = verifier(&pki, Policy::vietnam()).report(&signed, Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(r.signatures[0].references[0].uri.as_deref(), Some(""));
}

/// Run a command; its success and its combined output.
fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (the test script installs it)"));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn xmlsec1_verify(dir: &Dir, pki: &VietnamTestPki, doc: &Path, signature_id: &str) -> (bool, String) {
    let pub_root = dir.put("pub-root.pem", pem("CERTIFICATE", &pki.pub_root.cert));
    let gov_root = dir.put("gov-root.pem", pem("CERTIFICATE", &pki.gov_root.cert));
    run(Command::new("xmlsec1")
        .arg("--verify")
        .arg("--trusted-pem")
        .arg(&pub_root)
        .arg("--trusted-pem")
        .arg(&gov_root)
        .args(["--id-attr:Id", "DLHDon", "--id-attr:Id", "MCCQT"])
        .args(["--verification-time", "2026-06-01 10:00:00"])
        .arg("--node-xpath")
        .arg(format!("//*[local-name()='Signature' and @Id='{signature_id}']"))
        .arg(doc))
}

/// xmlsec1 (libxmlsec1 over OpenSSL) verifies both signatures kyso made, chains included,
/// and refuses the changed document.
#[test]
fn xmlsec1_verifies_what_kyso_signs() {
    let pki = VietnamTestPki::build();
    let (_, both) = seller_then_tax_authority(&pki);
    let dir = Dir::new("xml-xmlsec-verify");
    let doc = dir.put("hdon.xml", &both);
    for id in ["NBan", "CQT"] {
        let (ok, out) = xmlsec1_verify(&dir, &pki, &doc, id);
        assert!(ok, "xmlsec1 refused the {id} signature: {out}");
    }
    let changed = String::from_utf8(both)
        .unwrap()
        .replacen("<SHDon>123<", "<SHDon>124<", 1);
    let bad = dir.put("hdon-changed.xml", changed);
    let (ok, _) = xmlsec1_verify(&dir, &pki, &bad, "NBan");
    assert!(!ok, "xmlsec1 accepted a changed invoice");
}

/// A Signature template for `xmlsec1 --sign`: the invoice data by its Id, and a
/// SignatureProperties object inside the Signature referenced with the enveloped-signature
/// transform — the case whose W3C reading (xmlsec1's) digests nothing.
fn xmlsec1_template() -> String {
    const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    let signature = format!(
        r##"<Signature Id="NBan" xmlns="{DS}"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#DLHDon-C26TAA-123"><Transforms><Transform Algorithm="{DS}enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue></Reference><Reference URI="#NBan-SigningTime"><Transforms><Transform Algorithm="{DS}enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo><Object Id="NBan-SigningTime"><SignatureProperties><SignatureProperty Target="#NBan"><SigningTime>2026-06-01T17:00:00</SigningTime></SignatureProperty></SignatureProperties></Object></Signature>"##
    );
    INVOICE.replacen("<NBan/>", &format!("<NBan>{signature}</NBan>"), 1)
}

/// kyso verifies what `xmlsec1 --sign` makes, and says which reading of the enveloped
/// transform matched: the W3C one, where the target inside the Signature digests nothing.
#[test]
fn kyso_verifies_what_xmlsec1_signs() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("xml-xmlsec-sign");
    let tmpl = dir.put("tmpl.xml", xmlsec1_template());
    // The key, then the certificates that go into X509Data (each file its own, as xmlsec1 reads them).
    let key = dir.put("company-key.pem", pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let cert = dir.put("company.pem", pem("CERTIFICATE", &pki.company.cert));
    let ca = dir.put("pub-sub.pem", pem("CERTIFICATE", &pki.pub_sub.cert));
    let key = format!("{},{},{}", key.display(), cert.display(), ca.display());
    let out = dir.0.join("signed.xml");
    let (ok, log) = run(Command::new("xmlsec1")
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(&key)
        .args(["--id-attr:Id", "DLHDon", "--output"])
        .arg(&out)
        .arg(&tmpl));
    assert!(ok, "xmlsec1 --sign: {log}");
    let signed = std::fs::read(&out).unwrap();
    for policy in [Policy::vietnam(), Policy::strict()] {
        let r = verifier(&pki, policy).report(&signed, Content::Attached, when());
        assert_eq!(
            r.indication,
            Indication::TotalPassed,
            "{}",
            kyso::report::render(&r, kyso::report::Lang::En)
        );
        let refs = &r.signatures[0].references;
        assert_eq!(refs[1].enveloped_reading, Some(kyso::xml::dsig::EnvelopedReading::W3c));
        assert!(r.signatures[0].warnings.iter().all(|w| w.code != "santuario_enveloped"));
    }
    // A value changed: kyso and xmlsec1 both refuse it.
    let changed = String::from_utf8(signed)
        .unwrap()
        .replacen("<DGia>1000000<", "<DGia>100000<", 1);
    let r = verifier(&pki, Policy::vietnam()).report(changed.as_bytes(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalFailed);
}

/// `tests/java/XmlDsig.java`, compiled into `dir` with the JDK's javac.
fn java_peer(dir: &Dir) -> impl Fn(&[&std::ffi::OsStr]) -> (bool, String) + '_ {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/XmlDsig.java");
    let (ok, log) = run(Command::new("javac").arg("-d").arg(&dir.0).arg(&src));
    assert!(ok, "javac: {log}");
    move |args: &[&std::ffi::OsStr]| run(Command::new("java").arg("-cp").arg(&dir.0).arg("XmlDsig").args(args))
}

/// The JDK's JSR-105 validates both signatures kyso made, and refuses the changed invoice.
#[test]
fn the_jdk_verifies_what_kyso_signs() {
    let pki = VietnamTestPki::build();
    let (_, both) = seller_then_tax_authority(&pki);
    let dir = Dir::new("xml-jdk-verify");
    let java = java_peer(&dir);
    let doc = dir.put("hdon.xml", &both);
    for id in ["NBan", "CQT"] {
        let (ok, out) = java(&["verify".as_ref(), doc.as_os_str(), id.as_ref()]);
        assert!(ok && out.contains("VALID"), "the JDK refused the {id} signature: {out}");
    }
    let changed = String::from_utf8(both)
        .unwrap()
        .replacen("<SHDon>123<", "<SHDon>124<", 1);
    let bad = dir.put("hdon-changed.xml", changed);
    let (ok, out) = java(&["verify".as_ref(), bad.as_os_str(), "NBan".as_ref()]);
    assert!(!ok && out.contains("reference #DLHDon-C26TAA-123: FAILED"), "{out}");
}

/// What the JDK signs, kyso verifies — including the References that run the
/// enveloped-signature transform on the SignatureProperties inside their own Signature, which
/// the JDK (Santuario) digests whole: intact under the Vietnamese policy with a named warning,
/// a changed document under the strict one (the W3C reading), and xmlsec1 (the W3C reading
/// too) refuses it.
#[test]
fn kyso_verifies_what_the_jdk_signs_and_names_santuarios_reading() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("xml-jdk-sign");
    let java = java_peer(&dir);
    let input = dir.put("hdon.xml", INVOICE);
    let key = dir.put("company.p8", pki.company.key.pkcs8());
    let cert = dir.put("company.der", &pki.company.cert);
    let ca = dir.put("pub-sub.der", &pki.pub_sub.cert);
    let out = dir.0.join("signed.xml");
    let args: Vec<&std::ffi::OsStr> = vec![
        "sign".as_ref(),
        input.as_os_str(),
        out.as_os_str(),
        key.as_os_str(),
        cert.as_os_str(),
        ca.as_os_str(),
        "NBan".as_ref(),
        "DLHDon-C26TAA-123".as_ref(),
    ];
    let (ok, log) = java(&args);
    assert!(ok, "the JDK could not sign: {log}");
    let signed = std::fs::read(&out).unwrap();
    let (ok, log) = java(&["verify".as_ref(), out.as_os_str(), "NBan".as_ref()]);
    assert!(ok, "the JDK refuses its own signature: {log}");

    let vn = verifier(&pki, Policy::vietnam()).report(&signed, Content::Attached, when());
    assert_eq!(
        vn.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&vn, kyso::report::Lang::En)
    );
    let s = &vn.signatures[0];
    assert_eq!(s.role.as_ref().unwrap().code, "NBan");
    assert_eq!(s.references[0].covers.as_deref(), Some("DLHDon"));
    assert_eq!(
        s.references[0].enveloped_reading, None,
        "DLHDon lies outside the Signature"
    );
    assert_eq!(
        s.references[1].enveloped_reading,
        Some(kyso::xml::dsig::EnvelopedReading::Santuario)
    );
    assert!(s
        .warnings
        .iter()
        .any(|w| w.code == "tolerated_quirk" && w.message.en.contains("Santuario")));

    let strict = verifier(&pki, Policy::strict()).report(&signed, Content::Attached, when());
    assert_eq!(strict.indication, Indication::TotalFailed);
    let s = &strict.signatures[0];
    assert_eq!(s.references[1].digest, Outcome::Failed);
    assert_eq!(
        s.references[1].enveloped_reading,
        Some(kyso::xml::dsig::EnvelopedReading::Santuario)
    );
    assert!(s.warnings.iter().any(|w| w.code == "santuario_enveloped"));

    let (ok, log) = xmlsec1_verify(&dir, &pki, &out, "NBan");
    assert!(
        !ok,
        "xmlsec1 reads the enveloped transform the W3C way, so it must refuse: {log}"
    );
}

// ---- Hostile documents: each attack on a signed invoice, with its typed outcome. ----

fn report_of(pki: &VietnamTestPki, doc: &[u8]) -> kyso::report::ValidationReport {
    verifier(pki, Policy::vietnam()).report(doc, Content::Attached, when())
}

fn warned(s: &kyso::report::SignatureReport, code: &str) -> bool {
    s.warnings.iter().any(|w| w.code == code)
}

/// A second element carrying the signed Id — before or after the genuine one, under `Id`,
/// `ID` or `id` — is refused as ambiguous, never resolved to "the first one".
#[test]
fn a_second_element_with_the_signed_id_is_refused() {
    let pki = VietnamTestPki::build();
    let (seller, _) = seller_then_tax_authority(&pki);
    let text = String::from_utf8(seller).unwrap();
    let fake =
        |attr: &str| format!("<DLHDon {attr}=\"DLHDon-C26TAA-123\"><TToan><TgTTTBSo>1</TgTTTBSo></TToan></DLHDon>");
    for (what, doc) in [
        (
            "before, Id",
            text.replacen("<DLHDon ", &format!("{}<DLHDon ", fake("Id")), 1),
        ),
        (
            "after, Id",
            text.replacen("\n<DSCKS>", &format!("{}\n<DSCKS>", fake("Id")), 1),
        ),
        (
            "after, ID",
            text.replacen("\n<DSCKS>", &format!("{}\n<DSCKS>", fake("ID")), 1),
        ),
        (
            "after, id",
            text.replacen("\n<DSCKS>", &format!("{}\n<DSCKS>", fake("id")), 1),
        ),
    ] {
        let r = report_of(&pki, doc.as_bytes());
        assert_eq!(r.indication, Indication::Indeterminate, "{what}");
        let s = &r.signatures[0];
        assert_eq!(s.references[0].digest, Outcome::Undetermined, "{what}");
        assert!(
            s.references[0].reason.as_ref().unwrap().en.contains("several elements"),
            "{what}"
        );
    }
}

/// The signed DLHDon moved into a wrapper (or a ds:Object) and a forged one put where the
/// invoice shows it: the digest still matches the moved original, so the report says which
/// element was signed (its path) and that it is not the invoice's own DLHDon.
#[test]
fn a_signed_element_moved_away_is_named() {
    let pki = VietnamTestPki::build();
    let (seller, _) = seller_then_tax_authority(&pki);
    let text = String::from_utf8(seller).unwrap();
    let start = text.find("<DLHDon ").unwrap();
    let end = text.find("</DLHDon>").unwrap() + "</DLHDon>".len();
    let original = &text[start..end];
    let forged = "<DLHDon><TToan><TgTTTBSo>9900000</TgTTTBSo></TToan></DLHDon>";
    for wrapper in ["LuuTru", "Object"] {
        let doc = format!(
            "{}{forged}<{wrapper}>{original}</{wrapper}>{}",
            &text[..start],
            &text[end..]
        );
        let r = report_of(&pki, doc.as_bytes());
        let s = &r.signatures[0];
        assert_eq!(
            s.references[0].path.as_deref(),
            Some(format!("/HDon/{wrapper}/DLHDon").as_str())
        );
        assert_eq!(s.references[0].digest, Outcome::Passed);
        let w = s
            .warnings
            .iter()
            .find(|w| w.code == "vn_coverage")
            .expect("the moved DLHDon is named");
        assert!(
            w.message.en.contains("not the one the document shows"),
            "{}",
            w.message.en
        );
        assert!(r.unsigned.contains(&"/HDon/DLHDon".to_string()), "{:?}", r.unsigned);
    }
}

/// A Reference retargeted to another element, SignatureValues swapped between the two
/// signatures, an HMAC SignatureMethod over the RSA key, and XSLT / XPath transforms: each
/// refused with its own cause, none executed.
#[test]
fn retargeted_swapped_confused_and_scripted_signatures_fail() {
    let pki = VietnamTestPki::build();
    let (_, both) = seller_then_tax_authority(&pki);
    let text = String::from_utf8(both).unwrap();
    // Retargeted: the seller's first Reference points at MCCQT.
    let r = report_of(
        &pki,
        text.replacen("URI=\"#DLHDon-C26TAA-123\"", "URI=\"#MCCQT-1\"", 1)
            .as_bytes(),
    );
    assert_eq!(r.signatures[0].indication, Indication::TotalFailed);
    assert_eq!(r.signatures[0].references[0].covers.as_deref(), Some("MCCQT"));
    assert_eq!(r.signatures[0].references[0].digest, Outcome::Failed);
    // Swapped SignatureValues: references intact, both values wrong.
    let values: Vec<&str> = text
        .match_indices("<SignatureValue>")
        .map(|(i, _)| &text[i..])
        .collect();
    let value = |s: &str| s[..s.find("</SignatureValue>").unwrap()].to_string();
    let (a, b) = (value(values[0]), value(values[1]));
    let swapped = text.replacen(&a, "@A@", 1).replacen(&b, &a, 1).replacen("@A@", &b, 1);
    let r = report_of(&pki, swapped.as_bytes());
    for s in &r.signatures {
        assert_eq!(s.indication, Indication::TotalFailed);
        assert!(s.references.iter().all(|x| x.digest == Outcome::Passed));
        assert_eq!(s.sub_indication, Some(kyso::report::SubIndication::SigCryptoFailure));
    }
    // HMAC over the RSA key (algorithm confusion): never tried with the public key.
    let hmac = text.replacen(
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        1,
    );
    let r = report_of(&pki, hmac.as_bytes());
    assert_ne!(r.signatures[0].indication, Indication::TotalPassed);
    assert!(
        r.signatures[0].reason.as_ref().unwrap().en.contains("hmac-sha1"),
        "{:?}",
        r.signatures[0].reason
    );
    // XSLT and XPath transforms: unsupported, never run, never skipped.
    for t in [
        "http://www.w3.org/TR/1999/REC-xslt-19991116",
        "http://www.w3.org/TR/1999/REC-xpath-19991116",
    ] {
        let doc = text.replacen(
            "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
            &format!("<Transform Algorithm=\"{t}\"><XPath>count(//. | //@* | //namespace::*)</XPath></Transform>"),
            1,
        );
        let r = report_of(&pki, doc.as_bytes());
        assert_eq!(r.signatures[0].indication, Indication::Indeterminate);
        assert!(r.signatures[0].references[0].reason.as_ref().unwrap().en.contains(t));
    }
}

/// The ds:KeyValue of an RSA certificate's key.
fn rsa_key_value(cert: &[u8]) -> String {
    use base64::Engine;
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let c = Certificate::from_der(cert).unwrap();
    let kyso::crypto::PublicKey::Rsa(k) = c.public_key().unwrap() else {
        panic!("an RSA certificate")
    };
    format!(
        "<KeyValue><RSAKeyValue><Modulus>{}</Modulus><Exponent>{}</Exponent></RSAKeyValue></KeyValue>",
        b64(&k.n),
        b64(&k.e)
    )
}

/// A certificate or a KeyValue injected beside the genuine signer's, and an attacker's own
/// signature appended beside a genuine one: each signature judged on its own.
#[test]
fn injected_keys_and_appended_signatures_are_judged_on_their_own() {
    let pki = VietnamTestPki::build();
    let (seller, _) = seller_then_tax_authority(&pki);
    let text = String::from_utf8(seller.clone()).unwrap();
    let b64 = |d: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(d)
    };
    // The rogue certificate placed first in X509Data: the genuine one still verifies, and it
    // is the one whose chain is judged.
    let injected = text.replacen(
        "<X509Data>",
        &format!(
            "<X509Data><X509Certificate>{}</X509Certificate>",
            b64(&pki.rogue_leaf.cert)
        ),
        1,
    );
    let r = report_of(&pki, injected.as_bytes());
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(r.signatures[0].identity.as_ref().unwrap().ids[0].value, "0109999999");
    // A KeyValue of another key beside the certificate: refused (they must be the same key).
    let key_value = rsa_key_value(&pki.rogue_leaf.cert);
    let r = report_of(
        &pki,
        text.replacen("<X509Data>", &format!("{key_value}<X509Data>"), 1)
            .as_bytes(),
    );
    assert_ne!(r.indication, Indication::TotalPassed);
    assert!(
        r.signatures[0].reason.as_ref().unwrap().en.contains("KeyValue"),
        "{:?}",
        r.signatures[0].reason
    );
    // The genuine key as KeyValue beside its certificate: fine.
    let same = rsa_key_value(&pki.company.cert);
    let r = report_of(
        &pki,
        text.replacen("<X509Data>", &format!("{same}<X509Data>"), 1).as_bytes(),
    );
    assert_eq!(r.indication, Indication::TotalPassed);
    // A bare KeyValue (the X509Data removed) never yields trust.
    let kv_start = text.find("<X509Data>").unwrap();
    let kv_end = text.find("</X509Data>").unwrap() + "</X509Data>".len();
    let bare = format!("{}{same}{}", &text[..kv_start], &text[kv_end..]);
    let r = report_of(&pki, bare.as_bytes());
    assert_eq!(r.indication, Indication::Indeterminate);
    // The rogue signs the same invoice into the buyer's slot: the seller's stays valid, the
    // rogue's is judged untrusted, and the document as a whole is not TOTAL_PASSED.
    let with_slot = text.replacen("<CQT/>", "<NMua/>", 1);
    let rogue = sign_enveloped(
        with_slot.as_bytes(),
        &signer(&pki.rogue_leaf),
        &into("DSCKS/NMua"),
        &SignOptions::new(now()),
        kyso::crypto::default_provider(),
    )
    .unwrap();
    let r = report_of(&pki, &rogue);
    assert_eq!(r.signatures[0].indication, Indication::TotalPassed);
    assert_ne!(r.signatures[1].indication, Indication::TotalPassed);
    assert_ne!(r.indication, Indication::TotalPassed);
}

/// The tax codes the invoice gives the parties are checked against the signers'
/// certificates, and data added beside the signed parts is listed as unsigned.
#[test]
fn tax_codes_and_unsigned_parts_are_reported() {
    let pki = VietnamTestPki::build();
    let provider = kyso::crypto::default_provider();
    let other_mst = INVOICE.replacen("<MST>0109999999</MST>", "<MST>0101111111</MST>", 1);
    let signed = sign_enveloped(
        other_mst.as_bytes(),
        &signer(&pki.company),
        &into("DSCKS/NBan"),
        &options(&pki.pub_sub),
        provider,
    )
    .unwrap();
    let r = report_of(&pki, &signed);
    assert!(warned(&r.signatures[0], "vn_tax_code_mismatch"));
    let (seller, both) = seller_then_tax_authority(&pki);
    assert!(!warned(&report_of(&pki, &seller).signatures[0], "vn_tax_code_mismatch"));
    assert!(report_of(&pki, &both).unsigned.is_empty());
    // A QR code added after both signatures: listed, the signatures stay valid.
    let qr = String::from_utf8(both).unwrap().replacen(
        "\n<DSCKS>",
        "<DLQRCode>https://hoadondientu.gdt.gov.vn/?q=1</DLQRCode>\n<DSCKS>",
        1,
    );
    let r = report_of(&pki, qr.as_bytes());
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(r.unsigned, ["/HDon/DLQRCode"]);
}

/// What the reader refuses, each with its typed error: a DTD (XXE with a file or a parameter
/// entity, billion laughs, quadratic blow-up), 10,000 nested elements, a 100 MB document.
#[test]
fn hostile_xml_is_refused_with_typed_errors() {
    use kyso::xml::dsig::check_document;
    use kyso::xml::XmlError;
    let provider = kyso::crypto::default_provider();
    let check = |doc: &[u8]| check_document(doc, provider).map(|_| ()).unwrap_err();
    let xxe = b"<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><HDon>&x;</HDon>";
    assert_eq!(check(xxe), XmlError::Dtd);
    let param = b"<!DOCTYPE HDon [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]><HDon/>";
    assert_eq!(check(param), XmlError::Dtd);
    let mut laughs = String::from("<!DOCTYPE l [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">", format!("&l{};", i - 1).repeat(10)));
    }
    laughs.push_str("]><l>&l9;</l>");
    assert_eq!(check(laughs.as_bytes()), XmlError::Dtd);
    let quadratic = format!(
        "<!DOCTYPE q [<!ENTITY a \"{}\">]><q>{}</q>",
        "a".repeat(50_000),
        "&a;".repeat(50_000)
    );
    assert_eq!(check(quadratic.as_bytes()), XmlError::Dtd);
    let wide = format!(
        "<a {}/>",
        (0..2000).map(|i| format!("x{i}=\"1\"")).collect::<Vec<_>>().join(" ")
    );
    assert_eq!(
        check(wide.as_bytes()),
        XmlError::TooManyAttributes {
            limit: kyso::xml::MAX_XML_ATTRIBUTES
        }
    );
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    assert_eq!(
        check(deep.as_bytes()),
        XmlError::TooDeep {
            limit: kyso::xml::MAX_XML_DEPTH
        }
    );
    let big = vec![b' '; 100 << 20];
    assert!(matches!(check(&big), XmlError::TooLarge { .. }));
    // Through the Verifier: a typed FORMAT_FAILURE report, never a panic.
    let r = report_of(&VietnamTestPki::build(), xxe);
    assert_eq!(r.indication, Indication::Indeterminate);
}

// ---- edXML packages (QCVN 102:2016) ----

/// An edXML package: a header signed the way the national document exchange signs it
/// (enveloped, `URI=""`, SHA-1 digest, edXML's own exclusive-C14N URI), and attachments:
/// `docs` are (name, bytes).
fn edxml_package(pki: &VietnamTestPki, docs: &[(&str, &[u8])]) -> Vec<u8> {
    use base64::Engine;
    use kyso::xml::c14n::{canonicalize, canonicalize_element, C14nMethod, EXC_C14N};
    const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let mut manifest = String::new();
    let mut encoded = String::new();
    for (i, (name, bytes)) in docs.iter().enumerate() {
        manifest.push_str(&format!(
            "<edXML:Reference><edXML:ContentId>cid:{i}</edXML:ContentId><edXML:ContentType>application/octet-stream</edXML:ContentType><edXML:AttachmentName>{name}</edXML:AttachmentName></edXML:Reference>"
        ));
        encoded.push_str(&format!(
            "<edXML:Attachment><edXML:ContentId>cid:{i}</edXML:ContentId><edXML:ContentTransferEncoded>{}</edXML:ContentTransferEncoded></edXML:Attachment>",
            b64(bytes)
        ));
    }
    let header = "<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.G12</edXML:OrganId><edXML:OrganName>Bộ Tài chính</edXML:OrganName></edXML:From><edXML:To><edXML:OrganId>000.00.00.G07</edXML:OrganId></edXML:To><edXML:Code><edXML:CodeNumber>123</edXML:CodeNumber><edXML:CodeNotation>QĐ-BTC</edXML:CodeNotation></edXML:Code><edXML:Subject>Quyết định thử nghiệm</edXML:Subject></edXML:MessageHeader>";
    let doc = |signature: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML:edXML xmlns:edXML=\"{}\"><edXML:edXMLEnvelope><edXML:edXMLHeader>{header}{signature}</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest>{manifest}</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope><edXML:AttachmentEncoded>{encoded}</edXML:AttachmentEncoded></edXML:edXML>",
            kyso::xml::edxml::EDXML_NS
        )
    };
    // The whole package without its signature, through exclusive C14N, SHA-1.
    let exc = C14nMethod::from_uri(EXC_C14N, None).unwrap();
    let canonical = canonicalize(doc("").as_bytes(), &exc).unwrap();
    let digest = b64(&kyso::crypto::default_provider().digest(kyso::crypto::HashAlgorithm::Sha1, &canonical));
    let edxml_uri = kyso::xml::c14n::EXC_C14N_EDXML;
    let signature = |value: &str| {
        format!(
            "<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"{DS}enveloped-signature\"/><ds:Transform Algorithm=\"{edxml_uri}\"/></ds:Transforms><ds:DigestMethod Algorithm=\"{DS}sha1\"/><ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>{value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>",
            b64(&pki.officer.cert),
            b64(&pki.gov_sub.cert)
        )
    };
    let unsigned = doc(&signature(""));
    let c14n10 = C14nMethod::from_uri(kyso::xml::c14n::C14N10, None).unwrap();
    let signed_info = canonicalize_element(unsigned.as_bytes(), (DS, "SignedInfo"), &c14n10).unwrap();
    doc(&signature(&b64(&pki.officer.key.sign(&signed_info)))).into_bytes()
}

/// An edXML package from a ministry: its header signature (edXML's exclusive-C14N URI, a
/// named tolerance) and every attachment verified, one report; a bad attachment makes the
/// package not TOTAL_PASSED and is named; an unsigned or zipped attachment is listed with why.
#[test]
fn edxml_packages_verify_the_header_and_each_attachment() {
    let pki = VietnamTestPki::build();
    let provider = kyso::crypto::default_provider();
    let cms = |e: &Entity, sub: &Entity, body: &[u8]| {
        kyso::sign::sign(kyso::sign::Content::Bytes(body), &signer(e), &options(sub), provider).unwrap()
    };
    let decision = cms(&pki.officer, &pki.gov_sub, "QUYẾT ĐỊNH số 123/QĐ-BTC".as_bytes());
    let invoice = sign_enveloped(
        INVOICE.as_bytes(),
        &signer(&pki.company),
        &into("DSCKS/NBan"),
        &options(&pki.pub_sub),
        provider,
    )
    .unwrap();
    let good = edxml_package(
        &pki,
        &[
            ("quyet-dinh.p7m", &decision),
            ("hoa-don.xml", &invoice),
            ("cong-van.txt", "Công văn".as_bytes()),
        ],
    );
    let v = verifier(&pki, Policy::vietnam());
    let r = v.report(&good, Content::Attached, when());
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    assert_eq!(r.signatures.len(), 1, "the header signature");
    assert_eq!(r.signatures[0].hierarchy.as_deref(), Some("government"));
    assert!(
        warned(&r.signatures[0], "tolerated_quirk"),
        "edXML's exclusive-C14N URI is named"
    );
    assert_eq!(r.attachments.len(), 3);
    let inner = |i: usize| r.attachments[i].report.as_ref().unwrap();
    assert_eq!(inner(0).indication, Indication::TotalPassed);
    assert_eq!(inner(0).signatures[0].hierarchy.as_deref(), Some("government"));
    assert_eq!(inner(1).signatures[0].role.as_ref().unwrap().code, "NBan");
    assert!(
        r.attachments[2].report.is_none() && r.attachments[2].note.is_some(),
        "a .txt is not signed data"
    );
    let text = kyso::report::render(&r, kyso::report::Lang::Vi);
    assert!(text.contains("Tệp đính kèm 1: quyet-dinh.p7m"), "{text}");

    // Under strict, edXML's URI is not a W3C one: the header reference is unsupported.
    let r = verifier(&pki, Policy::strict()).report(&good, Content::Attached, when());
    assert_eq!(r.signatures[0].indication, Indication::Indeterminate);

    // A rogue's CMS among the attachments: the package is not TOTAL_PASSED, and says which.
    let rogue = cms(&pki.rogue_leaf, &pki.rogue_root, b"gia mao");
    let bad = edxml_package(&pki, &[("quyet-dinh.p7m", &decision), ("gia-mao.p7m", &rogue)]);
    let r = v.report(&bad, Content::Attached, when());
    assert_eq!(r.signatures[0].indication, Indication::TotalPassed);
    assert_ne!(r.indication, Indication::TotalPassed);
    assert!(r.reason.as_ref().unwrap().en.contains("gia-mao.p7m"), "{:?}", r.reason);

    // A changed header: the header signature fails, whatever the attachments.
    let changed = String::from_utf8(good.clone()).unwrap().replacen("QĐ-BTC", "QĐ-BTX", 1);
    let r = v.report(changed.as_bytes(), Content::Attached, when());
    assert_eq!(r.signatures[0].indication, Indication::TotalFailed);
    assert_eq!(r.indication, Indication::TotalFailed);

    // A zipped attachment: each file in it verified as an attachment of its own, named
    // inside the archive.
    let archive = zip_of(&[
        ("ho-so/", b""),
        ("ho-so/quyet-dinh.p7m", &decision),
        ("ho-so/hoa-don.xml", &invoice),
    ]);
    let zipped = edxml_package(&pki, &[("ho-so.zip", &archive), ("cong-van.txt", b"x")]);
    let r = v.report(&zipped, Content::Attached, when());
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    let names: Vec<_> = r.attachments.iter().map(|a| a.name.clone().unwrap()).collect();
    assert_eq!(
        names,
        [
            "ho-so.zip/ho-so/quyet-dinh.p7m",
            "ho-so.zip/ho-so/hoa-don.xml",
            "cong-van.txt"
        ]
    );
    assert_eq!(r.attachments[0].archive.as_deref(), Some("ho-so.zip"));
    assert_eq!(
        r.attachments[0].report.as_ref().unwrap().indication,
        Indication::TotalPassed
    );
    assert_eq!(
        r.attachments[1].report.as_ref().unwrap().signatures[0]
            .role
            .as_ref()
            .unwrap()
            .code,
        "NBan"
    );
    // A rogue's signature inside the archive is found and named.
    let archive = zip_of(&[("quyet-dinh.p7m", &decision), ("gia-mao.p7m", &rogue)]);
    let r = v.report(
        &edxml_package(&pki, &[("ho-so.zip", &archive)]),
        Content::Attached,
        when(),
    );
    assert_ne!(r.indication, Indication::TotalPassed);
    assert!(
        r.reason.as_ref().unwrap().en.contains("ho-so.zip/gia-mao.p7m"),
        "{:?}",
        r.reason
    );
    // What kyso does not open is listed with why, never skipped: a broken archive, a ZIP bomb
    // (49 MiB of zeros, some 50 KB deflated), an archive inside the archive.
    let broken = edxml_package(&pki, &[("ho-so.zip", b"PK\x03\x04rest")]);
    let bomb = zip_of(&[("zeros.bin", &vec![0u8; 49 << 20])]);
    assert!(bomb.len() < 200_000);
    let nested = zip_of(&[("trong.zip", &archive)]);
    for (what, package, expect) in [
        ("broken", broken, "cannot read"),
        ("bomb", edxml_package(&pki, &[("bom.zip", &bomb)]), "inflated"),
        (
            "nested",
            edxml_package(&pki, &[("long.zip", &nested)]),
            "inside a zipped",
        ),
    ] {
        let r = v.report(&package, Content::Attached, when());
        let a = &r.attachments[0];
        assert!(a.report.is_none(), "{what}");
        let note = &a.note.as_ref().unwrap().en;
        assert!(note.contains(expect), "{what}: {note}");
        assert_ne!(
            r.indication,
            Indication::TotalFailed,
            "{what}: the header is still good"
        );
    }
}

/// A ZIP archive of `files` (deflated; a name ending in `/` is a directory).
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        if name.ends_with('/') {
            w.add_directory(*name, o).unwrap();
        } else {
            w.start_file(*name, o).unwrap();
            w.write_all(data).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// XAdES B-B: kyso signs with signed SigningTime and SigningCertificateV2, verifies it as
/// B-B with the signing certificate bound; xmlsec1 and the JDK verify the same document.
#[test]
fn xades_baseline_b_signed_by_kyso_and_verified_by_all_three() {
    let pki = VietnamTestPki::build();
    let provider = kyso::crypto::default_provider();
    let mut what = into("DSCKS/NBan");
    what.xades = true;
    let signed = sign_enveloped(
        INVOICE.as_bytes(),
        &signer(&pki.company),
        &what,
        &options(&pki.pub_sub),
        provider,
    )
    .unwrap();
    let text = String::from_utf8(signed.clone()).unwrap();
    assert!(text.contains("<xades:SigningTime>2026-06-01T10:00:00Z</xades:SigningTime>"));
    let r = report_of(&pki, &signed);
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    let s = &r.signatures[0];
    assert_eq!(s.level, Some(kyso::cms::Level::BB));
    assert!(s
        .checks
        .iter()
        .any(|c| c.check == kyso::report::CheckName::SigningCertificateReference
            && c.result == kyso::report::CheckResult::Passed));
    assert_eq!(s.references[1].covers.as_deref(), Some("SignedProperties"));
    assert!(!warned(s, "signing_time_local"), "XAdES SigningTime carries its zone");
    // Plain XML-DSig stays plain: no level.
    let (seller, _) = seller_then_tax_authority(&pki);
    assert_eq!(report_of(&pki, &seller).signatures[0].level, None);

    let dir = Dir::new("xml-xades-peers");
    let doc = dir.put("hdon-xades.xml", &signed);
    let pub_root = dir.put("pub-root.pem", pem("CERTIFICATE", &pki.pub_root.cert));
    let (ok, log) = run(Command::new("xmlsec1")
        .args(["--verify", "--trusted-pem"])
        .arg(&pub_root)
        .args([
            "--id-attr:Id",
            "DLHDon",
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        ])
        .args(["--verification-time", "2026-06-01 10:00:00"])
        .arg(&doc));
    assert!(ok, "xmlsec1: {log}");
    let java = java_peer(&dir);
    let (ok, log) = java(&["verify".as_ref(), doc.as_os_str(), "NBan".as_ref()]);
    assert!(ok, "the JDK: {log}");
    // A changed signed property: its Reference fails.
    let changed = text.replacen("2026-06-01T10:00:00Z", "2026-06-02T10:00:00Z", 1);
    let r = report_of(&pki, changed.as_bytes());
    assert_eq!(r.signatures[0].references[1].digest, Outcome::Failed);
    assert_eq!(r.indication, Indication::TotalFailed);
}

/// signxml (PyPI) both ways: it verifies the XAdES seller's signature kyso made (its chain to
/// the public test root included), and kyso verifies the enveloped signature signxml makes.
#[test]
fn signxml_and_kyso_verify_each_other() {
    let pki = VietnamTestPki::build();
    let dir = Dir::new("xml-signxml");
    let peer = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/signxml_peer.py");
    // The government root: the public one carries a critical certificatePolicies (anyPolicy, as
    // the 2025 national roots do), which pyca/cryptography, under signxml, refuses outright.
    let root = dir.put("gov-root.pem", pem("CERTIFICATE", &pki.gov_root.cert));
    // signxml validates the XML-DSig schema, which allows no XML-DSig element inside a
    // SignatureProperty: it refuses the tax authority's SigningTime form (as it would every
    // real invoice that uses it) and accepts kyso's XAdES form.
    let verify = |doc: &Path| {
        run(Command::new("python3")
            .arg(&peer)
            .arg("verify")
            .arg(doc)
            .arg(&root)
            .arg("2"))
    };
    let (seller, _) = seller_then_tax_authority(&pki);
    let (ok, log) = verify(&dir.put("hdon-nban.xml", &seller));
    assert!(!ok && log.contains("SigningTime"), "{log}");
    // signxml canonicalizes SignedInfo as a subtree of the parsed document (lxml), which
    // renders inclusive C14N 1.0 under a default namespace wrongly (`xmlns=""` on inner
    // elements; xmlsec1 and the JDK agree with kyso): kyso signs with exclusive C14N for it.
    let mut what = into("DSCKS/NBan");
    what.xades = true;
    what.exclusive_c14n = true;
    let provider = kyso::crypto::default_provider();
    let xades = sign_enveloped(
        INVOICE.as_bytes(),
        &signer(&pki.officer),
        &what,
        &options(&pki.gov_sub),
        provider,
    )
    .unwrap();
    let (ok, log) = verify(&dir.put("hdon-xades.xml", &xades));
    assert!(
        ok && log.contains("VALID"),
        "signxml refused kyso's XAdES signature: {log}"
    );

    let input = dir.put(
        "thong-bao.xml",
        "<ThongBao><NoiDung>Thông báo thử nghiệm</NoiDung></ThongBao>",
    );
    let key = dir.put("company-key.pem", pem("PRIVATE KEY", pki.company.key.pkcs8()));
    let cert = dir.put("company.pem", pem("CERTIFICATE", &pki.company.cert));
    let ca = dir.put("pub-sub.pem", pem("CERTIFICATE", &pki.pub_sub.cert));
    let out = dir.0.join("thong-bao-signed.xml");
    let (ok, log) = run(Command::new("python3")
        .arg(&peer)
        .arg("sign")
        .arg(&input)
        .arg(&out)
        .arg(&key)
        .arg(&cert)
        .arg(&ca));
    assert!(ok, "signxml could not sign: {log}");
    let signed = std::fs::read(&out).unwrap();
    let r = report_of(&pki, &signed);
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        kyso::report::render(&r, kyso::report::Lang::En)
    );
    assert_eq!(r.signatures[0].references[0].uri.as_deref(), Some(""));
    let changed = String::from_utf8(signed).unwrap().replacen("thử nghiệm", "giả mạo", 1);
    assert_eq!(report_of(&pki, changed.as_bytes()).indication, Indication::TotalFailed);
}
