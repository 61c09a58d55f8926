//! Writes `kyso.pc` next to libkyso (target/<profile>/), pointing at this checkout's header, so
//! `PKG_CONFIG_PATH=target/release pkg-config --cflags --libs kyso` works in place (the
//! installed one is written by scripts/install-c.sh); gives the shared library its soname.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The shared library's soname (libkyso.so.0), as installed by scripts/install-c.sh: programs
    // linked against it keep working across compatible releases.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libkyso.so.0");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    // OUT_DIR is target/<profile>/build/kyso-ffi-<hash>/out.
    let Some(profile_dir) = out.ancestors().nth(3) else {
        return;
    };
    let include = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("include");
    let pc = format!(
        "libdir={}\nincludedir={}\n\nName: kyso\nDescription: Digital signatures across Vietnam's VGCA and NEAC PKIs (C API)\nVersion: {}\nCflags: -I${{includedir}}\nLibs: -L${{libdir}} -lkyso\nLibs.private: -lpthread -ldl -lm\n",
        profile_dir.display(),
        include.display(),
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default()
    );
    let _ = std::fs::write(profile_dir.join("kyso.pc"), pc);
    // Programs linked against target/<profile>/libkyso.so ask the loader for its soname.
    #[cfg(unix)]
    {
        let link = profile_dir.join("libkyso.so.0");
        if std::fs::symlink_metadata(&link).is_err() {
            let _ = std::os::unix::fs::symlink("libkyso.so", link);
        }
    }
}
