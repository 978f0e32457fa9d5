//! Helpers shared by Coffer's tests. Only ever a dev-dependency: nothing here is for production code.

use std::path::{Path, PathBuf};

/// A fresh, empty directory under the system temporary directory (`coffer-<tag>-<16 random hex digits>`), removed
/// with everything in it when dropped. It dereferences to its [`Path`].
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates the directory.
    ///
    /// # Panics
    /// If the OS random number generator fails or the directory cannot be created (a test cannot go on then).
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn new(tag: &str) -> Self {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).expect("the OS random number generator");
        let dir = std::env::temp_dir().join(format!("coffer-{tag}-{}", hex::encode(random)));
        std::fs::create_dir_all(&dir).expect("create the temporary directory");
        Self(dir)
    }

    /// The directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to the file `name` in the directory and returns its path as a string (for command lines).
    ///
    /// # Panics
    /// If the file cannot be written or its path is not UTF-8.
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write the test file");
        path.to_str().expect("a UTF-8 temporary path").to_owned()
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_empty_distinct_and_removed_on_drop() {
        let a = TempDir::new("util");
        let b = TempDir::new("util");
        assert_ne!(a.path(), b.path());
        assert_eq!(std::fs::read_dir(&a).map(Iterator::count).ok(), Some(0));
        let f = a.file("x", b"hi");
        assert_eq!(std::fs::read(&f).ok().as_deref(), Some(&b"hi"[..]));
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
    }
}
