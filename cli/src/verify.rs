//! `kyso verify`: one CMS / CAdES signature, or a batch of them on every core, reported in
//! Vietnamese or English (text) or as `kyso.report/1` JSON.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use kyso::batch::{self, Job, Summary};
use kyso::report::{Indication, Lang, ValidationReport};
use kyso::{Verifier, When};

use crate::options::{PolicyArgs, TrustArgs};

#[derive(Args)]
pub struct VerifyArgs {
    /// The signed file (CMS / CAdES: .p7s, .p7m, DER, BER or PEM).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    sig: Option<PathBuf>,
    /// The content, for a detached signature (default: the signature's name without its
    /// .p7s/.p7m/.sig extension, when that file exists).
    #[arg(long, conflicts_with = "batch")]
    content: Option<PathBuf>,
    /// Verify every file of a folder (recursively), or every file a list names (one per line,
    /// `signature<TAB>content` for a detached signature with another name; `-` reads the list
    /// from standard input). Writes one JSON report per line (JSON Lines), shows progress on a
    /// terminal, and ends with a summary by verdict, hierarchy and CA on standard error.
    #[arg(long, value_name = "DIR|LIST")]
    batch: Option<PathBuf>,
    /// Worker threads for --batch (default: every core).
    #[arg(long, value_name = "N", requires = "batch")]
    jobs: Option<usize>,
    /// Write the JSON Lines of --batch to this file instead of standard output.
    #[arg(long, value_name = "FILE", requires = "batch")]
    output: Option<PathBuf>,
    /// Language of the text report and the batch summary: vi (tiếng Việt) or en (default:
    /// Vietnamese when the locale is vi_*, else English).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Keep what Circular 15/2025 asks to keep in this folder: the certificates, CRLs and
    /// OCSP responses relied on, report.json, report.vi.txt and report.en.txt (with --batch,
    /// one sub-folder per file).
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Print the report as JSON (schema kyso.report/1).
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

/// The language asked for, else the locale's (LC_ALL, then LC_MESSAGES, then LANG).
pub fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Vi) => Lang::Vi,
        Some(LangArg::En) => Lang::En,
        None => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map(|v| Lang::from_locale(&v))
            .unwrap_or_default(),
    }
}

/// The exit status of an indication: 0 valid, 1 invalid, 2 indeterminate.
pub fn exit(i: Indication) -> ExitCode {
    match i {
        Indication::TotalPassed => ExitCode::SUCCESS,
        Indication::TotalFailed => ExitCode::from(1),
        Indication::Indeterminate => ExitCode::from(2),
    }
}

/// Keep the evidence when asked, then print the report as JSON or as text in `lang`.
pub fn print(
    report: &mut ValidationReport,
    json: bool,
    lang: Option<LangArg>,
    evidence: Option<&Path>,
) -> Result<(), String> {
    let lang = language(lang);
    if let Some(dir) = evidence {
        report
            .save_evidence(dir)
            .map_err(|e| format!("--evidence {}: {e}", dir.display()))?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
        return Ok(());
    }
    for n in &report.fetched {
        if let Some(e) = &n.error {
            println!("{} {} {e}", lang_pick(lang, "Fetch failed", "Không tải được"), n.kind);
        }
    }
    print!("{}", kyso::report::render(report, lang));
    if let Some(dir) = evidence {
        println!(
            "\n{} {}",
            lang_pick(lang, "Evidence kept in", "Đã lưu bằng chứng tại"),
            dir.display()
        );
    }
    Ok(())
}

pub fn verify(a: VerifyArgs) -> Result<ExitCode, String> {
    let verifier = crate::options::verifier(&a.trust, &a.policy, crate::options::policy(&a.policy).build())?;
    let when = crate::options::when(&a.policy)?;
    if let Some(list) = &a.batch {
        return run_batch(&a, list, verifier, when, language(a.lang));
    }
    let Some(sig) = a.sig.clone() else {
        return Err("give a signature file or --batch".into());
    };
    let job = Job {
        content: a.content.clone().or_else(|| batch::detached_content_of(&sig)),
        signature: sig,
    };
    let mut report = batch::verify_file(&verifier, &job, when);
    print(&mut report, a.json, a.lang, a.evidence.as_deref())?;
    Ok(exit(report.indication))
}

fn lang_pick(lang: Lang, en: &'static str, vi: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Vi => vi,
    }
}

fn read_jobs(list: &Path) -> Result<Vec<Job>, String> {
    if list.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| format!("standard input: {e}"))?;
        return Ok(batch::jobs_from_list(&text, Path::new(".")));
    }
    if list.is_dir() {
        return batch::jobs_in_dir(list).map_err(|e| format!("{}: {e}", list.display()));
    }
    let text = std::fs::read_to_string(list).map_err(|e| format!("{}: {e}", list.display()))?;
    let base = list.parent().unwrap_or(Path::new("."));
    Ok(batch::jobs_from_list(&text, base))
}

fn run_batch(a: &VerifyArgs, list: &Path, v: Verifier, when: When, lang: Lang) -> Result<ExitCode, String> {
    let jobs = Arc::new(read_jobs(list)?);
    let threads = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let mut out: Box<dyn Write> = match &a.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A first Ctrl-C stops the batch cleanly (summary of what was done); a second one
        // ends the process at once.
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        })
        .map_err(|e| format!("installing the Ctrl-C handler: {e}"))?;
    }
    let bar = indicatif::ProgressBar::new(jobs.len() as u64);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} ETA {eta} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let evidence_dir = a.evidence.clone();
    let verifier = Arc::new(v);
    // Workers verify, keep evidence, serialise and count; this thread only writes lines.
    let work: Arc<batch::Work<(String, Summary)>> = {
        let verifier = verifier.clone();
        Arc::new(move |index: usize, job: &Job| {
            let mut report = batch::verify_file(&verifier, job, when);
            if let Some(dir) = &evidence_dir {
                let name = job
                    .signature
                    .file_name()
                    .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
                if let Err(e) = report.save_evidence(&dir.join(format!("{:05}-{name}", index + 1))) {
                    eprintln!("kyso: --evidence: {e}");
                }
            }
            (json_line(&report), Summary::of(&report))
        })
    };
    let mut summary = Summary::default();
    let mut write_error = None;
    let end = batch::run(jobs.clone(), threads, stop.clone(), work, |_, (line, counted)| {
        // One line per file, flushed, so a reader downstream sees each report as it is made.
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            write_error.get_or_insert(e.to_string());
        }
        bar.inc(1);
        summary.merge(counted);
    });
    bar.finish_and_clear();
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    summary.not_verified = jobs.len() - end.done;
    let mut err = std::io::stderr().lock();
    if end.interrupted {
        let _ = writeln!(
            err,
            "{} {}/{}",
            lang_pick(lang, "Stopped: verified", "Đã dừng: đã kiểm tra"),
            end.done,
            jobs.len()
        );
    }
    let _ = write!(err, "{}", summary.render(lang));
    if let Some(e) = write_error {
        return Err(format!("writing the reports: {e}"));
    }
    if end.interrupted {
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::from(summary.exit_status()))
}

/// One report as a JSON line.
fn json_line(r: &ValidationReport) -> String {
    serde_json::to_string(r).unwrap_or_else(|e| {
        serde_json::json!({
            "schema": kyso::report::REPORT_SCHEMA,
            "indication": "INDETERMINATE",
            "reason": {"en": format!("the report could not be written: {e}")},
        })
        .to_string()
    })
}
