//! The ends of waits as the scheduler claims them.

use super::super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::due::waits::DueWait;
use steady_sql::{DueWaits, Result};

impl DueWaits for Sqlite {
    async fn delete_sent_waits(conn: &mut SqliteConnection, stale: i64) -> Result<()> {
        sqlx::query!(
            "DELETE FROM waits WHERE due IS NULL AND ends_at <= ?",
            stale
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn due_waits(conn: &mut SqliteConnection, now: i64, limit: i64) -> Result<Vec<DueWait>> {
        sqlx::query_as!(
            DueWait,
            r#"SELECT w.user_id, w.started_at, w.minutes, w.due AS "due!", w.private AS "private: bool",
                  w.locale, w.application_id, w.token, u.dm_channel_id, w.acted_at,
                  w.draft_id AS "draft_id?"
           FROM waits w LEFT JOIN users u ON u.user_id = w.user_id
           WHERE w.due <= ? ORDER BY w.due LIMIT ?"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn claim_wait(
        conn: &mut SqliteConnection,
        user_id: i64,
        due: i64,
    ) -> Result<Option<Option<i64>>> {
        sqlx::query_scalar!(
            "UPDATE waits SET due = NULL, acted_at = NULL WHERE user_id = ? AND due = ?
             RETURNING urge_before",
            user_id,
            due
        )
        .fetch_optional(conn)
        .await
    }

    async fn unclaim_wait(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        due: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE waits SET due = ends_at, acted_at = ?
             WHERE user_id = ? AND started_at = ? AND ends_at = ? AND due IS NULL",
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
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        due: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM waits
             WHERE user_id = ? AND started_at = ? AND ends_at = ? AND due IS NULL",
            user_id,
            started_at,
            due
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_wait(conn: &mut SqliteConnection, keep: i64) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(COALESCE(due, ends_at + ?)) AS "at: i64" FROM waits"#,
            keep
        )
        .fetch_one(conn)
        .await
    }
}
