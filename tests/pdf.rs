//! PDF signatures: the real Vietnamese PDFs in `../shared/vectors/pdf/vn` and pyHanko's test
//! corpus in `../shared/vectors/pdf/pyhanko` (READMEs there: provenance and what each file
//! is), with the verdicts their manifests give; the attacks of pdf-insecurity.org made on a
//! real signed decision by incremental updates written here.

use kyso::pdf::diff::Modification;
use kyso::pdf::signature::Coverage;
use kyso::report::{Indication, Outcome, SubIndication, ValidationReport};
use kyso::{Content, Policy, Time, TrustStore, Verifier, When};
use kyso_testpki::shared::vectors;

/// Fixed "now": the chains are judged at each signature's time-stamp or claimed time anyway.
fn when() -> When {
    When {
        at: None,
        now: Time::from_ymd_hms(2026, 12, 1, 0, 0, 0),
    }
}

fn vn(name_start: &str) -> Option<Vec<u8>> {
    let dir = vectors("pdf/vn")?;
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name_start))
        .unwrap_or_else(|| panic!("{name_start}* in {}", dir.display()));
    Some(std::fs::read(path).unwrap())
}

fn text(r: &ValidationReport) -> String {
    kyso::report::render(r, kyso::report::Lang::En)
}

fn modification(r: &ValidationReport, i: usize) -> Modification {
    r.signatures[i].pdf.as_ref().unwrap().modification
}

/// Each real Vietnamese PDF under the Vietnamese policy and the bundled trust store, with
/// the verdict its manifest justifies.
#[test]
fn real_vietnamese_pdfs() {
    let Some(_) = vectors("pdf/vn") else { return };
    let v = Verifier::vietnam();
    let legacy = Verifier::new(
        TrustStore::vietnam(),
        Policy::vietnam().to_builder().legacy_algorithms(true).build(),
    );
    // 01, 02: one VGCA G2 organisation signature with a G2 time-stamp; the CMS carries only
    // the signer's certificate, the G2 sub-CA comes from the bundle.
    for name in ["vn-real-01", "vn-real-02"] {
        let r = v.report(&vn(name).unwrap(), Content::Attached, when());
        assert_eq!(r.indication, Indication::TotalPassed, "{name}: {}", text(&r));
        let s = &r.signatures[0];
        assert_eq!(s.hierarchy.as_deref(), Some("government"));
        assert_eq!(s.level, Some(kyso::cms::Level::BT));
        let p = s.pdf.as_ref().unwrap();
        assert_eq!(
            (p.coverage, p.revision, p.revisions),
            (Coverage::EntireFile, Some(2), 2)
        );
        assert_eq!(p.modification, Modification::None);
    }
    // 03: the Deputy Prime Minister's CAdES signature, then five organisation signatures
    // (iText 7 on a tagged Word file): every later revision adds a signature, its widget and
    // appearance, and updates the structure tree, Info and XMP: all permitted.
    let r = v.report(&vn("vn-real-03").unwrap(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(r.signatures.len(), 6);
    assert_eq!(
        r.signatures[0].pdf.as_ref().unwrap().sub_filter.as_deref(),
        Some("ETSI.CAdES.detached")
    );
    for i in 0..5 {
        assert_eq!(modification(&r, i), Modification::LtaUpdates, "S{}", i + 1);
        assert!(r.signatures[i]
            .warnings
            .iter()
            .any(|w| w.code == "pdf_changed_after_signing"));
        let p = r.signatures[i].pdf.as_ref().unwrap();
        assert_eq!(p.coverage, Coverage::EntireRevision);
        assert!(p.changes.iter().any(|c| c.what == "structure tree"));
    }
    assert_eq!(r.signatures[5].pdf.as_ref().unwrap().coverage, Coverage::EntireFile);
    // 04: NEWTEL-CA v2 under the MIC root, SHA-1 throughout: refused as a legacy algorithm
    // (INDETERMINATE), valid when the legacy policy allows SHA-1.
    let doc = vn("vn-real-04").unwrap();
    let r = v.report(&doc, Content::Attached, when());
    assert_eq!(r.indication, Indication::Indeterminate, "{}", text(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::CryptoConstraintsFailure));
    let r = legacy.report(&doc, Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].hierarchy.as_deref(), Some("public"));
    // 05: VNPT SmartCA, no signingTime in the CMS: /M is the claimed time, said so, and the
    // certificate (expired since) is judged there.
    let r = v.report(&vn("vn-real-05").unwrap(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    let s = &r.signatures[0];
    assert!(s.warnings.iter().any(|w| w.code == "pdf_claimed_time"));
    assert_eq!(s.time_source, kyso::report::TimeSource::SigningTime);
    assert!(s
        .identity
        .as_ref()
        .unwrap()
        .ids
        .iter()
        .any(|i| i.value == "002087000080"));
    // 06: the CMS carries only the signer's certificate; VNPT SmartCA RS is in the bundle.
    let r = v.report(&vn("vn-real-06").unwrap(), Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalPassed, "{}", text(&r));
    // 07: re-saved by pdf-lib after signing: no /ByteRange leaves out its /Contents any more.
    let r = v.report(&vn("vn-real-07").unwrap(), Content::Attached, when());
    assert_eq!(r.signatures.len(), 4);
    for s in &r.signatures {
        assert_eq!(s.indication, Indication::TotalFailed);
        assert_eq!(s.sub_indication, Some(SubIndication::FormatFailure));
        assert_eq!(s.integrity, Outcome::Failed);
    }
    // 08: a vendor's demo CA: no trusted root (and SHA-1).
    let r = legacy.report(&vn("vn-real-08").unwrap(), Content::Attached, when());
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::NoCertificateChainFound),
        "{}",
        text(&r)
    );
    // 09: the document time-stamp was broken by a rewrite (its dictionary now sits in an
    // object stream); the signature chains to NEAC's TEST root, which is not trusted.
    let r = v.report(&vn("vn-real-09").unwrap(), Content::Attached, when());
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].indication, Indication::TotalFailed);
    assert_eq!(
        r.signatures[0].pdf.as_ref().unwrap().kind,
        kyso::pdf::signature::SignatureKind::DocumentTimestamp
    );
    assert_eq!(
        r.signatures[1].sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
    // 10: look-alike "FPT Certification Authority" under a look-alike "MIC National Root
    // CA": names are not trust.
    let r = legacy.report(&vn("vn-real-10").unwrap(), Content::Attached, when());
    for s in &r.signatures {
        assert_eq!(
            s.sub_indication,
            Some(SubIndication::NoCertificateChainFound),
            "{}",
            text(&r)
        );
        assert!(s.hierarchy.is_none());
    }
    // 11: an orphaned signature (no AcroForm; found through the page's widget) whose
    // /ByteRange reaches past the end of the file.
    let r = legacy.report(&vn("vn-real-11").unwrap(), Content::Attached, when());
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.indication, Indication::TotalFailed);
    assert!(r.reason.as_ref().unwrap().en.contains("past the end"), "{}", text(&r));
}

