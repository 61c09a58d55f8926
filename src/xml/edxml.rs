//! edXML packages (QCVN 102:2016, the national document exchange between state bodies): an
//! `edXML` document whose `edXMLEnvelope` holds the message header (`edXMLHeader`, signed
//! with an enveloped XML signature over the whole package) and a manifest (`edXMLBody/
//! edXMLManifest/Reference`: ContentId, ContentType, AttachmentName), and whose
//! `AttachmentEncoded/Attachment` elements carry each attached document in base64
//! (`ContentTransferEncoded`). The header signature is verified as any XML signature; each
//! attachment is handed back to the `Verifier` (CMS now, PDF when that lands), one report for
//! the package.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use base64::Engine;
use roxmltree::{Document, Node};

/// The edXML namespace of QCVN 102:2016.
pub const EDXML_NS: &str = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

/// The largest attachment kyso decodes from a package (the package itself is bounded by
/// [`super::MAX_XML_SIZE`]).
pub const MAX_ATTACHMENT_SIZE: usize = 48 << 20;

/// The most files kyso takes out of one zipped attachment.
pub const MAX_ZIP_ENTRIES: usize = 256;

/// One attached document of a package. A zipped attachment gives one `Attachment` per file
/// in the archive, each named `archive/file` with `archive` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its ContentId, which the manifest refers to it by.
    pub content_id: Option<String>,
    /// Its name in the manifest (`AttachmentName`); for a file taken out of a zipped
    /// attachment, `archive/path-in-the-archive`.
    pub name: Option<String>,
    /// For a file taken out of a zipped attachment, that attachment's name (or ContentId).
    pub archive: Option<String>,
    /// Its media type in the manifest (`ContentType`).
    pub content_type: Option<String>,
    /// The decoded bytes, or why they could not be decoded.
    pub data: Result<Vec<u8>, AttachmentError>,
}

/// Why an attachment's content could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttachmentError {
    /// No `ContentTransferEncoded` text.
    Missing,
    /// Not base64.
    NotBase64,
    /// Decoded, above [`MAX_ATTACHMENT_SIZE`].
    TooLarge {
        /// Its encoded length.
        encoded: usize,
    },
    /// A ZIP archive (some exchange software zips each attachment) that could not be read:
    /// malformed, encrypted, or a compression method other than stored and deflate.
    BadZip(String),
    /// A ZIP archive above the limits: more than [`MAX_ZIP_ENTRIES`] files, or more than
    /// [`MAX_ATTACHMENT_SIZE`] bytes once inflated (a ZIP bomb).
    ZipTooLarge,
    /// A ZIP archive inside a zipped attachment: not opened (one level only).
    NestedZip,
}

impl std::fmt::Display for AttachmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttachmentError::Missing => write!(f, "the attachment has no ContentTransferEncoded content"),
            AttachmentError::NotBase64 => write!(f, "the attachment's content is not base64"),
            AttachmentError::TooLarge { encoded } => {
                write!(
                    f,
                    "the attachment ({encoded} base64 characters) is above the {MAX_ATTACHMENT_SIZE}-byte limit"
                )
            }
            AttachmentError::BadZip(why) => write!(f, "the attachment is a ZIP archive kyso cannot read: {why}"),
            AttachmentError::ZipTooLarge => write!(
                f,
                "the zipped attachment holds more than {MAX_ZIP_ENTRIES} files or more than {MAX_ATTACHMENT_SIZE} bytes inflated"
            ),
            AttachmentError::NestedZip => write!(f, "a ZIP archive inside a zipped attachment is not opened"),
        }
    }
}

fn is_edxml(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && matches!(n.tag_name().namespace(), Some(EDXML_NS) | None)
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_edxml(c, local))
}

