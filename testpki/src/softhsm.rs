//! A throw-away SoftHSM2 token store for the tests, the benchmarks and the demo: its own token
//! folder and configuration file (so nothing touches the machine's tokens), tokens made with
//! `softhsm2-util`, keys and certificates written with OpenSC's `pkcs11-tool`.
//!
//! The module reads `SOFTHSM2_CONF` when it is first loaded: a process that loads it itself
//! must call [`SoftHsm::set_env`] before that; child processes get [`SoftHsm::command`].

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian, Ubuntu and source builds put the SoftHSM2 module.
pub const MODULE_PATHS: &[&str] = &[
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
];

/// The installed SoftHSM2 module, if any.
pub fn module() -> Option<PathBuf> {
    MODULE_PATHS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// A token folder and its configuration.
#[derive(Debug, Clone)]
pub struct SoftHsm {
    /// The folder holding `tokens/`, `softhsm2.conf` and the files written for pkcs11-tool.
    pub dir: PathBuf,
    /// The configuration file (the value of `SOFTHSM2_CONF`).
    pub conf: PathBuf,
    /// The module.
    pub module: PathBuf,
}

impl SoftHsm {
    /// Make `dir/tokens` and `dir/softhsm2.conf` for `module`.
    pub fn create(dir: &Path, module: &Path) -> Result<SoftHsm, String> {
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).map_err(|e| format!("{}: {e}", tokens.display()))?;
        let conf = dir.join("softhsm2.conf");
        let text = format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        );
        std::fs::write(&conf, text).map_err(|e| format!("{}: {e}", conf.display()))?;
        Ok(SoftHsm {
            dir: dir.to_path_buf(),
            conf,
            module: module.to_path_buf(),
        })
    }

    /// Point this process's SoftHSM2 at the folder (before the module is first loaded).
    pub fn set_env(&self) {
        std::env::set_var("SOFTHSM2_CONF", &self.conf);
    }

    /// `program` with `SOFTHSM2_CONF` set to this folder's configuration.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env("SOFTHSM2_CONF", &self.conf);
        c
    }

    /// Initialise a token in a free slot.
    pub fn init_token(&self, label: &str, pin: &str, so_pin: &str) -> Result<(), String> {
        run(self.command("softhsm2-util").args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            pin,
            "--so-pin",
            so_pin,
        ]))
    }

    /// Write a private key (PKCS#8 DER) and its certificate (DER) to `token` under CKA_ID
    /// `id` (hex) and, when given, CKA_LABEL `label`.
    pub fn add_key_pair(
        &self,
        token: &str,
        pin: &str,
        id: &str,
        label: Option<&str>,
        pkcs8: &[u8],
        cert: &[u8],
    ) -> Result<(), String> {
        for (kind, bytes) in [("privkey", pkcs8), ("cert", cert)] {
            let file = self.dir.join(format!("{token}-{id}.{kind}.der"));
            std::fs::write(&file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
            let mut c = self.command("pkcs11-tool");
            c.arg("--module").arg(&self.module).args([
                "--token-label",
                token,
                "--login",
                "--pin",
                pin,
                "--type",
                kind,
                "--id",
                id,
            ]);
            if let Some(l) = label {
                c.args(["--label", l]);
            }
            run(c.arg("--write-object").arg(&file))?;
        }
        Ok(())
    }

    /// Delete the token `label` (as pulling a USB token out does to open sessions).
    pub fn delete_token(&self, label: &str) -> Result<(), String> {
        run(self.command("softhsm2-util").args(["--delete-token", "--token", label]))
    }
}

/// Run a command to success, or say why not (a missing program included).
fn run(c: &mut Command) -> Result<(), String> {
    let out = c
        .output()
        .map_err(|e| format!("{c:?}: {e} (softhsm2 and opensc are required)"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{c:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
