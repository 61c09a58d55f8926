//! A temporary folder for the files a test hands to a peer program, removed on drop: shared
//! by the test files that include it.

use std::path::PathBuf;

/// A temporary folder removed on drop.
pub struct Dir(pub PathBuf);

impl Dir {
    /// A fresh folder named by `tag` and the process.
    pub fn new(tag: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("kyso-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    /// Write `data` to `name` in it.
    pub fn put(&self, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, data).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
