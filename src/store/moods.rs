//! Mood taps, kept only for people who turned mood history on.

use super::{db_id, ensure_user, Store, StoreError};
use chrono::{DateTime, Utc};

impl Store {
    /// Whether the person keeps a mood history (off unless they chose it).
    pub async fn mood_history(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        let on = sqlx::query_scalar!(
            r#"SELECT mood_history AS "on: bool" FROM users WHERE user_id = ?"#,
            uid
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(on.unwrap_or(false))
    }

    /// Turn mood history on or off. Turning it off also forgets every mood
    /// (and urge tap) kept, at once; returns how many moods were forgotten.
    pub async fn set_mood_history(&self, user: u64, on: bool) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        // Turning it off creates nothing for someone steady does not know.
        if on {
            ensure_user(&mut tx, user).await?;
        }
        let uid = db_id(user);
        sqlx::query!(
            "UPDATE users SET mood_history = ? WHERE user_id = ?",
            on,
            uid
        )
        .execute(&mut *tx)
        .await?;
        let forgotten = if on {
            0
        } else {
            // Urge taps are kept with the mood history, and go with it.
            sqlx::query!("DELETE FROM urges WHERE user_id = ?", uid)
                .execute(&mut *tx)
                .await?;
            sqlx::query!("DELETE FROM moods WHERE user_id = ?", uid)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        };
        tx.commit().await?;
        Ok(forgotten)
    }

    /// Keep a mood tap (1..=5) made on check-in message `checkin` if the
    /// person keeps a history; true if kept. A second tap on the same
    /// message replaces the first: one check-in, one mood.
    pub async fn record_mood(
        &self,
        user: u64,
        mood: u8,
        at: DateTime<Utc>,
        checkin: u64,
    ) -> Result<bool, StoreError> {
        let (uid, at, mood, message) =
            (db_id(user), at.timestamp(), i64::from(mood), db_id(checkin));
        let done = sqlx::query!(
            "INSERT INTO moods (user_id, at, mood, checkin_message)
             SELECT user_id, ?, ?, ? FROM users WHERE user_id = ? AND mood_history
             ON CONFLICT (user_id, checkin_message) DO UPDATE SET
                 at = excluded.at, mood = excluded.mood",
            at,
            mood,
            message,
            uid
        )
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The person's moods at or after `since`, oldest first.
    pub async fn moods_since(
        &self,
        user: u64,
        since: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, u8)>, StoreError> {
        let (uid, since) = (db_id(user), since.timestamp());
        let rows = sqlx::query!(
            "SELECT at, mood FROM moods WHERE user_id = ? AND at >= ? ORDER BY at",
            uid,
            since
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some((
                    DateTime::from_timestamp(row.at, 0)?,
                    u8::try_from(row.mood).ok()?,
                ))
            })
            .collect())
    }
}
