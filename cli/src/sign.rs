//! `kyso sign`: CAdES signatures, enveloped XML signatures (`--format xml`) and PDF
//! signatures by incremental update (`--format pdf`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kyso::cms;
use kyso::crypto;
use kyso::path::PathOptions;
use kyso::sign::{Content, SignOptions, Signer, SoftwareSigner};
use kyso::{Certificate, Time};

use crate::options::{read_certs, trust_store};
use crate::token::TokenArgs;

/// How a signer is given: a PKCS#12 file, a key and certificate, or a PKCS#11 token; shared by
/// `kyso sign` and `kyso auth sign`.
#[derive(Args)]
pub struct KeyArgs {
    /// PKCS#12 file (.p12, .pfx) with the key and certificate.
    #[arg(long, conflicts_with_all = ["key", "cert", "pkcs11"], required_unless_present_any = ["key", "pkcs11"])]
    p12: Option<PathBuf>,
    /// Environment variable holding the PKCS#12 password (never on the command line). Without
    /// it the password is empty.
    #[arg(long, value_name = "VAR", requires = "p12")]
    password_env: Option<String>,
    /// PKCS#8 private key (DER or PEM).
    #[arg(long, requires = "cert", conflicts_with = "pkcs11")]
    key: Option<PathBuf>,
    /// The signer's certificate.
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// Sign with a key on a PKCS#11 token or HSM (--module, --token, --key-id, --pin-env).
    #[arg(long)]
    pkcs11: bool,
    /// The key's CKA_ID in hex (default: the first key with a certificate).
    #[arg(long, value_name = "HEX", requires = "pkcs11")]
    key_id: Option<String>,
    #[command(flatten)]
    token: TokenArgs,
    /// Intermediate certificates to include.
    #[arg(long = "chain", value_name = "FILE")]
    pub chain: Vec<PathBuf>,
    /// Sign with RSA-PSS instead of PKCS#1 v1.5.
    #[arg(long)]
    pss: bool,
}

impl KeyArgs {
    /// The signer, and the certificates its PKCS#12 file carried besides its own.
    pub fn signer(&self) -> Result<(Box<dyn Signer>, Vec<Certificate>), String> {
        if self.pkcs11 {
            return Ok((
                Box::new(self.token.signer(self.key_id.as_deref(), self.pss)?),
                Vec::new(),
            ));
        }
        let (s, chain) = software_signer(self)?;
        Ok((Box::new(s), chain))
    }
}

