//! Evening journal reminders as the scheduler claims them.

use super::super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::due::journal_reminders::DueJournalReminder;
use steady_sql::{DueJournalReminders, Result};

impl DueJournalReminders for Sqlite {
    async fn due_journal_reminders(
        conn: &mut SqliteConnection,
        now: i64,
        limit: i64,
    ) -> Result<Vec<DueJournalReminder>> {
        sqlx::query_as!(
            DueJournalReminder,
            r#"SELECT r.user_id, r.local_minute, r.zone, r.next_due AS "next_due!",
                  r.failures, u.dm_channel_id, u.locale, r.acted_at
           FROM journal_reminders r JOIN users u ON u.user_id = r.user_id
           WHERE r.next_due <= ? ORDER BY r.next_due LIMIT ?"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn pause_journal_reminder(
        conn: &mut SqliteConnection,
        user_id: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE journal_reminders SET next_due = NULL, paused_at = ?, pause_told = FALSE
             WHERE user_id = ?",
            now,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn advance_journal_reminder(
        conn: &mut SqliteConnection,
        user_id: i64,
        next: i64,
        due: i64,
    ) -> Result<bool> {
        let moved = sqlx::query_scalar!(
            "UPDATE journal_reminders SET next_due = ?, acted_at = NULL
             WHERE user_id = ? AND next_due = ? RETURNING user_id",
            next,
            user_id,
            due
        )
        .fetch_optional(conn)
        .await?;
        Ok(moved.is_some())
    }

    async fn unclaim_journal_reminder(
        conn: &mut SqliteConnection,
        user_id: i64,
        due: i64,
        next: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE journal_reminders SET next_due = ?, acted_at = ?
             WHERE user_id = ? AND next_due = ?",
            due,
            acted,
            user_id,
            next
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn journal_reminder_still_claimed(
        conn: &mut SqliteConnection,
        user_id: i64,
        next: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM journal_reminders WHERE user_id = ? AND next_due = ?",
            user_id,
            next
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_journal_reminder(conn: &mut SqliteConnection) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(next_due) AS "at: i64" FROM journal_reminders WHERE next_due IS NOT NULL"#
        )
        .fetch_one(conn)
        .await
    }

    async fn journal_reminder_delivered(conn: &mut SqliteConnection, user_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE journal_reminders SET failures = 0 WHERE user_id = ? AND failures > 0",
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn journal_reminder_refused(
        conn: &mut SqliteConnection,
        user_id: i64,
        max: i64,
        now: i64,
    ) -> Result<Option<bool>> {
        sqlx::query_scalar!(
            r#"UPDATE journal_reminders SET
                   failures = failures + 1,
                   next_due = CASE WHEN failures + 1 >= ? THEN NULL ELSE next_due END,
                   paused_at = CASE WHEN failures + 1 >= ? THEN ? ELSE paused_at END,
                   pause_told = CASE WHEN failures + 1 >= ? THEN FALSE ELSE pause_told END
               WHERE user_id = ?
               RETURNING next_due IS NULL AS "paused!: bool""#,
            max,
            max,
            now,
            max,
            user_id
        )
        .fetch_optional(conn)
        .await
    }
}
