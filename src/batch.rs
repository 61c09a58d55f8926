//! Verifying many signature files at once, on every core: which files make up a batch, one
//! verification per file ending in a [`ValidationReport`] (never an error that stops the
//! batch), a pool of worker threads that can be stopped, and the summary by verdict,
//! hierarchy and CA.
//!
//! Unlike the validation core, this module reads files.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cms::MAX_SIGNATURE_SIZE;
use crate::report::{Indication, Lang, Unreadable, ValidationReport};
use crate::verifier::{Content, Verifier, When};

/// Extensions of detached signature files: `doc.pdf.p7s` signs `doc.pdf`.
pub const SIGNATURE_EXTENSIONS: &[&str] = &["p7s", "p7m", "p7b", "pkcs7", "cms", "sig"];

/// One file to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The signature file.
    pub signature: PathBuf,
    /// The detached content, when the signature file's name is the content's plus a signature
    /// extension (or the list names it).
    pub content: Option<PathBuf>,
}

/// The content a signature file names by its own name: `doc.pdf.p7s` → `doc.pdf`, when that
/// file exists.
pub fn detached_content_of(signature: &Path) -> Option<PathBuf> {
    let ext = signature.extension()?.to_str()?.to_ascii_lowercase();
    if !SIGNATURE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let content = signature.with_extension("");
    content.is_file().then_some(content)
}

/// Every file under `dir` (recursively, in name order) as a job. A file that another file
/// signs detached (`doc.pdf` beside `doc.pdf.p7s`) is that job's content; every other file is
/// a job of its own, so a file that is not a signature is reported as such, not skipped.
/// Symbolic links to folders are not followed.
pub fn jobs_in_dir(dir: &Path) -> std::io::Result<Vec<Job>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let kind = e.file_type()?;
            if kind.is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let jobs: Vec<Job> = files
        .iter()
        .map(|f| Job {
            signature: f.clone(),
            content: detached_content_of(f),
        })
        .collect();
    let contents: std::collections::BTreeSet<&PathBuf> = jobs.iter().filter_map(|j| j.content.as_ref()).collect();
    Ok(jobs
        .iter()
        .filter(|j| !contents.contains(&j.signature))
        .cloned()
        .collect())
}

/// The jobs of a list: one signature file per line, or `signature<TAB>content`; blank lines
/// and lines starting with `#` are ignored; relative paths are taken from `base`.
pub fn jobs_from_list(text: &str, base: &Path) -> Vec<Job> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (sig, content) = match l.split_once('\t') {
                Some((s, c)) => (s, Some(base.join(c))),
                None => (l, None),
            };
            let signature = base.join(sig);
            let content = content.or_else(|| detached_content_of(&signature));
            Job { signature, content }
        })
        .collect()
}

/// Verify one job with `verifier`: read the signature file (at most
/// [`MAX_SIGNATURE_SIZE`]; a PDF up to [`crate::pdf::MAX_PDF_SIZE`], its large streams left in
/// the file: [`Verifier::verify_pdf_file`]), stream the detached content from its file, and
/// report. Every
/// outcome is a report: an unreadable file, a file that is not a signature, or a detached
/// signature without its content is INDETERMINATE with the reason.
pub fn verify_file(verifier: &Verifier, job: &Job, when: When) -> ValidationReport {
    let name = job.signature.display().to_string();
    let content_name = job.content.as_ref().map(|c| c.display().to_string());
    if job.content.is_none() && is_pdf_file(&job.signature) {
        // Read without holding its large streams (a PDF may be far larger than a signature).
        return verifier
            .verify_pdf_file(&job.signature, when)
            .unwrap_or_else(|e| e.report(when.now.unwrap_or_else(crate::Time::now)))
            .with_document(name, content_name);
    }
    let bytes = match read_limited(&job.signature, MAX_SIGNATURE_SIZE) {
        Ok(b) => b,
        Err(e) => {
            return ValidationReport::unreadable(Unreadable::Io, &e, when.now.unwrap_or_else(crate::Time::now))
                .with_document(name, content_name)
        }
    };
    let content = match job.content.clone() {
        Some(path) => Content::Stream(Box::new(move || -> std::io::Result<Box<dyn Read + 'static>> {
            Ok(Box::new(std::fs::File::open(&path)?))
        })),
        None => Content::Attached,
    };
    verifier.report(&bytes, content, when).with_document(name, content_name)
}

