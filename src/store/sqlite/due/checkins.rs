//! Daily check-ins as the scheduler claims them.

use super::super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::due::checkins::DueCheckin;
use steady_sql::{DueCheckins, Result};

impl DueCheckins for Sqlite {
    async fn due_checkins(
        conn: &mut SqliteConnection,
        now: i64,
        limit: i64,
    ) -> Result<Vec<DueCheckin>> {
        sqlx::query_as!(
            DueCheckin,
            r#"SELECT c.user_id, c.local_minute, c.zone, c.next_due AS "next_due!",
                  c.failures, u.dm_channel_id, u.locale, c.acted_at
           FROM checkins c JOIN users u ON u.user_id = c.user_id
           WHERE c.next_due <= ? ORDER BY c.next_due LIMIT ?"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn pause_unreadable(
        conn: &mut SqliteConnection,
        user_id: i64,
        now: i64,
        why: &str,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE checkins SET next_due = NULL, paused_at = ?, paused_why = ?
                 WHERE user_id = ?",
            now,
            why,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn advance_checkin(
        conn: &mut SqliteConnection,
        user_id: i64,
        next: i64,
        due: i64,
    ) -> Result<bool> {
        let moved = sqlx::query_scalar!(
            "UPDATE checkins SET next_due = ?, acted_at = NULL
             WHERE user_id = ? AND next_due = ? RETURNING user_id",
            next,
            user_id,
            due
        )
        .fetch_optional(conn)
        .await?;
        Ok(moved.is_some())
    }

    async fn unclaim_checkin(
        conn: &mut SqliteConnection,
        user_id: i64,
        due: i64,
        next: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE checkins SET next_due = ?, acted_at = ? WHERE user_id = ? AND next_due = ?",
            due,
            acted,
            user_id,
            next
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn checkin_still_claimed(
        conn: &mut SqliteConnection,
        user_id: i64,
        next: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM checkins WHERE user_id = ? AND next_due = ?",
            user_id,
            next
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_checkin(conn: &mut SqliteConnection) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(next_due) AS "at: i64" FROM checkins WHERE next_due IS NOT NULL"#
        )
        .fetch_one(conn)
        .await
    }

    async fn checkin_delivered(conn: &mut SqliteConnection, user_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE checkins SET failures = 0 WHERE user_id = ? AND failures > 0",
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn checkin_refused(
        conn: &mut SqliteConnection,
        user_id: i64,
        max: i64,
        now: i64,
        why: &str,
    ) -> Result<Option<bool>> {
        sqlx::query_scalar!(
            r#"UPDATE checkins SET
                   failures = failures + 1,
                   next_due = CASE WHEN failures + 1 >= ? THEN NULL ELSE next_due END,
                   paused_at = CASE WHEN failures + 1 >= ? THEN ? ELSE paused_at END,
                   paused_why = CASE WHEN failures + 1 >= ? THEN ? ELSE paused_why END,
                   pause_told = CASE WHEN failures + 1 >= ? THEN FALSE ELSE pause_told END
               WHERE user_id = ?
               RETURNING next_due IS NULL AS "paused!: bool""#,
            max,
            max,
            now,
            max,
            why,
            max,
            user_id
        )
        .fetch_optional(conn)
        .await
    }
}
