//! The validation report (kyso.report/1): every cause a user meets gets its ETSI-style
//! indication and sub-indication and a reason in both languages; the Vietnamese text carries
//! what Circular 15/2025 lists; the evidence folder holds what was relied on.
#![cfg(feature = "aws-lc")]

use std::sync::Arc;

use kyso::cms::{self, VerifyOptions};
use kyso::crypto;
use kyso::path::PathOptions;
use kyso::report::{render, EvidenceKind, Indication, Lang, Outcome, SubIndication, TimeSource, ValidationReport};
use kyso::revocation::{Crl, RevocationEvidence, RevocationMode, RevocationOptions};
use kyso::sign::{Content, SignOptions, SoftwareSigner};
use kyso::{Certificate, Hierarchy, Time, TrustStore};
use kyso_testpki::{issue_crl, CrlSpec, Entity, Revoked, VietnamTestPki};

const DOC: &[u8] = "HÓA ĐƠN GIÁ TRỊ GIA TĂNG số 0000123".as_bytes();

fn c(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

struct Fixture {
    pki: VietnamTestPki,
    store: TrustStore,
    now: Time,
}

impl Fixture {
    fn new() -> Fixture {
        let pki = VietnamTestPki::build();
        let mut store = TrustStore::new();
        store.add_anchor(c(&pki.gov_root.cert), Hierarchy::Government);
        store.add_anchor(c(&pki.pub_root.cert), Hierarchy::Public);
        Fixture {
            pki,
            store,
            now: Time::from_ymd_hms(2026, 11, 23, 3, 0, 0).unwrap(),
        }
    }

    fn sign(&self, e: &Entity, sub: &Entity, with_chain: bool) -> Vec<u8> {
        let mut o = SignOptions::new(self.now);
        o.detached = true;
        if with_chain {
            o.chain = vec![c(&sub.cert)];
        }
        o.force = true;
        let signer = SoftwareSigner::from_pkcs8(e.key.pkcs8(), c(&e.cert)).unwrap();
        kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap()
    }

    fn crls(&self, revoked_serial: Option<u64>) -> Vec<Crl> {
        let crl = |issuer: &Entity, revoked: Vec<Revoked>| {
            let der = issue_crl(
                &CrlSpec {
                    this_update: self.now.0 - 3600,
                    next_update: Some(self.now.0 + 86_400),
                    number: 1,
                    revoked,
                    ..CrlSpec::default()
                },
                (&issuer.subject, &issuer.key),
            );
            Crl::from_bytes(&der)
                .unwrap()
                .with_origin(format!("test:{}", issuer.label))
        };
        let revoked = revoked_serial
            .map(|serial| {
                vec![Revoked {
                    serial,
                    date: self.now.0 - 86_400 * 30,
                    reason: Some(1),
                }]
            })
            .unwrap_or_default();
        vec![crl(&self.pki.pub_root, vec![]), crl(&self.pki.pub_sub, revoked)]
    }

    fn report(&self, sig: &[u8], content: &[u8], mode: RevocationMode, crls: Vec<Crl>) -> ValidationReport {
        let mut o = VerifyOptions::new(self.now);
        o.path = PathOptions::vietnam(self.now);
        o.path.revocation = RevocationOptions {
            mode,
            evidence: Arc::new(RevocationEvidence::from_crls(crls)),
        };
        let bytes = content.to_vec();
        let mut reopen =
            move || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::io::Cursor::new(bytes.clone()))) };
        let r = cms::verify(sig, Some(&mut reopen), &self.store, &[], &o, crypto::default_provider()).unwrap();
        ValidationReport::from_cms(&r, &o)
    }
}

/// The company's certificate serial in the test PKI (see testpki).
fn serial_of(der: &[u8]) -> u64 {
    let hex = c(der).serial_hex();
    u64::from_str_radix(&hex, 16).unwrap()
}

