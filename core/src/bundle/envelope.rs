//! The sealed file: who it is from and for, encrypted content, the sender's signature.
//!
//! ```text
//! "GOCUA-B\n" | version: u16 LE | n: u32 LE | envelope: n bytes (postcard) | Ed25519 signature: 64 bytes
//! envelope = { header, encapped key (32 bytes), ciphertext }
//! ```
//!
//! The content is sealed with HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! ChaCha20-Poly1305) to the recipient's key, with the header as associated data; the signature
//! covers everything before it. A carrier reads the header only: the commune, the sending and
//! the receiving party, the bundle's id and dates. The content is padded (Padmé) before sealing.

use ed25519_dalek::{Signature, Signer};
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};
use rand_core::{OsRng, UnwrapErr};
use serde::{Deserialize, Serialize};

use super::error::BundleError;
use super::keys::{BundlePublic, BundleSecret, HpkeKem};
use super::padding::{pad, unpad};

pub const MAGIC: &[u8; 8] = b"GOCUA-B\n";
pub const FORMAT_VERSION: u16 = 1;
/// A sealed bundle larger than this is refused before it is read (a whole area's first answer
/// is a few MB).
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;
const HPKE_INFO: &[u8] = b"gocua sealed bundle v1";
const SIGNATURE_LEN: usize = 64;
const PREFIX_LEN: usize = 8 + 2 + 4;

/// Which way a bundle goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BundleKind {
    /// A device's work, to the hub.
    ToHub,
    /// The hub's answer, to one device.
    ToDevice,
    /// One household handed from a phone to another of its area, without coverage.
    Handover,
}

/// What a carrier can read of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub kind: BundleKind,
    pub commune_code: String,
    /// The sending device's id, or the hub's id.
    pub from: String,
    /// The hub's id, or the receiving device's id.
    pub to: String,
    pub id: [u8; 16],
    /// Unix seconds, by the sender's clock.
    pub created_at: i64,
    pub expires_at: i64,
}

impl BundleHeader {
    pub fn id_hex(&self) -> String {
        hex::encode(self.id)
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    header: BundleHeader,
    encapped: Vec<u8>,
    ciphertext: Vec<u8>,
}

/// Seals `content` from `sender` to `recipient`.
pub fn seal(
    header: BundleHeader,
    content: &[u8],
    sender: &BundleSecret,
    recipient: &BundlePublic,
) -> Result<Vec<u8>, BundleError> {
    let aad = postcard::to_allocvec(&header).map_err(|e| BundleError::Content(e.to_string()))?;
    let (encapped, ciphertext) =
        hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, HpkeKem, _>(
            &OpModeS::Base,
            &recipient.hpke_public()?,
            HPKE_INFO,
            &pad(content),
            &aad,
            &mut UnwrapErr(OsRng),
        )
        .map_err(|_| BundleError::BadKey)?;
    let envelope = Envelope {
        header,
        encapped: encapped.to_bytes().to_vec(),
        ciphertext,
    };
    let body = postcard::to_allocvec(&envelope).map_err(|e| BundleError::Content(e.to_string()))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + body.len() + SIGNATURE_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    let signature = sender.signing_key().sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// The parts of a sealed file, checked for shape only.
struct Parsed<'a> {
    signed: &'a [u8],
    signature: Signature,
    envelope: Envelope,
}

fn parse(bytes: &[u8]) -> Result<Parsed<'_>, BundleError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::Content("larger than 64 MiB".into()));
    }
    if bytes.len() < PREFIX_LEN {
        return Err(BundleError::Truncated);
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != FORMAT_VERSION {
        return Err(BundleError::Version(version));
    }
    let n = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    let end = PREFIX_LEN.checked_add(n).ok_or(BundleError::NotABundle)?;
    if bytes.len() < end + SIGNATURE_LEN {
        return Err(BundleError::Truncated);
    }
    if bytes.len() > end + SIGNATURE_LEN {
        return Err(BundleError::Tampered);
    }
    let envelope: Envelope =
        postcard::from_bytes(&bytes[PREFIX_LEN..end]).map_err(|_| BundleError::Tampered)?;
    let signature_bytes: [u8; SIGNATURE_LEN] = bytes[end..]
        .try_into()
        .map_err(|_| BundleError::Truncated)?;
    Ok(Parsed {
        signed: &bytes[..end],
        signature: Signature::from_bytes(&signature_bytes),
        envelope,
    })
}

/// The header of a sealed file, without opening it (a carrier routing it). Not yet proven
/// authentic: whoever opens the bundle checks the signature.
pub fn read_header(bytes: &[u8]) -> Result<BundleHeader, BundleError> {
    Ok(parse(bytes)?.envelope.header)
}

