//! The validation report as text for people, in Vietnamese (as Circular 15/2025 requires) or
//! English. Times are shown in Vietnam time (UTC+7) in Vietnamese and in UTC in English; the
//! JSON keeps RFC 3339 UTC.

use std::fmt::Write as _;

use super::validation::{
    CheckName, CheckResult, EvidenceKind, Indication, Outcome, Party, ReportKind, SignatureReport, SubIndication,
    TimeSource, ValidationReport,
};
use crate::path::CheckKind;
use crate::revocation::RevocationMode;
use crate::time::Time;
use crate::vn::IdKind;

/// The language of a text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Vietnamese (tiếng Việt).
    Vi,
}

impl Lang {
    /// `vi` or `en` (also `vi_VN.UTF-8`, `vi-VN`, `en_US`…); `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let code = s.split(['_', '-', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
        match code.as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale setting: Vietnamese when it is `vi…`, else English.
    pub fn from_locale(locale: &str) -> Lang {
        match Lang::parse(locale) {
            Some(Lang::Vi) => Lang::Vi,
            _ => Lang::En,
        }
    }

    fn pick(self, en: &'static str, vi: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Vi => vi,
        }
    }
}

/// A time as people read it: `2026-11-23 12:27:51 UTC`, or `19:27:51 23/11/2026 (giờ Việt
/// Nam, UTC+7)`.
pub fn format_time(t: Time, lang: Lang) -> String {
    match lang {
        Lang::En => t.rfc3339().replace('T', " ").replace('Z', " UTC"),
        Lang::Vi => t.format_vi(),
    }
}

fn indication(i: Indication, lang: Lang) -> &'static str {
    match i {
        Indication::TotalPassed => lang.pick("VALID", "HỢP LỆ"),
        Indication::TotalFailed => lang.pick("INVALID", "KHÔNG HỢP LỆ"),
        Indication::Indeterminate => lang.pick("INDETERMINATE", "CHƯA XÁC ĐỊNH ĐƯỢC"),
    }
}

/// A sub-indication in words.
pub fn sub_indication(s: SubIndication, lang: Lang) -> &'static str {
    match s {
        SubIndication::FormatFailure => lang.pick("malformed or unsupported format", "sai hoặc không hỗ trợ định dạng"),
        SubIndication::HashFailure => lang.pick(
            "the document was changed after signing",
            "dữ liệu đã bị thay đổi sau khi ký",
        ),
        SubIndication::SigCryptoFailure => {
            lang.pick("the signature value does not verify", "giá trị chữ ký không đúng")
        }
        SubIndication::Revoked => lang.pick("a certificate was revoked", "chứng thư đã bị thu hồi"),
        SubIndication::Expired => lang.pick("a certificate had expired", "chứng thư đã hết hiệu lực"),
        SubIndication::NotYetValid => lang.pick("a certificate was not yet valid", "chứng thư chưa có hiệu lực"),
        SubIndication::SigConstraintsFailure => lang.pick(
            "the signed attributes do not meet the requirements",
            "thuộc tính ký không đáp ứng yêu cầu",
        ),
        SubIndication::ChainConstraintsFailure => lang.pick(
            "a certificate of the path breaks a constraint",
            "chứng thư trong đường dẫn chứng thực vi phạm ràng buộc",
        ),
        SubIndication::CertificateChainGeneralFailure => lang.pick(
            "the certificate path could not be built",
            "không xây dựng được đường dẫn chứng thực",
        ),
        SubIndication::CryptoConstraintsFailure => lang.pick(
            "an algorithm or key size is not accepted",
            "thuật toán hoặc độ dài khóa không được chấp nhận",
        ),
        SubIndication::NoSigningCertificateFound => lang.pick(
            "the signer's certificate was not found",
            "không tìm thấy chứng thư của người ký",
        ),
        SubIndication::NoCertificateChainFound => lang.pick(
            "no path to a trusted root",
            "không có đường dẫn tới tổ chức chứng thực gốc tin cậy",
        ),
        SubIndication::TryLater => lang.pick(
            "the revocation status is not available yet: try again later",
            "chưa xác định được tình trạng thu hồi, hãy kiểm tra lại sau",
        ),
        SubIndication::SignedDataNotFound => lang.pick("the signed content is missing", "không tìm thấy dữ liệu đã ký"),
    }
}

