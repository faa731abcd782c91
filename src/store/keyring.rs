//! The key store, and a person's key from it: made when they first store
//! text, unwrapped for each command (nothing is cached, so a key destroyed
//! by one process is gone for every other at once), destroyed first when
//! they delete their data. On SQLite the keys live in a file of their own
//! beside the database, on PostgreSQL in the schema `steady_keys`: a backup
//! of the data holds no key, and the master keys that wrap them are in
//! neither.

use super::{Store, StoreError};
use crate::privacy::{MasterKey, MasterKeys, PersonKey, Settings};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::PathBuf;
use std::str::FromStr as _;
use steady_sql::keyring::Wrapped;
use steady_sql::{Keyring, Pool};

/// Runs `$body` with `$B` the key store's backend and `$pool` its pool.
macro_rules! on_ring {
    ($ring:expr, $pool:ident: $B:ident => $body:expr) => {
        match &$ring {
            Ring::Sqlite($pool) => {
                type $B = $crate::store::sqlite::Sqlite;
                $body
            }
            Ring::Postgres($pool) => {
                type $B = steady_postgres::Postgres;
                $body
            }
        }
    };
}

/// The key store's schema in its own SQLite file.
static KEYRING: Migrator = sqlx::migrate!("migrations/keyring");

/// Where a SQLite database's keys are.
#[derive(Debug, Clone)]
pub(super) struct Places {
    pub keyring: PathBuf,
    /// The master key file steady makes if none is given.
    pub master: PathBuf,
    /// The database is in memory: so are its keys.
    pub memory: bool,
}

impl Places {
    /// Beside the database file, named after it, unless configured.
    pub fn of(url: &str, options: &SqliteConnectOptions, privacy: &Settings) -> Places {
        let data = options.get_filename();
        let dir = data.parent().map(PathBuf::from).unwrap_or_default();
        let stem = data
            .file_stem()
            .map_or_else(|| "steady".into(), |stem| stem.to_string_lossy());
        Places {
            keyring: (privacy.keyring.clone())
                .unwrap_or_else(|| dir.join(format!("{stem}-keys.db"))),
            master: dir.join(format!("{stem}-master.key")),
            memory: url.contains(":memory:") || url.contains("mode=memory"),
        }
    }
}

/// Open (creating and migrating) a SQLite database's key store.
pub(super) async fn open_sqlite(places: &Places) -> Result<SqlitePool, StoreError> {
    let pool = if places.memory {
        // One connection for good: each new one would be another, empty store.
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?
    } else {
        let options = SqliteConnectOptions::new()
            .filename(&places.keyring)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(crate::timing::BUSY_TIMEOUT)
            .foreign_keys(true);
        super::connect_sqlite(&options)
            .await
            .map_err(|source| StoreError::Open {
                path: places.keyring.clone(),
                source,
            })?
    };
    super::migrate(&pool, &KEYRING).await?;
    Ok(pool)
}

/// A SQLite key store's file as it is, to read (`steady check`, backups):
/// never created, and not read-only, so that the last connection to
/// close removes its `-wal` and `-shm` as steady's own do, rather than
/// leave them behind, owned by whoever ran the command.
pub(super) fn existing(places: &Places) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(&places.keyring)
        .create_if_missing(false)
}

/// Where the person keys are.
#[derive(Debug, Clone)]
pub(super) enum Ring {
    /// A file of its own.
    Sqlite(SqlitePool),
    /// The data's own database, schema `steady_keys`.
    Postgres(PgPool),
}

/// The key store and the master keys that open it.
#[derive(Debug)]
pub(super) struct Keys {
    ring: Ring,
    masters: MasterKeys,
    /// Each master key the store knows and this process holds: its id
    /// there, and its place in `masters`.
    known: Vec<(i64, usize)>,
    /// The id of the master key that wraps new person keys.
    current: i64,
}

/// How far a rotation has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rotated {
    /// Person keys wrapped anew by this run.
    pub rewrapped: u64,
    /// Master keys forgotten at its end, as they wrap nothing anymore.
    pub retired: u64,
}

impl Keys {
    /// Know the master keys: register the current one if the store has
    /// never seen it, and refuse if any person key is wrapped by a master
    /// key this process does not hold, as its people's words could not be
    /// read.
    pub(super) async fn open(ring: Ring, masters: MasterKeys) -> Result<Keys, StoreError> {
        match on_ring!(ring, pool: B => know::<B>(pool, &masters).await) {
            Ok((known, current)) => Ok(Keys {
                ring,
                masters,
                known,
                current,
            }),
            Err(error) => {
                // Closed now, not by the pool's reaper minutes later: on
                // PostgreSQL the refused transaction holds its locks until
                // its connection is closed.
                on_ring!(ring, pool: _B => pool.close().await);
                Err(error)
            }
        }
    }