fn pyhanko(rel: &str) -> Option<Vec<u8>> {
    vectors("pdf/pyhanko").map(|d| std::fs::read(d.join(rel)).unwrap())
}

/// A verifier trusting pyHanko's testing CA, judging at 2020-11-01 (its signer's
/// certificates expire in 2022), revocation not checked (the tests' setting).
fn pyhanko_verifier() -> Option<(Verifier, When)> {
    let dir = vectors("pdf/pyhanko")?;
    let mut store = TrustStore::new();
    let root = std::fs::read(dir.join("crypto/certomancer-generated/testing-ca/root.cert.pem")).unwrap();
    store
        .add_anchors_from_bytes(&root, kyso::Hierarchy::Custom("testing-ca".into()))
        .unwrap();
    let policy = Policy::vietnam()
        .to_builder()
        .revocation(kyso::revocation::RevocationMode::Off)
        .build();
    let at = Time::from_ymd_hms(2020, 11, 1, 0, 0, 0);
    Some((Verifier::new(store, policy), When { at, now: at }))
}

/// pyHanko's signed test files with what its tests assert: intact and trusted signatures,
/// coverage anomalies refused, DSS and document time-stamps of PAdES B-LTA, CMS variants.
#[test]
fn pyhanko_signature_validation() {
    let Some((v, at)) = pyhanko_verifier() else { return };
    let report = |rel: &str| v.report(&pyhanko(rel).unwrap(), Content::Attached, at);
    for rel in [
        "pdf/certified-with-indirect-refs-in-dir.pdf",
        "pdf/pades-with-old-style-signing-cert-attr.pdf",
        "pdf/pades-with-old-style-signing-cert-attr-issser.pdf",
        "pdf/separate-annots-kids-indir.pdf",
        "pdf/pades-lta-dss-indirect-arrs-test.pdf",
        "pdf/pades-lta-dss-indirect-arrs-test-2.pdf",
    ] {
        let r = report(rel);
        assert_eq!(r.indication, Indication::TotalPassed, "{rel}: {}", text(&r));
    }
    // A certification signature with DocMDP P=1.
    let r = report("pdf/certified-with-indirect-refs-in-dir.pdf");
    assert_eq!(r.signatures[0].pdf.as_ref().unwrap().docmdp, Some(1));
    // B-LTA: a signature, a document time-stamp over it, the DSS after each.
    let r = report("pdf/pades-lta-dss-indirect-arrs-test.pdf");
    let kinds: Vec<_> = r.signatures.iter().map(|s| s.pdf.as_ref().unwrap().kind).collect();
    use kyso::pdf::signature::SignatureKind::{DocumentTimestamp, Signature};
    assert_eq!(kinds, [Signature, DocumentTimestamp]);
    assert!(r.signatures[0]
        .pdf
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .any(|c| c.what == "DSS"));
    // Its DSS has a VRI entry for the signature (keyed by the SHA-1 of the padded
    // /Contents), none for the document time-stamp.
    let vri: Vec<bool> = r.signatures.iter().map(|s| s.pdf.as_ref().unwrap().vri).collect();
    assert_eq!(vri, [true, false]);
    // Signatures whose math holds though no chain is trusted (pyHanko: "valid, untrusted").
    for rel in [
        "pdf/sig-no-signed-attrs.pdf",
        "pdf/sig-with-ski-sid.pdf",
        "pdf/minimal-two-fields-signed-twice.pdf",
        "pdf/minimal-signed-twice-both-created.pdf",
        "pdf/minimal-signed-twice-second-created.pdf",
    ] {
        let r = report(rel);
        for s in &r.signatures {
            assert_eq!(s.integrity, Outcome::Passed, "{rel}: {}", text(&r));
        }
    }
    // The /ByteRange anomalies: never acceptable.
    for (rel, sub) in [
        (
            "pdf/coverage-anomalies/one-byterange.pdf",
            Some(SubIndication::FormatFailure),
        ),
        (
            "pdf/coverage-anomalies/signature-gap-too-big.pdf",
            Some(SubIndication::FormatFailure),
        ),
        (
            "pdf/coverage-anomalies/weird-byterange.pdf",
            Some(SubIndication::FormatFailure),
        ),
        ("pdf/coverage-anomalies/tail-uncovered.pdf", None),
    ] {
        let r = report(rel);
        assert_ne!(r.indication, Indication::TotalPassed, "{rel}");
        if sub.is_some() {
            assert_eq!(r.sub_indication, sub, "{rel}: {}", text(&r));
        }
        if rel.ends_with("tail-uncovered.pdf") {
            assert_eq!(r.signatures[0].pdf.as_ref().unwrap().coverage, Coverage::Unclear);
        }
    }
    // A detached signature that carries its content anyway: FORMAT_FAILURE.
    let r = report("pdf/pdf-sig-with-econtent.pdf");
    assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    // Ed448: not an algorithm kyso verifies: INDETERMINATE, never "valid" or "broken".
    for rel in ["pdf/ed448-disallowed-hash.pdf", "pdf/ed448-shake256-nolen.pdf"] {
        let r = report(rel);
        assert_eq!(r.indication, Indication::Indeterminate, "{rel}: {}", text(&r));
    }
}

