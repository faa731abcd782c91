//! SQLite's answers to the store's queries (`steady-sql`), one module per
//! group of tables, checked by sqlx against `migrations/`.

mod anchors;
mod checkins;
mod due;
mod journal;
mod keyring;
mod moods;
mod mydata;
mod processes;
mod rituals;
mod servers;
mod sessions;
mod users;
mod waits;

use sqlx::{SqliteConnection, SqlitePool};
use steady_sql::{Backend, Result, Tx};

/// SQLite, as a backend of steady's store.
pub(crate) enum Sqlite {}

impl Backend for Sqlite {
    type Db = sqlx::Sqlite;

    /// Holds the database's write lock from its start.
    async fn write(pool: &SqlitePool) -> Result<Tx<Self>> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// The transaction's write lock already holds every row.
    async fn hold_person(conn: &mut SqliteConnection, user_id: i64, now: i64) -> Result<()> {
        sqlx::query!(
            "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
            user_id,
            now
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn lock_person(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let found = sqlx::query_scalar!("SELECT user_id FROM users WHERE user_id = ?", user_id)
            .fetch_optional(conn)
            .await?;
        Ok(found.is_some())
    }

    async fn clock(conn: &mut SqliteConnection) -> Result<i64> {
        sqlx::query_scalar!(r#"SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER) AS "now!: i64""#)
            .fetch_one(conn)
            .await
    }
}
