//! The `users` row every personal row hangs off, and what it caches.

use super::{pg, Store, StoreError};
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use steady_sql::{Backend, Users};

impl Store {
    /// The cached DM channel id for `user`, if known.
    pub async fn dm_channel(&self, user: u64) -> Result<Option<u64>, StoreError> {
        let uid = db_id(user);
        let channel =
            on_backend!(self, pool: B => B::dm_channel(&mut *pool.acquire().await?, uid).await?);
        Ok(channel.map(|id| id as u64))
    }

    /// Whether steady keeps anything about `user`: everything hangs off
    /// their `users` row, but a wait stands alone.
    pub async fn knows(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => Ok(B::knows(&mut *pool.acquire().await?, uid).await?))
    }

    /// Remember `user`'s DM channel, if steady keeps anything of them. It
    /// never creates the person's row: a DM still in flight when they
    /// deleted their data must not bring them back.
    pub async fn remember_dm_channel(&self, user: u64, channel: u64) -> Result<(), StoreError> {
        let (channel, uid) = (db_id(channel), db_id(user));
        on_backend!(self, pool: B => Ok(B::remember_dm_channel(&mut *pool.acquire().await?, uid, channel).await?))
    }

    /// Keep `locale` as the language to write later DMs in, for someone
    /// steady already keeps something for; nobody else gets a row from it.
    pub async fn remember_locale(&self, user: u64, locale: &str) -> Result<(), StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => Ok(B::remember_locale(&mut *pool.acquire().await?, uid, locale).await?))
    }
}

/// Discord ids are u64 snowflakes; BIGINT is signed. `as i64` (and back with
/// `as u64`) round-trips every value bit for bit.
pub(super) fn db_id(id: u64) -> i64 {
    id as i64
}

/// A SQLite transaction that holds the write lock from its start, so a
/// count-then-insert cannot race another writer (a deferred one would fail
/// with "busy" on upgrade). PostgreSQL's writes lock the rows they need
/// instead (`ensure_user_pg`).
pub(super) async fn write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, StoreError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// PostgreSQL's write transaction (read committed); what must not race
/// locks its rows (`ensure_user_pg` locks the person's).
pub(super) async fn write_pg(
    pool: &sqlx::PgPool,
) -> Result<Transaction<'static, Postgres>, StoreError> {
    Ok(pool.begin().await?)
}

/// Create the person's `users` row if it is not there yet.
pub(super) async fn ensure_user(tx: &mut SqliteConnection, user: u64) -> Result<(), StoreError> {
    let (uid, now) = (db_id(user), chrono::Utc::now().timestamp());
    sqlx::query!(
        "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
        uid,
        now
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// [`ensure_user`] on PostgreSQL, which also locks the row until the
/// transaction ends, as SQLite's write lock would.
pub(super) async fn ensure_user_pg(tx: &mut PgConnection, user: u64) -> Result<(), StoreError> {
    let now = chrono::Utc::now().timestamp();
    Ok(pg::Postgres::hold_person(tx, db_id(user), now).await?)
}
