//! Master keys: they wrap every person key and never enter the database.
//! They come from `STEADY_MASTER_KEY` or a key file (`privacy.master_key_file`,
//! mode 0600, as systemd's `LoadCredential=` leaves one), or, on a first
//! start with neither beside a SQLite database, from a key file steady makes
//! there. Each is 32 bytes in standard base64; several, one a line (or
//! separated by commas in the variable), during a rotation: the first wraps
//! new keys, the others still open what they wrapped.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, Generate, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use zeroize::Zeroizing;

/// The variable a master key may come from.
pub const VARIABLE: &str = "STEADY_MASTER_KEY";

const NONCE: usize = 24;
/// What a master key's check seals: opening it proves the key is the one.
const CHECK: &[u8] = b"steady master key check";

/// 32 bytes; zeroed when dropped, never shown.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl MasterKey {
    pub fn new() -> MasterKey {
        MasterKey(super::random_key())
    }

    /// A key in standard base64, as a key file or the variable holds it.
    pub fn from_base64(text: &str) -> Result<MasterKey, BadKey> {
        let bytes = Zeroizing::new(BASE64.decode(text.trim()).map_err(|_| BadKey::NotBase64)?);
        if bytes.len() != 32 {
            return Err(BadKey::Length(bytes.len()));
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&bytes);
        Ok(MasterKey(key))
    }

    /// The key in standard base64, for a key file.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE64.encode(self.0.as_slice()))
    }

    pub(super) fn cipher(&self) -> XChaCha20Poly1305 {
        super::cipher(&self.0)
    }

    /// A value only this key opens, kept in the key store to tell which
    /// master key wrapped which person keys, and whether a key is the one.
    pub fn check(&self) -> Vec<u8> {
        let nonce = XNonce::generate();
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: b"",
                    aad: CHECK,
                },
            )
            .expect("XChaCha20-Poly1305 seals nothing");
        [nonce.as_slice(), &sealed].concat()
    }

    /// Whether `check` was made by this key.
    pub fn opens(&self, check: &[u8]) -> bool {
        check.len() >= NONCE
            && XNonce::try_from(&check[..NONCE]).is_ok_and(|nonce| {
                let payload = Payload {
                    msg: &check[NONCE..],
                    aad: CHECK,
                };
                self.cipher().decrypt(&nonce, payload).is_ok()
            })
    }
}

