//! The keys of sealed bundles: one 32-byte seed per party, from which HKDF-SHA256 derives an
//! Ed25519 signing key and an X25519 key for HPKE. A device keeps its seed in its (encrypted)
//! register; the hub derives its seed from its identity's secret, so a hub rebuilt from its
//! identity file opens the bundles sealed to the one it replaces.

use ed25519_dalek::{SigningKey, VerifyingKey};
use hkdf::Hkdf;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::error::BundleError;

pub(crate) type HpkeKem = X25519HkdfSha256;

/// A party's secret: the seed of both its keys.
#[derive(Clone)]
pub struct BundleSecret {
    seed: [u8; 32],
}

impl std::fmt::Debug for BundleSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BundleSecret(…)")
    }
}

/// A party's public keys, as exchanged at enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundlePublic {
    /// Ed25519: verifies what the party signed.
    pub sign: [u8; 32],
    /// X25519: what is sealed to the party.
    pub seal: [u8; 32],
}

impl BundleSecret {
    /// A new random secret (a device's, made once).
    pub fn generate() -> Result<Self, BundleError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|_| BundleError::Random)?;
        Ok(Self { seed })
    }

    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self { seed }
    }

    /// A secret derived from another one under a label (the hub's, from its identity key), so
    /// the two never share key material.
    pub fn derived_from(key: &[u8; 32], label: &str) -> Self {
        Self {
            seed: expand(key, label.as_bytes()),
        }
    }

    pub fn seed(&self) -> &[u8; 32] {
        &self.seed
    }

    pub(crate) fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&expand(&self.seed, b"gocua bundle ed25519 v1"))
    }

    pub(crate) fn hpke_keys(&self) -> (<HpkeKem as Kem>::PrivateKey, <HpkeKem as Kem>::PublicKey) {
        HpkeKem::derive_keypair(&expand(&self.seed, b"gocua bundle x25519 v1"))
    }

    pub fn public(&self) -> BundlePublic {
        let (_, seal) = self.hpke_keys();
        let mut seal_bytes = [0u8; 32];
        seal_bytes.copy_from_slice(&seal.to_bytes());
        BundlePublic {
            sign: self.signing_key().verifying_key().to_bytes(),
            seal: seal_bytes,
        }
    }
}

fn expand(ikm: &[u8; 32], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(None, ikm)
        .expand(info, &mut out)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    out
}

impl BundlePublic {
    /// 128 hex digits: the signing key, then the sealing key.
    pub fn to_hex(&self) -> String {
        format!("{}{}", hex::encode(self.sign), hex::encode(self.seal))
    }

    pub fn from_hex(text: &str) -> Result<Self, BundleError> {
        let bytes = hex::decode(text.trim()).map_err(|_| BundleError::BadKey)?;
        if bytes.len() != 64 {
            return Err(BundleError::BadKey);
        }
        let mut sign = [0u8; 32];
        let mut seal = [0u8; 32];
        sign.copy_from_slice(&bytes[..32]);
        seal.copy_from_slice(&bytes[32..]);
        let public = Self { sign, seal };
        // Both must be points the libraries accept, checked once here rather than at each use.
        public.verifying_key()?;
        public.hpke_public()?;
        Ok(public)
    }

    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey, BundleError> {
        VerifyingKey::from_bytes(&self.sign).map_err(|_| BundleError::BadKey)
    }

    pub(crate) fn hpke_public(&self) -> Result<<HpkeKem as Kem>::PublicKey, BundleError> {
        <HpkeKem as Kem>::PublicKey::from_bytes(&self.seal).map_err(|_| BundleError::BadKey)
    }
}
