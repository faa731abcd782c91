//! Privacy at rest: what people write is sealed with a key of their own,
//! and their keys are wrapped by master keys that never enter the
//! database. Knows nothing of storage or Discord: the store seals and opens
//! with it, the key store keeps the wrapped keys (`store::keyring`).
//!
//! The cipher is XChaCha20-Poly1305 from RustCrypto's `chacha20poly1305`
//! (audited by NCC Group): its 192-bit nonces may be drawn at random for
//! every text without counting, which `ring`'s 96-bit ChaCha20-Poly1305
//! would not allow safely across processes sharing a key.

pub mod master;
pub mod person;
pub mod seal;

pub use master::{MasterError, MasterKey, MasterKeys, Sources};
pub use person::PersonKey;
pub use seal::{Place, Unreadable};

use chacha20poly1305::aead::KeyInit;
use chacha20poly1305::XChaCha20Poly1305;
use rand::RngCore as _;
use serde::Deserialize;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// 32 bytes from the operating system's generator, made in place so no
/// copy is left behind unzeroed.
fn random_key() -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(key.as_mut_slice());
    key
}

/// The cipher of a key, which copies it into its own state (zeroed when
/// the cipher is dropped).
fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new_from_slice(key).expect("a key of 32 bytes")
}

/// Where the keys are: `[privacy]` in the config file. The master key may
/// also come from `STEADY_MASTER_KEY`, read only when the store opens, so
/// it is never part of the settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The key store's file, for a SQLite database; by default beside it,
    /// named after it (`steady.db`: `steady-keys.db`).
    pub keyring: Option<PathBuf>,
    /// A file holding the master key (mode 0600); by default, for a SQLite
    /// database, `steady-master.key` beside it, made on the first start.
    pub master_key_file: Option<PathBuf>,
}
