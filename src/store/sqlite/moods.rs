//! Mood taps and urge taps, kept only for people whose `users` row says
//! they keep a mood history; the write transaction's lock keeps a tap from
//! racing the history being turned off.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::moods::{Mood, Recent};
use steady_sql::{Moods, Result};

impl Moods for Sqlite {
    async fn history(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<bool>> {
        sqlx::query_scalar!(
            r#"SELECT mood_history AS "on: bool" FROM users WHERE user_id = ?"#,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    /// The write transaction already holds every row.
    async fn lock_history(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<bool>> {
        Self::history(conn, user_id).await
    }

    async fn set_history(conn: &mut SqliteConnection, user_id: i64, on: bool) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET mood_history = ? WHERE user_id = ?",
            on,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn forget(conn: &mut SqliteConnection, user_id: i64) -> Result<u64> {
        sqlx::query!("DELETE FROM urges WHERE user_id = ?", user_id)
            .execute(&mut *conn)
            .await?;
        let done = sqlx::query!("DELETE FROM moods WHERE user_id = ?", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected())
    }

    async fn recent(
        conn: &mut SqliteConnection,
        user_id: i64,
        since: i64,
        checkin_message: i64,
    ) -> Result<Recent> {
        sqlx::query_as!(
            Recent,
            r#"SELECT (SELECT COUNT(*) FROM moods WHERE user_id = ? AND at > ?) AS "count!: i64",
                      EXISTS (SELECT 1 FROM moods WHERE user_id = ? AND checkin_message = ?)
                          AS "again!: bool""#,
            user_id,
            since,
            user_id,
            checkin_message
        )
        .fetch_one(conn)
        .await
    }

    async fn record(
        conn: &mut SqliteConnection,
        user_id: i64,
        at: i64,
        mood: i64,
        checkin_message: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO moods (user_id, at, mood, checkin_message)
             SELECT user_id, ?, ?, ? FROM users WHERE user_id = ? AND mood_history
             ON CONFLICT (user_id, checkin_message) DO UPDATE SET
                 at = excluded.at, mood = excluded.mood",
            at,
            mood,
            checkin_message,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn since(conn: &mut SqliteConnection, user_id: i64, since: i64) -> Result<Vec<Mood>> {
        sqlx::query_as!(
            Mood,
            "SELECT at, mood FROM moods WHERE user_id = ? AND at >= ? ORDER BY at",
            user_id,
            since
        )
        .fetch_all(conn)
        .await
    }
}
