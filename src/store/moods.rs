//! Mood taps, kept only for people who turned mood history on.

use super::{db_id, ensure_user, ensure_user_pg, pg, write, write_pg, Db, Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;

/// How many moods may have been kept in the day before a tap on a check-in
/// the person asked for (`/checkin now`) for that tap to be kept too. A
/// script may ask for a check-in every 20 s, and the chart shows one value
/// a day; the daily check-in's own tap is always kept.
pub const ASKED_MOODS_A_DAY: i64 = 10;

/// What became of a mood tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoodTap {
    Kept,
    /// They keep no mood history: it is stored nowhere.
    NotKept,
    /// [`ASKED_MOODS_A_DAY`] moods were kept in the day before it.
    DayFull,
}

impl Store {
    /// Whether the person keeps a mood history (off unless they chose it).
    pub async fn mood_history(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        let on = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar!(
                    r#"SELECT mood_history AS "on: bool" FROM users WHERE user_id = ?"#,
                    uid
                )
                .fetch_optional(pool)
                .await?
            }
            Db::Postgres(pool) => pg::moods::history(pool, uid).await?,
        };
        Ok(on.unwrap_or(false))
    }

    /// Turn mood history on or off. Turning it off also forgets every mood
    /// (and urge tap) kept, at once; returns how many moods were forgotten.
    pub async fn set_mood_history(&self, user: u64, on: bool) -> Result<u64, StoreError> {
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return set_mood_history_pg(pool, user, on).await;
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
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

    /// Keep a mood tap (1..=5) made on daily check-in message `checkin` if
    /// the person keeps a history; true if kept. A second tap on the same
    /// message replaces the first: one check-in, one mood, and the daily
    /// check-ins are few enough to keep every one.
    pub async fn record_mood(
        &self,
        user: u64,
        mood: u8,
        at: DateTime<Utc>,
        checkin: u64,
    ) -> Result<bool, StoreError> {
        let (uid, at, mood, message) =
            (db_id(user), at.timestamp(), i64::from(mood), db_id(checkin));
        match &self.db {
            Db::Sqlite(pool) => keep(pool, uid, at, mood, message).await,
            Db::Postgres(pool) => Ok(pg::moods::record(pool, uid, at, mood, message).await?),
        }
    }

    /// [`Store::record_mood`] for a check-in the person asked for: kept only
    /// while fewer than [`ASKED_MOODS_A_DAY`] moods were kept in the day
    /// before `at` (a second tap on the same check-in still replaces its
    /// first, adding nothing).
    pub async fn record_asked_mood(
        &self,
        user: u64,
        mood: u8,
        at: DateTime<Utc>,
        checkin: u64,
    ) -> Result<MoodTap, StoreError> {
        let (uid, mood, message) = (db_id(user), i64::from(mood), db_id(checkin));
        let (since, at) = ((at - TimeDelta::days(1)).timestamp(), at.timestamp());
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                // The person's row locked first: their taps take turns, so
                // two at once cannot both take the last room.
                let mut tx = write_pg(pool).await?;
                if pg::moods::lock_history(&mut tx, uid).await? != Some(true) {
                    return Ok(MoodTap::NotKept);
                }
                let recent = pg::moods::recent(&mut tx, uid, since, message).await?;
                if !room(&recent) {
                    return Ok(MoodTap::DayFull);
                }
                pg::moods::record(&mut *tx, uid, at, mood, message).await?;
                tx.commit().await?;
                return Ok(MoodTap::Kept);
            }
        };
        let mut tx = write(pool).await?;
        let on = sqlx::query_scalar!(
            r#"SELECT mood_history AS "on: bool" FROM users WHERE user_id = ?"#,
            uid
        )
        .fetch_optional(&mut *tx)
        .await?;
        if on != Some(true) {
            return Ok(MoodTap::NotKept);
        }
        let recent = sqlx::query_as!(
            pg::moods::Recent,
            r#"SELECT (SELECT COUNT(*) FROM moods WHERE user_id = ? AND at > ?) AS "count!: i64",
                      EXISTS (SELECT 1 FROM moods WHERE user_id = ? AND checkin_message = ?)
                          AS "again!: bool""#,
            uid,
            since,
            uid,
            message
        )
        .fetch_one(&mut *tx)
        .await?;
        if !room(&recent) {
            return Ok(MoodTap::DayFull);
        }
        keep(&mut *tx, uid, at, mood, message).await?;
        tx.commit().await?;
        Ok(MoodTap::Kept)
    }

    /// The person's moods at or after `since`, oldest first.
    pub async fn moods_since(
        &self,
        user: u64,
        since: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, u8)>, StoreError> {
        let (uid, since) = (db_id(user), since.timestamp());
        let rows = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as!(
                    pg::moods::Mood,
                    "SELECT at, mood FROM moods WHERE user_id = ? AND at >= ? ORDER BY at",
                    uid,
                    since
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => pg::moods::since(pool, uid, since).await?,
        };
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

/// [`Store::set_mood_history`] on PostgreSQL. Turning it on locks the
/// person's row (creating it); turning it off locks it by the update, so a
/// tap arriving meanwhile waits and then finds the history off.
async fn set_mood_history_pg(pool: &PgPool, user: u64, on: bool) -> Result<u64, StoreError> {
    let mut tx = write_pg(pool).await?;
    // Turning it off creates nothing for someone steady does not know.
    if on {
        ensure_user_pg(&mut tx, user).await?;
    }
    let uid = db_id(user);
    pg::moods::set_history(&mut tx, uid, on).await?;
    let forgotten = if on {
        0
    } else {
        pg::moods::forget(&mut tx, uid).await?
    };
    tx.commit().await?;
    Ok(forgotten)
}

/// Whether a tap on a check-in asked for may be kept beside `recent`.
fn room(recent: &pg::moods::Recent) -> bool {
    recent.again || recent.count < ASKED_MOODS_A_DAY
}

/// Keep the tap (SQLite) if the person keeps a history, replacing an
/// earlier tap on the same check-in: whether it was kept.
async fn keep<'c, E>(
    executor: E,
    uid: i64,
    at: i64,
    mood: i64,
    message: i64,
) -> Result<bool, StoreError>
where
    E: sqlx::SqliteExecutor<'c>,
{
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
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}