#[test]
fn a_valid_signature_reports_what_the_circular_lists_in_both_languages() {
    let f = Fixture::new();
    let sig = f.sign(&f.pki.company, &f.pki.pub_sub, true);
    let r = f.report(&sig, DOC, RevocationMode::Hard, f.crls(None));
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(r.sub_indication, None);
    let s = &r.signatures[0];
    assert_eq!(s.hierarchy.as_deref(), Some("public"));
    assert_eq!(s.integrity, Outcome::Passed);
    assert_eq!(s.valid_at_signing_time, Outcome::Passed);
    assert_eq!(s.time_source, TimeSource::SigningTime);
    assert_eq!(s.signing_time, Some(f.now));
    assert_eq!(s.identity.as_ref().unwrap().ids[0].value, "0109999999");
    assert_eq!(s.managing_organisation.as_deref(), Some("CÔNG TY TNHH KYSO THỬ NGHIỆM"));
    assert_eq!(
        s.issuing_ca.as_ref().unwrap().common_name.as_deref(),
        Some("Kyso Test VNPT-CA")
    );
    assert_eq!(s.path.len(), 3);
    assert_eq!(s.path[0].revocation, "good");
    assert_eq!(s.path[2].revocation, "anchor");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // Evidence: the three certificates and the two CRLs, each once, named by the signature.
    let kinds: Vec<EvidenceKind> = r.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == EvidenceKind::Certificate).count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == EvidenceKind::Crl).count(), 2);
    assert_eq!(s.evidence.len(), 5);

    let vi = render(&r, Lang::Vi);
    for needle in [
        "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ",
        "Kết luận:",
        "HỢP LỆ (TOTAL_PASSED)",
        "Người ký:",
        "Mã số thuế:",
        "0109999999",
        "Cơ quan, tổ chức quản lý thuê bao:",
        "Tổ chức cấp chứng thư:",
        "Kyso Test VNPT-CA",
        "Hệ thống chứng thực:",
        "công cộng (Root CA quốc gia – NEAC)",
        "Thời điểm ký:",
        "10:00:00 ngày 23/11/2026 (giờ Việt Nam, UTC+7)",
        "Tính toàn vẹn:",
        "dữ liệu không bị thay đổi sau khi ký",
        "Hiệu lực chứng thư tại thời điểm ký:",
        "Thời hạn của chứng thư:",
        "chưa bị thu hồi",
        "Bằng chứng đã dùng:",
    ] {
        assert!(vi.contains(needle), "missing {needle:?} in\n{vi}");
    }
    let en = render(&r, Lang::En);
    for needle in [
        "SIGNATURE VALIDATION REPORT",
        "VALID (TOTAL_PASSED)",
        "Managing organisation:",
        "Issuing CA:",
        "2026-11-23 03:00:00 UTC",
        "intact",
    ] {
        assert!(en.contains(needle), "missing {needle:?} in\n{en}");
    }
    // The JSON names the schema and the indications as ETSI does.
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["schema"], "kyso.report/1");
    assert_eq!(j["indication"], "TOTAL_PASSED");
    assert_eq!(j["signatures"][0]["checks"][0]["check"], "signer_certificate_found");
    assert_eq!(j["signatures"][0]["checks"][0]["result"], "passed");
}