fn hierarchy(h: &str, lang: Lang) -> String {
    match h {
        "government" => lang
            .pick(
                "government-specialized (VGCA, Government Cipher Committee)",
                "chuyên dùng Chính phủ (Ban Cơ yếu Chính phủ)",
            )
            .into(),
        "public" => lang
            .pick("public (NEAC national root CA)", "công cộng (Root CA quốc gia – NEAC)")
            .into(),
        other => match other.strip_prefix("custom:") {
            Some(name) => match lang {
                Lang::En => format!("own anchor \"{name}\""),
                Lang::Vi => format!("gốc tin cậy riêng \"{name}\""),
            },
            None => other.into(),
        },
    }
}

fn check_name(c: CheckName, lang: Lang) -> &'static str {
    match c {
        CheckName::SignerCertificateFound => lang.pick("signer's certificate found", "tìm thấy chứng thư của người ký"),
        CheckName::SignedAttributes => lang.pick("signed attributes well formed", "thuộc tính ký đúng cấu trúc"),
        CheckName::ContentDigest => lang.pick(
            "content matches the signed digest",
            "giá trị băm của nội dung khớp với giá trị đã ký",
        ),
        CheckName::SigningCertificateReference => lang.pick(
            "signingCertificate names the signer's certificate",
            "thuộc tính signingCertificate trỏ đúng chứng thư của người ký",
        ),
        CheckName::SignatureValue => lang.pick(
            "signature value verifies under the signer's key",
            "giá trị chữ ký đúng với khóa công khai của người ký",
        ),
        CheckName::Timestamp => lang.pick("signature time-stamp valid", "dấu thời gian hợp lệ"),
        CheckName::Path(k) => match k {
            CheckKind::Signature => lang.pick("issuer's signature", "chữ ký của bên cấp"),
            CheckKind::Validity => lang.pick("validity period", "thời hạn hiệu lực"),
            CheckKind::Revocation => lang.pick("revocation status", "tình trạng thu hồi"),
            CheckKind::NameConstraints => lang.pick("name constraints", "ràng buộc về tên"),
            CheckKind::Policies => lang.pick("certificate policies", "chính sách chứng thư"),
            CheckKind::BasicConstraints => lang.pick("basic constraints (CA)", "ràng buộc cơ bản (CA)"),
            CheckKind::PathLength => lang.pick("path length", "độ dài đường dẫn"),
            CheckKind::KeyUsage => lang.pick("key usage", "mục đích sử dụng khóa"),
            CheckKind::ExtendedKeyUsage => lang.pick("extended key usage", "mục đích sử dụng khóa mở rộng"),
            CheckKind::CriticalExtensions => lang.pick("critical extensions", "các trường mở rộng critical"),
            CheckKind::Profile => lang.pick("RFC 5280 certificate profile", "cấu trúc chứng thư theo RFC 5280"),
        },
    }
}

fn check_result(r: CheckResult, lang: Lang) -> &'static str {
    match r {
        CheckResult::Passed => lang.pick("ok", "Đạt"),
        CheckResult::Failed => lang.pick("FAILED", "KHÔNG ĐẠT"),
        CheckResult::Warning => lang.pick("warning", "Cảnh báo"),
        CheckResult::NotChecked => lang.pick("not checked", "Không kiểm tra"),
    }
}

fn id_label(k: &IdKind, lang: Lang) -> String {
    match k {
        IdKind::Mst | IdKind::BareTaxCode => lang.pick("Tax code (MST)", "Mã số thuế").into(),
        IdKind::Cccd => lang.pick("Citizen ID (CCCD)", "Số căn cước công dân").into(),
        IdKind::Cmnd => lang.pick("ID card (CMND)", "Số chứng minh nhân dân").into(),
        IdKind::Hc => lang.pick("Passport (HC)", "Số hộ chiếu").into(),
        IdKind::Mns => lang.pick("Budget unit code (MNS)", "Mã quan hệ ngân sách").into(),
        IdKind::Other(p) => p.clone(),
    }
}

