//! `steady check`'s look at the keys: where the master keys come from,
//! where the key store is, how many person keys it holds, and whether the
//! master keys given open them all. Creates and changes nothing, not even
//! the key file a first start would make.

use super::keyring::{self, Places};
use super::url::{connect_error, parse, parse_postgres};
use super::{is_postgres, sources, Store, StoreError};
use crate::privacy::{MasterKeys, Settings};
use sqlx::{ConnectOptions as _, Connection as _};
use std::path::PathBuf;
use steady_sql::keyring::Master;
use steady_sql::{Conn, Keyring};

/// What `steady check` says of the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysStatus {
    pub master: MasterFrom,
    pub store: KeyStore,
    /// Person keys in the key store.
    pub person_keys: i64,
    /// Of those, how many a master key other than the first wraps: what
    /// `steady keys rotate` would rewrap.
    pub wrapped_by_older: i64,
}

/// Where the master keys come from; never the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MasterFrom {
    /// The variable's name or the file's path, and how many keys it holds.
    Given { from: String, keys: usize },
    /// No key yet: the first start makes this file beside the database.
    FirstStart(PathBuf),
    /// A database in memory makes a key of its own for as long as it lives.
    Memory,
}

/// Where the person keys are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStore {
    /// A SQLite file, and whether it exists yet.
    File {
        path: PathBuf,
        exists: bool,
    },
    /// The schema `steady_keys` of the PostgreSQL database, if migrated.
    Schema {
        exists: bool,
    },
    Memory,
}

/// A key store read: the master keys it knows, and how many person keys
/// each wraps.
#[derive(Default)]
struct Read {
    masters: Vec<Master>,
    wrapped_by: Vec<(i64, i64)>,
}

impl Store {
    /// Look at the keys of the database at `url` without creating or
    /// changing anything; refuses what `open` would refuse (a key file
    /// others may read, a key that is not one, a key store whose person
    /// keys the master keys given do not open).
    pub async fn check_keys(url: &str, privacy: &Settings) -> Result<KeysStatus, StoreError> {
        if is_postgres(url) {
            let masters = MasterKeys::load(&sources(privacy, None))?;
            let options = parse_postgres(url)?;
            let mut connection = options
                .connect()
                .await
                .map_err(|source| connect_error(&options, source))?;
            let read = read::<steady_postgres::Postgres>(&mut connection, |error| {
                error.code().as_deref() == Some("42P01")
            })
            .await;
            // Closed before the command exits, which would not wait for it.
            let _ = connection.close().await;
            let read = read.map_err(|source| connect_error(&options, source))?;
            let exists = read.is_some();
            return status(Some(masters), KeyStore::Schema { exists }, read);
        }
        let options = parse(url)?;
        let places = Places::of(url, &options, privacy);
        if places.memory {
            return Ok(KeysStatus {
                master: MasterFrom::Memory,
                store: KeyStore::Memory,
                person_keys: 0,
                wrapped_by_older: 0,
            });
        }
        let masters = MasterKeys::existing(&sources(privacy, Some(places.master.clone())))?;
        let exists = places.keyring.is_file();
        let store = KeyStore::File {
            path: places.keyring.clone(),
            exists,
        };
        if !exists {
            return status_or_first(masters, &places, store, None);
        }
        let open = |source| StoreError::Open {
            path: places.keyring.clone(),
            source,
        };
        let mut connection = keyring::existing(&places).connect().await.map_err(open)?;
        let read = read::<super::sqlite::Sqlite>(&mut connection, |error| {
            error.message().starts_with("no such table")
        })
        .await;
        // Closed before the command exits, so its `-wal` and `-shm` go too.
        connection.close().await.map_err(open)?;
        let read = read.map_err(open)?;
        status_or_first(masters, &places, store, read)
    }
}

/// The key store's masters and counts; None if it was never migrated.
async fn read<B: Keyring>(
    connection: &mut Conn<B>,
    never_made: impl Fn(&dyn sqlx::error::DatabaseError) -> bool,
) -> Result<Option<Read>, sqlx::Error> {
    let masters = match B::masters(connection).await {
        Err(sqlx::Error::Database(error)) if never_made(error.as_ref()) => return Ok(None),
        masters => masters?,
    };
    let wrapped_by = B::wrapped_by(connection).await?;
    Ok(Some(Read {
        masters,
        wrapped_by,
    }))
}

/// A SQLite database's status; with no master key file yet, the first
/// start makes one, which opens no key already stored.
fn status_or_first(
    masters: Option<MasterKeys>,
    places: &Places,
    store: KeyStore,
    read: Option<Read>,
) -> Result<KeysStatus, StoreError> {
    if masters.is_some() {
        return status(masters, store, read);
    }
    let stored: i64 = read
        .iter()
        .flat_map(|read| &read.wrapped_by)
        .map(|(_, keys)| keys)
        .sum();
    if stored > 0 {
        return Err(StoreError::KeyringMismatch {
            from: format!("{} (which does not exist)", places.master.display()),
            keys: stored,
        });
    }
    Ok(KeysStatus {
        master: MasterFrom::FirstStart(places.master.clone()),
        store,
        person_keys: 0,
        wrapped_by_older: 0,
    })
}

/// Match the master keys given to the key store's, as opening it would.
fn status(
    masters: Option<MasterKeys>,
    store: KeyStore,
    read: Option<Read>,
) -> Result<KeysStatus, StoreError> {
    let masters = masters.ok_or(crate::privacy::MasterError::Missing)?;
    let read = read.unwrap_or_default();
    // Each stored master key's place among those given, if given.
    let held = |id: i64| {
        let row = read.masters.iter().find(|row| row.id == id)?;
        masters
            .all()
            .iter()
            .position(|key| key.opens(&row.check_value))
    };
    let (mut person_keys, mut unheld, mut older) = (0, 0, 0);
    for &(master, keys) in &read.wrapped_by {
        person_keys += keys;
        match held(master) {
            None => unheld += keys,
            Some(0) => {}
            Some(_) => older += keys,
        }
    }
    if unheld > 0 {
        return Err(StoreError::KeyringMismatch {
            from: masters.from().to_owned(),
            keys: unheld,
        });
    }
    Ok(KeysStatus {
        master: MasterFrom::Given {
            from: masters.from().to_owned(),
            keys: masters.all().len(),
        },
        store,
        person_keys,
        wrapped_by_older: older,
    })
}