    pub(super) async fn close(&self) {
        if let Ring::Sqlite(pool) = &self.ring {
            super::checkpoint(pool).await;
            pool.close().await;
        }
    }

    /// The master key of id `master`, if this process holds it.
    fn master(&self, master: i64) -> Option<&MasterKey> {
        let (_, at) = self.known.iter().find(|(id, _)| *id == master)?;
        self.masters.all().get(*at)
    }

    /// Open a stored key.
    fn unwrap(&self, stored: &Wrapped) -> Result<PersonKey, StoreError> {
        let master = self
            .master(stored.master)
            .ok_or(StoreError::NoMasterKey { id: stored.master })?;
        let version = u32::try_from(stored.version).map_err(|_| StoreError::PersonKey)?;
        PersonKey::unwrap(master, stored.user_id, version, &stored.wrapped)
            .map_err(|_| StoreError::PersonKey)
    }

    /// A new key for `uid`, wrapped by the current master key.
    fn make(&self, uid: i64) -> (PersonKey, Wrapped) {
        let key = PersonKey::new();
        let wrapped = Wrapped {
            user_id: uid,
            version: key.version().into(),
            master: self.current,
            wrapped: key.wrap(self.masters.current(), uid),
        };
        (key, wrapped)
    }
}

impl Store {
    /// The person's key, or None if they have none (never stored text, or
    /// deleted their data).
    pub(super) async fn person_key(&self, uid: i64) -> Result<Option<PersonKey>, StoreError> {
        let keys = &self.keys;
        let stored =
            on_ring!(keys.ring, pool: B => B::key(&mut *pool.acquire().await?, uid).await?);
        stored.map(|stored| keys.unwrap(&stored)).transpose()
    }

    /// The person's key, made now if they have none.
    pub(super) async fn person_key_or_new(&self, uid: i64) -> Result<PersonKey, StoreError> {
        if let Some(key) = self.person_key(uid).await? {
            return Ok(key);
        }
        let keys = &self.keys;
        let (key, wrapped) = keys.make(uid);
        let now = self.now().timestamp();
        let kept = on_ring!(keys.ring, pool: B => B::insert_key(&mut *pool.acquire().await?, &wrapped, now).await?);
        if kept {
            return Ok(key);
        }
        // Another command of theirs made one first: theirs is the key.
        self.person_key(uid).await?.ok_or(StoreError::PersonKey)
    }

    /// Keys for each of `uids`, made where missing, in one transaction:
    /// the upgrade seals many people's anchors at once.
    pub(super) async fn person_keys_or_new(
        &self,
        uids: &[i64],
    ) -> Result<Vec<(i64, PersonKey)>, StoreError> {
        let keys = &self.keys;
        let now = self.now().timestamp();
        on_ring!(keys.ring, pool: B => keys_for::<B>(keys, pool, uids, now).await)
    }

    /// Destroy the person's key: whatever it sealed, in the database or in
    /// any backup of it, can no longer be read. True if they had one.
    pub(super) async fn destroy_key(&self, uid: i64) -> Result<bool, StoreError> {
        let keys = &self.keys;
        Ok(on_ring!(keys.ring, pool: B => B::destroy_key(&mut *pool.acquire().await?, uid).await?))
    }

    /// Wrap every person key by the current master key (the first given),
    /// `batch` at a time, then forget the master keys that wrap nothing.
    /// Safe to interrupt and run again: each key is rewrapped only if it is
    /// still as read, and the old master keys open it until then.
    pub async fn rotate_keys(&self, batch: i64) -> Result<Rotated, StoreError> {
        self.rotate_keys_showing(batch, |_| {}).await
    }

    /// [`Store::rotate_keys`], telling `progress` how far it has come
    /// after each batch (`steady keys rotate` prints it).
    pub async fn rotate_keys_showing(
        &self,
        batch: i64,
        progress: impl FnMut(Rotated),
    ) -> Result<Rotated, StoreError> {
        let keys = &self.keys;
        on_ring!(keys.ring, pool: B => rotate::<B>(keys, pool, batch, progress).await)
    }

    /// How many person keys the key store holds.
    pub async fn person_keys(&self) -> Result<i64, StoreError> {
        let keys = &self.keys;
        let counts =
            on_ring!(keys.ring, pool: B => B::wrapped_by(&mut *pool.acquire().await?).await?);
        Ok(counts.iter().map(|(_, keys)| keys).sum())
    }

