//! The one source of identifiers, secrets and one-time codes.

use base64::Engine;
use rand::{Rng, RngCore};

/// Identifiers and random values.
pub trait Ids: Send + Sync {
    /// A new ULID: unique, sortable by creation time.
    fn id(&self) -> String;
    /// 32 random bytes, base64url: refresh tokens and other bearer secrets.
    fn secret(&self) -> String;
    /// A 6-digit one-time code.
    fn code(&self) -> String;
}

/// ULIDs and the operating system's randomness.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl Ids for RandomIds {
    fn id(&self) -> String {
        ulid::Ulid::new().to_string()
    }

    fn secret(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn code(&self) -> String {
        format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
    }
}