#[test]
fn every_cause_has_its_sub_indication_and_a_vietnamese_reason() {
    let f = Fixture::new();
    let good = f.sign(&f.pki.company, &f.pki.pub_sub, true);
    let mut cases: Vec<(&str, ValidationReport, Indication, SubIndication, &str)> = Vec::new();
    // The document changed after signing.
    cases.push((
        "tampered",
        f.report(&good, b"something else", RevocationMode::Hard, f.crls(None)),
        Indication::TotalFailed,
        SubIndication::HashFailure,
        "dữ liệu đã bị thay đổi sau khi ký",
    ));
    // The signer's certificate is revoked.
    cases.push((
        "revoked",
        f.report(
            &good,
            DOC,
            RevocationMode::Hard,
            f.crls(Some(serial_of(&f.pki.company.cert))),
        ),
        Indication::TotalFailed,
        SubIndication::Revoked,
        "đã bị thu hồi",
    ));
    // Hard-fail revocation without evidence.
    cases.push((
        "no evidence",
        f.report(&good, DOC, RevocationMode::Hard, Vec::new()),
        Indication::Indeterminate,
        SubIndication::TryLater,
        "không xác định được tình trạng thu hồi",
    ));
    // A signer under the look-alike root.
    let rogue = f.sign(&f.pki.rogue_leaf, &f.pki.rogue_root, true);
    cases.push((
        "untrusted",
        f.report(&rogue, DOC, RevocationMode::Soft, Vec::new()),
        Indication::Indeterminate,
        SubIndication::NoCertificateChainFound,
        "không xây dựng được đường dẫn",
    ));
    // Judged after the certificate expired.
    let mut expired = {
        let mut o = VerifyOptions::new(f.now);
        o.path = PathOptions::vietnam(f.now);
        o.at = Some(Time::from_ymd_hms(2040, 1, 1, 0, 0, 0).unwrap());
        let bytes = DOC.to_vec();
        let mut reopen =
            move || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::io::Cursor::new(bytes.clone()))) };
        let r = cms::verify(&good, Some(&mut reopen), &f.store, &[], &o, crypto::default_provider()).unwrap();
        vec![ValidationReport::from_cms(&r, &o)]
    };
    cases.push((
        "expired",
        expired.remove(0),
        Indication::TotalFailed,
        SubIndication::Expired,
        "đã hết hiệu lực",
    ));
    // The signer's certificate is not in the signature and not given.
    let mut o = SignOptions::new(f.now);
    o.detached = true;
    o.force = true;
    let signer = SoftwareSigner::from_pkcs8(f.pki.company.key.pkcs8(), c(&f.pki.company.cert)).unwrap();
    let mut bare = kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap();
    // Point the SignerInfo's sid at a serial no certificate has: IssuerAndSerialNumber is
    // the issuer's Name followed directly by the INTEGER, a pattern found only there.
    let serial = c(&f.pki.company.cert).serial().to_vec();
    let mut sid = f.pki.pub_sub.subject.clone();
    sid.extend([0x02, serial.len() as u8]);
    sid.extend(&serial);
    let at = bare
        .windows(sid.len())
        .position(|w| w == sid.as_slice())
        .expect("the sid is in the SignerInfo");
    bare[at + sid.len() - 1] ^= 0x01;
    cases.push((
        "no signer certificate",
        f.report(&bare, DOC, RevocationMode::Soft, Vec::new()),
        Indication::Indeterminate,
        SubIndication::NoSigningCertificateFound,
        "không tìm thấy chứng thư của người ký",
    ));
    // A corrupted signature value.
    let mut broken = good.clone();
    let last = broken.len() - 10;
    broken[last] ^= 0x55;
    cases.push((
        "bad signature value",
        f.report(&broken, DOC, RevocationMode::Soft, Vec::new()),
        Indication::TotalFailed,
        SubIndication::SigCryptoFailure,
        "giá trị chữ ký không khớp",
    ));

    for (name, r, indication, sub, vi) in &cases {
        assert_eq!(r.indication, *indication, "{name}: {r:#?}");
        assert_eq!(r.sub_indication, Some(*sub), "{name}");
        let reason = r.reason.as_ref().unwrap_or_else(|| panic!("{name}: no reason"));
        assert!(reason.vi.contains(vi), "{name}: {:?}", reason.vi);
        let text = render(r, Lang::Vi);
        assert!(text.contains(sub.id()), "{name}: {text}");
        // Every label and outcome of the Vietnamese text is Vietnamese: none of the English
        // labels leak into it.
        for english in ["Signer:", "Integrity:", "Checks:", "Cause:", "not checked", "Reason:"] {
            assert!(!text.contains(english), "{name}: {english:?} in\n{text}");
        }
    }
}

