//! The C API from C: `c/test_kyso.c` compiled with gcc against `include/kyso.h` and
//! libkyso, run plainly, under valgrind (no errors, no definite leaks) and with
//! AddressSanitizer; then the Python binding's pytest suite and the Java binding's checks on
//! the same fixtures. The fixtures
//! (test PKI, PKCS#12 from `openssl pkcs12`, CMS signatures, a SoftHSM2 token) are made here.

use std::path::{Path, PathBuf};
use std::process::Command;

use kyso::sign::{Content, SignOptions, SoftwareSigner};
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
    kyso::sign::sign(Content::Bytes(DOC), &signer, &o, crypto::default_provider()).unwrap()
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
    put("gov.p7s", &signature(&pki.officer, &pki.gov_sub, false));
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

fn gcc(lib: &Path, source: &str, out: &Path, extra: &[&str], static_link: bool) {
    let mut c = Command::new("gcc");
    c.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-pthread"])
        .args(extra)
        .arg("-I")
        .arg(ffi_dir().join("include"))
        .arg(ffi_dir().join("c").join(source))
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
    gcc(&lib, "test_kyso.c", &plain, &[], false);
    let out = run(Command::new(&plain).arg(&dir).arg(module).env("SOFTHSM2_CONF", &conf));
    assert!(out.contains("all checks passed"), "{out}");

    // Static library, as an embedding C program links it.
    let stat = dir.join("test_kyso_static");
    gcc(&lib, "test_kyso.c", &stat, &[], true);
    run(Command::new(&stat).arg(&dir).arg(module).env("SOFTHSM2_CONF", &conf));

    // AddressSanitizer (with LeakSanitizer) on the C side of every call.
    let asan = dir.join("test_kyso_asan");
    gcc(
        &lib,
        "test_kyso.c",
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

    // The Java binding (bindings/java, JNA) on the same library and fixtures.
    let classpath = java_binding(&dir);
    let out = run(Command::new("java")
        .arg("-cp")
        .arg(&classpath)
        .arg(format!("-Djna.library.path={}", lib.display()))
        .arg("vn.kyso.tests.KysoTest")
        .arg(&dir)
        .arg(module)
        .env("SOFTHSM2_CONF", &conf));
    assert!(out.contains("all Java checks passed"), "{out}");
    // A jar that carries libkyso: found inside it, with no library path.
    let bundled = dir.join("kyso-bundled.jar");
    run(Command::new(ffi_dir().join("../bindings/java/build.sh"))
        .arg("--bundle")
        .arg(lib.join("libkyso.so"))
        .arg(&bundled));
    let out = run(Command::new("java")
        .arg("-cp")
        .arg(format!("{}:/usr/share/java/jna.jar", bundled.display()))
        .arg("vn.kyso.Kyso")
        .env_remove("LD_LIBRARY_PATH"));
    assert!(out.trim() == env!("CARGO_PKG_VERSION"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// bindings/java/kyso.jar built by its build.sh (offline, Debian's JNA), and its test programs
/// compiled against it into `dir/java`: the class path to run them with.
fn java_binding(dir: &Path) -> String {
    let java = ffi_dir().join("../bindings/java");
    // Once per run: the two tests that use it run in parallel.
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        run(&mut Command::new(java.join("build.sh")));
    });
    let jna = "/usr/share/java/jna.jar";
    let jar = java.join("kyso.jar");
    let classes = dir.join("java");
    std::fs::create_dir_all(&classes).unwrap();
    let tests: Vec<PathBuf> = std::fs::read_dir(java.join("test/vn/kyso/tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    run(Command::new("javac")
        .args(["--release", "17", "-encoding", "UTF-8", "-Xlint:all", "-Werror", "-cp"])
        .arg(format!("{}:{jna}", jar.display()))
        .arg("-d")
        .arg(&classes)
        .args(&tests));
    format!("{}:{}:{jna}", classes.display(), jar.display())
}

/// The kyso CLI, built in this workspace's target directory.
fn build_cli(lib: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-q", "-p", "kyso-cli"])
        .current_dir(ffi_dir())
        .status()
        .expect("cargo");
    assert!(st.success(), "cargo build -p kyso-cli failed");
    lib.join("kyso")
}

/// The report without what differs from one run to the next (when it ran) or from one layer
/// to another by design (the file names the CLI reports, where evidence was read from).
fn normalised(mut v: serde_json::Value) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("validation_time");
                m.remove("document");
                m.remove("origin");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

/// One table of inputs — valid in each hierarchy, tampered, revoked, untrusted, legacy (SHA-1,
/// refused and then accepted), expired, and the strict profile — through the Rust Verifier,
/// `kyso verify --json`, a C program on `kyso_verifier` and Python's `kyso.Verifier`: the
/// same kyso.report/1 from each, and the verdict the case expects.
#[test]
fn one_table_through_rust_cli_c_and_python_gives_one_report() {
    use kyso::report::Indication;
    use kyso::revocation::{Crl, RevocationEvidence};
    use kyso::{Hierarchy, Policy, Profile, TrustStore, Verifier, When};
    use kyso_testpki::der::unix;
    use kyso_testpki::fresh_crl;

    let lib = build_library();
    let cli = build_cli(&lib);
    let pki = VietnamTestPki::build();
    let dir = std::env::temp_dir().join(format!("kyso-parity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n);
    let put = |n: &str, b: &[u8]| std::fs::write(dir.join(n), b).unwrap();
    // Both roots trusted as the caller's own ("custom", as the CLI names anchors from custom.pem).
    put(
        "custom.pem",
        (pem("CERTIFICATE", &pki.pub_root.cert) + &pem("CERTIFICATE", &pki.gov_root.cert)).as_bytes(),
    );
    put("doc.txt", DOC);
    put("tampered.txt", &[DOC, b" (sua)"].concat());
    put("public.p7s", &signature(&pki.company, &pki.pub_sub, true));
    put("government.p7s", &signature(&pki.officer, &pki.gov_sub, false));
    put("rogue.p7s", &signature(&pki.rogue_leaf, &pki.rogue_root, true));
    // A signer under the licensed CA whose certificate the CA's CRL revokes.
    put("revoked.p7s", &signature(&pki.revoked_signer(), &pki.pub_sub, true));
    put(
        "sub.crl",
        &fresh_crl(&pki.pub_sub, 7, &[kyso_testpki::REVOKED_SERIAL], Time::now().0),
    );
    // SHA-1, signed by OpenSSL with the company's key.
    put("company.pem", pem("CERTIFICATE", &pki.company.cert).as_bytes());
    put("company.key", pem("PRIVATE KEY", pki.company.key.pkcs8()).as_bytes());
    put("sub.pem", pem("CERTIFICATE", &pki.pub_sub.cert).as_bytes());
    run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-md", "sha1", "-outform", "DER", "-in"])
        .arg(path("doc.txt"))
        .arg("-signer")
        .arg(path("company.pem"))
        .arg("-inkey")
        .arg(path("company.key"))
        .arg("-certfile")
        .arg(path("sub.pem"))
        .arg("-out")
        .arg(path("sha1.p7s")));
    // A real Vietnamese tax message with its seller and tax-authority XML signatures (its CAs
    // are not among these anchors), and the same with an amount changed.
    let invoice = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../test-vectors/xml/vn/ts24-tdiep-202-hdon-nban-cqt.xml"),
    )
    .unwrap();
    put("invoice.xml", &invoice);
    let changed = String::from_utf8(invoice)
        .unwrap()
        .replace("<TgTThue>84000</TgTThue>", "<TgTThue>8400</TgTThue>");
    put("invoice-changed.xml", changed.as_bytes());
    // A decision signed as a PDF by the government officer, and the same with a byte of its
    // page content changed.
    let officer = SoftwareSigner::from_pkcs8(
        pki.officer.key.pkcs8(),
        Certificate::from_der(&pki.officer.cert).unwrap(),
    )
    .unwrap();
    let mut o = SignOptions::new(Time::now());
    o.chain = vec![Certificate::from_der(&pki.gov_sub.cert).unwrap()];
    let pdf = kyso::pdf::sign::sign_pdf(
        &kyso_testpki::pdf_document(1),
        &officer,
        &kyso::pdf::sign::PdfSigning::default(),
        &o,
        crypto::default_provider(),
    )
    .unwrap();
    put("decision.pdf", &pdf);
    let at = pdf.windows(11).position(|w| w == b"QUYET DINH ").unwrap();
    let mut changed = pdf.clone();
    changed[at] = b'Q' ^ 0x20;
    put("decision-changed.pdf", &changed);
    let c_prog = dir.join("report_json");
    gcc(&lib, "report_json.c", &c_prog, &[], false);
    let classpath = java_binding(&dir);

    const LEGACY: u32 = 4;
    const STRICT: u32 = 16;
    let expired_at = unix(2036, 1, 1);
    /// (case, signature, content, at, flags, with the CRL, expected indication)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, i64, u32, bool, Indication);
    let cases: &[Case] = &[
        (
            "public hierarchy",
            "public.p7s",
            Some("doc.txt"),
            0,
            0,
            false,
            Indication::TotalPassed,
        ),
        (
            "government hierarchy, attached",
            "government.p7s",
            None,
            0,
            0,
            false,
            Indication::TotalPassed,
        ),
        (
            "tampered content",
            "public.p7s",
            Some("tampered.txt"),
            0,
            0,
            false,
            Indication::TotalFailed,
        ),
        (
            "revoked signer",
            "revoked.p7s",
            Some("doc.txt"),
            0,
            0,
            true,
            Indication::TotalFailed,
        ),
        (
            "untrusted look-alike root",
            "rogue.p7s",
            Some("doc.txt"),
            0,
            0,
            false,
            Indication::Indeterminate,
        ),
        (
            "SHA-1, refused",
            "sha1.p7s",
            Some("doc.txt"),
            0,
            0,
            false,
            Indication::Indeterminate,
        ),
        (
            "SHA-1, legacy allowed",
            "sha1.p7s",
            Some("doc.txt"),
            0,
            LEGACY,
            false,
            Indication::TotalPassed,
        ),
        (
            "expired at the time asked",
            "public.p7s",
            Some("doc.txt"),
            expired_at,
            0,
            false,
            Indication::TotalFailed,
        ),
        (
            "strict profile",
            "public.p7s",
            Some("doc.txt"),
            0,
            STRICT,
            false,
            Indication::TotalPassed,
        ),
        (
            "XML tax message, intact, CAs not trusted here",
            "invoice.xml",
            None,
            0,
            0,
            false,
            Indication::Indeterminate,
        ),
        (
            "XML tax message, changed after signing",
            "invoice-changed.xml",
            None,
            0,
            0,
            false,
            Indication::TotalFailed,
        ),
        (
            "PDF decision",
            "decision.pdf",
            None,
            0,
            0,
            false,
            Indication::TotalPassed,
        ),
        (
            "PDF decision, changed after signing",
            "decision-changed.pdf",
            None,
            0,
            0,
            false,
            Indication::TotalFailed,
        ),
    ];
    let mut store = TrustStore::new();
    store.add_anchor(
        Certificate::from_der(&pki.pub_root.cert).unwrap(),
        Hierarchy::Custom("custom".into()),
    );
    store.add_anchor(
        Certificate::from_der(&pki.gov_root.cert).unwrap(),
        Hierarchy::Custom("custom".into()),
    );
    let crl = Crl::from_bytes(&std::fs::read(path("sub.crl")).unwrap()).unwrap();
    for &(case, sig, content, at, flags, with_crl, expected) in cases {
        let at_time = (at != 0).then_some(Time(at));
        // Rust.
        let profile = if flags & STRICT != 0 {
            Profile::Strict
        } else {
            Profile::Vietnam
        };
        let policy = Policy::of(profile)
            .to_builder()
            .legacy_algorithms(flags & LEGACY != 0)
            .build();
        let mut v = Verifier::new(store.clone(), policy);
        if with_crl {
            v = v.with_evidence(RevocationEvidence::from_crls(vec![crl.clone()]));
        }
        let sig_bytes = std::fs::read(path(sig)).unwrap();
        let content_bytes = content.map(|c| std::fs::read(path(c)).unwrap());
        let rust = v
            .verify_at(
                &sig_bytes,
                match &content_bytes {
                    Some(b) => kyso::Content::Bytes(b),
                    None => kyso::Content::Attached,
                },
                When { at: at_time, now: None },
            )
            .unwrap();
        assert_eq!(rust.indication, expected, "{case}: {:?}", rust.reason);
        let rust = normalised(serde_json::to_value(&rust).unwrap());
        // The CLI.
        let mut cmd = Command::new(&cli);
        cmd.args(["verify", "--json", "--anchor"])
            .arg(path("custom.pem"))
            .arg(path(sig));
        if let Some(c) = content {
            cmd.arg("--content").arg(path(c));
        }
        if let Some(t) = at_time {
            cmd.args(["--at", &t.to_string()]);
        }
        if flags & LEGACY != 0 {
            cmd.arg("--legacy");
        }
        if flags & STRICT != 0 {
            cmd.args(["--profile", "strict"]);
        }
        if with_crl {
            cmd.arg("--crl").arg(path("sub.crl"));
        }
        let out = cmd.output().unwrap();
        let cli_json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{case}: CLI: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(
            normalised(cli_json),
            rust,
            "{case}: the CLI's report differs from Rust's"
        );
        // C.
        let mut cmd = Command::new(&c_prog);
        cmd.arg(path("custom.pem"))
            .arg(path(sig))
            .arg(content.map_or_else(|| "-".into(), path))
            .arg(at.to_string())
            .arg(flags.to_string());
        if with_crl {
            cmd.arg(path("sub.crl"));
        }
        let c_json: serde_json::Value = serde_json::from_str(&run(&mut cmd)).unwrap();
        assert_eq!(
            normalised(c_json),
            rust,
            "{case}: the C API's report differs from Rust's"
        );
        // Python.
        let script = r#"
import json, pathlib, sys
import kyso
anchors, sig, content, at, flags, crl = sys.argv[1:7]
read = lambda p: pathlib.Path(p).read_bytes()
store = kyso.TrustStore().add(read(anchors), kyso.CUSTOM)
v = kyso.Verifier(store, flags=int(flags), crls=[read(crl)] if crl != "-" else [])
r = v.verify(read(sig), None if content == "-" else read(content), at=int(at) or None)
if sig.endswith(".pdf"):
    # From the file, its large streams left there: the same report.
    f = v.verify_pdf_file(pathlib.Path(sig), at=int(at) or None)
    assert f.verdict == r.verdict, (f.verdict, r.verdict)
    r = f
print(json.dumps(r.to_dict()))
"#;
        let mut cmd = Command::new("python3");
        cmd.arg("-c")
            .arg(script)
            .arg(path("custom.pem"))
            .arg(path(sig))
            .arg(content.map_or_else(|| "-".into(), path))
            .arg(at.to_string())
            .arg(flags.to_string())
            .arg(if with_crl { path("sub.crl") } else { "-".into() })
            .env("KYSO_LIBRARY", lib.join("libkyso.so"))
            .env("PYTHONPATH", ffi_dir().join("../bindings/python"));
        let py_json: serde_json::Value = serde_json::from_str(&run(&mut cmd)).unwrap();
        assert_eq!(normalised(py_json), rust, "{case}: Python's report differs from Rust's");
        // Java.
        let mut cmd = Command::new("java");
        cmd.arg("-cp")
            .arg(&classpath)
            .arg(format!("-Djna.library.path={}", lib.display()))
            .arg("vn.kyso.tests.ReportJson")
            .arg(path("custom.pem"))
            .arg(path(sig))
            .arg(content.map_or_else(|| "-".into(), path))
            .arg(at.to_string())
            .arg(flags.to_string())
            .arg(if with_crl { path("sub.crl") } else { "-".into() });
        let java_json: serde_json::Value = serde_json::from_str(&run(&mut cmd)).unwrap();
        assert_eq!(normalised(java_json), rust, "{case}: Java's report differs from Rust's");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