#[derive(Args)]
pub struct SignArgs {
    #[command(flatten)]
    keys: KeyArgs,
    /// Write a detached signature (the content stays out of it).
    #[arg(long)]
    detached: bool,
    /// Files of anchors for the pre-signing check (default: both Vietnamese hierarchies).
    #[arg(long = "anchor", value_name = "FILE")]
    anchors: Vec<PathBuf>,
    /// Sign even if the signer's certificate fails the pre-signing check.
    #[arg(long)]
    force: bool,
    /// CAdES / PAdES level: B-B; B-T with a signature time-stamp from --tsa; B-LT also
    /// carrying the chain's revocation values, fetched over HTTP (a PDF: in a DSS); B-LTA
    /// (PDF only) with a document time-stamp over it all.
    #[arg(long, default_value = "B-B", value_parser = ["B-B", "B-T", "B-LT", "B-LTA"])]
    level: String,
    /// Time-stamping authority URL (RFC 3161 over HTTP), for B-T.
    #[arg(long, value_name = "URL")]
    tsa: Option<String>,
    /// What to write: a CMS SignedData (`cms`), or the XML document with an enveloped
    /// XML-DSig signature in it (`xml`: e-invoices, tax messages).
    /// `pdf`: the PDF with a signature added by incremental update (PAdES; earlier
    /// signatures stay valid).
    #[arg(long, default_value = "cms", value_parser = ["cms", "xml", "pdf"])]
    format: String,
    /// PDF: a certification signature with this DocMDP permission (1: no change; 2: form
    /// filling and signing; 3: also annotations).
    #[arg(long, value_name = "1|2|3", value_parser = clap::value_parser!(u8).range(1..=3))]
    certify: Option<u8>,
    /// PDF: the signature field's name (default: Signature1, Signature2, …).
    #[arg(long, value_name = "NAME")]
    field: Option<String>,
    /// PDF: /Reason.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// PDF: /Location.
    #[arg(long, value_name = "TEXT")]
    location: Option<String>,
    /// PDF: adbe.pkcs7.detached (with the signing-time attribute), as most Vietnamese
    /// software writes, instead of PAdES's ETSI.CAdES.detached.
    #[arg(long)]
    pkcs7: bool,
    /// PDF: a visible signature in this rectangle (PAGE from 1; X, Y, W, H in points from
    /// the page's bottom left) showing the signer, the organisation and the signing time in
    /// Vietnam time.
    #[arg(long, value_name = "PAGE,X,Y,W,H")]
    visible: Option<String>,
    /// PDF, with --visible: an image (a seal or handwritten signature, PNG or JPEG) drawn at
    /// the left of the text.
    #[arg(long, value_name = "FILE", requires = "visible")]
    image: Option<PathBuf>,
    /// PDF, with --visible: the TrueType/OpenType font of the text (default: DejaVu Sans,
    /// Noto Sans or Liberation Sans from the system).
    #[arg(long, value_name = "FILE", requires = "visible")]
    font: Option<PathBuf>,
    /// XML: where the Signature goes, a path of element names (`DSCKS/NBan`, `HDon/DSCKS/CQT`)
    /// or an element's Id (`#sig-slot`).
    #[arg(long, value_name = "PATH|#ID", required_if_eq("format", "xml"))]
    into: Option<String>,
    /// XML: the Id of an element to sign (repeat for several). Default: the invoice data
    /// DLHDon (and MCCQT for a signature under CQT), or the whole document.
    #[arg(long = "reference", value_name = "ID", requires = "into")]
    references: Vec<String>,
    /// XML: the new Signature's Id (default: the slot's name under DSCKS, e.g. NBan).
    #[arg(long, value_name = "ID", requires = "into")]
    signature_id: Option<String>,
    /// XML: a XAdES signature (signed SigningTime and SigningCertificateV2; with --level B-T
    /// and --tsa, a SignatureTimeStamp) instead of the Vietnamese SigningTime object.
    #[arg(long, requires = "into")]
    xades: bool,
    /// XML: exclusive C14N for SignedInfo and the References (default: C14N 1.0, as
    /// Vietnamese software writes).
    #[arg(long, requires = "into")]
    exclusive_c14n: bool,
    /// The content to sign (for XML, the document).
    input: PathBuf,
    /// Where to write the CMS (DER), or the signed XML document.
    output: PathBuf,
}

fn software_signer(a: &KeyArgs) -> Result<(SoftwareSigner, Vec<Certificate>), String> {
    let (mut signer, chain) = match (&a.p12, &a.key, &a.cert) {
        (Some(p12), _, _) => {
            let bytes = std::fs::read(p12).map_err(|e| format!("{}: {e}", p12.display()))?;
            let password = match &a.password_env {
                Some(var) => {
                    std::env::var(var).map_err(|_| format!("--password-env {var}: the variable is not set"))?
                }
                None => String::new(),
            };
            SoftwareSigner::from_pkcs12(&bytes, &password).map_err(|e| format!("{}: {e}", p12.display()))?
        }
        (None, Some(key), Some(cert)) => {
            let k = std::fs::read(key).map_err(|e| format!("{}: {e}", key.display()))?;
            let cert: Certificate = read_certs(cert)?.remove(0);
            (
                SoftwareSigner::from_pkcs8(&k, cert).map_err(|e| e.to_string())?,
                Vec::new(),
            )
        }
        _ => return Err("give --p12 FILE, --key KEY and --cert CERT, or --pkcs11".into()),
    };
    if a.pss {
        signer = signer.with_pss().map_err(|e| e.to_string())?;
    }
    Ok((signer, chain))
}