fn text_of(n: Option<Node<'_, '_>>) -> Option<String> {
    let t: String = n?
        .descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The attachments of `doc`, when it is an edXML package (its document element `edXML` in the
/// QCVN 102:2016 namespace); `None` otherwise.
pub(crate) fn attachments(doc: &Document<'_>) -> Option<Vec<Attachment>> {
    let root = doc.root_element();
    if !(root.tag_name().name() == "edXML" && root.tag_name().namespace() == Some(EDXML_NS)) {
        return None;
    }
    // The manifest: what each ContentId is.
    let manifest: Vec<(Option<String>, Option<String>, Option<String>)> = child(root, "edXMLEnvelope")
        .and_then(|e| child(e, "edXMLBody"))
        .and_then(|b| child(b, "edXMLManifest"))
        .map(|m| {
            m.children()
                .filter(|r| is_edxml(r, "Reference"))
                .map(|r| {
                    (
                        text_of(child(r, "ContentId")),
                        text_of(child(r, "AttachmentName")),
                        text_of(child(r, "ContentType")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for encoded in root.children().filter(|c| is_edxml(c, "AttachmentEncoded")) {
        for a in encoded.children().filter(|c| is_edxml(c, "Attachment")) {
            let content_id = text_of(child(a, "ContentId"));
            let listed = manifest.iter().find(|(id, _, _)| id.is_some() && *id == content_id);
            let data = match text_of(child(a, "ContentTransferEncoded")) {
                None => Err(AttachmentError::Missing),
                Some(t) => {
                    let compact: String = t.split_ascii_whitespace().collect();
                    if compact.len() / 4 * 3 > MAX_ATTACHMENT_SIZE {
                        Err(AttachmentError::TooLarge { encoded: compact.len() })
                    } else {
                        base64::engine::general_purpose::STANDARD
                            .decode(compact)
                            .map_err(|_| AttachmentError::NotBase64)
                    }
                }
            };
            let name = listed
                .and_then(|(_, n, _)| n.clone())
                .or_else(|| text_of(child(a, "AttachmentName")));
            let content_type = listed.and_then(|(_, _, t)| t.clone());
            match data {
                Ok(d) if is_zip(&d) => {
                    let archive = name.clone().or(content_id.clone()).unwrap_or_default();
                    match unzip(&d) {
                        Ok(files) => out.extend(files.into_iter().map(|(path, data)| Attachment {
                            content_id: content_id.clone(),
                            name: Some(format!("{archive}/{path}")),
                            archive: Some(archive.clone()),
                            content_type: None,
                            data,
                        })),
                        Err(e) => out.push(Attachment {
                            content_id,
                            name,
                            archive: None,
                            content_type,
                            data: Err(e),
                        }),
                    }
                }
                data => out.push(Attachment {
                    content_id,
                    name,
                    archive: None,
                    content_type,
                    data,
                }),
            }
        }
    }
    Some(out)
}

fn is_zip(d: &[u8]) -> bool {
    d.starts_with(b"PK\x03\x04") || d.starts_with(b"PK\x05\x06")
}

/// The files of a zipped attachment, each with its path in the archive, bounded by
/// [`MAX_ZIP_ENTRIES`] and, inflated together, by [`MAX_ATTACHMENT_SIZE`]. Directories are
/// left out; a file that cannot be inflated keeps its place with its error.
type ZipFiles = Vec<(String, Result<Vec<u8>, AttachmentError>)>;

fn unzip(d: &[u8]) -> Result<ZipFiles, AttachmentError> {
    use std::io::Read;
    let bad = |e: zip::result::ZipError| AttachmentError::BadZip(e.to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(d)).map_err(bad)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(AttachmentError::ZipTooLarge);
    }
    let mut budget = MAX_ATTACHMENT_SIZE as u64;
    let mut files = Vec::new();
    for i in 0..zip.len() {
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                files.push((format!("#{i}"), Err(bad(e))));
                continue;
            }
        };
        if f.is_dir() {
            continue;
        }
        let path = f.name().to_string();
        let mut bytes = Vec::new();
        // Read one byte past what is left of the budget, whatever the archive claims.
        let read = f.by_ref().take(budget + 1).read_to_end(&mut bytes);
        let data = match read {
            Err(e) => Err(AttachmentError::BadZip(e.to_string())),
            Ok(n) if n as u64 > budget => return Err(AttachmentError::ZipTooLarge),
            Ok(n) => {
                budget -= n as u64;
                if is_zip(&bytes) {
                    Err(AttachmentError::NestedZip)
                } else {
                    Ok(bytes)
                }
            }
        };
        files.push((path, data));
    }
    Ok(files)
}

/// Read `input` safely and list its attachments, when it is an edXML package.
pub fn package_attachments(input: &[u8]) -> Result<Option<Vec<Attachment>>, super::XmlError> {
    let text = super::text(input)?;
    let doc = super::parse(text)?;
    Ok(attachments(&doc))
}
