//! `openssl ocsp` as a real OCSP responder on 127.0.0.1, for the test files that include it
//! (tests/fetch.rs, tests/tls.rs).
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kyso_testpki::TestKey;

/// A port nobody listens on (just closed).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let p = l.local_addr().unwrap().port();
    drop(l);
    p
}

/// `openssl ocsp` as a real responder on 127.0.0.1, killed on drop.
pub struct Responder {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    _dir: PathBuf,
}

impl Responder {
    /// A responder for `ca`, signing as `signer` (the CA itself or a delegated responder).
    pub fn start(ca: &[u8], signer: &[u8], signer_key: &TestKey, index: &str) -> Responder {
        let dir = std::env::temp_dir().join(format!("kyso-ocspd-{}-{}", std::process::id(), closed_port()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), kyso_testpki::pem("CERTIFICATE", ca)).unwrap();
        std::fs::write(dir.join("rs.pem"), kyso_testpki::pem("CERTIFICATE", signer)).unwrap();
        std::fs::write(dir.join("rs.key"), kyso_testpki::pem("PRIVATE KEY", signer_key.pkcs8())).unwrap();
        std::fs::write(dir.join("index.txt"), index).unwrap();
        let port = closed_port();
        let log = dir.join("ocsp.log");
        let mut child = Command::new("openssl")
            .current_dir(&dir)
            .args([
                "ocsp",
                "-index",
                "index.txt",
                "-CA",
                "ca.pem",
                "-rsigner",
                "rs.pem",
                "-rkey",
                "rs.key",
                "-ndays",
                "1",
            ])
            // OpenSSL 3.0 takes a bare port (it listens on every interface); the test talks
            // to it on 127.0.0.1 only.
            .arg("-port")
            .arg(port.to_string())
            .args(["-nrequest", "20", "-ignore_err"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the openssl program is required");
        // Wait for its "waiting for OCSP client connections" line: at most 200 × 50 ms. (A
        // probe connection would be taken as a request by the single-threaded responder.)
        for _ in 0..200 {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("waiting for OCSP client connections") {
                return Responder { child, port, _dir: dir };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.kill().ok();
        child.wait().ok();
        panic!(
            "openssl ocsp did not start listening: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// What it wrote to stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.join("ocsp.log")).unwrap_or_default()
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self._dir).ok();
    }
}