pub fn sign(a: SignArgs) -> Result<ExitCode, String> {
    let (signer, p12_chain) = a.keys.signer()?;
    let signer = signer.as_ref();
    let now = Time::now();
    let mut o = SignOptions::new(now);
    o.detached = a.detached;
    o.chain = p12_chain;
    for p in &a.keys.chain {
        o.chain.extend(read_certs(p)?);
    }
    o.check_against = Some((
        trust_store(&a.anchors, a.anchors.is_empty())?,
        PathOptions::vietnam(now),
    ));
    o.force = a.force;
    if a.level == "B-LTA" && a.format != "pdf" {
        return Err("--level B-LTA is a PAdES level: use it with --format pdf".into());
    }
    if a.level != "B-B" {
        let url = a.tsa.clone().ok_or("--level B-T, B-LT and B-LTA need --tsa URL")?;
        // Vietnam's government TSA can take many seconds to answer.
        let limits = kyso::fetch::FetchLimits {
            timeout: std::time::Duration::from_secs(120),
            ..kyso::fetch::FetchLimits::default()
        };
        o.level = cms::Level::BT;
        o.tsa = Some(std::sync::Arc::new(kyso::fetch::HttpTsa::new(url, limits)));
    }
    if a.level == "B-LT" || a.level == "B-LTA" {
        // The signer's path, then its revocation values over HTTP.
        let (store, po) = o.check_against.clone().ok_or("no trust store")?;
        let r = kyso::path::verify_chain(signer.certificate(), &o.chain, &store, &po, crypto::default_provider());
        if r.path.len() < 2 {
            return Err("B-LT: the signer's certificate has no path to a trusted anchor".into());
        }
        let fetcher = kyso::fetch::Fetcher::new(kyso::fetch::FetchLimits::default());
        let (values, notes) = fetcher.gather(&r.path, crypto::default_provider(), now);
        for n in notes.iter().filter(|n| n.error.is_some()) {
            eprintln!(
                "kyso: fetching {} failed: {}",
                n.url,
                n.error.as_deref().unwrap_or_default()
            );
        }
        o.level = if a.level == "B-LTA" {
            cms::Level::BLTA
        } else {
            cms::Level::BLT
        };
        o.revocation_values = values;
    }
    if a.format == "pdf" {
        if a.detached {
            return Err("--format pdf adds the signature inside the PDF: --detached does not apply".into());
        }
        let doc = std::fs::read(&a.input).map_err(|e| format!("{}: {e}", a.input.display()))?;
        let visible = match &a.visible {
            None => None,
            Some(v) => {
                let placement = kyso::pdf::appearance::Placement::parse(v).ok_or(format!(
                    "--visible {v}: give PAGE,X,Y,W,H (page from 1, sizes in points)"
                ))?;
                let font_path = match &a.font {
                    Some(f) => f.clone(),
                    None => kyso::pdf::appearance::DEFAULT_FONTS
                        .iter()
                        .map(PathBuf::from)
                        .find(|p| p.exists())
                        .ok_or("no font with Vietnamese glyphs found (DejaVu, Noto, Liberation): give --font FILE")?,
                };
                let font = std::fs::read(&font_path).map_err(|e| format!("{}: {e}", font_path.display()))?;
                let image = match &a.image {
                    Some(p) => Some(kyso::pdf::appearance::Image {
                        data: std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
                    }),
                    None => None,
                };
                Some(kyso::pdf::appearance::Visible {
                    placement,
                    lines: Vec::new(),
                    font,
                    image,
                })
            }
        };
        let what = kyso::pdf::sign::PdfSigning {
            visible,
            field: a.field.clone(),
            sub_filter: if a.pkcs7 {
                kyso::pdf::sign::SubFilter::Pkcs7Detached
            } else {
                kyso::pdf::sign::SubFilter::CadesDetached
            },
            certify: a.certify,
            reason: a.reason.clone(),
            location: a.location.clone(),
            ..kyso::pdf::sign::PdfSigning::default()
        };
        let signed = kyso::pdf::sign::sign_pdf(&doc, signer, &what, &o, crypto::default_provider())
            .map_err(|e| e.to_string())?;
        std::fs::write(&a.output, signed).map_err(|e| format!("{}: {e}", a.output.display()))?;
        println!("signed {} → {}", a.input.display(), a.output.display());
        return Ok(ExitCode::SUCCESS);
    }
    if a.format == "xml" {
        if a.detached {
            return Err("--format xml makes an enveloped signature: --detached does not apply".into());
        }
        let doc = std::fs::read(&a.input).map_err(|e| format!("{}: {e}", a.input.display()))?;
        let what = kyso::xml::sign::XmlSignature {
            into: kyso::xml::sign::Placement::parse(a.into.as_deref().unwrap_or_default()),
            references: a.references.clone(),
            id: a.signature_id.clone(),
            xades: a.xades,
            exclusive_c14n: a.exclusive_c14n,
        };
        let signed = kyso::xml::sign::sign_enveloped(&doc, signer, &what, &o, crypto::default_provider())
            .map_err(|e| e.to_string())?;
        std::fs::write(&a.output, signed).map_err(|e| format!("{}: {e}", a.output.display()))?;
        println!("signed {} → {}", a.input.display(), a.output.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut input = std::fs::File::open(&a.input).map_err(|e| format!("{}: {e}", a.input.display()))?;
    let sig = kyso::sign::sign(Content::Reader(&mut input), signer, &o, crypto::default_provider())
        .map_err(|e| e.to_string())?;
    std::fs::write(&a.output, sig).map_err(|e| format!("{}: {e}", a.output.display()))?;
    println!("signed {} → {}", a.input.display(), a.output.display());
    Ok(ExitCode::SUCCESS)
}
