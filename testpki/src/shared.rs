//! The one way tests reach the public test data in `../shared` (beside the project's folder,
//! or where `KYSO_SHARED` points): PKITS, Wycheproof, the CMS / CRL / OCSP / TSP samples, the
//! real Vietnamese CA certificates and raw bundles, and later the XML and PDF vectors.
//!
//! That data is not copied into the project. When it is missing, a test that needs it is
//! skipped and says so on standard error, except under `CI=true`, where a missing folder fails
//! the run: CI must never pass by skipping.

use std::path::{Path, PathBuf};

/// The `shared` folder: `$KYSO_SHARED`, else `shared/` beside the workspace's folder.
pub fn root() -> PathBuf {
    match std::env::var_os("KYSO_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `rel` below the shared folder (`vectors/pkits`, `vn-trust/raw-p7b/…`), or `None` when it
/// is missing outside CI, after a line saying which test was skipped and why.
///
/// # Panics
/// Under `CI=true`, when the path is missing.
pub fn path(rel: &str) -> Option<PathBuf> {
    let p = root().join(rel);
    if p.exists() {
        return Some(p);
    }
    let why = format!(
        "{} is missing (the public test data lives in ../shared, or where KYSO_SHARED points)",
        p.display()
    );
    if under_ci() {
        panic!("CI=true: {why}");
    }
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    eprintln!("SKIPPED {test}: {why}");
    None
}

/// `vectors/<rel>`: the conformance vectors.
pub fn vectors(rel: &str) -> Option<PathBuf> {
    path(&format!("vectors/{rel}"))
}

/// `vn-trust/<rel>`: the real Vietnamese CA certificates and bundles.
pub fn vn_trust(rel: &str) -> Option<PathBuf> {
    path(&format!("vn-trust/{rel}"))
}
