//! The `capi` fuzz corpus and regressions (fuzz/corpus/capi, fuzz/regressions/capi) and the CMS
//! test vectors through the C entry points, in ordinary `cargo test`.

#[allow(dead_code, clippy::missing_safety_doc)]
#[path = "../src/lib.rs"]
mod capi;
#[path = "../../fuzz/capi_driver.rs"]
mod capi_driver;

use std::path::Path;

#[test]
fn capi_corpus_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut n = 0;
    let shared = kyso_testpki::shared::root();
    let Some(_) = kyso_testpki::shared::vectors("cms") else {
        return;
    };
    for d in [
        root.join("fuzz/corpus/capi"),
        root.join("fuzz/regressions/capi"),
        shared.join("vectors/cms/rfc4134"),
        shared.join("vectors/tsp/rfc3161-client"),
    ] {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten().filter(|e| e.path().is_file()) {
            let data = std::fs::read(e.path()).unwrap();
            capi_driver::run(&data);
            n += 1;
        }
    }
    assert!(n > 10, "only {n} inputs");
}
