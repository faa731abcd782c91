//! Persistence through sqlx: SQLite by default, or PostgreSQL (for several
//! processes on several machines, docs/SCALING.md), one API over both.
//! Migrations are embedded and applied on open. Knows nothing of Discord;
//! ids are plain integers.
//!
//! Each operation's rules (what is validated, counted, locked, in which
//! order, what is returned) are written once, generic over a backend of
//! `steady-sql`, whose traits are the SQL alone: SQLite's answers live in
//! `sqlite/`, checked against `migrations/`; PostgreSQL's in
//! `steady-postgres` (crates/postgres), checked against
//! `migrations/postgres/`. [`on_backend!`] is the one place that asks
//! which database a store is.

/// Runs `$body` with `$B` naming the store's backend type and `$pool` its
/// pool, so each operation is one generic function over both.
macro_rules! on_backend {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
    ($store:expr, $pool:ident: $B:ident => $body:expr) => {
        match &$store.db {
            $crate::store::Db::Sqlite($pool) => {
                type $B = $crate::store::sqlite::Sqlite;
                $body
            }
            $crate::store::Db::Postgres($pool) => {
                type $B = steady_postgres::Postgres;
                $body
            }
        }
    };
}

mod anchors;
mod backup;
mod checkins;
mod clock;
mod compat;
mod drafts;
mod due;
mod journal;
mod journal_reminders;
mod key_check;
mod keyring;
mod moods;
mod mydata;
mod place;
mod processes;
mod rituals;
mod servers;
mod sessions;
mod sqlite;
mod url;
mod users;
mod waits;

pub use anchors::Anchor;
pub use backup::{backup, backup_keys, Backup, BackupError};
pub use checkins::{Checkin, Claimed, Pause, PauseReason};
pub use compat::Fit;
pub use drafts::{DraftError, Drafted, DRAFT_MAX_CHARS, KEEP_DRAFT};
pub use journal::{JournalEntry, JournalError, JournalKind};
pub use journal_reminders::{ClaimedReminder, JournalReminder};
pub use key_check::{KeyStore, KeysStatus, MasterFrom};
pub use keyring::Rotated;
pub use moods::{MoodTap, ASKED_MOODS_A_DAY};
pub use mydata::{
    Export, ExportAnchor, ExportCheckin, ExportDraft, ExportEntry, ExportJournalReminder,
    ExportMood, ExportReframe, Forgotten,
};
pub use place::PlaceError;
pub use rituals::{Ritual, RitualCount, RitualPost};
pub use servers::{Added, ServerData, MAX_HELP_LINES};
pub use sessions::Unfinished;
use url::{connect_error, parse, parse_postgres};
pub use url::{is_postgres, shown};
pub(crate) use users::db_id;
pub use waits::{OnMessage, Urge, Wait, WaitEnd, KEEP_ENDED};

use crate::privacy::{MasterKeys, Settings, Sources};
use crate::timing::{ACQUIRE_TIMEOUT, LOCK_TIMEOUT, STATEMENT_TIMEOUT};
use keyring::{Keys, Ring};
use sqlx::migrate::{Migrate, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use steady_postgres as pg;

static MIGRATOR: Migrator = sqlx::migrate!();

/// Connections each process keeps to PostgreSQL: the scheduler's claims,
/// its deliveries in flight and people's commands, with room to spare
/// under PostgreSQL's default of 100 for three processes.
const PG_CONNECTIONS: u32 = 20;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL {url:?} is not usable: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("cannot use the database file {}: {source}", path.display())]
    Place { path: PathBuf, source: PlaceError },
    #[error("cannot open the database file {}: {source}", path.display())]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("cannot reach PostgreSQL at {at}: {source}")]
    Connect { at: String, source: sqlx::Error },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A newer steady changed the schema in a way this build cannot use.
    #[error(
        "the database is at migration {database}, and this build knows migrations up to \
         {newest} only: a newer steady changed it in a way this build cannot use (it needs \
         a build that knows migration {requires}). Run that newer steady, or one newer \
         still; to go back to this build, restore the backup taken before the upgrade \
         (docs/SCALING.md, \"Upgrades\")"
    )]
    TooNew {
        database: i64,
        newest: i64,
        requires: i64,
    },
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error(transparent)]
    Master(#[from] crate::privacy::MasterError),
    #[error(
        "the key store does not match the master key from {from}: {keys} person keys are \
         wrapped by a master key it does not hold, and their words could not be read. Give \
         the master key this key store was made with (docs/OPERATING.md, \"Keys\")"
    )]
    KeyringMismatch { from: String, keys: i64 },
    /// A person key names a master key this process was not given: a
    /// rotation began elsewhere with a new one.
    #[error(
        "a person key is wrapped by a master key this process does not hold (key store \
         id {id}): give it every master key of the rotation under way, the new one first"
    )]
    NoMasterKey { id: i64 },
    #[error("a person key in the key store does not open under its master key")]
    PersonKey,
    /// A commit refused, or one whose answer was lost: PostgreSQL may have
    /// made it all the same, and nothing here can tell which.
    #[error("database commit failed or went unanswered: {0}")]
    Commit(#[source] sqlx::Error),
}