/// pyHanko's difference-analysis files: the later revision of each is either a permitted
/// update of the first signature's document, or a sneaky one (an appearance, an extensions
/// dictionary or an AP dictionary that something else also uses).
#[test]
fn pyhanko_difference_analysis() {
    let Some((v, at)) = pyhanko_verifier() else { return };
    for (rel, allowed) in [
        ("extensions-direct.pdf", true),
        ("extensions-indirect.pdf", true),
        ("extensions-update-direct.pdf", true),
        ("extensions-update-indirect.pdf", true),
        ("extensions-indirect-not-all-paths.pdf", false),
        ("form-update-no-override-appearance-stream-ap-indirect.pdf", true),
        ("form-update-original-ap-type-wrong.pdf", true),
        ("form-update-override-appearance-stream-ap-indirect.pdf", true),
        ("form-update-override-appearance-stream.pdf", true),
        ("form-update-ap-indirect-sneaky-trailer.pdf", false),
        (
            "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf",
            false,
        ),
        ("form-update-override-appearance-stream-ap-indirect-sneaky.pdf", false),
        ("form-update-override-appearance-stream-sneaky.pdf", false),
        ("minimal-signed-twice-both-created.pdf", true),
        ("minimal-signed-twice-second-created.pdf", true),
        ("minimal-signed-twice-no-sig-type.pdf", true),
        ("separate-annots-kids-indir.pdf", true),
    ] {
        let r = v.report(&pyhanko(&format!("pdf/{rel}")).unwrap(), Content::Attached, at);
        let m = modification(&r, 0);
        if allowed {
            assert!(
                m > Modification::None && m < Modification::Undefined,
                "{rel}: {m:?}: {:?}",
                r.signatures[0].pdf.as_ref().unwrap().changes
            );
        } else {
            assert_eq!(m, Modification::NotAllowed, "{rel}");
            assert_ne!(r.signatures[0].indication, Indication::TotalPassed, "{rel}");
        }
    }
}

