//! XML, read safely, and its canonical forms (the ground XML signatures stand on).
//!
//! The reader is `roxmltree` (a read-only tree that keeps byte positions, so each element's
//! and attribute's qualified name is taken as written — the prefixes canonical XML must
//! preserve): DTDs are refused, so no entity is ever declared, expanded or fetched; the input
//! size, the number of nodes and the nesting depth are bounded, each with its own error.
//! Chosen over quick-xml (an event reader that would leave attribute-value normalisation,
//! entity expansion and namespace scoping to kyso) and over xmlsec bindings (C, GPL-free but
//! not Rust, and exactly the peer kyso is measured against).

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

pub mod c14n;
pub mod dsig;
pub mod edxml;
pub mod sign;

pub use c14n::{canonicalize, C14nMethod};

/// Largest XML document kyso reads: 64 MiB (an e-invoice is a few KB; a tax message with
/// attachments a few MB).
pub const MAX_XML_SIZE: usize = 64 << 20;

/// Most nodes (elements, attributes excluded, text, comments, PIs) kyso reads in one document.
pub const MAX_XML_NODES: u32 = 4_000_000;

/// Deepest element nesting kyso accepts: real documents nest under 30 levels.
pub const MAX_XML_DEPTH: usize = 256;

/// The most attributes (namespace declarations included) one element may carry.
pub const MAX_XML_ATTRIBUTES: usize = 1024;

/// Why an XML document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlError {
    /// The input is larger than [`MAX_XML_SIZE`].
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input is not UTF-8 (kyso reads UTF-8 documents, which every Vietnamese e-invoice
    /// and tax message is).
    NotUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The document has a DTD (`<!DOCTYPE …>`): refused, so that no entity is ever declared
    /// or expanded (XXE, billion laughs).
    Dtd,
    /// More than [`MAX_XML_NODES`] nodes.
    TooManyNodes {
        /// The limit.
        limit: u32,
    },
    /// Elements nested deeper than [`MAX_XML_DEPTH`].
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// An element carries more than [`MAX_XML_ATTRIBUTES`] attributes.
    TooManyAttributes {
        /// The limit.
        limit: usize,
    },
    /// Not well-formed XML (or not namespace-well-formed).
    Malformed {
        /// The reader's description.
        reason: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XmlError::TooLarge { size, limit } => {
                write!(f, "XML document of {size} bytes, above the limit of {limit}")
            }
            XmlError::NotUtf8 { offset } => write!(f, "the XML document is not UTF-8 (byte {offset})"),
            XmlError::Dtd => write!(
                f,
                "the XML document has a DTD, which kyso refuses (no entity is expanded)"
            ),
            XmlError::TooManyNodes { limit } => write!(f, "the XML document has more than {limit} nodes"),
            XmlError::TooDeep { limit } => write!(f, "XML elements nested more than {limit} deep"),
            XmlError::TooManyAttributes { limit } => write!(f, "an XML element carries more than {limit} attributes"),
            XmlError::Malformed { reason, line, column } => {
                write!(f, "malformed XML at line {line}, column {column}: {reason}")
            }
        }
    }
}

impl std::error::Error for XmlError {}

/// The document's text, checked against the size limit and as UTF-8 (a BOM is skipped).
pub(crate) fn text(input: &[u8]) -> Result<&str, XmlError> {
    if input.len() > MAX_XML_SIZE {
        return Err(XmlError::TooLarge {
            size: input.len(),
            limit: MAX_XML_SIZE,
        });
    }
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    std::str::from_utf8(body).map_err(|e| XmlError::NotUtf8 {
        offset: e.valid_up_to() + (input.len() - body.len()),
    })
}

/// Parse `text` with kyso's limits: no DTD, bounded nodes and depth.
pub(crate) fn parse(text: &str) -> Result<roxmltree::Document<'_>, XmlError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => XmlError::Dtd,
        roxmltree::Error::NodesLimitReached => XmlError::TooManyNodes { limit: MAX_XML_NODES },
        other => {
            let pos = other.pos();
            XmlError::Malformed {
                reason: other.to_string(),
                line: pos.row,
                column: pos.col,
            }
        }
    })?;
    // Depth in one pass over the elements in document order: a stack of open ancestors.
    let mut open: Vec<roxmltree::NodeId> = Vec::new();
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let parent = n.parent().map(|p| p.id());
        while open.last().is_some_and(|top| Some(*top) != parent) {
            open.pop();
        }
        open.push(n.id());
        if open.len() > MAX_XML_DEPTH {
            return Err(XmlError::TooDeep { limit: MAX_XML_DEPTH });
        }
        if n.attributes().len() + n.namespaces().len() > MAX_XML_ATTRIBUTES {
            return Err(XmlError::TooManyAttributes {
                limit: MAX_XML_ATTRIBUTES,
            });
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_documents_get_typed_errors() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert_eq!(parse(text(xxe).unwrap()).unwrap_err(), XmlError::Dtd);
        let laughs =
            br#"<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>"#;
        assert_eq!(parse(text(laughs).unwrap()).unwrap_err(), XmlError::Dtd);
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert_eq!(parse(&deep).unwrap_err(), XmlError::TooDeep { limit: MAX_XML_DEPTH });
        assert!(matches!(parse("<a><b></a>").unwrap_err(), XmlError::Malformed { .. }));
        assert!(matches!(
            text(b"<a>\xFF</a>").unwrap_err(),
            XmlError::NotUtf8 { offset: 3 }
        ));
        assert!(matches!(
            text(&vec![b' '; MAX_XML_SIZE + 1]).unwrap_err(),
            XmlError::TooLarge { .. }
        ));
        // An undeclared entity is an error, never an empty string.
        assert!(matches!(
            parse("<a>&nope;</a>").unwrap_err(),
            XmlError::Malformed { .. }
        ));
    }
}