/// Whether the file at `path` is a PDF as [`crate::Format::detect`] sees its first kilobyte.
fn is_pdf_file(path: &Path) -> bool {
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .is_ok_and(|_| crate::Format::detect(&head) == crate::Format::Pdf)
}

/// Read a whole file of at most `limit` bytes.
fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a folder".into());
    }
    if meta.len() > limit as u64 {
        return Err(format!(
            "{} bytes, over the {limit}-byte limit for a signature file",
            meta.len()
        ));
    }
    let mut buf = Vec::new();
    f.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() > limit {
        return Err(format!("over the {limit}-byte limit for a signature file"));
    }
    Ok(buf)
}

/// What a worker does with one job (given its index), shared by every worker thread.
pub type Work<R> = dyn Fn(usize, &Job) -> R + Send + Sync;

/// How a [`run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunEnd {
    /// Results delivered.
    pub done: usize,
    /// Whether `stop` was raised before every job was done.
    pub interrupted: bool,
}

/// How long [`run`] waits, after `stop` is raised, for the files being verified to finish.
pub const STOP_GRACE: Duration = Duration::from_secs(2);

/// Run `work` (given each job's index) over `jobs` on `threads` worker threads and hand each result to `on_result` on
/// the calling thread, in completion order, with the job's index. When `stop` is raised, no
/// new job starts; results of jobs already running are taken for up to [`STOP_GRACE`], and
/// workers still busy after that (a file that blocks) are left behind, detached.
pub fn run<R: Send + 'static>(
    jobs: Arc<Vec<Job>>,
    threads: usize,
    stop: Arc<AtomicBool>,
    work: Arc<Work<R>>,
    mut on_result: impl FnMut(usize, R),
) -> RunEnd {
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    for _ in 0..threads.max(1).min(jobs.len().max(1)) {
        let (jobs, stop, work, next, tx) = (jobs.clone(), stop.clone(), work.clone(), next.clone(), tx.clone());
        std::thread::spawn(move || loop {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(job) = jobs.get(i) else { break };
            if tx.send((i, work(i, job))).is_err() {
                break;
            }
        });
    }
    drop(tx);
    let mut done = 0;
    let mut stopping_since: Option<Instant> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok((i, r)) => {
                on_result(i, r);
                done += 1;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if stop.load(Ordering::SeqCst) {
            let since = *stopping_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= STOP_GRACE {
                break;
            }
        }
    }
    RunEnd {
        done,
        interrupted: done < jobs.len(),
    }
}

/// Counts of one row of the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// TOTAL_PASSED.
    pub valid: usize,
    /// TOTAL_FAILED.
    pub invalid: usize,
    /// INDETERMINATE (including unreadable files).
    pub indeterminate: usize,
}

impl Counts {
    fn add(&mut self, i: Indication) {
        match i {
            Indication::TotalPassed => self.valid += 1,
            Indication::TotalFailed => self.invalid += 1,
            Indication::Indeterminate => self.indeterminate += 1,
        }
    }

    /// All three.
    pub fn total(&self) -> usize {
        self.valid + self.invalid + self.indeterminate
    }
}

/// The summary of a batch: files by indication, signatures by hierarchy and by issuing CA.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files, by their overall indication.
    pub files: Counts,
    /// Files that could not be verified at all (counted in `files.indeterminate`).
    pub unreadable: usize,
    /// Jobs not verified because the batch was stopped.
    pub not_verified: usize,
    /// Signatures by hierarchy (`government`, `public`, `custom:…`, `none`).
    pub by_hierarchy: BTreeMap<String, Counts>,
    /// Signatures by the issuing CA's common name.
    pub by_ca: BTreeMap<String, Counts>,
}

impl Summary {
    /// The summary of one report (workers count their own, [`Summary::merge`] adds them up).
    pub fn of(r: &ValidationReport) -> Summary {
        let mut s = Summary::default();
        s.add(r);
        s
    }

