//! Daily check-ins as the scheduler claims them.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::due::checkins::DueCheckin;
use steady_sql::{DueCheckins, Result};

impl DueCheckins for Postgres {
    async fn due_checkins(
        conn: &mut PgConnection,
        now: i64,
        limit: i64,
    ) -> Result<Vec<DueCheckin>> {
        sqlx::query_as!(
            DueCheckin,
            r#"SELECT c.user_id, c.local_minute, c.zone, c.next_due AS "next_due!",
                  c.failures, u.dm_channel_id, u.locale, c.acted_at
           FROM checkins c JOIN users u ON u.user_id = c.user_id
           WHERE c.next_due <= $1 ORDER BY c.next_due LIMIT $2
           FOR UPDATE OF c SKIP LOCKED"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn pause_unreadable(
        conn: &mut PgConnection,
        user_id: i64,
        now: i64,
        why: &str,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE checkins SET next_due = NULL, paused_at = $1, paused_why = $2
         WHERE user_id = $3",
            now,
            why,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn advance_checkin(
        conn: &mut PgConnection,
        user_id: i64,
        next: i64,
        due: i64,
    ) -> Result<bool> {
        let moved = sqlx::query_scalar!(
            "UPDATE checkins SET next_due = $1, acted_at = NULL
         WHERE user_id = $2 AND next_due = $3 RETURNING user_id",
            next,
            user_id,
            due
        )
        .fetch_optional(conn)
        .await?;
        Ok(moved.is_some())
    }

    async fn unclaim_checkin(
        conn: &mut PgConnection,
        user_id: i64,
        due: i64,
        next: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE checkins SET next_due = $1, acted_at = $2 WHERE user_id = $3 AND next_due = $4",
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
        conn: &mut PgConnection,
        user_id: i64,
        next: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM checkins WHERE user_id = $1 AND next_due = $2",
            user_id,
            next
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_checkin(conn: &mut PgConnection) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(next_due) AS "at" FROM checkins WHERE next_due IS NOT NULL"#
        )
        .fetch_one(conn)
        .await
    }

    async fn checkin_delivered(conn: &mut PgConnection, user_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE checkins SET failures = 0 WHERE user_id = $1 AND failures > 0",
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn checkin_refused(
        conn: &mut PgConnection,
        user_id: i64,
        max: i64,
        now: i64,
        why: &str,
    ) -> Result<Option<bool>> {
        sqlx::query_scalar!(
            r#"UPDATE checkins SET
               failures = failures + 1,
               next_due = CASE WHEN failures + 1 >= $1 THEN NULL ELSE next_due END,
               paused_at = CASE WHEN failures + 1 >= $1 THEN $2 ELSE paused_at END,
               paused_why = CASE WHEN failures + 1 >= $1 THEN $3 ELSE paused_why END,
               pause_told = CASE WHEN failures + 1 >= $1 THEN FALSE ELSE pause_told END
           WHERE user_id = $4
           RETURNING next_due IS NULL AS "paused!""#,
            max,
            now,
            why,
            user_id
        )
        .fetch_optional(conn)
        .await
    }
}
