//! The platform key store as a foreign trait: the Android Keystore or the iOS Keychain, behind
//! the core's `KeyStore`.

use std::sync::Arc;

use gocua_core::{KeyStore, KeyStoreError};

use crate::error::GocuaError;

/// Secure storage for named keys, implemented by each shell. A method that fails throws
/// `GocuaError.KeyStore` (with a message that holds no key material).
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    /// The key saved under `name`, or `None` if there is none.
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, GocuaError>;
    /// Saves `key` under `name`, replacing any previous one.
    fn save(&self, name: String, key: Vec<u8>) -> Result<(), GocuaError>;
    /// Deletes the key saved under `name`; deleting a missing key succeeds.
    fn delete(&self, name: String) -> Result<(), GocuaError>;
}

/// The shell's key store as the core's.
pub(crate) struct Keys(pub Arc<dyn PlatformKeyStore>);

fn failed(e: GocuaError) -> KeyStoreError {
    KeyStoreError(e.reason().to_owned())
}

impl KeyStore for Keys {
    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        self.0.load(name.to_owned()).map_err(failed)
    }

    fn save(&self, name: &str, key: &[u8]) -> Result<(), KeyStoreError> {
        self.0.save(name.to_owned(), key.to_vec()).map_err(failed)
    }

    fn delete(&self, name: &str) -> Result<(), KeyStoreError> {
        self.0.delete(name.to_owned()).map_err(failed)
    }
}