/// Every file of pyHanko's corpus (broken xrefs and object streams, encrypted files, odd
/// headers, circular trees) gives a report or a typed error: never a panic, never a
/// "valid" for a file without a signature.
#[test]
fn pyhanko_corpus_never_panics() {
    let Some((v, at)) = pyhanko_verifier() else { return };
    let dir = vectors("pdf/pyhanko/pdf").unwrap();
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 100, "{}", files.len());
    let mut encrypted = 0;
    for f in &files {
        let data = std::fs::read(f).unwrap();
        match v.verify_at(&data, Content::Attached, at) {
            Ok(r) => {
                if r.signatures.is_empty() {
                    assert_ne!(r.indication, Indication::TotalPassed, "{}", f.display());
                }
            }
            Err(e) => {
                if e.to_string().contains("encrypted") {
                    encrypted += 1;
                }
            }
        }
    }
    // The encrypted files (all need a password or a certificate's key) are refused, saying so.
    assert!(encrypted >= 20, "{encrypted}");
    // A broken xref is reconstructed, said so.
    let data = pyhanko("pdf/minimal-startxref-hopeless3.pdf").unwrap();
    let pdf = kyso::pdf::Pdf::parse(&data).unwrap();
    assert!(pdf.reconstructed());
    assert!(matches!(pdf.warnings()[0], kyso::pdf::PdfWarning::Reconstructed { .. }));
}

// ---- The attacks of pdf-insecurity.org, on a real signed decision ----

