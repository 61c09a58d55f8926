//! `kyso`: inspect certificates, list the embedded Vietnamese trust bundle, run the demo.
#![forbid(unsafe_code)]

mod auth;
mod chain;
#[cfg(feature = "demo")]
mod demo;
mod options;
mod sign;
mod token;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use kyso::report::CertificateSummary;
use kyso::TrustStore;

/// kyso — digital signatures across Vietnam's government (VGCA) and public (NEAC) hierarchies.
#[derive(Parser)]
#[command(name = "kyso", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a test PKI of both hierarchies, sign, verify, and print the report.
    Demo {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the full reports: vi (tiếng Việt) or en (default: the locale's).
        #[arg(long, value_enum)]
        lang: Option<verify::LangArg>,
    },
    /// Sign a file as CAdES (CMS), attached or detached; an XML document (e-invoice, tax
    /// message) with an enveloped XML signature or XAdES (`--format xml --into DSCKS/NBan`);
    /// or a PDF by incremental update, PAdES B-B to B-LTA, visible or not (`--format pdf`).
    Sign(Box<sign::SignArgs>),
    /// Verify a CMS / CAdES signature, a signed XML document (XML-DSig, XAdES, edXML) or a
    /// signed PDF (every signature and the changes after it), or a batch of them: every
    /// signer, its chain, revocation;
    /// the report in Vietnamese or English. Exit status: 0 valid, 1 invalid, 2 indeterminate
    /// or usage error, 130 a batch stopped by Ctrl-C.
    Verify(verify::VerifyArgs),
    /// Inspect certificates.
    Cert {
        #[command(subcommand)]
        command: CertCommand,
    },
    /// Certification paths.
    Chain {
        #[command(subcommand)]
        command: ChainCommand,
    },
    /// Certificate revocation lists.
    Crl {
        #[command(subcommand)]
        command: CrlCommand,
    },
    /// PKCS#11 tokens and HSMs.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The embedded trust bundle of both Vietnamese hierarchies.
    Trust {
        #[command(subcommand)]
        command: TrustCommand,
    },
    /// Certificate-based login: issue a challenge, sign it (key file, PKCS#12, PKCS#11),
    /// verify a response (raw signature, CMS or JWS) and say who it is.
    Auth {
        #[command(subcommand)]
        command: auth::AuthCommand,
    },
    /// Print a shell completion script: `kyso completions bash > /etc/bash_completion.d/kyso`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output, or with --dir write kyso.1 and one
    /// page per command (kyso-verify.1, …) there: `kyso man | man -l -`.
    Man {
        /// A folder to write every page to.
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum CertCommand {
    /// Show certificates from files (DER, PEM, base64 or .p7b bundles).
    Show {
        /// Certificate files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON (an array with one object per certificate).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ChainCommand {
    /// Build and validate a path for a certificate (RFC 5280 §6). Exit status: 0 valid,
    /// 1 invalid, 2 indeterminate or usage error.
    Verify(chain::VerifyArgs),
}

#[derive(Subcommand)]
enum CrlCommand {
    /// Show a CRL (DER or PEM): issuer, times, numbers, scope, entry count.
    Show {
        /// The CRL file.
        file: PathBuf,
        /// Print JSON (schema kyso.crl/1).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// List the tokens of a PKCS#11 module: label, serial, PIN state, and (with --pin-env)
    /// each private key with its certificate.
    List(token::ListArgs),
}

#[derive(Subcommand)]
enum TrustCommand {
    /// List every certificate of the embedded bundle with its pinned SHA-256.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        #[cfg(feature = "demo")]
        Command::Demo { json, lang } => demo::run(json, verify::language(lang)),
        #[cfg(not(feature = "demo"))]
        Command::Demo { .. } => Err(
            "this kyso was built without the demo (it carries test keys): build it with --features demo, \
             e.g. cargo run -p kyso-cli --features demo -- demo"
                .into(),
        ),
        Command::Sign(a) => sign::sign(*a),
        Command::Verify(a) => verify::verify(a),
        Command::Cert {
            command: CertCommand::Show { files, json },
        } => cert_show(&files, json),
        Command::Chain {
            command: ChainCommand::Verify(args),
        } => chain::verify(args),
        Command::Crl {
            command: CrlCommand::Show { file, json },
        } => crl_show(&file, json),
        Command::Token {
            command: TokenCommand::List(a),
        } => token::list(a),
        Command::Trust {
            command: TrustCommand::List { json },
        } => trust_list(json),
        Command::Auth { command } => auth::run(command),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "kyso", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => man(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("kyso: {message}");
            ExitCode::from(2)
        }
    }
}

/// `kyso man`: the page of the whole command to standard output, or every page into `dir`.
fn man(dir: Option<&std::path::Path>) -> Result<ExitCode, String> {
    let cmd = Cli::command();
    match dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out).map_err(|e| e.to_string())?;
            std::io::Write::write_all(&mut std::io::stdout(), &out).map_err(|e| e.to_string())?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v).map_err(|e| e.to_string())
}

#[derive(serde::Serialize)]
struct ShownCertificate {
    file: String,
    index: usize,
    format: kyso::InputFormat,
    #[serde(flatten)]
    summary: CertificateSummary,
}

fn cert_show(files: &[PathBuf], json: bool) -> Result<ExitCode, String> {
    let store = TrustStore::vietnam();
    let mut shown = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let loaded = kyso::load(&bytes).map_err(|e| format!("{}: {e}", f.display()))?;
        for (index, c) in loaded.certificates.iter().enumerate() {
            shown.push(ShownCertificate {
                file: f.display().to_string(),
                index,
                format: loaded.format,
                summary: CertificateSummary::new(c, &store),
            });
        }
    }
    if json {
        println!("{}", to_json(&shown)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (i, s) in shown.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print_summary(s);
    }
    Ok(ExitCode::SUCCESS)
}

fn line(label: &str, value: impl AsRef<str>) {
    println!("  {label:<16}{}", value.as_ref());
}

fn print_summary(s: &ShownCertificate) {
    let c = &s.summary;
    println!("{} #{} ({:?})", s.file, s.index + 1, s.format);
    line("Subject", &c.subject);
    line("Issuer", &c.issuer);
    line("Serial", &c.serial);
    line("Valid", format!("{} → {}", c.not_before, c.not_after));
    line("Public key", &c.public_key);
    line("Signature", &c.signature_algorithm);
    line("SHA-256", &c.sha256);
    line("SHA-1", &c.sha1);
    let id = &c.identity;
    for v in &id.ids {
        let kind = match v.kind.prefix() {
            "" => "tax code (bare)".to_string(),
            p => p.to_string(),
        };
        let note = if v.well_formed { "" } else { "  (malformed)" };
        line("Identity", format!("{kind} {}{note}", v.value));
    }
    if !id.email.is_empty() {
        line("E-mail", id.email.join(", "));
    }
    match &c.placement {
        Some(p) => {
            let h = match p.hierarchy.as_str() {
                "government" => "government-specialized (VGCA)",
                "public" => "public (NEAC national root)",
                other => other,
            };
            line("Hierarchy", h);
            line("Anchor", &p.anchor);
            if p.chain.len() > 1 {
                line(
                    "Chain",
                    format!("{} certificates (signatures checked, not validated)", p.chain.len()),
                );
            }
        }
        None => line("Hierarchy", "not under any anchor of the embedded bundle"),
    }
    line(
        "CA",
        match (c.is_ca, c.path_len) {
            (true, Some(n)) => format!("yes, path length {n}"),
            (true, None) => "yes".into(),
            (false, _) => "no".into(),
        },
    );
    if let Some(k) = &c.key_usage {
        line("Key usage", k.join(", "));
    }
    if let Some(e) = &c.extended_key_usage {
        line("Ext. key usage", e.join(", "));
    }
    if let Some(p) = &c.certificate_policies {
        line("Policies", p.join(", "));
    }
    for u in &c.crl_distribution_points {
        line("CRL", u);
    }
    for u in &c.ocsp {
        line("OCSP", u);
    }
    for u in &c.ca_issuers {
        line("CA issuers", u);
    }
    if !c.subject_alt_name.is_empty() {
        line("Alt. names", c.subject_alt_name.join(", "));
    }
    let exts: Vec<String> = c
        .extensions
        .iter()
        .map(|e| {
            let n = e.name.map(str::to_string).unwrap_or_else(|| e.oid.clone());
            if e.critical {
                format!("{n} (critical)")
            } else {
                n
            }
        })
        .collect();
    line("Extensions", exts.join(", "));
    if !c.unknown_critical_extensions.is_empty() {
        line("UNKNOWN CRITICAL", c.unknown_critical_extensions.join(", "));
    }
    for q in &c.quirks {
        line("Quirk", format!("#{} {}", q.number, q.en));
    }
}

fn crl_show(file: &PathBuf, json: bool) -> Result<ExitCode, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let crl = kyso::revocation::Crl::from_bytes(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let s = kyso::report::CrlSummary::new(&crl);
    if json {
        println!("{}", to_json(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    line("Issuer", &s.issuer);
    line("This update", &s.this_update);
    line("Next update", s.next_update.as_deref().unwrap_or("(none)"));
    line("CRL number", s.crl_number.as_deref().unwrap_or("(none)"));
    if let Some(b) = &s.delta_base {
        line("Delta of", format!("CRL number {b}"));
    }
    line("Entries", s.entries.to_string());
    line("Signature", &s.signature_algorithm);
    if let Some(i) = &s.issuing_distribution_point {
        line(
            "Scope",
            format!(
                "{} user-only={} ca-only={} indirect={}",
                i.names.join(", "),
                i.only_user,
                i.only_ca,
                i.indirect
            ),
        );
    }
    if !s.unknown_critical_extensions.is_empty() {
        line("UNKNOWN CRITICAL", s.unknown_critical_extensions.join(", "));
    }
    line("SHA-256", &s.sha256);
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct BundleListing {
    schema: &'static str,
    bundle_date: &'static str,
    certificates: Vec<BundleRow>,
}

#[derive(serde::Serialize)]
struct BundleRow {
    name: &'static str,
    hierarchy: String,
    role: &'static str,
    subject: String,
    not_before: String,
    not_after: String,
    sha256: String,
}

fn trust_list(json: bool) -> Result<ExitCode, String> {
    let rows: Vec<BundleRow> = kyso::vn::bundle()
        .iter()
        .map(|b| BundleRow {
            name: b.name,
            hierarchy: b.hierarchy.id(),
            role: if b.anchor { "anchor" } else { "intermediate" },
            subject: b.certificate.subject().display(),
            not_before: b.certificate.not_before().rfc3339(),
            not_after: b.certificate.not_after().rfc3339(),
            sha256: b.certificate.sha256_hex(),
        })
        .collect();
    if json {
        println!(
            "{}",
            to_json(&BundleListing {
                schema: "kyso.trust-list/1",
                bundle_date: kyso::vn::BUNDLE_DATE,
                certificates: rows,
            })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Embedded Vietnamese trust bundle of {} ({} certificates). Compare each SHA-256 with the",
        kyso::vn::BUNDLE_DATE,
        rows.len()
    );
    println!("fingerprints published at https://rootca.gov.vn and https://ca.gov.vn.\n");
    for r in &rows {
        let cn = r
            .subject
            .rsplit(", ")
            .find_map(|p| p.strip_prefix("CN="))
            .unwrap_or(&r.subject)
            .to_string();
        println!(
            "{:<10} {:<12} {:<52} until {}",
            r.hierarchy,
            r.role,
            cn,
            &r.not_after[..10]
        );
        println!("           SHA-256 {}", r.sha256);
    }
    Ok(ExitCode::SUCCESS)
}