#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    skew: Arc<clock::Skew>,
    keys: Arc<keyring::Keys>,
}

#[derive(Debug, Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What `steady check` reports about a database without changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The file does not exist yet; `steady run` or `steady migrate` creates it.
    Missing,
    Present {
        applied: usize,
        pending: usize,
        /// Whether it is newer than this build (but usable by it).
        fit: Fit,
    },
}

impl Store {
    /// [`Store::open_with`] the keys in their default places.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, &Settings::default()).await
    }

    /// Open (creating the file if needed), bring the schema up to date,
    /// open the key store and seal any text an older build left plain. A
    /// `postgres://` URL opens PostgreSQL instead.
    pub async fn open_with(url: &str, privacy: &Settings) -> Result<Store, StoreError> {
        let store = Store::open_unsealed(url, privacy).await?;
        store.warn_if_keys_lost().await?;
        if store.seal_plain_anchors().await? > 0 {
            store.compact().await;
        }
        Ok(store)
    }

    async fn open_unsealed(url: &str, privacy: &Settings) -> Result<Store, StoreError> {
        if is_postgres(url) {
            let options = parse_postgres(url)?;
            let masters = MasterKeys::load(&sources(privacy, None))?;
            let fit = migrate_postgres(&options).await?;
            let pool = PgPoolOptions::new()
                .max_connections(PG_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(bounded(options.clone()))
                .await
                .map_err(|source| connect_error(&options, source))?;
            warn_if_newer(fit);
            let keys = Keys::open(Ring::Postgres(pool.clone()), masters).await?;
            return Store::with_clock(Db::Postgres(pool), keys).await;
        }
        let options = parse(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(crate::timing::BUSY_TIMEOUT)
            .foreign_keys(true);
        check_place(url, &options)?;
        let places = keyring::Places::of(url, &options, privacy);
        // A database in memory keeps its keys in memory too, for as long.
        let masters = if places.memory {
            MasterKeys::one(crate::privacy::MasterKey::new())
        } else {
            MasterKeys::load(&sources(privacy, Some(places.master.clone())))?
        };
        let pool = connect_sqlite(&options)
            .await
            .map_err(|source| open_error(&options, source))?;
        warn_if_newer(migrate(&pool, &MIGRATOR).await?);
        let ring = keyring::open_sqlite(&places).await?;
        let keys = Keys::open(Ring::Sqlite(ring), masters).await?;
        Store::with_clock(Db::Sqlite(pool), keys).await
    }

    /// The store of `db`, its clock read.
    async fn with_clock(db: Db, keys: Keys) -> Result<Store, StoreError> {
        let store = Store {
            db,
            skew: Arc::default(),
            keys: Arc::new(keys),
        };
        store.read_clock().await?;
        Ok(store)
    }

    /// Look at a database without changing it: could `open` create or
    /// write it, does it exist, and how far is it migrated?
    pub async fn status(url: &str) -> Result<Status, StoreError> {
        if is_postgres(url) {
            let options = parse_postgres(url)?;
            let mut connection = sqlx::ConnectOptions::connect(&options)
                .await
                .map_err(|source| connect_error(&options, source))?;
            let found = compat::read::<sqlx::Postgres>(&mut connection, &pg::MIGRATOR, undefined)
                .await
                .map_err(|error| connect_error(&options, error))?;
            return present(&found, &pg::MIGRATOR);
        }
        let options = parse(url)?.read_only(true);
        check_place(url, &options)?;
        if !options.get_filename().exists() {
            return Ok(Status::Missing);
        }
        let mut connection = sqlx::ConnectOptions::connect(&options)
            .await
            .map_err(|source| open_error(&options, source))?;
        let found = compat::read::<sqlx::Sqlite>(&mut connection, &MIGRATOR, no_such_table)
            .await
            .map_err(|error| open_error(&options, error))?;
        present(&found, &MIGRATOR)
    }

    /// The SQLite pool, for tools that read the file itself (backups,
    /// tests); None on PostgreSQL.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match &self.db {
            Db::Sqlite(pool) => Some(pool),
            Db::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, for benchmarks that fill tables in bulk; None
    /// on SQLite.
    pub fn postgres(&self) -> Option<&PgPool> {
        match &self.db {
            Db::Postgres(pool) => Some(pool),
            Db::Sqlite(_) => None,
        }
    }

    /// Whether the database answers at all: a connection from the pool runs
    /// a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_backend!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Fold the write-ahead log into the database file, wait for running
    /// queries, then close every connection (the last to close removes the
    /// `-wal` and `-shm` files), so a stopped steady leaves one file behind.
    pub async fn close(&self) {
        self.keys.close().await;
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return pool.close().await,
        };
        checkpoint(pool).await;
        pool.close().await;
    }
}

