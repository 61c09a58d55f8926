//! The C API from C: `c/test_kyso.c` compiled with gcc against `include/kyso.h` and
//! libkyso, run plainly, under valgrind (no errors, no definite leaks) and with
//! AddressSanitizer; then the Python binding's pytest suite on the same fixtures. The fixtures
//! (test PKI, PKCS#12 from `openssl pkcs12`, CMS signatures, a SoftHSM2 token) are made here.

use std::path::{Path, PathBuf};
use std::process::Command;

use kyso::cms::{self, Content, SignOptions, SoftwareSigner};
use kyso::{crypto, Certificate, Time};
use kyso_testpki::softhsm::SoftHsm;
use kyso_testpki::{pem, Entity, VietnamTestPki};

const DOC: &[u8] = "Hóa đơn điện tử số 0000456 — ký qua C API".as_bytes();
const P12_PASSWORD: &str = "bí mật";

fn ffi_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build libkyso (cdylib and staticlib) in this workspace's target directory; cargo test does
/// not build them for integration tests. Returns the folder holding them.
fn build_library() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-q", "-p", "kyso-ffi"])
        .current_dir(ffi_dir())
        .status()
        .expect("cargo");
    assert!(st.success(), "cargo build -p kyso-ffi failed");
    // target/debug/deps/c-<hash> → target/debug
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    assert!(dir.join("libkyso.so").is_file(), "no libkyso.so in {}", dir.display());
    assert!(dir.join("libkyso.a").is_file(), "no libkyso.a in {}", dir.display());
    assert!(dir.join("kyso.pc").is_file(), "no kyso.pc in {}", dir.display());
    dir
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn signature(who: &Entity, chain: &Entity, detached: bool) -> Vec<u8> {
    let signer = SoftwareSigner::from_pkcs8(who.key.pkcs8(), Certificate::from_der(&who.cert).unwrap()).unwrap();
    let mut o = SignOptions::new(Time::now());
    o.detached = detached;
    o.chain = vec![Certificate::from_der(&chain.cert).unwrap()];
    cms::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap()
}

fn softhsm_module() -> &'static str {
    static M: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        kyso_testpki::softhsm::module().expect("SoftHSM2 is required (the README's test command installs it)")
    })
    .to_str()
    .expect("a UTF-8 path")
}

/// Fixtures for the C and Python suites; returns (fixture dir, SOFTHSM2_CONF).
fn fixtures(vnpt: &Path) -> (PathBuf, PathBuf) {
    let pki = VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-capi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    put("root.der", &pki.pub_root.cert);
    put("gov_root.der", &pki.gov_root.cert);
    put("sub.der", &pki.pub_sub.cert);
    put("company.der", &pki.company.cert);
    put("doc.txt", DOC);
    put("valid.p7s", &signature(&pki.company, &pki.pub_sub, true));
    put("attached.p7s", &signature(&pki.company, &pki.pub_sub, false));
    put("rogue.p7s", &signature(&pki.rogue_leaf, &pki.rogue_root, true));
    std::fs::copy(vnpt, dir.join("vnpt-ca.p7b")).unwrap_or_else(|e| panic!("{}: {e}", vnpt.display()));
    put("company.pem", pem("CERTIFICATE", &pki.company.cert).as_bytes());
    put("company.key", pem("PRIVATE KEY", pki.company.key.pkcs8()).as_bytes());
    put("sub.pem", pem("CERTIFICATE", &pki.pub_sub.cert).as_bytes());
    run(Command::new("openssl")
        .args(["pkcs12", "-export", "-passout"])
        .arg(format!("pass:{P12_PASSWORD}"))
        .arg("-in")
        .arg(dir.join("company.pem"))
        .arg("-inkey")
        .arg(dir.join("company.key"))
        .arg("-certfile")
        .arg(dir.join("sub.pem"))
        .arg("-out")
        .arg(dir.join("company.p12")));
    // The SoftHSM2 token "c-api" with the company key, CKA_ID a1.
    let soft = SoftHsm::create(&dir, Path::new(softhsm_module())).unwrap();
    soft.init_token("c-api", "246810", "13579111").unwrap();
    soft.add_key_pair(
        "c-api",
        "246810",
        "a1",
        None,
        pki.company.key.pkcs8(),
        &pki.company.cert,
    )
    .unwrap();
    let conf = soft.conf;
    (dir, conf)
}

