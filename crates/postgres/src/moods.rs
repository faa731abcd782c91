//! Mood taps and urge taps, kept only for people whose `users` row says
//! they keep a mood history. Each write of a tap locks that row `FOR
//! SHARE`, so turning the history off (an update of the row, then a delete
//! of their taps) either waits for the tap and deletes it, or is seen and
//! nothing is kept.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::moods::{Mood, Recent};
use steady_sql::{Moods, Result};

impl Moods for Postgres {
    async fn history(conn: &mut PgConnection, user_id: i64) -> Result<Option<bool>> {
        sqlx::query_scalar!("SELECT mood_history FROM users WHERE user_id = $1", user_id)
            .fetch_optional(conn)
            .await
    }

    async fn lock_history(conn: &mut PgConnection, user_id: i64) -> Result<Option<bool>> {
        sqlx::query_scalar!(
            "SELECT mood_history FROM users WHERE user_id = $1 FOR NO KEY UPDATE",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn set_history(conn: &mut PgConnection, user_id: i64, on: bool) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET mood_history = $1 WHERE user_id = $2",
            on,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn forget(conn: &mut PgConnection, user_id: i64) -> Result<u64> {
        sqlx::query!("DELETE FROM urges WHERE user_id = $1", user_id)
            .execute(&mut *conn)
            .await?;
        let done = sqlx::query!("DELETE FROM moods WHERE user_id = $1", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected())
    }

    async fn recent(
        conn: &mut PgConnection,
        user_id: i64,
        since: i64,
        checkin_message: i64,
    ) -> Result<Recent> {
        sqlx::query_as!(
            Recent,
            r#"SELECT (SELECT COUNT(*) FROM moods WHERE user_id = $1 AND at > $2) AS "count!",
                  EXISTS (SELECT 1 FROM moods WHERE user_id = $1 AND checkin_message = $3)
                      AS "again!""#,
            user_id,
            since,
            checkin_message
        )
        .fetch_one(conn)
        .await
    }

    async fn record(
        conn: &mut PgConnection,
        user_id: i64,
        at: i64,
        mood: i64,
        checkin_message: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO moods (user_id, at, mood, checkin_message)
         SELECT user_id, $1, $2, $3 FROM users WHERE user_id = $4 AND mood_history FOR SHARE
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

    async fn since(conn: &mut PgConnection, user_id: i64, since: i64) -> Result<Vec<Mood>> {
        sqlx::query_as!(
            Mood,
            "SELECT at, mood FROM moods WHERE user_id = $1 AND at >= $2 ORDER BY at",
            user_id,
            since
        )
        .fetch_all(conn)
        .await
    }
}