impl Store {
    /// Rewrite the database without the space its plain texts left behind,
    /// once they are sealed: an updated row's old bytes stay in free pages
    /// (SQLite) or dead tuples (PostgreSQL) until then. A failure is said,
    /// not fatal: the words are sealed all the same.
    async fn compact(&self) {
        let compacted = match &self.db {
            Db::Sqlite(pool) => sqlx::query("VACUUM").execute(pool).await.map(drop),
            Db::Postgres(pool) => vacuum_full(pool).await,
        };
        match compacted {
            Ok(()) => tracing::info!("compacted the database after sealing its anchors"),
            Err(error) => tracing::warn!(
                %error,
                "could not compact the database after sealing its anchors; the plain words \
                 they replaced stay in its free space until `VACUUM` (SQLite) or \
                 `VACUUM FULL anchors` (PostgreSQL) is run"
            ),
        }
        if let Db::Sqlite(pool) = &self.db {
            checkpoint(pool).await;
        }
    }
}

/// `VACUUM FULL anchors`, outside a transaction and without the statement
/// timeout every connection has, on a connection of its own.
async fn vacuum_full(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut connection = pool.acquire().await?;
    sqlx::query("SET statement_timeout = 0")
        .execute(&mut *connection)
        .await?;
    let vacuumed = sqlx::query("VACUUM FULL anchors")
        .execute(&mut *connection)
        .await;
    // Back to the bound every connection has before it returns to the pool.
    sqlx::query("RESET statement_timeout")
        .execute(&mut *connection)
        .await?;
    vacuumed.map(drop)
}

/// Fold a SQLite file's write-ahead log into it.
async fn checkpoint(pool: &SqlitePool) {
    let checkpoint = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)");
    if let Err(error) = checkpoint.execute(pool).await {
        tracing::warn!(%error, "could not checkpoint a database's log");
    }
}

/// Where the master keys come from: the variable, read now, then the
/// configured file, then `beside` (steady's own file by a SQLite database).
fn sources(privacy: &Settings, beside: Option<PathBuf>) -> Sources {
    Sources {
        variable: std::env::var(crate::privacy::master::VARIABLE).ok(),
        file: privacy.master_key_file.clone(),
        beside,
    }
}

/// Connect to a SQLite file. Processes opening a new file at once race to
/// switch it to WAL, and SQLite turns the loser away at once ("database is
/// locked", code 5) rather than let the two wait on each other: it tries
/// again, a little later each time.
pub(super) async fn connect_sqlite(
    options: &SqliteConnectOptions,
) -> Result<SqlitePool, sqlx::Error> {
    let mut tries = 0;
    loop {
        let pool = SqlitePoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT);
        match pool.connect_with(options.clone()).await {
            Err(sqlx::Error::Database(error))
                if error.code().as_deref() == Some("5") && tries < 10 =>
            {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(20 * tries)).await;
            }
            connected => return connected,
        }
    }
}