fn revocation_status(s: &str, lang: Lang) -> &'static str {
    match s {
        "good" => lang.pick("not revoked", "chưa bị thu hồi"),
        "revoked" => lang.pick("REVOKED", "ĐÃ BỊ THU HỒI"),
        "unknown" => lang.pick("revocation unknown", "chưa rõ tình trạng thu hồi"),
        "anchor" => lang.pick("trusted root", "gốc tin cậy"),
        _ => lang.pick("revocation not checked", "không kiểm tra thu hồi"),
    }
}

fn party(p: &Party) -> String {
    let name = p.common_name.clone().unwrap_or_else(|| p.subject.clone());
    match &p.organisation {
        Some(o) if !name.contains(o.as_str()) => format!("{name} ({o})"),
        _ => name,
    }
}

/// Labelled lines, padded to the longest label of the block.
struct Block<'a> {
    out: &'a mut String,
    indent: &'static str,
    rows: Vec<(String, String)>,
}

impl<'a> Block<'a> {
    fn new(out: &'a mut String, indent: &'static str) -> Self {
        Block {
            out,
            indent,
            rows: Vec::new(),
        }
    }
    fn row(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.rows.push((label.into(), value.into()));
    }
    fn finish(self) {
        let width = self.rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0) + 2;
        for (l, v) in self.rows {
            let label = format!("{l}:");
            let _ = writeln!(self.out, "{}{label:<width$}{v}", self.indent);
        }
    }
}

/// The report as text in `lang`.
pub fn render(r: &ValidationReport, lang: Lang) -> String {
    let mut out = String::new();
    let title = match (r.kind, lang) {
        (ReportKind::Certificate, Lang::En) => "CERTIFICATE VALIDATION REPORT",
        (ReportKind::Certificate, Lang::Vi) => "KẾT QUẢ KIỂM TRA CHỨNG THƯ CHỮ KÝ SỐ",
        (_, Lang::En) => "SIGNATURE VALIDATION REPORT",
        (_, Lang::Vi) => "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ",
    };
    let _ = writeln!(out, "{title}");
    let mut b = Block::new(&mut out, "");
    if let Some(d) = &r.document {
        b.row(lang.pick("File", "Tệp"), d.file.clone());
        if let Some(c) = &d.content {
            b.row(lang.pick("Signed content", "Nội dung được ký"), c.clone());
        }
    }
    if let Some(e) = r.pdf.as_ref().and_then(|p| p.encryption.as_ref()) {
        b.row(
            lang.pick("Encryption", "Mã hoá"),
            format!(
                "{e}, {}",
                lang.pick(
                    "opened with the empty user password",
                    "mở bằng mật khẩu người dùng rỗng"
                )
            ),
        );
    }
    b.row(
        lang.pick("Validated at", "Thời điểm kiểm tra"),
        format_time(r.validation_time, lang),
    );
    b.row(
        lang.pick("Result", "Kết luận"),
        format!("{} ({})", indication(r.indication, lang), r.indication.id()),
    );
    if let Some(s) = r.sub_indication {
        b.row(
            lang.pick("Cause", "Nguyên nhân"),
            format!("{} ({})", sub_indication(s, lang), s.id()),
        );
    }
    if let Some(m) = &r.reason {
        b.row(lang.pick("Reason", "Chi tiết"), pick_msg(m, lang));
    }
    if let Some(p) = &r.policy {
        let rev = match p.revocation {
            RevocationMode::Soft => lang.pick(
                "checked, soft-fail (missing evidence gives a warning)",
                "có kiểm tra, chế độ mềm (thiếu bằng chứng thì cảnh báo)",
            ),
            RevocationMode::Hard => lang.pick(
                "checked, hard-fail (missing evidence gives INDETERMINATE)",
                "có kiểm tra, chế độ chặt (thiếu bằng chứng thì chưa xác định được)",
            ),
            RevocationMode::Off => lang.pick("not checked", "không kiểm tra"),
        };
        b.row(lang.pick("Revocation", "Kiểm tra thu hồi"), rev);
        if p.legacy_algorithms {
            b.row(
                lang.pick("Algorithms", "Thuật toán"),
                lang.pick(
                    "legacy accepted (SHA-1, RSA < 2048)",
                    "chấp nhận thuật toán cũ (SHA-1, RSA < 2048)",
                ),
            );
        }
    }
    b.finish();
    if matches!(r.kind, ReportKind::Cms | ReportKind::Xml) && r.signatures.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("No signature found.", "Không có chữ ký nào."));
    }
    for s in &r.signatures {
        out.push('\n');
        signature(&mut out, r, s, lang, "");
    }
    if !r.unsigned.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{} {}",
            lang.pick("Not covered by any signature:", "Không được chữ ký nào bao phủ:"),
            r.unsigned.join(", ")
        );
    }
    for (i, a) in r.attachments.iter().enumerate() {
        out.push('\n');
        let name = a.name.clone().or(a.content_id.clone()).unwrap_or_default();
        let _ = writeln!(out, "{} {}: {name}", lang.pick("Attachment", "Tệp đính kèm"), i + 1);
        match (&a.report, &a.note) {
            (Some(inner), _) => {
                // The attachment's own report, indented.
                for line in render(inner, lang).lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            (None, Some(note)) => {
                let _ = writeln!(out, "  {}", pick_msg(note, lang));
            }
            (None, None) => {}
        }
    }
    out
}