/// Checks the signature of `sender`, the expiry against `now` (Unix seconds), and opens the
/// content with `recipient`'s key.
pub fn open(
    bytes: &[u8],
    sender: &BundlePublic,
    recipient: &BundleSecret,
    now: i64,
) -> Result<(BundleHeader, Vec<u8>), BundleError> {
    let parsed = parse(bytes)?;
    sender
        .verifying_key()?
        .verify_strict(parsed.signed, &parsed.signature)
        .map_err(|_| BundleError::Tampered)?;
    let Envelope {
        header,
        encapped,
        ciphertext,
    } = parsed.envelope;
    if now > header.expires_at {
        return Err(BundleError::Expired);
    }
    let aad = postcard::to_allocvec(&header).map_err(|e| BundleError::Content(e.to_string()))?;
    let encapped =
        <HpkeKem as Kem>::EncappedKey::from_bytes(&encapped).map_err(|_| BundleError::Tampered)?;
    let (secret, _) = recipient.hpke_keys();
    // Signed by the expected sender, yet not sealed to this key: it was meant for another party.
    let padded = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, HpkeKem>(
        &OpModeR::Base,
        &secret,
        &encapped,
        HPKE_INFO,
        &ciphertext,
        &aad,
    )
    .map_err(|_| BundleError::NotForUs)?;
    let content = unpad(&padded).ok_or(BundleError::Tampered)?.to_vec();
    Ok((header, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> BundleHeader {
        BundleHeader {
            kind: BundleKind::ToHub,
            commune_code: "00001".into(),
            from: "dev-a".into(),
            to: "hub-1".into(),
            id: [3; 16],
            created_at: 1_000,
            expires_at: 2_000,
        }
    }

    #[test]
    fn what_is_sealed_opens_only_with_the_right_keys_and_in_time() {
        let device = BundleSecret::generate().unwrap();
        let hub = BundleSecret::derived_from(&[9; 32], "hub");
        let other = BundleSecret::generate().unwrap();
        let sealed = seal(header(), b"the week's work", &device, &hub.public()).unwrap();
        let (h, content) = open(&sealed, &device.public(), &hub, 1_500).unwrap();
        assert_eq!(h, header());
        assert_eq!(content, b"the week's work");
        assert_eq!(read_header(&sealed).unwrap(), header());
        // The carrier sees no content.
        assert!(!sealed.windows(4).any(|w| w == b"week"));

        assert_eq!(
            open(&sealed, &device.public(), &hub, 2_001),
            Err(BundleError::Expired)
        );
        // Signed by someone else than the expected sender.
        assert_eq!(
            open(&sealed, &other.public(), &hub, 1_500),
            Err(BundleError::Tampered)
        );
        // Sealed to another party.
        assert_eq!(
            open(&sealed, &device.public(), &other, 1_500),
            Err(BundleError::NotForUs)
        );
        // Any byte changed, anywhere.
        for i in [
            0,
            9,
            12,
            20,
            sealed.len() / 2,
            sealed.len() - 70,
            sealed.len() - 1,
        ] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            let err = open(&bad, &device.public(), &hub, 1_500).unwrap_err();
            assert!(
                matches!(
                    err,
                    BundleError::Tampered
                        | BundleError::NotABundle
                        | BundleError::Version(_)
                        | BundleError::Truncated
                ),
                "{i}: {err:?}"
            );
        }
        for cut in [0, 5, 14, 40, sealed.len() - 1] {
            let err = open(&sealed[..cut], &device.public(), &hub, 1_500).unwrap_err();
            assert!(
                matches!(
                    err,
                    BundleError::Truncated | BundleError::NotABundle | BundleError::Tampered
                ),
                "{cut}: {err:?}"
            );
        }
    }

    #[test]
    fn keys_travel_as_hex_and_bad_keys_are_refused() {
        let secret = BundleSecret::generate().unwrap();
        let public = secret.public();
        assert_eq!(BundlePublic::from_hex(&public.to_hex()).unwrap(), public);
        assert_eq!(BundlePublic::from_hex("zz"), Err(BundleError::BadKey));
        assert_eq!(
            BundlePublic::from_hex(&"00".repeat(63)),
            Err(BundleError::BadKey)
        );
        // The hub's secret is the same after a rebuild from its identity key.
        assert_eq!(
            BundleSecret::derived_from(&[1; 32], "hub").public(),
            BundleSecret::derived_from(&[1; 32], "hub").public()
        );
    }
}
