//! Evening journal reminders: the person's chosen time and zone, when the
//! next one is due, and whether refused DMs paused it.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::journal_reminders::Stored;
use steady_sql::{JournalReminders, Result};

impl JournalReminders for Sqlite {
    async fn set_journal_reminder(
        conn: &mut SqliteConnection,
        user_id: i64,
        local_minute: i64,
        zone: &str,
        next_due: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO journal_reminders (user_id, local_minute, zone, next_due, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET
                 local_minute = excluded.local_minute, zone = excluded.zone,
                 next_due = excluded.next_due, failures = 0, paused_at = NULL, pause_told = FALSE,
                 acted_at = NULL, updated_at = excluded.updated_at",
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

    async fn get_journal_reminder(
        conn: &mut SqliteConnection,
        user_id: i64,
    ) -> Result<Option<Stored>> {
        sqlx::query_as!(
            Stored,
            "SELECT local_minute, zone, next_due, failures, paused_at, updated_at
             FROM journal_reminders WHERE user_id = ?",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn journal_reminder_pause_untold(
        conn: &mut SqliteConnection,
        user_id: i64,
    ) -> Result<bool> {
        let untold = sqlx::query_scalar!(
            r#"SELECT 1 AS "untold!: i64" FROM journal_reminders
               WHERE user_id = ? AND paused_at IS NOT NULL AND NOT pause_told"#,
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(untold.is_some())
    }

    async fn take_journal_reminder_pause_notice(
        conn: &mut SqliteConnection,
        user_id: i64,
    ) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"UPDATE journal_reminders SET pause_told = TRUE
               WHERE user_id = ? AND paused_at IS NOT NULL AND NOT pause_told
               RETURNING paused_at AS "paused_at!: i64""#,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop_journal_reminder(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM journal_reminders WHERE user_id = ?", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
