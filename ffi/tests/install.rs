//! scripts/install-c.sh into a temporary prefix: the shared library with its soname, the
//! static library, the header under include/kyso and a kyso.pc pointing at the prefix; a C
//! program built with `pkg-config --cflags --libs kyso` alone (`#include <kyso.h>`) links
//! against libkyso.so.0 and runs.

use std::path::PathBuf;
use std::process::Command;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn install_c_into_a_prefix_and_build_with_pkg_config() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let prefix = std::env::temp_dir().join(format!("kyso-prefix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&prefix);
    // The debug build the other tests use (a user's install builds release).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_dir = PathBuf::from(&cargo).parent().map(PathBuf::from).unwrap_or_default();
    let path = format!("{}:{}", cargo_dir.display(), std::env::var("PATH").unwrap_or_default());
    // target/debug/deps/install-<hash> → target
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap().to_path_buf();
    run(Command::new(root.join("scripts/install-c.sh"))
        .arg(&prefix)
        .env("KYSO_BUILD_PROFILE", "debug")
        .env("CARGO_TARGET_DIR", &target)
        .env("PATH", path));
    let v = env!("CARGO_PKG_VERSION");
    for f in [
        format!("lib/libkyso.so.{v}"),
        "lib/libkyso.so.0".into(),
        "lib/libkyso.so".into(),
        "lib/libkyso.a".into(),
        "include/kyso/kyso.h".into(),
        "lib/pkgconfig/kyso.pc".into(),
    ] {
        assert!(prefix.join(&f).exists(), "{f} not installed");
    }
    let dynamic = run(Command::new("readelf").arg("-d").arg(prefix.join("lib/libkyso.so.0")));
    assert!(dynamic.contains("Library soname: [libkyso.so.0]"), "{dynamic}");

    let pc_path = prefix.join("lib/pkgconfig");
    let flags = run(Command::new("pkg-config")
        .env("PKG_CONFIG_PATH", &pc_path)
        .args(["--cflags", "--libs", "kyso"]));
    assert!(
        flags.contains(&format!("-I{}", prefix.join("include/kyso").display())),
        "{flags}"
    );
    assert_eq!(
        run(Command::new("pkg-config")
            .env("PKG_CONFIG_PATH", &pc_path)
            .args(["--modversion", "kyso"]))
        .trim(),
        v
    );
    let src = prefix.join("hello.c");
    std::fs::write(
        &src,
        "#include <kyso.h>\n#include <stdio.h>\n\
         int main(void) {\n  kyso_trust_store *ts = NULL;\n\
           if (kyso_trust_store_new_vietnam(&ts) != KYSO_OK) return 1;\n\
           kyso_trust_store_free(ts);\n  printf(\"kyso %s\\n\", kyso_version());\n  return 0;\n}\n",
    )
    .unwrap();
    let exe = prefix.join("hello");
    run(Command::new("gcc")
        .args(["-std=c11", "-Wall", "-Werror"])
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .args(flags.split_whitespace()));
    let needed = run(Command::new("readelf").arg("-d").arg(&exe));
    assert!(needed.contains("Shared library: [libkyso.so.0]"), "{needed}");
    let out = run(Command::new(&exe).env("LD_LIBRARY_PATH", prefix.join("lib")));
    assert_eq!(out.trim(), format!("kyso {v}"));
    let _ = std::fs::remove_dir_all(&prefix);
}