fn pick_msg(m: &super::validation::Message, lang: Lang) -> String {
    match lang {
        Lang::En => m.en.clone(),
        Lang::Vi => m.vi.clone(),
    }
}

fn signature(out: &mut String, r: &ValidationReport, s: &SignatureReport, lang: Lang, indent: &'static str) {
    let heading = match (r.kind, indent.is_empty(), lang) {
        (ReportKind::Certificate, _, Lang::En) => "Certificate".to_string(),
        (ReportKind::Certificate, _, Lang::Vi) => "Chứng thư".to_string(),
        (_, true, Lang::En) => format!("Signature {}", s.id),
        (_, true, Lang::Vi) => format!("Chữ ký {}", s.id),
        (_, false, Lang::En) => format!("Countersignature {}", s.id),
        (_, false, Lang::Vi) => format!("Chữ ký kèm {}", s.id),
    };
    let _ = writeln!(
        out,
        "{indent}{heading}: {} ({})",
        indication(s.indication, lang),
        s.indication.id()
    );
    let inner: &'static str = if indent.is_empty() { "  " } else { "      " };
    let mut b = Block::new(out, inner);
    let is_cert = r.kind == ReportKind::Certificate;
    if let Some(role) = &s.role {
        b.row(
            lang.pick("Role", "Vai trò"),
            format!(
                "{} ({})",
                if lang == Lang::Vi { &role.name.vi } else { &role.name.en },
                role.code
            ),
        );
    }
    match &s.signer {
        Some(p) => b.row(
            if is_cert {
                lang.pick("Subject", "Chủ thể")
            } else {
                lang.pick("Signer", "Người ký")
            },
            party(p),
        ),
        None => b.row(
            lang.pick("Signer", "Người ký"),
            lang.pick("(certificate not found)", "(không tìm thấy chứng thư)"),
        ),
    }
    if let Some(id) = &s.identity {
        for v in &id.ids {
            let note = if v.well_formed {
                ""
            } else {
                lang.pick(" (malformed)", " (sai định dạng)")
            };
            b.row(id_label(&v.kind, lang), format!("{}{note}", v.value));
        }
    }
    b.row(
        lang.pick("Managing organisation", "Cơ quan, tổ chức quản lý thuê bao"),
        s.managing_organisation
            .clone()
            .unwrap_or_else(|| lang.pick("(not stated)", "(không ghi trong chứng thư)").into()),
    );
    if let Some(ca) = &s.issuing_ca {
        b.row(lang.pick("Issuing CA", "Tổ chức cấp chứng thư"), party(ca));
    }
    b.row(
        lang.pick("Hierarchy", "Hệ thống chứng thực"),
        s.hierarchy.as_deref().map(|h| hierarchy(h, lang)).unwrap_or_else(|| {
            lang.pick("(no trusted root reached)", "(không tới được gốc tin cậy)")
                .into()
        }),
    );
    if !is_cert {
        b.row(
            lang.pick("Signing time", "Thời điểm ký"),
            s.signing_time
                .map(|t| format_time(t, lang))
                .unwrap_or_else(|| lang.pick("(not stated)", "(không ghi)").into()),
        );
        let ts = match &s.timestamp {
            None => lang.pick("none", "không có").to_string(),
            Some(t) if t.valid => {
                let when = t.gen_time.map(|g| format_time(g, lang)).unwrap_or_default();
                let tsa = t.tsa.clone().unwrap_or_default();
                match lang {
                    Lang::En => format!("{when}, by {tsa}"),
                    Lang::Vi => format!("{when}, do {tsa} cấp"),
                }
            }
            Some(t) => match lang {
                Lang::En => format!("NOT VALID: {}", t.error.clone().unwrap_or_default()),
                Lang::Vi => format!("KHÔNG HỢP LỆ: {}", t.error.clone().unwrap_or_default()),
            },
        };
        b.row(lang.pick("Time-stamp", "Dấu thời gian"), ts);
    }
    let source = match s.time_source {
        TimeSource::Timestamp => lang.pick("the time-stamp", "theo dấu thời gian"),
        TimeSource::SigningTime => lang.pick("the signing time", "theo thời điểm ký"),
        TimeSource::ValidationTime => lang.pick("the validation time", "theo thời điểm kiểm tra"),
        TimeSource::Caller => lang.pick("given by the user", "do người dùng chỉ định"),
    };
    b.row(
        lang.pick("Judged at", "Thời điểm xét hiệu lực"),
        match lang {
            Lang::En => format!("{} (from {source})", format_time(s.judged_at, lang)),
            Lang::Vi => format!("{} ({source})", format_time(s.judged_at, lang)),
        },
    );
    if s.integrity != Outcome::NotApplicable {
        b.row(
            lang.pick("Integrity", "Tính toàn vẹn"),
            match s.integrity {
                Outcome::Passed => lang.pick(
                    "intact: not changed since it was signed",
                    "toàn vẹn: dữ liệu không bị thay đổi sau khi ký",
                ),
                Outcome::Failed => lang.pick(
                    "NOT INTACT: changed after signing, or the signature is wrong",
                    "KHÔNG TOÀN VẸN: dữ liệu đã bị thay đổi sau khi ký, hoặc chữ ký sai",
                ),
                _ => lang.pick("could not be established", "chưa xác định được"),
            },
        );
    }
    for (i, x) in s.references.iter().enumerate() {
        let target = match (&x.uri, &x.covers) {
            (_, Some(e)) => format!("<{e}>"),
            (Some(u), None) if u.is_empty() => lang.pick("the whole document", "toàn bộ tài liệu").into(),
            (Some(u), None) => u.clone(),
            (None, None) => lang.pick("(no URI)", "(không có URI)").into(),
        };
        let outcome = match x.digest {
            Outcome::Passed => lang.pick("digest matches", "giá trị băm khớp"),
            Outcome::Failed => lang.pick(
                "DIGEST DIFFERS: changed after signing",
                "GIÁ TRỊ BĂM KHÁC: đã bị thay đổi sau khi ký",
            ),
            _ => lang.pick("not computed", "không tính được"),
        };
        let reading = match x.enveloped_reading {
            Some(crate::xml::dsig::EnvelopedReading::Santuario) => {
                lang.pick(" (Santuario's reading)", " (theo cách hiểu của Santuario)")
            }
            Some(crate::xml::dsig::EnvelopedReading::W3c) => lang.pick(" (W3C reading)", " (theo cách hiểu của W3C)"),
            None => "",
        };
        let why = x
            .reason
            .as_ref()
            .map(|m| format!(": {}", pick_msg(m, lang)))
            .unwrap_or_default();
        b.row(
            format!("{} {}", lang.pick("Reference", "Tham chiếu"), i + 1),
            format!("{target} — {outcome}{reading}{why}"),
        );
    }
    b.row(
        if is_cert {
            lang.pick("Valid at that time", "Hiệu lực tại thời điểm xét")
        } else {
            lang.pick("Certificate valid at signing", "Hiệu lực chứng thư tại thời điểm ký")
        },
        match s.valid_at_signing_time {
            Outcome::Passed => lang.pick("yes", "có hiệu lực"),
            Outcome::Failed => lang.pick("NO", "KHÔNG có hiệu lực"),
            _ => lang.pick("could not be established", "chưa xác định được"),
        },
    );
    if let Some(p) = s.certificate_validity {
        b.row(
            lang.pick("Certificate validity", "Thời hạn của chứng thư"),
            match lang {
                Lang::En => format!(
                    "{} to {}",
                    format_time(p.not_before, lang),
                    format_time(p.not_after, lang)
                ),
                Lang::Vi => format!(
                    "từ {} đến {}",
                    format_time(p.not_before, lang),
                    format_time(p.not_after, lang)
                ),
            },
        );
    }
    if let Some(l) = s.level {
        let level = serde_json::to_value(l)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let label = if s.pdf.is_some() {
            lang.pick("PAdES level", "Mức PAdES")
        } else {
            lang.pick("CAdES level", "Mức CAdES")
        };
        b.row(label, level);
    }
    if let Some(p) = &s.pdf {
        use crate::pdf::diff::Modification;
        use crate::pdf::signature::{Coverage, SignatureKind};
        let kind = match p.kind {
            SignatureKind::Signature => "",
            SignatureKind::DocumentTimestamp => lang.pick(" (document time-stamp)", " (dấu thời gian tài liệu)"),
        };
        b.row(
            lang.pick("PDF field", "Trường chữ ký PDF"),
            format!("{}{kind}, {}", p.field, p.sub_filter.as_deref().unwrap_or("-")),
        );
        let revision = p.revision.map(|r| r.to_string()).unwrap_or_else(|| "?".into());
        let coverage = match (p.coverage, lang) {
            (Coverage::EntireFile, Lang::En) => format!("the whole file (revision {revision} of {})", p.revisions),
            (Coverage::EntireFile, Lang::Vi) => format!("toàn bộ tệp (phiên bản {revision}/{})", p.revisions),
            (Coverage::EntireRevision, Lang::En) => {
                format!(
                    "revision {revision} of {}; later revisions were added after signing",
                    p.revisions
                )
            }
            (Coverage::EntireRevision, Lang::Vi) => {
                format!(
                    "phiên bản {revision}/{}; các phiên bản sau được thêm sau khi ký",
                    p.revisions
                )
            }
            (Coverage::Unclear, Lang::En) => "UNCLEAR: the signed ranges are not a revision of the file".into(),
            (Coverage::Unclear, Lang::Vi) => "KHÔNG RÕ: phần được ký không phải một phiên bản của tệp".into(),
        };
        b.row(lang.pick("Covers", "Phạm vi ký"), coverage);
        if let Some(lock) = &p.lock {
            use crate::pdf::signature::FieldLock;
            let locked = match (lock, lang) {
                (FieldLock::All, Lang::En) => "every form field".to_string(),
                (FieldLock::All, Lang::Vi) => "mọi trường biểu mẫu".to_string(),
                (FieldLock::Include(f), _) => f.join(", "),
                (FieldLock::Exclude(f), Lang::En) => format!("every form field but {}", f.join(", ")),
                (FieldLock::Exclude(f), Lang::Vi) => format!("mọi trường biểu mẫu trừ {}", f.join(", ")),
            };
            b.row(lang.pick("Locks (FieldMDP)", "Khoá trường (FieldMDP)"), locked);
        }
        if p.vri {
            b.row(
                lang.pick("Validation data", "Dữ liệu kiểm tra"),
                lang.pick("a VRI entry of its own in the DSS", "có mục VRI riêng trong DSS"),
            );
        }
        if let Some(mdp) = p.docmdp {
            b.row(
                lang.pick("Certification", "Chữ ký chứng nhận"),
                match (mdp, lang) {
                    (1, Lang::En) => "DocMDP P=1: no change allowed".to_string(),
                    (1, Lang::Vi) => "DocMDP P=1: không cho phép thay đổi".to_string(),
                    (2, Lang::En) => "DocMDP P=2: form filling and signing allowed".to_string(),
                    (2, Lang::Vi) => "DocMDP P=2: cho phép điền biểu mẫu và ký".to_string(),
                    (_, Lang::En) => "DocMDP P=3: form filling, signing and annotations allowed".to_string(),
                    (_, Lang::Vi) => "DocMDP P=3: cho phép điền biểu mẫu, ký và thêm chú thích".to_string(),
                },
            );
        }
        if p.modification != Modification::None {
            let class = match (p.modification, lang) {
                (Modification::NotAllowed, Lang::En) => "NOT ALLOWED",
                (Modification::NotAllowed, Lang::Vi) => "KHÔNG ĐƯỢC PHÉP",
                (Modification::Undefined, Lang::En) => "cannot be judged",
                (Modification::Undefined, Lang::Vi) => "không xác định được",
                (_, Lang::En) => "permitted",
                (_, Lang::Vi) => "được phép",
            };
            let worst: Vec<String> = p
                .changes
                .iter()
                .filter(|c| c.class == p.modification)
                .take(4)
                .map(|c| format!("{} {} {}", c.what, c.object, c.how))
                .collect();
            b.row(
                lang.pick("Changes after signing", "Thay đổi sau khi ký"),
                format!(
                    "{class} ({} {}): {}",
                    p.changes.len(),
                    lang.pick("objects", "đối tượng"),
                    worst.join(", ")
                ),
            );
        }
    }
    if let Some(sub) = s.sub_indication {
        b.row(
            lang.pick("Cause", "Nguyên nhân"),
            format!("{} ({})", sub_indication(sub, lang), sub.id()),
        );
    }
    if let Some(m) = &s.reason {
        b.row(lang.pick("Reason", "Chi tiết"), pick_msg(m, lang));
    }
    b.finish();

    if !s.path.is_empty() {
        let _ = writeln!(out, "{inner}{}:", lang.pick("Certificate path", "Đường dẫn chứng thực"));
        for c in &s.path {
            let _ = writeln!(
                out,
                "{inner}  #{} {} [{}]",
                c.index,
                c.subject,
                revocation_status(c.revocation, lang)
            );
        }
    }
    if !s.checks.is_empty() {
        let _ = writeln!(out, "{inner}{}:", lang.pick("Checks", "Các bước kiểm tra"));
        let width = s
            .checks
            .iter()
            .map(|c| check_result(c.result, lang).chars().count())
            .max()
            .unwrap_or(0);
        for c in &s.checks {
            let on = c.certificate.map(|i| format!("#{i} ")).unwrap_or_default();
            let detail = c
                .detail
                .as_ref()
                .map(|d| format!(" — {}", pick_msg(d, lang)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{inner}  {:<width$}  {on}{}{detail}",
                check_result(c.result, lang),
                check_name(c.check, lang)
            );
        }
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "{inner}{}:", lang.pick("Warnings", "Cảnh báo"));
        for w in &s.warnings {
            let _ = writeln!(out, "{inner}  - {}", pick_msg(&w.message, lang));
        }
    }
    if !s.evidence.is_empty() {
        let _ = writeln!(out, "{inner}{}:", lang.pick("Evidence relied on", "Bằng chứng đã dùng"));
        for key in &s.evidence {
            let Some(e) = r.evidence.iter().find(|e| &e.sha256 == key) else {
                continue;
            };
            let kind = match e.kind {
                EvidenceKind::Certificate => lang.pick("certificate", "chứng thư"),
                EvidenceKind::Crl => "CRL",
                EvidenceKind::Ocsp => lang.pick("OCSP response", "phản hồi OCSP"),
            };
            let short = e.sha256.get(..16).unwrap_or(&e.sha256);
            let file = e.file.as_ref().map(|f| format!(" → {f}")).unwrap_or_default();
            let _ = writeln!(out, "{inner}  - {kind}: {} (SHA-256 {short}…){file}", e.description);
        }
    }
    for c in &s.countersignatures {
        signature(out, r, c, lang, "  ");
    }
}
