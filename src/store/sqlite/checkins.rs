//! Daily check-ins: the person's chosen time and zone, when the next one is
//! due, and why it paused if it did.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::checkins::{Paused, Stored};
use steady_sql::{Checkins, Result};

impl Checkins for Sqlite {
    async fn set(
        conn: &mut SqliteConnection,
        user_id: i64,
        local_minute: i64,
        zone: &str,
        next_due: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO checkins (user_id, local_minute, zone, next_due, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET
                 local_minute = excluded.local_minute, zone = excluded.zone,
                 next_due = excluded.next_due, failures = 0, paused_at = NULL,
                 paused_why = NULL, pause_told = FALSE, updated_at = excluded.updated_at",
            user_id,
            local_minute,
            zone,
            next_due,
            now
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn get(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<Stored>> {
        sqlx::query_as!(
            Stored,
            r#"SELECT local_minute, zone, next_due, paused_at, paused_why
               FROM checkins WHERE user_id = ?"#,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM checkins WHERE user_id = ?", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn pause(
        conn: &mut SqliteConnection,
        user_id: i64,
        now: i64,
        why: &str,
        told: bool,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE checkins SET next_due = NULL, paused_at = ?, paused_why = ?,
                 pause_told = ?, updated_at = ?
             WHERE user_id = ?",
            now,
            why,
            told,
            now,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn snooze(conn: &mut SqliteConnection, user_id: i64, until: i64) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"UPDATE checkins SET next_due = MIN(next_due, ?), updated_at = ?
               WHERE user_id = ? AND next_due IS NOT NULL
               RETURNING next_due AS "next_due!""#,
            until,
            until,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn pause_untold(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let untold = sqlx::query_scalar!(
            r#"SELECT 1 AS "untold!: i64" FROM checkins
               WHERE user_id = ? AND paused_at IS NOT NULL AND NOT pause_told"#,
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(untold.is_some())
    }

    async fn take_pause_notice(
        conn: &mut SqliteConnection,
        user_id: i64,
    ) -> Result<Option<Paused>> {
        sqlx::query_as!(
            Paused,
            r#"UPDATE checkins SET pause_told = TRUE
               WHERE user_id = ? AND paused_at IS NOT NULL AND NOT pause_told
               RETURNING paused_at, paused_why"#,
            user_id
        )
        .fetch_optional(conn)
        .await
    }
}
