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
        seen_at: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO sessions
             (interaction_id, user_id, application_id, token, started_at, locale, owner, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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
            owner,
            seen_at
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

    async fn stopping(conn: &mut PgConnection, owner: &str) -> Result<Vec<i64>> {
        sqlx::query_scalar!(
            "SELECT interaction_id FROM sessions WHERE owner = $1 AND stop_requested",
            owner
        )
        .fetch_all(conn)
        .await
    }

    async fn take_dead(
        conn: &mut PgConnection,
        dead: &[String],
        dead_after: i64,
    ) -> Result<Vec<Unfinished>> {
        sqlx::query_as!(
            Unfinished,
            "DELETE FROM sessions
             WHERE owner = ANY($1)
                OR (NOT EXISTS (SELECT 1 FROM processes p WHERE p.owner = sessions.owner)
                    AND seen_at < extract(epoch FROM now())::BIGINT - $2)
             RETURNING interaction_id, user_id, application_id, token, started_at, locale",
            dead,
            dead_after
        )
        .fetch_all(conn)
        .await
    }
}
