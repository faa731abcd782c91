//! The processes sharing the database, each its own sign of life, judged by
//! the server's clock (`now()`), whichever machine asks.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::{Processes, Result};

impl Processes for Postgres {
    async fn arrive(conn: &mut PgConnection, owner: &str, shards: &str) -> Result<()> {
        sqlx::query!(
            "INSERT INTO processes (owner, shards, seen_at)
             VALUES ($1, $2, extract(epoch FROM now())::BIGINT)
             ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at",
            owner,
            shards
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn beat(conn: &mut PgConnection, owner: &str) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE processes SET seen_at = extract(epoch FROM now())::BIGINT WHERE owner = $1",
            owner
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn twins(
        conn: &mut PgConnection,
        owner: &str,
        shards: &str,
        dead_after: i64,
    ) -> Result<Vec<i64>> {
        sqlx::query_scalar!(
            r#"SELECT extract(epoch FROM now())::BIGINT - seen_at AS "ago!" FROM processes
               WHERE shards = $1 AND owner <> $2
                 AND seen_at >= extract(epoch FROM now())::BIGINT - $3"#,
            shards,
            owner,
            dead_after
        )
        .fetch_all(conn)
        .await
    }

    async fn leave(conn: &mut PgConnection, owner: &str) -> Result<()> {
        sqlx::query!("UPDATE processes SET seen_at = 0 WHERE owner = $1", owner)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn any_dead(conn: &mut PgConnection, dead_after: i64) -> Result<bool> {
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM processes
                              WHERE seen_at < extract(epoch FROM now())::BIGINT - $1)
               AS "dead!""#,
            dead_after
        )
        .fetch_one(conn)
        .await
    }

    async fn forget_dead(conn: &mut PgConnection, dead_after: i64) -> Result<Vec<String>> {
        sqlx::query_scalar!(
            "DELETE FROM processes WHERE seen_at < extract(epoch FROM now())::BIGINT - $1
             RETURNING owner",
            dead_after
        )
        .fetch_all(conn)
        .await
    }
}
