//! The one PEM reader of kyso (RFC 7468), and the lenient base64 that real files need.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::error::InputError;

fn lenient_base64() -> GeneralPurpose {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// One PEM block (RFC 7468): its label, its decoded contents, the line it starts on.
pub(crate) struct PemBlock {
    /// The label between `BEGIN ` and `-----`.
    pub label: String,
    /// The decoded base64 body.
    pub der: Vec<u8>,
    /// 1-based line of its BEGIN line.
    pub line: usize,
}

/// Every PEM block of `text`, in order — the one PEM reader of kyso. RFC 1421 headers
/// (`Proc-Type:`, `DEK-Info:`) are skipped; an END whose label differs from its BEGIN, a BEGIN
/// without END and a body that is not base64 are typed errors.
pub(crate) fn pem_blocks(text: &[u8]) -> Result<Vec<PemBlock>, InputError> {
    let text = String::from_utf8_lossy(text);
    let mut lines = text.lines().enumerate();
    let mut out = Vec::new();
    while let Some((i, line)) = lines.next() {
        let line = line.trim();
        let Some(label) = line.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----")) else {
            continue;
        };
        let start_line = i + 1;
        let mut body = String::new();
        let mut ended = false;
        for (_, l) in lines.by_ref() {
            let l = l.trim();
            if let Some(end) = l.strip_prefix("-----END ").and_then(|l| l.strip_suffix("-----")) {
                if end != label {
                    return Err(InputError::Pem {
                        what: "END label differs from BEGIN",
                        line: start_line,
                    });
                }
                ended = true;
                break;
            }
            if l.contains(':') {
                continue;
            }
            body.push_str(l);
        }
        if !ended {
            return Err(InputError::Pem {
                what: "BEGIN without END",
                line: start_line,
            });
        }
        out.push(PemBlock {
            label: label.to_string(),
            der: decode_base64(body.as_bytes(), start_line)?,
            line: start_line,
        });
    }
    Ok(out)
}

/// The contents of the first PEM block of `text`, whatever its label.
pub(crate) fn first_pem_block(text: &[u8]) -> Result<Vec<u8>, InputError> {
    pem_blocks(text)?
        .into_iter()
        .next()
        .map(|b| b.der)
        .ok_or(InputError::UnrecognizedFormat)
}

pub(crate) fn decode_base64(text: &[u8], line: usize) -> Result<Vec<u8>, InputError> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            // base64url, seen in certificates copied from web pages.
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    lenient_base64()
        .decode(compact)
        .map_err(|_| InputError::Base64 { line })
}