    /// Say so, loudly, when the database holds sealed words but the key
    /// store holds no key at all: it was likely lost or left behind in a
    /// move, and nothing sealed can be read until it is back.
    pub(super) async fn warn_if_keys_lost(&self) -> Result<(), StoreError> {
        use steady_sql::Anchors;
        let sealed =
            on_backend!(self, pool: B => B::any_sealed(&mut *pool.acquire().await?).await?);
        if sealed && self.person_keys().await? == 0 {
            tracing::error!(
                "the database holds sealed words, but the key store holds no key: if it was \
                 moved or lost, stop steady and put it back (docs/OPERATING.md, \"Keys\"). \
                 Until then nobody's anchors or journal can be read"
            );
        }
        Ok(())
    }

    /// Where the master keys came from: a variable's name or a file's path.
    pub fn master_keys_from(&self) -> &str {
        self.keys.masters.from()
    }
}

/// [`Keys::open`]: match each held master key to the store's, adding the
/// current one if it is new, under the store's write lock.
async fn know<B: Keyring>(
    pool: &Pool<B>,
    masters: &MasterKeys,
) -> Result<(Vec<(i64, usize)>, i64), StoreError> {
    let mut tx = B::write(pool).await?;
    let stored = B::masters(&mut tx).await?;
    let mut known = Vec::new();
    for row in &stored {
        if let Some(at) = masters
            .all()
            .iter()
            .position(|key| key.opens(&row.check_value))
        {
            known.push((row.id, at));
        }
    }
    let current = match known.iter().find(|(_, at)| *at == 0) {
        Some((id, _)) => *id,
        None => {
            let now = chrono::Utc::now().timestamp();
            let id = B::add_master(&mut tx, &masters.current().check(), now).await?;
            known.push((id, 0));
            id
        }
    };
    let unheld: i64 = B::wrapped_by(&mut tx)
        .await?
        .iter()
        .filter(|(master, _)| !known.iter().any(|(id, _)| id == master))
        .map(|(_, keys)| keys)
        .sum();
    if unheld > 0 {
        return Err(StoreError::KeyringMismatch {
            from: masters.from().to_owned(),
            keys: unheld,
        });
    }
    tx.commit().await?;
    Ok((known, current))
}

/// [`Store::person_keys_or_new`].
async fn keys_for<B: Keyring>(
    keys: &Keys,
    pool: &Pool<B>,
    uids: &[i64],
    now: i64,
) -> Result<Vec<(i64, PersonKey)>, StoreError> {
    let mut tx = B::write(pool).await?;
    let mut found = Vec::with_capacity(uids.len());
    for &uid in uids {
        let key = match B::key(&mut tx, uid).await? {
            Some(stored) => keys.unwrap(&stored)?,
            None => {
                let (key, wrapped) = keys.make(uid);
                if B::insert_key(&mut tx, &wrapped, now).await? {
                    key
                } else {
                    // Made by another process since the read (PostgreSQL).
                    let stored = B::key(&mut tx, uid).await?.ok_or(StoreError::PersonKey)?;
                    keys.unwrap(&stored)?
                }
            }
        };
        found.push((uid, key));
    }
    tx.commit().await?;
    Ok(found)
}

/// [`Store::rotate_keys`].
async fn rotate<B: Keyring>(
    keys: &Keys,
    pool: &Pool<B>,
    batch: i64,
    mut progress: impl FnMut(Rotated),
) -> Result<Rotated, StoreError> {
    let mut rotated = Rotated::default();
    loop {
        let mut tx = B::write(pool).await?;
        let old = B::wrapped_by_others(&mut tx, keys.current, batch).await?;
        if old.is_empty() {
            rotated.retired = retire::<B>(&mut tx, keys).await?;
            tx.commit().await?;
            return Ok(rotated);
        }
        for stored in &old {
            let key = keys.unwrap(stored)?;
            let wrapped = key.wrap(keys.masters.current(), stored.user_id);
            if B::rewrap(&mut tx, stored, keys.current, &wrapped).await? {
                rotated.rewrapped += 1;
            }
        }
        tx.commit().await?;
        tracing::info!(rewrapped = rotated.rewrapped, "rotating person keys");
        progress(rotated);
    }
}

/// Forget the master keys that wrap nothing once a rotation is done, but
/// never a row of the current key: processes that started together on
/// PostgreSQL may each have registered it, and each wraps new keys by its
/// own row.
async fn retire<B: Keyring>(
    conn: &mut steady_sql::Conn<B>,
    keys: &Keys,
) -> Result<u64, StoreError> {
    let mut retired = 0;
    for row in B::masters(conn).await? {
        if !keys.masters.current().opens(&row.check_value) {
            retired += u64::from(B::forget_master(conn, row.id).await?);
        }
    }
    Ok(retired)
}
