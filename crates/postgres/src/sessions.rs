//! Paced exercises under way, one row per person, each owned by the
//! process running it.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::sessions::Unfinished;
use steady_sql::{Result, Sessions};

impl Sessions for Postgres {
    async fn begin(
        conn: &mut PgConnection,
        interaction_id: i64,
        user_id: i64,
        application_id: i64,
        token: &str,
        started_at: i64,
        locale: &str,
        owner: &str,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO sessions
             (interaction_id, user_id, application_id, token, started_at, locale, owner, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $5)
         ON CONFLICT (user_id) DO UPDATE SET
             interaction_id = excluded.interaction_id,
             application_id = excluded.application_id, token = excluded.token,
             started_at = excluded.started_at, locale = excluded.locale,
             stop_requested = FALSE, seen_at = excluded.seen_at
         WHERE sessions.owner = excluded.owner",
            interaction_id,
            user_id,
            application_id,
            token,
            started_at,
            locale,
            owner
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn end(conn: &mut PgConnection, interaction_id: i64) -> Result<()> {
        sqlx::query!(
            "DELETE FROM sessions WHERE interaction_id = $1",
            interaction_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn request_stop(
        conn: &mut PgConnection,
        user_id: i64,
        interaction_id: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE sessions SET stop_requested = TRUE
         WHERE user_id = $1 AND ($2::BIGINT IS NULL OR interaction_id = $2)",
            user_id,
            interaction_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn seen(conn: &mut PgConnection, owner: &str, now: i64) -> Result<Vec<(i64, bool)>> {
        let rows = sqlx::query!(
            "UPDATE sessions SET seen_at = $1 WHERE owner = $2
         RETURNING interaction_id, stop_requested",
            now,
            owner
        )
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.interaction_id, row.stop_requested))
            .collect())
    }

    async fn take_unfinished(
        conn: &mut PgConnection,
        owner: Option<&str>,
        stale_before: i64,
    ) -> Result<Vec<Unfinished>> {
        sqlx::query_as!(
            Unfinished,
            "DELETE FROM sessions WHERE owner = $1 OR seen_at < $2
         RETURNING interaction_id, user_id, application_id, token, started_at, locale",
            owner,
            stale_before
        )
        .fetch_all(conn)
        .await
    }
}