/// `doc` with an incremental update appended that writes `objects` (number, body) and a
/// trailer whose /Root is `root` (the old one when `None`).
fn append_update(doc: &[u8], objects: &[(u32, String)], root: Option<&str>) -> Vec<u8> {
    let pdf = kyso::pdf::Pdf::parse(doc).unwrap();
    let last = pdf.revisions().last().unwrap();
    let size = last.trailer.int("Size").unwrap();
    let old_root = match last.trailer.get("Root") {
        Some(kyso::pdf::Object::Ref(r)) => format!("{} {} R", r.num, r.gen),
        other => panic!("{other:?}"),
    };
    let prev = {
        let tail = &doc[doc.len().saturating_sub(64)..];
        let s = String::from_utf8_lossy(tail);
        let at = s.rfind("startxref").unwrap();
        s[at + 9..].split_whitespace().next().unwrap().to_string()
    };
    let mut out = doc.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    for (num, body) in objects {
        offsets.push((*num, out.len()));
        out.extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    let mut table = String::from("xref\n");
    for (num, off) in &offsets {
        table.push_str(&format!("{num} 1\n{off:010} 00000 n \n"));
    }
    let size = size.max(objects.iter().map(|(n, _)| i64::from(*n) + 1).max().unwrap_or(0));
    table.push_str(&format!(
        "trailer\n<< /Size {size} /Root {} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
        root.unwrap_or(&old_root)
    ));
    out.extend_from_slice(table.as_bytes());
    out
}

/// The first page's object number and its dictionary's text as kyso reads it.
fn first_page(doc: &[u8]) -> (u32, kyso::pdf::Dict) {
    let pdf = kyso::pdf::Pdf::parse(doc).unwrap();
    let last = pdf.revisions().len() - 1;
    let catalog = pdf.catalog(last).unwrap();
    let mut node = catalog.get("Pages").unwrap().clone();
    loop {
        let r = node.as_ref().unwrap();
        let d = pdf.get(last, r).unwrap().unwrap().object.as_dict().unwrap().clone();
        match d.get("Kids") {
            Some(kyso::pdf::Object::Array(k)) => node = k[0].clone(),
            _ => return (r.num, d),
        }
    }
}

/// A dictionary written back as PDF text (enough for the objects these tests rewrite).
fn write(o: &kyso::pdf::Object) -> String {
    use kyso::pdf::Object;
    match o {
        Object::Null => "null".into(),
        Object::Bool(b) => b.to_string(),
        Object::Int(i) => i.to_string(),
        Object::Real(r) => format!("{r}"),
        Object::Name(n) => format!("/{}", String::from_utf8_lossy(n)),
        Object::String(s) => format!("<{}>", hex::encode(&s.bytes)),
        Object::Array(a) => format!("[{}]", a.iter().map(write).collect::<Vec<_>>().join(" ")),
        Object::Dict(d) | Object::Stream(d, _) => format!(
            "<<{}>>",
            d.0.iter()
                .map(|(k, v)| format!("/{} {}", String::from_utf8_lossy(k), write(v)))
                .collect::<String>()
        ),
        Object::Ref(r) => format!("{} {} R", r.num, r.gen),
    }
}

fn page_with(d: &kyso::pdf::Dict, key: &str, value: &str) -> String {
    let mut d = d.clone();
    d.0.retain(|(k, _)| k != key.as_bytes());
    let body = write(&kyso::pdf::Object::Dict(d));
    format!("{} /{key} {value}>>", &body[..body.len() - 2])
}

#[test]
fn incremental_saving_and_shadow_attacks_are_caught() {
    let Some(doc) = vn("vn-real-01") else { return };
    let v = Verifier::vietnam();
    let good = v.report(&doc, Content::Attached, when());
    assert_eq!(good.indication, Indication::TotalPassed);
    let size = kyso::pdf::Pdf::parse(&doc)
        .unwrap()
        .revisions()
        .last()
        .unwrap()
        .trailer
        .int("Size")
        .unwrap() as u32;
    let (page, page_dict) = first_page(&doc);
    let judged = |bytes: &[u8]| {
        let r = v.report(bytes, Content::Attached, when());
        (
            r.signatures[0].indication,
            r.signatures[0].pdf.as_ref().unwrap().modification,
            r,
        )
    };

    // Incremental saving attack: the page's content replaced after signing.
    let isa = append_update(
        &doc,
        &[
            (
                size,
                "<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 700 Td (QUYET DINH GIA) Tj ET\nendstream".into(),
            ),
            (page, page_with(&page_dict, "Contents", &format!("{size} 0 R"))),
        ],
        None,
    );
    let (i, m, r) = judged(&isa);
    assert_eq!(
        (i, m),
        (Indication::TotalFailed, Modification::NotAllowed),
        "{}",
        text(&r)
    );
    assert!(
        r.signatures[0].reason.as_ref().unwrap().en.contains("page"),
        "{}",
        text(&r)
    );
    // The signature itself is intact: it is the document shown that changed.
    assert_eq!(r.signatures[0].integrity, Outcome::Passed);
    assert_eq!(r.signatures[0].pdf.as_ref().unwrap().coverage, Coverage::EntireRevision);

    // A page added after signing (the page tree changed).
    let pdf = kyso::pdf::Pdf::parse(&doc).unwrap();
    let last = pdf.revisions().len() - 1;
    let catalog = pdf.catalog(last).unwrap();
    let pages_ref = catalog.get("Pages").unwrap().as_ref().unwrap();
    let pages = pdf
        .get(last, pages_ref)
        .unwrap()
        .unwrap()
        .object
        .as_dict()
        .unwrap()
        .clone();
    let kids = write(pages.get("Kids").unwrap());
    let mut tree = pages.clone();
    tree.0.retain(|(k, _)| k != b"Kids" && k != b"Count");
    let tree_text = write(&kyso::pdf::Object::Dict(tree));
    let added = append_update(
        &doc,
        &[
            (
                size,
                format!(
                    "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] >>",
                    pages_ref.num
                ),
            ),
            (
                pages_ref.num,
                format!(
                    "{} /Kids [{} {size} 0 R] /Count {}>>",
                    &tree_text[..tree_text.len() - 2],
                    &kids[1..kids.len() - 1],
                    pages.int("Count").unwrap() + 1
                ),
            ),
        ],
        None,
    );
    let (i, m, r) = judged(&added);
    assert_eq!(
        (i, m),
        (Indication::TotalFailed, Modification::NotAllowed),
        "{}",
        text(&r)
    );

    // Shadow attack, hide: optional content switched in the catalog after signing.
    let cat_ref = pdf.revisions()[last].trailer.get("Root").unwrap().as_ref().unwrap();
    let mut cat = catalog.clone();
    cat.0.retain(|(k, _)| k != b"OCProperties");
    let cat_text = write(&kyso::pdf::Object::Dict(cat));
    let hide = append_update(
        &doc,
        &[
            (size, "<< /Type /OCG /Name (lop an) >>".into()),
            (
                cat_ref.num,
                format!(
                    "{} /OCProperties << /OCGs [{size} 0 R] /D << /OFF [{size} 0 R] >> >>>>",
                    &cat_text[..cat_text.len() - 2]
                ),
            ),
        ],
        None,
    );
    let (i, m, r) = judged(&hide);
    assert_eq!(
        (i, m),
        (Indication::TotalFailed, Modification::NotAllowed),
        "{}",
        text(&r)
    );
    assert!(r.signatures[0]
        .pdf
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .any(|c| c.what == "catalog" && c.keys.iter().any(|k| k == "OCProperties")));

    // Shadow attack, replace: an object the signed page uses (its content stream) rewritten
    // in place.
    let content = page_dict.get("Contents").unwrap();
    let content_num = match content {
        kyso::pdf::Object::Ref(r) => r.num,
        kyso::pdf::Object::Array(a) => a[0].as_ref().unwrap().num,
        other => panic!("{other:?}"),
    };
    let replace = append_update(
        &doc,
        &[(
            content_num,
            "<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 700 Td (QUYET DINH GIA) Tj ET\nendstream".into(),
        )],
        None,
    );
    let (i, m, r) = judged(&replace);
    assert_eq!(
        (i, m),
        (Indication::TotalFailed, Modification::NotAllowed),
        "{}",
        text(&r)
    );

    // A permitted update still names what changed: the Info dictionary rewritten.
    let info = append_update(&doc, &[(size, "<< /Producer (kyso test) >>".into())], None);
    let (i, m, r) = judged(&info);
    assert_eq!(i, Indication::TotalPassed, "{}", text(&r));
    assert_eq!(m, Modification::LtaUpdates, "an unused object is harmless");

    // A truncated file: the signature's range now reaches past the end.
    let cut = &doc[..doc.len() - 100];
    let r = v.report(cut, Content::Attached, when());
    assert_ne!(r.indication, Indication::TotalPassed, "{}", text(&r));

    // A /Contents taken from another signed document: the CMS does not sign these bytes.
    let other = vn("vn-real-02").unwrap();
    let cms_of = |d: &[u8]| {
        let p = kyso::pdf::Pdf::parse(d).unwrap();
        let (s, _) = kyso::pdf::signature::signatures(&p).unwrap();
        let [a, _] = s[0].byte_range.clone().unwrap();
        (a.end, s[0].byte_range.clone().unwrap()[1].start)
    };
    let (from, to) = cms_of(&doc);
    let (ofrom, oto) = cms_of(&other);
    let mut swapped = doc.clone();
    // Their hex digits, cut or padded with zeros to fit between our < and >.
    let theirs = &other[ofrom + 1..oto - 1];
    let room = to - from - 2;
    for (i, b) in swapped[from + 1..to - 1].iter_mut().enumerate() {
        *b = if i < theirs.len().min(room) { theirs[i] } else { b'0' };
    }
    let r = v.report(&swapped, Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure), "{}", text(&r));

    // A byte of the signed revision changed: the digest no longer matches.
    let mut flipped = doc.clone();
    flipped[200] ^= 1;
    let r = v.report(&flipped, Content::Attached, when());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", text(&r));
}
