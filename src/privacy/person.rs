//! A person's own key: made when they first store text, kept only wrapped
//! (sealed under a master key) in the key store, destroyed when they delete
//! their data. Its version is random, so a key made after a delete never
//! claims a text sealed under the one before.

use super::master::MasterKey;
use chacha20poly1305::aead::{Aead, Generate, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

const NONCE: usize = 24;

/// 32 bytes and a version; zeroed when dropped, never shown.
pub struct PersonKey {
    key: Zeroizing<[u8; 32]>,
    version: u32,
}

/// A wrapped person key did not open under the master key that it names:
/// changed, moved to another person, or that master key is not this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a person key does not open under its master key")]
pub struct WrongMaster;

impl PersonKey {
    /// A new random key.
    pub fn new() -> PersonKey {
        PersonKey {
            key: super::random_key(),
            version: rand::random(),
        }
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub(super) fn cipher(&self) -> XChaCha20Poly1305 {
        super::cipher(&self.key)
    }

    /// The key sealed under `master`, bound to `user` and its version:
    /// `[nonce (24), ciphertext and tag]`.
    pub fn wrap(&self, master: &MasterKey, user: i64) -> Vec<u8> {
        let nonce = XNonce::generate();
        let aad = associated(user, self.version);
        let wrapped = master
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: self.key.as_slice(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 seals 32 bytes");
        let mut out = Vec::with_capacity(NONCE + wrapped.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&wrapped);
        out
    }

    /// The key [`PersonKey::wrap`] sealed for `user` at `version`.
    pub fn unwrap(
        master: &MasterKey,
        user: i64,
        version: u32,
        wrapped: &[u8],
    ) -> Result<PersonKey, WrongMaster> {
        if wrapped.len() < NONCE {
            return Err(WrongMaster);
        }
        let nonce = XNonce::try_from(&wrapped[..NONCE]).map_err(|_| WrongMaster)?;
        let aad = associated(user, version);
        let key = Zeroizing::new(
            master
                .cipher()
                .decrypt(
                    &nonce,
                    Payload {
                        msg: &wrapped[NONCE..],
                        aad: &aad,
                    },
                )
                .map_err(|_| WrongMaster)?,
        );
        if key.len() != 32 {
            return Err(WrongMaster);
        }
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&key);
        Ok(PersonKey { key: out, version })
    }
}

impl Default for PersonKey {
    fn default() -> Self {
        PersonKey::new()
    }
}

/// The version alone: it is no secret, and names the key in a sealed text.
impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonKey")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

fn associated(user: i64, version: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32);
    aad.extend_from_slice(b"steady person key\0");
    aad.extend_from_slice(&user.to_be_bytes());
    aad.extend_from_slice(&version.to_be_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_for_its_person_under_its_master_only() {
        let (master, other) = (MasterKey::new(), MasterKey::new());
        let key = PersonKey::new();
        let wrapped = key.wrap(&master, 7);
        let opened = PersonKey::unwrap(&master, 7, key.version(), &wrapped).unwrap();
        assert_eq!(*opened.key, *key.key);
        assert!(PersonKey::unwrap(&other, 7, key.version(), &wrapped).is_err());
        assert!(PersonKey::unwrap(&master, 8, key.version(), &wrapped).is_err());
        let version = key.version().wrapping_add(1);
        assert!(PersonKey::unwrap(&master, 7, version, &wrapped).is_err());
    }

    #[test]
    fn debug_shows_no_key() {
        let key = PersonKey::new();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&format!("{:?}", *key.key)), "{shown}");
    }
}
