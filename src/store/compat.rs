//! Which databases a build may use: one no newer than its own migrations,
//! or one a newer build migrated further with changes this build can live
//! with (docs/SCALING.md, "Upgrades"), so an older process that restarts
//! during a rolling upgrade starts again.
//!
//! An older build cannot read migrations it was built without, so the
//! database says it: the one row of `schema_compat` holds the oldest
//! migration a build must know to use it, which each contract migration
//! raises (migrations/0013_schema_compat.sql). We chose a row over a
//! naming convention in `_sqlx_migrations.description` because the mark is
//! then in the SQL a reviewer reads beside the change it guards, survives a
//! file's rename, and can also be raised by a change no name would show (a
//! new meaning for old values); reading it is one query.

use super::StoreError;
use sqlx::error::DatabaseError;
use sqlx::migrate::{Migrate, MigrateError, Migrator};
use sqlx::{ColumnIndex, Database, Decode, Executor, IntoArguments, Type};

/// Where a database stands against a build's migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Checked as sqlx checks: every migration it has applied must be one
    /// of this build's, unchanged.
    Own,
    /// It has migrations newer than this build's newest, and says this build
    /// may use it all the same: the changes since are additive.
    Newer { database: i64, newest: i64 },
}

/// What a database says of its migrations, read under the lock that
/// migrating takes (or read-only, for `steady check`).
#[derive(Debug)]
pub(super) struct Found {
    /// Its applied migrations, in order.
    applied: Vec<i64>,
    /// The oldest migration a build must know, read only when it has
    /// applied one this build does not know.
    requires: Option<i64>,
}

/// Read what `fit` decides on. `never_migrated` tells the backend's error
/// for a database without `_sqlx_migrations`.
pub(super) async fn read<DB>(
    connection: &mut DB::Connection,
    migrator: &Migrator,
    never_migrated: impl Fn(&dyn DatabaseError) -> bool,
) -> Result<Found, sqlx::Error>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    usize: ColumnIndex<DB::Row>,
    i64: Type<DB> + for<'r> Decode<'r, DB>,
{
    let applied = sqlx::query_scalar(APPLIED)
        .fetch_all(&mut *connection)
        .await;
    let applied = match applied {
        Ok(applied) => applied,
        Err(sqlx::Error::Database(error)) if never_migrated(error.as_ref()) => Vec::new(),
        Err(error) => return Err(error),
    };
    let unknown = applied
        .iter()
        .any(|&version| !migrator.version_exists(version));
    let requires = match unknown {
        true => Some(sqlx::query_scalar(REQUIRES).fetch_one(connection).await?),
        false => None,
    };
    Ok(Found { applied, requires })
}

/// The migrations a database has applied, on either backend.
const APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
/// The oldest migration a build must know to use the database.
const REQUIRES: &str = "SELECT requires FROM schema_compat";

impl Found {
    /// How many of its migrations it has applied.
    pub(super) fn applied(&self) -> usize {
        self.applied.len()
    }

    /// How many of `migrator`'s migrations it has still to apply.
    pub(super) fn pending(&self, migrator: &Migrator) -> usize {
        migrator
            .iter()
            .filter(|migration| !self.applied.contains(&migration.version))
            .count()
    }

    /// Whether a build with `migrator` may use this database, or why not.
    pub(super) fn fit(&self, migrator: &Migrator) -> Result<Fit, StoreError> {
        let Some(requires) = self.requires else {
            return Ok(Fit::Own);
        };
        let newest = newest(migrator);
        // One below this build's newest came from another line of builds,
        // not a newer one: it is refused, as sqlx refuses anything unknown.
        let foreign = |&version: &i64| version < newest && !migrator.version_exists(version);
        if self.applied.iter().any(foreign) {
            return Ok(Fit::Own);
        }
        let database = self.applied.last().copied().unwrap_or(0);
        if requires > newest {
            return Err(StoreError::TooNew {
                database,
                newest,
                requires,
            });
        }
        Ok(Fit::Newer { database, newest })
    }
}

/// The newest migration `migrator` knows; 0 for none.
fn newest(migrator: &Migrator) -> i64 {
    migrator
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0)
}

/// Apply `migrator`'s pending migrations to a database that fits as `fit`,
/// holding its lock (the caller took it): what sqlx's `Migrator::run` does,
/// through sqlx's public `Migrate` trait, with our rule for migrations this
/// build does not know. It refuses a failed migration, and one of its own
/// whose checksum differs, as sqlx does.
///
/// Not `Migrator::run` itself: on a borrowed connection (a transaction's
/// or one holding a lock) its future is not `Send`, so neither is any
/// future awaiting it ("Acquire is not general enough": sqlx implements
/// `Acquire` for one borrow's lifetime, and rustc cannot prove `Send` for
/// every one); on the pool, it would migrate SQLite outside the write lock
/// that makes processes starting together take turns. sqlx's way around
/// the first, `run_direct`, is hidden from its docs and not promised to
/// stay.
pub(super) async fn apply<C: Migrate + Send>(
    migrator: &Migrator,
    fit: Fit,
    connection: &mut C,
) -> Result<(), MigrateError> {
    connection.ensure_migrations_table(TABLE).await?;
    if let Some(version) = connection.dirty_version(TABLE).await? {
        return Err(MigrateError::Dirty(version));
    }
    let applied = connection.list_applied_migrations(TABLE).await?;
    if fit == Fit::Own {
        if let Some(unknown) = applied.iter().find(|m| !migrator.version_exists(m.version)) {
            return Err(MigrateError::VersionMissing(unknown.version));
        }
    }
    let upward = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration());
    for migration in upward {
        match applied.iter().find(|m| m.version == migration.version) {
            Some(done) if done.checksum != migration.checksum => {
                return Err(MigrateError::VersionMismatch(migration.version));
            }
            Some(_) => {}
            None => {
                connection.apply(TABLE, migration).await?;
            }
        }
    }
    Ok(())
}

/// Where sqlx keeps the migrations applied.
const TABLE: &str = "_sqlx_migrations";
