//! The register's encryption key and where it lives.
//!
//! The database is encrypted with SQLCipher under a random 256-bit key. The key never exists
//! outside the platform's key store (Android Keystore, iOS Keychain) and the open connection:
//! the shells implement [`KeyStore`]; the field client uses a key file beside the register.

use std::collections::HashMap;
use std::sync::Mutex;

/// A platform key store failed (locked, unavailable, denied). The message is for logs and people
/// and must not contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kho khoá không dùng được / key store failed: {0}")]
pub struct KeyStoreError(pub String);

/// Secure storage for named keys, implemented by each platform.
pub trait KeyStore: Send + Sync {
    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError>;
    fn save(&self, name: &str, key: &[u8]) -> Result<(), KeyStoreError>;
    fn delete(&self, name: &str) -> Result<(), KeyStoreError>;
}

/// Name under which the register's key is kept.
pub const REGISTER_KEY: &str = "gocua.register";
/// Name of a key being rotated in, until the database is rekeyed with it.
pub const NEXT_REGISTER_KEY: &str = "gocua.register.next";

pub const KEY_LEN: usize = 32;

/// A fresh random key.
pub fn new_key() -> Result<Vec<u8>, KeyStoreError> {
    let mut key = vec![0u8; KEY_LEN];
    getrandom::fill(&mut key).map_err(|e| KeyStoreError(format!("no randomness: {e}")))?;
    Ok(key)
}

/// A key store in memory, for tests and for shells' test suites.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, Vec<u8>>>,
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        Ok(self
            .keys
            .lock()
            .map_err(|_| KeyStoreError("poisoned".into()))?
            .get(name)
            .cloned())
    }

    fn save(&self, name: &str, key: &[u8]) -> Result<(), KeyStoreError> {
        self.keys
            .lock()
            .map_err(|_| KeyStoreError("poisoned".into()))?
            .insert(name.to_owned(), key.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        self.keys
            .lock()
            .map_err(|_| KeyStoreError("poisoned".into()))?
            .remove(name);
        Ok(())
    }
}

/// A key store that keeps each key in a file of its own in a directory (mode 0600 on Unix): for
/// the field client on a desktop, where no platform key store exists.
pub struct FileKeyStore {
    dir: std::path::PathBuf,
}

impl FileKeyStore {
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.join(format!("{name}.key"))
    }
}

impl KeyStore for FileKeyStore {
    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        match std::fs::read_to_string(self.path(name)) {
            Ok(text) => hex::decode(text.trim())
                .map(Some)
                .map_err(|_| KeyStoreError("key file is damaged".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(KeyStoreError(e.kind().to_string())),
        }
    }

    fn save(&self, name: &str, key: &[u8]) -> Result<(), KeyStoreError> {
        use std::io::Write;
        let path = self.path(name);
        let tmp = path.with_extension("key.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let write = || -> std::io::Result<()> {
            let mut f = options.open(&tmp)?;
            f.write_all(hex::encode(key).as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            if let Some(dir) = path.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        };
        write().map_err(|e| KeyStoreError(e.kind().to_string()))
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        match std::fs::remove_file(self.path(name)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(KeyStoreError(e.kind().to_string())),
        }
    }
}