fn gcc(lib: &Path, out: &Path, extra: &[&str], static_link: bool) {
    let mut c = Command::new("gcc");
    c.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-pthread"])
        .args(extra)
        .arg("-I")
        .arg(ffi_dir().join("include"))
        .arg(ffi_dir().join("c/test_kyso.c"))
        .arg("-o")
        .arg(out);
    if static_link {
        c.arg(lib.join("libkyso.a")).args(["-lpthread", "-ldl", "-lm"]);
    } else {
        // Flags from the kyso.pc that the build writes next to the library.
        let flags = run(Command::new("pkg-config")
            .env("PKG_CONFIG_PATH", lib)
            .args(["--cflags", "--libs", "kyso"]));
        assert!(flags.contains("-lkyso"), "{flags}");
        c.args(flags.split_whitespace())
            .arg(format!("-Wl,-rpath,{}", lib.display()));
    }
    run(&mut c);
}

#[test]
fn c_programs_plain_valgrind_asan_and_python() {
    let Some(vnpt) = kyso_testpki::shared::vn_trust("raw-p7b/VNPT-CA_SHA2.p7b") else {
        return;
    };
    let lib = build_library();
    let (dir, conf) = fixtures(&vnpt);
    let module = softhsm_module();
    let plain = dir.join("test_kyso");
    gcc(&lib, &plain, &[], false);
    let out = run(Command::new(&plain).arg(&dir).arg(module).env("SOFTHSM2_CONF", &conf));
    assert!(out.contains("all checks passed"), "{out}");

    // Static library, as an embedding C program links it.
    let stat = dir.join("test_kyso_static");
    gcc(&lib, &stat, &[], true);
    run(Command::new(&stat).arg(&dir).arg(module).env("SOFTHSM2_CONF", &conf));

    // AddressSanitizer (with LeakSanitizer) on the C side of every call.
    let asan = dir.join("test_kyso_asan");
    gcc(
        &lib,
        &asan,
        &["-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
        false,
    );
    run(Command::new(&asan)
        .arg(&dir)
        .arg(module)
        .env("SOFTHSM2_CONF", &conf)
        // SoftHSM2 keeps its singletons until exit; leaks inside the token module are not ours.
        .env(
            "LSAN_OPTIONS",
            format!("suppressions={}", ffi_dir().join("c/lsan.supp").display()),
        )
        .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0"));

    // valgrind: no errors, no definite leaks.
    let vg = Command::new("valgrind")
        .args([
            "--error-exitcode=3",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            "--show-leak-kinds=definite",
            "-q",
        ])
        .arg(&plain)
        .arg(&dir)
        .arg(module)
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .expect("valgrind is required (the README's test command installs it)");
    assert!(
        vg.status.success(),
        "valgrind:\n{}{}",
        String::from_utf8_lossy(&vg.stdout),
        String::from_utf8_lossy(&vg.stderr)
    );

    // The Python binding's pytest suite over the same library and fixtures.
    let py = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(ffi_dir().join("../bindings/python/tests"))
        .env("KYSO_LIBRARY", lib.join("libkyso.so"))
        .env("KYSO_FIXTURES", &dir)
        .env("KYSO_SOFTHSM_MODULE", module)
        .env("SOFTHSM2_CONF", &conf)
        .env("PYTHONPATH", ffi_dir().join("../bindings/python"))
        .output()
        .expect("python3 is required");
    assert!(
        py.status.success(),
        "pytest:\n{}{}",
        String::from_utf8_lossy(&py.stdout),
        String::from_utf8_lossy(&py.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