#[test]
fn soft_fail_revocation_and_legacy_are_warnings_in_both_languages() {
    let f = Fixture::new();
    let sig = f.sign(&f.pki.company, &f.pki.pub_sub, true);
    let r = f.report(&sig, DOC, RevocationMode::Soft, Vec::new());
    assert_eq!(r.indication, Indication::TotalPassed);
    let w = &r.signatures[0].warnings;
    assert!(w.iter().any(|w| w.code == "revocation_unknown"), "{w:?}");
    let text = render(&r, Lang::Vi);
    assert!(text.contains("Cảnh báo:"), "{text}");
    assert!(text.contains("chế độ mềm"), "{text}");
    assert!(text.contains("không có CRL hay phản hồi OCSP nào"), "{text}");
    let off = f.report(&sig, DOC, RevocationMode::Off, Vec::new());
    assert!(off.signatures[0]
        .warnings
        .iter()
        .any(|w| w.code == "revocation_not_checked"));
}

#[test]
#[cfg(feature = "fs")]
fn the_evidence_folder_keeps_certificates_crls_and_the_report() {
    let f = Fixture::new();
    let sig = f.sign(&f.pki.company, &f.pki.pub_sub, true);
    let mut r = f.report(&sig, DOC, RevocationMode::Hard, f.crls(None));
    let dir = std::env::temp_dir().join(format!("kyso-report-evidence-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    r.save_evidence(&dir).unwrap();
    for e in &r.evidence {
        let file = e.file.as_ref().expect("each item names its file");
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(bytes, *e.der, "{file}");
        let digest = hex::encode_upper(crypto::default_provider().digest(crypto::HashAlgorithm::Sha256, &bytes));
        assert_eq!(digest, e.sha256, "{file}");
        match e.kind {
            EvidenceKind::Certificate => {
                Certificate::from_der(&bytes).unwrap();
            }
            EvidenceKind::Crl => {
                Crl::from_bytes(&bytes).unwrap();
            }
            EvidenceKind::Ocsp => {}
        }
    }
    // The company's certificate is among them, byte for byte.
    assert!(r.evidence.iter().any(|e| *e.der == f.pki.company.cert));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["indication"], "TOTAL_PASSED");
    assert!(json["evidence"][0]["file"].is_string());
    let vi = std::fs::read_to_string(dir.join("report.vi.txt")).unwrap();
    assert!(vi.contains("HỢP LỆ"), "{vi}");
    assert!(std::fs::read_to_string(dir.join("report.en.txt"))
        .unwrap()
        .contains("VALID"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn language_from_the_locale() {
    assert_eq!(Lang::from_locale("vi_VN.UTF-8"), Lang::Vi);
    assert_eq!(Lang::from_locale("vi"), Lang::Vi);
    assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
    assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
    assert_eq!(Lang::from_locale(""), Lang::En);
    assert_eq!(Lang::parse("fr"), None);
}

#[test]
fn a_tolerated_quirk_is_a_warning_check_worded_in_both_languages() {
    // FPT's TSA certificate: critical authorityInfoAccess and keyCertSign on a non-CA (quirks 4
    // and 5), accepted under the Vietnam tolerances.
    let Some(fpt) = kyso_testpki::shared::vn_trust("neac-subca/FPT-Certification-Authority-Timestamping__20230607.pem")
    else {
        return;
    };
    let bytes = std::fs::read(fpt).unwrap();
    let leaf = kyso::load_certificates(&bytes).unwrap().remove(0);
    let at = Time::from_ymd_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let mut o = PathOptions::vietnam(at);
    o.leaf_key_usage = kyso::path::LeafKeyUsage::Any;
    let r = kyso::path::verify_chain(&leaf, &[], &TrustStore::vietnam(), &o, crypto::default_provider());
    let report = ValidationReport::from_chain(&leaf, &r, &o, at);
    assert_eq!(report.indication, Indication::TotalPassed);
    let tolerated: Vec<_> = report.signatures[0]
        .checks
        .iter()
        .filter(|c| c.result == kyso::report::CheckResult::Warning)
        .collect();
    assert_eq!(tolerated.len(), 2, "{tolerated:?}");
    let vi: Vec<&str> = tolerated
        .iter()
        .map(|c| c.detail.as_ref().unwrap().vi.as_str())
        .collect();
    assert!(
        vi.iter()
            .any(|d| d.contains("authorityInfoAccess được đánh dấu critical")),
        "{vi:?}"
    );
    assert!(vi.iter().any(|d| d.contains("không phải chứng thư CA")), "{vi:?}");
}