/// Every connection steady works on fails a statement that waits for a lock
/// longer than [`LOCK_TIMEOUT`], or runs longer than [`STATEMENT_TIMEOUT`],
/// so nothing waits forever: a claim that fails is tried again, and a
/// person is told kindly. Set at connect, so each statement pays nothing.
fn bounded(options: PgConnectOptions) -> PgConnectOptions {
    let millis = |limit: Duration| format!("{}ms", limit.as_millis());
    options.options([
        ("lock_timeout", millis(LOCK_TIMEOUT)),
        ("statement_timeout", millis(STATEMENT_TIMEOUT)),
    ])
}

/// Bring the schema up to date holding the database's write lock, so
/// processes starting together on a new file take turns (for SQLite,
/// sqlx's migrator takes no lock of its own), and no newer process can
/// migrate between reading what the database needs and migrating. Each
/// migration runs in a savepoint.
pub(super) async fn migrate(pool: &SqlitePool, migrator: &Migrator) -> Result<Fit, StoreError> {
    let mut turn = pool.begin_with("BEGIN IMMEDIATE").await?;
    let found = compat::read::<sqlx::Sqlite>(&mut turn, migrator, no_such_table).await?;
    let fit = found.fit(migrator)?;
    compat::apply(migrator, fit, &mut *turn).await?;
    turn.commit().await?;
    Ok(fit)
}

/// Bring a PostgreSQL schema up to date on a connection of its own,
/// without [`bounded`]'s timeouts, holding sqlx's advisory lock: processes
/// starting together take turns, each waiting out the other's migrations
/// (one may rewrite a large table), and none migrates between another's
/// reading what the database needs and its migrating.
async fn migrate_postgres(options: &PgConnectOptions) -> Result<Fit, StoreError> {
    let migrating = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .map_err(|source| connect_error(options, source))?;
    let mut connection = migrating.acquire().await?;
    connection.lock().await?;
    let migrated = async {
        let found =
            compat::read::<sqlx::Postgres>(&mut connection, &pg::MIGRATOR, undefined).await?;
        let fit = found.fit(&pg::MIGRATOR)?;
        compat::apply(&pg::MIGRATOR, fit, &mut *connection).await?;
        Ok::<_, StoreError>(fit)
    }
    .await;
    // Released whatever happened.
    let unlocked = connection.unlock().await;
    drop(connection);
    migrating.close().await;
    let fit = migrated?;
    unlocked?;
    Ok(fit)
}

/// Say so when the database is newer than this build, which uses it all
/// the same: its changes since are additive.
fn warn_if_newer(fit: Fit) {
    if let Fit::Newer { database, newest } = fit {
        tracing::warn!(
            database,
            newest,
            "the database was migrated by a newer steady; its changes since this build's \
             newest migration are additive, so this build uses it. Upgrade this process soon"
        );
    }
}

/// What `steady check` reports of a database that exists, or why no
/// process of this build may use it.
fn present(found: &compat::Found, migrator: &Migrator) -> Result<Status, StoreError> {
    Ok(Status::Present {
        applied: found.applied(),
        pending: found.pending(migrator),
        fit: found.fit(migrator)?,
    })
}

/// SQLite's error for a database never migrated.
fn no_such_table(error: &dyn sqlx::error::DatabaseError) -> bool {
    error.message().starts_with("no such table")
}

/// PostgreSQL's for one (42P01: undefined_table).
fn undefined(error: &dyn sqlx::error::DatabaseError) -> bool {
    error.code().as_deref() == Some("42P01")
}

/// An instant stored as unix seconds; None for one chrono cannot hold.
pub(crate) fn instant(secs: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(secs, 0)
}

/// An in-memory database has no place on disk to look at.
fn check_place(url: &str, options: &SqliteConnectOptions) -> Result<(), StoreError> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(());
    }
    let path = options.get_filename();
    place::check(path).map_err(|source| StoreError::Place {
        path: path.to_owned(),
        source,
    })
}

fn open_error(options: &SqliteConnectOptions, source: sqlx::Error) -> StoreError {
    StoreError::Open {
        path: options.get_filename().to_owned(),
        source,
    }
}
