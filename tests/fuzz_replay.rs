//! Every fuzz corpus file and every minimised crash in `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/`, plus seeds from ../shared (the public vectors), through the fuzz targets'
//! bodies: a regression guard that runs on stable in every `cargo test`.
#![cfg(feature = "aws-lc")]

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return out };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn corpora_and_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut total = 0;
    for t in targets::TARGETS {
        for sub in ["fuzz/corpus", "fuzz/regressions"] {
            for f in files(&root.join(sub).join(t)) {
                let data = std::fs::read(&f).unwrap();
                let r = std::panic::catch_unwind(|| targets::run(t, &data));
                assert!(r.is_ok(), "{t}: {} fails", f.display());
                total += 1;
            }
        }
    }
    // Seeds straight from the vectors, through every target (a CRL fed to the CMS parser too).
    let mut seeds = Vec::new();
    let shared = kyso_testpki::shared::root();
    let have_shared = kyso_testpki::shared::vectors("").is_some();
    for d in [
        "vectors/cms",
        "vectors/crl",
        "vectors/ocsp",
        "vectors/tsp",
        "vn-trust/raw-p7b",
        "vectors/xmldsig",
    ]
    .into_iter()
    .filter(|_| have_shared)
    {
        seeds.extend(files(&shared.join(d)).into_iter().filter(|p| {
            !matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "json" | "tsv" | "py" | "txt")
            )
        }));
    }
    seeds.extend(
        files(&root.join("test-vectors/xml"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xml")),
    );
    for f in &seeds {
        let data = std::fs::read(f).unwrap();
        if data.len() > 1 << 20 {
            continue;
        }
        for t in targets::TARGETS {
            let r = std::panic::catch_unwind(|| targets::run(t, &data));
            assert!(r.is_ok(), "{t}: {} fails", f.display());
            total += 1;
        }
    }
    assert!(total > 100, "only {total} inputs replayed");
    println!("{total} inputs replayed");
}
