//! The ends of waits as the scheduler claims them.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::due::waits::DueWait;
use steady_sql::{DueWaits, Result};

impl DueWaits for Postgres {
    /// Those another transaction holds (a forget, an end pressed) are left
    /// for a later claim: a claim waits for no wait's row.
    async fn delete_sent_waits(conn: &mut PgConnection, stale: i64) -> Result<()> {
        sqlx::query!(
            "DELETE FROM waits WHERE user_id IN (
                 SELECT user_id FROM waits WHERE due IS NULL AND ends_at <= $1
                 FOR UPDATE SKIP LOCKED)",
            stale
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn due_waits(conn: &mut PgConnection, now: i64, limit: i64) -> Result<Vec<DueWait>> {
        sqlx::query_as!(
            DueWait,
            r#"SELECT w.user_id, w.started_at, w.minutes, w.due AS "due!", w.private,
                  w.locale, w.application_id, w.token, u.dm_channel_id AS "dm_channel_id?", w.acted_at,
                  w.draft_id AS "draft_id?"
           FROM waits w LEFT JOIN users u ON u.user_id = w.user_id
           WHERE w.due <= $1 ORDER BY w.due LIMIT $2
           FOR UPDATE OF w SKIP LOCKED"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn claim_wait(
        conn: &mut PgConnection,
        user_id: i64,
        due: i64,
    ) -> Result<Option<Option<i64>>> {
        sqlx::query_scalar!(
            "UPDATE waits SET due = NULL, acted_at = NULL WHERE user_id = $1 AND due = $2
         RETURNING urge_before",
            user_id,
            due
        )
        .fetch_optional(conn)
        .await
    }

    async fn unclaim_wait(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        due: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE waits SET due = ends_at, acted_at = $1
         WHERE user_id = $2 AND started_at = $3 AND ends_at = $4 AND due IS NULL",
            acted,
            user_id,
            started_at,
            due
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn wait_still_claimed(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        due: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM waits
         WHERE user_id = $1 AND started_at = $2 AND ends_at = $3 AND due IS NULL",
            user_id,
            started_at,
            due
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_wait(conn: &mut PgConnection, keep: i64) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(COALESCE(due, ends_at + $1)) AS "at" FROM waits"#,
            keep
        )
        .fetch_one(conn)
        .await
    }
}
