//! A person's text sealed under their own key: XChaCha20-Poly1305, its
//! random 192-bit nonce stored beside the ciphertext, and the text's place
//! (person, table, column, row, key version) bound in as associated data,
//! so a ciphertext copied to another row, column or person does not open.
//!
//! A sealed text is `[FORMAT, key version (4 bytes, big-endian), nonce (24),
//! ciphertext and tag]`.

use super::person::PersonKey;
use chacha20poly1305::aead::{Aead, Generate, Payload};
use chacha20poly1305::XNonce;

/// The layout above; a later one gets a new number.
const FORMAT: u8 = 1;
const NONCE: usize = 24;
const HEADER: usize = 1 + 4 + NONCE;

/// Which table and column a text lives in, named in its associated data
/// with its row's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub table: &'static str,
    pub column: &'static str,
}

/// Why a sealed text does not open. None of them says anything of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// Its key was destroyed (the person deleted their data), or replaced
    /// by a new one since: nothing can read it anymore.
    #[error("its key is gone")]
    KeyGone,
    /// It was changed, or moved from another row or person.
    #[error("it does not match its key and place: changed or moved")]
    Tampered,
    /// Not a sealed text of any format this build knows.
    #[error("it is not a sealed text")]
    Malformed,
}

impl Unreadable {
    /// Its word in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Unreadable::KeyGone => "key_gone",
            Unreadable::Tampered => "tampered",
            Unreadable::Malformed => "malformed",
        }
    }
}

/// Seal `text`, `user`'s, kept at `place` in row `row`.
pub fn seal(key: &PersonKey, user: i64, place: Place, row: i64, text: &str) -> Vec<u8> {
    let nonce = XNonce::generate();
    let aad = associated(user, place, row, key.version());
    let sealed = key
        .cipher()
        .encrypt(
            &nonce,
            Payload {
                msg: text.as_bytes(),
                aad: &aad,
            },
        )
        .expect("XChaCha20-Poly1305 seals any text shorter than 256 GiB");
    let mut out = Vec::with_capacity(HEADER + sealed.len());
    out.push(FORMAT);
    out.extend_from_slice(&key.version().to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// The key version a sealed text names, if it is one.
pub fn version_of(sealed: &[u8]) -> Result<u32, Unreadable> {
    if sealed.len() < HEADER || sealed[0] != FORMAT {
        return Err(Unreadable::Malformed);
    }
    let version: [u8; 4] = sealed[1..5].try_into().map_err(|_| Unreadable::Malformed)?;
    Ok(u32::from_be_bytes(version))
}

/// Open a text sealed by [`seal`] with the person's current key, or None
/// when they have no key anymore.
pub fn open(
    key: Option<&PersonKey>,
    user: i64,
    place: Place,
    row: i64,
    sealed: &[u8],
) -> Result<String, Unreadable> {
    let version = version_of(sealed)?;
    let key = key
        .filter(|key| key.version() == version)
        .ok_or(Unreadable::KeyGone)?;
    let nonce = XNonce::try_from(&sealed[5..HEADER]).map_err(|_| Unreadable::Malformed)?;
    let aad = associated(user, place, row, version);
    let text = key
        .cipher()
        .decrypt(
            &nonce,
            Payload {
                msg: &sealed[HEADER..],
                aad: &aad,
            },
        )
        .map_err(|_| Unreadable::Tampered)?;
    // Sealed from a `&str`, and authenticated: never anything else.
    String::from_utf8(text).map_err(|_| Unreadable::Malformed)
}

/// The associated data: what a ciphertext is bound to. Table and column
/// end in a zero byte, which no name holds, so no two places run together.
fn associated(user: i64, place: Place, row: i64, version: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(64);
    aad.extend_from_slice(b"steady text\0");
    aad.push(FORMAT);
    aad.extend_from_slice(&user.to_be_bytes());
    aad.extend_from_slice(place.table.as_bytes());
    aad.push(0);
    aad.extend_from_slice(place.column.as_bytes());
    aad.push(0);
    aad.extend_from_slice(&row.to_be_bytes());
    aad.extend_from_slice(&version.to_be_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANCHOR: Place = Place {
        table: "anchors",
        column: "sealed",
    };

    #[test]
    fn a_sealed_text_opens_for_its_person_and_place_only() {
        let key = PersonKey::new();
        let sealed = seal(&key, 7, ANCHOR, 3, "I am worthy of love");
        let opened = open(Some(&key), 7, ANCHOR, 3, &sealed);
        assert_eq!(opened.unwrap(), "I am worthy of love");
        let tampered = Err(Unreadable::Tampered);
        assert_eq!(
            open(Some(&key), 8, ANCHOR, 3, &sealed),
            tampered,
            "another person"
        );
        assert_eq!(
            open(Some(&key), 7, ANCHOR, 4, &sealed),
            tampered,
            "another row"
        );
        let elsewhere = Place {
            table: "journal",
            column: "sealed",
        };
        assert_eq!(
            open(Some(&key), 7, elsewhere, 3, &sealed),
            tampered,
            "another table"
        );
    }

    #[test]
    fn every_flipped_byte_is_refused() {
        let key = PersonKey::new();
        let sealed = seal(&key, 7, ANCHOR, 3, "calm");
        for at in 0..sealed.len() {
            let mut changed = sealed.clone();
            changed[at] ^= 0x01;
            assert!(
                open(Some(&key), 7, ANCHOR, 3, &changed).is_err(),
                "byte {at}"
            );
        }
    }

    #[test]
    fn another_key_or_none_reads_as_gone() {
        let sealed = seal(&PersonKey::new(), 7, ANCHOR, 3, "calm");
        assert_eq!(open(None, 7, ANCHOR, 3, &sealed), Err(Unreadable::KeyGone));
        let other = PersonKey::new();
        let expected = if other.version() == version_of(&sealed).unwrap() {
            Unreadable::Tampered
        } else {
            Unreadable::KeyGone
        };
        assert_eq!(open(Some(&other), 7, ANCHOR, 3, &sealed), Err(expected));
    }

    #[test]
    fn the_same_text_seals_differently_each_time() {
        let key = PersonKey::new();
        assert_ne!(
            seal(&key, 7, ANCHOR, 3, "calm"),
            seal(&key, 7, ANCHOR, 3, "calm")
        );
    }

    #[test]
    fn short_or_unknown_bytes_are_malformed() {
        let key = PersonKey::new();
        assert_eq!(
            open(Some(&key), 7, ANCHOR, 3, b"calm"),
            Err(Unreadable::Malformed)
        );
        let mut sealed = seal(&key, 7, ANCHOR, 3, "calm");
        sealed[0] = 2;
        assert_eq!(
            open(Some(&key), 7, ANCHOR, 3, &sealed),
            Err(Unreadable::Malformed)
        );
    }
}