    /// Add another summary's counts to this one.
    pub fn merge(&mut self, other: Summary) {
        let add = |a: &mut Counts, b: Counts| {
            a.valid += b.valid;
            a.invalid += b.invalid;
            a.indeterminate += b.indeterminate;
        };
        add(&mut self.files, other.files);
        self.unreadable += other.unreadable;
        self.not_verified += other.not_verified;
        for (k, v) in other.by_hierarchy {
            add(self.by_hierarchy.entry(k).or_default(), v);
        }
        for (k, v) in other.by_ca {
            add(self.by_ca.entry(k).or_default(), v);
        }
    }

    /// Count one report.
    pub fn add(&mut self, r: &ValidationReport) {
        self.files.add(r.indication);
        if r.kind == crate::report::ReportKind::Unreadable {
            self.unreadable += 1;
        }
        for s in &r.signatures {
            let h = s.hierarchy.clone().unwrap_or_else(|| "none".into());
            self.by_hierarchy.entry(h).or_default().add(s.indication);
            let ca = s
                .issuing_ca
                .as_ref()
                .map(|p| p.common_name.clone().unwrap_or_else(|| p.subject.clone()))
                .unwrap_or_else(|| "(unknown)".into());
            self.by_ca.entry(ca).or_default().add(s.indication);
        }
    }

    /// The exit status a command should end with: 0 every file valid, 1 some file invalid,
    /// 2 otherwise (indeterminate, unreadable, or nothing verified).
    pub fn exit_status(&self) -> u8 {
        if self.files.invalid > 0 {
            1
        } else if self.files.indeterminate > 0 || self.files.valid == 0 || self.not_verified > 0 {
            2
        } else {
            0
        }
    }

    /// The summary as a table in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let (valid, invalid, indet, total) = if vi {
            ("hợp lệ", "không hợp lệ", "chưa xác định", "tổng")
        } else {
            ("valid", "invalid", "indeterminate", "total")
        };
        let mut out = String::new();
        let row = |out: &mut String, label: &str, c: &Counts| {
            out.push_str(&format!(
                "  {label:<44} {:>8} {:>13} {:>14} {:>8}\n",
                c.valid,
                c.invalid,
                c.indeterminate,
                c.total()
            ));
        };
        let header = |out: &mut String, title: &str| {
            out.push_str(&format!(
                "  {title:<44} {valid:>8} {invalid:>13} {indet:>14} {total:>8}\n"
            ));
        };
        header(&mut out, if vi { "Tệp" } else { "Files" });
        row(&mut out, if vi { "tất cả" } else { "all" }, &self.files);
        if self.unreadable > 0 {
            out.push_str(&format!(
                "  {}: {}\n",
                if vi {
                    "trong đó không đọc được hoặc không phải chữ ký"
                } else {
                    "of which unreadable or not a signature"
                },
                self.unreadable
            ));
        }
        if self.not_verified > 0 {
            out.push_str(&format!(
                "  {}: {}\n",
                if vi {
                    "chưa kiểm tra (đã dừng giữa chừng)"
                } else {
                    "not verified (stopped)"
                },
                self.not_verified
            ));
        }
        if !self.by_hierarchy.is_empty() {
            out.push('\n');
            header(
                &mut out,
                if vi {
                    "Chữ ký theo hệ thống chứng thực"
                } else {
                    "Signatures by hierarchy"
                },
            );
            for (h, c) in &self.by_hierarchy {
                let label = match (h.as_str(), vi) {
                    ("government", false) => "government (VGCA)".to_string(),
                    ("government", true) => "chuyên dùng Chính phủ".to_string(),
                    ("public", false) => "public (NEAC)".to_string(),
                    ("public", true) => "công cộng".to_string(),
                    ("none", false) => "no trusted root".to_string(),
                    ("none", true) => "không tới được gốc tin cậy".to_string(),
                    (other, _) => other.to_string(),
                };
                row(&mut out, &label, c);
            }
            out.push('\n');
            header(
                &mut out,
                if vi {
                    "Chữ ký theo tổ chức cấp chứng thư"
                } else {
                    "Signatures by issuing CA"
                },
            );
            for (ca, c) in &self.by_ca {
                let label: String = if ca.chars().count() > 44 {
                    ca.chars().take(43).chain(std::iter::once('…')).collect()
                } else {
                    ca.clone()
                };
                row(&mut out, &label, c);
            }
        }
        out
    }
}