impl Default for MasterKey {
    fn default() -> Self {
        MasterKey::new()
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

/// What is wrong with one written key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadKey {
    #[error("it is not base64")]
    NotBase64,
    #[error("it is {0} bytes long, and a master key is 32")]
    Length(usize),
}

/// The master keys of one process: the first wraps new person keys.
#[derive(Debug)]
pub struct MasterKeys {
    keys: Vec<MasterKey>,
    /// Where they came from, for messages.
    from: String,
}

/// Where the master keys are to come from: the variable's value, if set,
/// then a configured file, then the file steady makes beside a SQLite
/// database (None on PostgreSQL or in memory, where nothing is made).
#[derive(Clone, Default)]
pub struct Sources {
    pub variable: Option<String>,
    pub file: Option<PathBuf>,
    pub beside: Option<PathBuf>,
}

/// The variable's value is a key: shown only as whether it is set.
impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("variable", &self.variable.as_ref().map(|_| ".."))
            .field("file", &self.file)
            .field("beside", &self.beside)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error(
        "no master key: set {VARIABLE} (32 bytes in base64; `steady keys generate` makes one) \
         or privacy.master_key_file. On PostgreSQL steady makes none itself, so that every \
         process shares the same one"
    )]
    Missing,
    #[error("cannot read the master key file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the master key file {} can be read by others (mode {mode:o}): make it the \
         owner's alone, `chmod 600 {}`",
        path.display(),
        path.display()
    )]
    Exposed { path: PathBuf, mode: u32 },
    #[error(
        "master key {number} in {from} is not usable: {problem}. A master key is 32 random \
         bytes in base64, as `steady keys generate` prints one"
    )]
    Bad {
        from: String,
        number: usize,
        problem: BadKey,
    },
    #[error("{from} holds no master key")]
    Empty { from: String },
    #[error("cannot make the master key file {}: {source}", path.display())]
    Make {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl MasterKeys {
    /// Keys from the first of `sources` that is set; on a first start with
    /// none, a new key file at `beside`, said loudly.
    pub fn load(sources: &Sources) -> Result<MasterKeys, MasterError> {
        if let Some(keys) = MasterKeys::existing(sources)? {
            return Ok(keys);
        }
        let Some(path) = &sources.beside else {
            return Err(MasterError::Missing);
        };
        let key = MasterKey::new();
        if !make(path, &key)? {
            // Another process starting on the same new database made it
            // first: its key is the one.
            return MasterKeys::read(path);
        }
        tracing::warn!(
            path = %path.display(),
            "made a new master key file beside the database. It unlocks every person's words \
             in this database: back it up now, somewhere apart from the database's own \
             backups, and keep it private. Without it nothing people wrote can be read again \
             (docs/OPERATING.md, \"Keys\")"
        );
        Ok(MasterKeys {
            keys: vec![key],
            from: path.display().to_string(),
        })
    }

    /// As [`MasterKeys::load`], making nothing: None where `load` would
    /// make the key file beside the database (`steady check` looks only).
    pub fn existing(sources: &Sources) -> Result<Option<MasterKeys>, MasterError> {
        if let Some(value) = &sources.variable {
            return MasterKeys::parse(value, VARIABLE.to_owned()).map(Some);
        }
        let path = match (&sources.file, &sources.beside) {
            (Some(path), _) => path,
            (None, Some(path)) if path.exists() => path,
            (None, Some(_)) => return Ok(None),
            (None, None) => return Err(MasterError::Missing),
        };
        MasterKeys::read(path).map(Some)
    }

    /// One key, as tests and tools hold it.
    pub fn one(key: MasterKey) -> MasterKeys {
        MasterKeys {
            keys: vec![key],
            from: "a key given".to_owned(),
        }
    }

    fn read(path: &Path) -> Result<MasterKeys, MasterError> {
        let read = |source| MasterError::Read {
            path: path.to_owned(),
            source,
        };
        exposed(path)?;
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(read)?);
        MasterKeys::parse(&text, path.display().to_string())
    }

    /// Keys separated by lines, commas or spaces, first the current one.
    fn parse(text: &str, from: String) -> Result<MasterKeys, MasterError> {
        let keys = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|word| !word.is_empty())
            .enumerate()
            .map(|(at, word)| {
                MasterKey::from_base64(word).map_err(|problem| MasterError::Bad {
                    from: from.clone(),
                    number: at + 1,
                    problem,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(MasterError::Empty { from });
        }
        Ok(MasterKeys { keys, from })
    }

    /// The key that wraps new person keys.
    pub fn current(&self) -> &MasterKey {
        &self.keys[0]
    }

    pub fn all(&self) -> &[MasterKey] {
        &self.keys
    }

    /// Where they came from: the variable's name or the file's path.
    pub fn from(&self) -> &str {
        &self.from
    }
}

/// Refuse a key file others may read; the check steady's own files pass.
#[cfg(unix)]
fn exposed(path: &Path) -> Result<(), MasterError> {
    use std::os::unix::fs::PermissionsExt as _;
    let metadata = std::fs::metadata(path).map_err(|source| MasterError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(MasterError::Exposed {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn exposed(_path: &Path) -> Result<(), MasterError> {
    Ok(())
}

/// Write `key` to a new file at `path` only its owner can read; false,
/// leaving it be, when another process made one first. Written whole under
/// a name of its own, then linked into place: a process starting at the
/// same moment finds no file or a whole one, and one key wins.
fn make(path: &Path, key: &MasterKey) -> Result<bool, MasterError> {
    static DRAFTS: AtomicU64 = AtomicU64::new(0);
    let draft = path.with_extension(format!(
        "new-{}-{}",
        std::process::id(),
        DRAFTS.fetch_add(1, Ordering::Relaxed)
    ));
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&draft)?;
        file.write_all(key.to_base64().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    };
    let made = write().and_then(|()| std::fs::hard_link(&draft, path));
    let _ = std::fs::remove_file(&draft);
    match made {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(source) => Err(MasterError::Make {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_opens_under_its_own_key_only() {
        let (key, other) = (MasterKey::new(), MasterKey::new());
        let check = key.check();
        assert!(key.opens(&check));
        assert!(!other.opens(&check));
        assert!(!key.opens(b"short"));
    }

    #[test]
    fn keys_are_read_first_the_current_one() {
        let (new, old) = (MasterKey::new(), MasterKey::new());
        let text = format!("{}, {}\n", *new.to_base64(), *old.to_base64());
        let keys = MasterKeys::parse(&text, VARIABLE.to_owned()).unwrap();
        assert_eq!(keys.all().len(), 2);
        assert!(keys.current().opens(&new.check()));
    }

    #[test]
    fn a_key_of_the_wrong_length_or_not_base64_is_named() {
        let short = BASE64.encode([1u8; 16]);
        let error = MasterKeys::parse(&short, VARIABLE.to_owned()).unwrap_err();
        assert!(matches!(
            error,
            MasterError::Bad {
                number: 1,
                problem: BadKey::Length(16),
                ..
            }
        ));
        let error = MasterKeys::parse("not a key!", VARIABLE.to_owned()).unwrap_err();
        assert!(matches!(
            error,
            MasterError::Bad {
                problem: BadKey::NotBase64,
                ..
            }
        ));
        assert!(matches!(
            MasterKeys::parse(" \n", VARIABLE.to_owned()),
            Err(MasterError::Empty { .. })
        ));
    }

    #[test]
    fn debug_shows_no_key() {
        let key = MasterKey::new();
        assert_eq!(format!("{key:?}"), "MasterKey(..)");
    }
}
