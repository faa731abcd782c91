//! A consistent copy of the database, taken while the bot runs: SQLite's
//! `VACUUM INTO` reads one snapshot (a WAL reader blocks no writer) and
//! writes it out as a compact, self-contained file. PostgreSQL is backed up
//! with its own `pg_dump`. The key store is copied the same way, on its
//! own (`steady backup --keys`): a backup of the data holds no key.

use super::keyring::{existing, Places};
use super::{is_postgres, parse, StoreError};
use crate::privacy::Settings;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// What `steady backup` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    /// The database it is a copy of.
    pub source: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// `VACUUM INTO` is SQLite's; PostgreSQL has its own tool for this.
    #[error(
        "cannot back up a PostgreSQL database: steady backup copies only SQLite files, \
         so use pg_dump instead: pg_dump --exclude-schema=steady_keys for the data, and \
         pg_dump --schema=steady_keys for the keys, kept apart"
    )]
    Postgres,
    #[error(
        "cannot back up a PostgreSQL key store: steady backup copies only SQLite files. \
         The keys are the schema steady_keys: pg_dump --schema=steady_keys"
    )]
    PostgresKeys,
    #[error(
        "no key store to back up at {}: a database in memory keeps its keys there too",
        .0
    )]
    MemoryKeys(String),
    #[error(
        "nothing to back up: there is no key store at {} yet; steady makes it on the \
         first start",
        .0.display()
    )]
    NoKeyStore(PathBuf),
    #[error(
        "nothing to back up: there is no database at {} (database URL {url:?}); \
         check DATABASE_URL or database.url",
        .file.display()
    )]
    NoDatabase { file: PathBuf, url: String },
    #[error(
        "cannot back up to {}: it already exists, and a backup never replaces a file; \
         choose a new name or move the old one away",
        .0.display()
    )]
    Exists(PathBuf),
    #[error(
        "cannot back up to {}: there is no folder {}; create it first",
        .path.display(),
        .folder.display()
    )]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot back up to {}: SQLite needs a UTF-8 path", .0.display())]
    NotUtf8(PathBuf),
    #[error("cannot back up to {}: {source}", .path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot back up {} to {}: {source}", .from.display(), .path.display())]
    Copy {
        from: PathBuf,
        path: PathBuf,
        source: sqlx::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Copy the database at `url` to a new file at `path`, which must not exist
/// yet. The live database is neither created, migrated nor changed.
pub async fn backup(url: &str, path: &Path) -> Result<Backup, BackupError> {
    if is_postgres(url) {
        return Err(BackupError::Postgres);
    }
    let options = parse(url)?;
    // Named in full, so no message depends on the folder it was run from.
    let source = absolute(options.get_filename());
    let path = &absolute(path);
    if !source.is_file() {
        return Err(BackupError::NoDatabase {
            file: source,
            url: url.to_owned(),
        });
    }
    copy_to(&options, source, path).await
}

/// Copy the key store of the database at `url` to a new file at `path`,
/// as [`backup`] copies the data. It is no use without the master key,
/// which is in neither.
pub async fn backup_keys(
    url: &str,
    privacy: &Settings,
    path: &Path,
) -> Result<Backup, BackupError> {
    if is_postgres(url) {
        return Err(BackupError::PostgresKeys);
    }
    let places = Places::of(url, &parse(url)?, privacy);
    if places.memory {
        return Err(BackupError::MemoryKeys(url.to_owned()));
    }
    let source = absolute(&places.keyring);
    if !source.is_file() {
        return Err(BackupError::NoKeyStore(source));
    }
    copy_to(&existing(&places), source, &absolute(path)).await
}

/// Copy the SQLite file `source`, opened with `options`, to a new `path`.
async fn copy_to(
    options: &SqliteConnectOptions,
    source: PathBuf,
    path: &Path,
) -> Result<Backup, BackupError> {
    let target = path.to_str().ok_or(BackupError::NotUtf8(path.to_owned()))?;
    // Created empty first (VACUUM INTO fills an empty file): `create_new`
    // refuses an existing one atomically, and only its owner may read it,
    // since it holds what people chose to keep.
    create_empty(path)?;
    match copy(options, target).await {
        Ok(bytes) => Ok(Backup {
            path: path.to_owned(),
            bytes,
            source,
        }),
        Err(Failed::Sqlite(error)) => {
            let _ = std::fs::remove_file(path);
            Err(BackupError::Copy {
                from: source,
                path: path.to_owned(),
                source: error,
            })
        }
        Err(Failed::Disk(error)) => {
            let _ = std::fs::remove_file(path);
            Err(BackupError::Create {
                path: path.to_owned(),
                source: error,
            })
        }
    }
}

enum Failed {
    Sqlite(sqlx::Error),
    Disk(std::io::Error),
}

/// Fill the empty file at `target` and return its size once it is on disk:
/// a backup is only worth having then.
async fn copy(options: &SqliteConnectOptions, target: &str) -> Result<u64, Failed> {
    let mut connection = options.connect().await.map_err(Failed::Sqlite)?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut connection)
        .await;
    let closed = connection.close().await;
    copied.and(closed).map_err(Failed::Sqlite)?;
    let file = File::open(target).map_err(Failed::Disk)?;
    file.sync_all().map_err(Failed::Disk)?;
    Ok(file.metadata().map_err(Failed::Disk)?.len())
}

fn create_empty(path: &Path) -> Result<(), BackupError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            Err(BackupError::Exists(path.to_owned()))
        }
        Err(error) if error.kind() == ErrorKind::NotFound => Err(BackupError::NoFolder {
            path: path.to_owned(),
            folder: path.parent().unwrap_or(path).to_owned(),
        }),
        Err(source) => Err(BackupError::Create {
            path: path.to_owned(),
            source,
        }),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
