//! The processes sharing the database, each its own sign of life, judged by
//! the database's clock: for SQLite, one file on one machine, that
//! machine's (`unixepoch()`).

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::{Processes, Result};

impl Processes for Sqlite {
    async fn arrive(conn: &mut SqliteConnection, owner: &str, shards: &str) -> Result<()> {
        sqlx::query!(
            "INSERT INTO processes (owner, shards, seen_at) VALUES (?, ?, unixepoch())
             ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at",
            owner,
            shards
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn beat(conn: &mut SqliteConnection, owner: &str) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE processes SET seen_at = unixepoch() WHERE owner = ?",
            owner
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn twins(
        conn: &mut SqliteConnection,
        owner: &str,
        shards: &str,
        dead_after: i64,
    ) -> Result<Vec<i64>> {
        sqlx::query_scalar!(
            r#"SELECT unixepoch() - seen_at AS "ago!: i64" FROM processes
               WHERE shards = ? AND owner <> ? AND seen_at >= unixepoch() - ?"#,
            shards,
            owner,
            dead_after
        )
        .fetch_all(conn)
        .await
    }

    async fn leave(conn: &mut SqliteConnection, owner: &str) -> Result<()> {
        sqlx::query!("UPDATE processes SET seen_at = 0 WHERE owner = ?", owner)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn any_dead(conn: &mut SqliteConnection, dead_after: i64) -> Result<bool> {
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM processes WHERE seen_at < unixepoch() - ?)
               AS "dead!: bool""#,
            dead_after
        )
        .fetch_one(conn)
        .await
    }

    async fn forget_dead(conn: &mut SqliteConnection, dead_after: i64) -> Result<Vec<String>> {
        sqlx::query_scalar!(
            "DELETE FROM processes WHERE seen_at < unixepoch() - ? RETURNING owner",
            dead_after
        )
        .fetch_all(conn)
        .await
    }
}
