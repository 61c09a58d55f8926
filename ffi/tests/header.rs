//! `include/kyso.h` is what cbindgen makes of `src/lib.rs`: regenerate and compare. Run with
//! `KYSO_BLESS=1` to write the new header after changing the API.

#[test]
fn committed_header_matches_cbindgen() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(format!("{dir}/cbindgen.toml")).unwrap();
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not read src/lib.rs")
        .write(&mut out);
    let path = format!("{dir}/include/kyso.h");
    if std::env::var_os("KYSO_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == out,
        "include/kyso.h differs from what cbindgen generates; run KYSO_BLESS=1 cargo test -p kyso-ffi --test header and commit it"
    );
}
