//! One version number for every artefact of a release: the crate (and through the workspace
//! the CLI, the C library's `kyso_version()` and the test PKI), the Python package, and the
//! CHANGELOG's newest entry. The Python suite checks `kyso.version()` against
//! `kyso.__version__` at run time.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The value of the first line `key = "…"` in `text`.
fn quoted(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
        Some(rest.trim_matches('"').to_string())
    })
}

#[test]
fn one_version_everywhere() {
    let v = env!("CARGO_PKG_VERSION");
    // The members take the workspace's version.
    for member in ["cli/Cargo.toml", "ffi/Cargo.toml", "testpki/Cargo.toml"] {
        let text = read(member);
        assert!(
            text.contains("version.workspace = true"),
            "{member} has a version of its own"
        );
    }
    assert_eq!(
        quoted(&read("bindings/python/pyproject.toml"), "version").as_deref(),
        Some(v)
    );
    assert_eq!(
        quoted(&read("bindings/python/kyso/__init__.py"), "__version__").as_deref(),
        Some(v)
    );
    // The CHANGELOG's newest entry is this version.
    let changelog = read("CHANGELOG.md");
    let newest = changelog
        .lines()
        .find(|l| l.starts_with("## "))
        .expect("an entry in CHANGELOG.md");
    assert!(newest.starts_with(&format!("## {v} ")), "{newest}");
}
