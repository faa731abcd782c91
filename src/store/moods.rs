//! Mood taps, kept only for people who turned mood history on.

use super::{db_id, Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use steady_sql::moods::Recent;
use steady_sql::{Moods, Pool};

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
        let on = on_backend!(self, pool: B => B::history(&mut *pool.acquire().await?, uid).await?);
        Ok(on.unwrap_or(false))
    }

    /// Turn mood history on or off. Turning it off also forgets every mood
    /// (and urge tap) kept, at once; returns how many moods were forgotten.
    pub async fn set_mood_history(&self, user: u64, on: bool) -> Result<u64, StoreError> {
        on_backend!(self, pool: B => set_history::<B>(pool, db_id(user), on).await)
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
        on_backend!(self, pool: B => {
            Ok(B::record(&mut *pool.acquire().await?, uid, at, mood, message).await?)
        })
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
        on_backend!(self, pool: B => record_asked::<B>(pool, uid, mood, message, at, since).await)
    }

    /// The person's moods at or after `since`, oldest first.
    pub async fn moods_since(
        &self,
        user: u64,
        since: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, u8)>, StoreError> {
        let (uid, since) = (db_id(user), since.timestamp());
        let rows =
            on_backend!(self, pool: B => B::since(&mut *pool.acquire().await?, uid, since).await?);
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

/// [`Store::set_mood_history`]. Turning it on holds the person's row
/// (creating it); turning it off holds it by the update, so a tap arriving
/// meanwhile waits and then finds the history off.
async fn set_history<B: Moods>(pool: &Pool<B>, uid: i64, on: bool) -> Result<u64, StoreError> {
    let mut tx = B::write(pool).await?;
    // Turning it off creates nothing for someone steady does not know.
    if on {
        B::hold_person(&mut tx, uid, Utc::now().timestamp()).await?;
    }
    B::set_history(&mut tx, uid, on).await?;
    // Urge taps are kept with the mood history, and go with it.
    let forgotten = if on {
        0
    } else {
        B::forget(&mut tx, uid).await?
    };
    tx.commit().await?;
    Ok(forgotten)
}

/// [`Store::record_asked_mood`]: the person's row held first, so their
/// taps take turns and two at once cannot both take the last room.
async fn record_asked<B: Moods>(
    pool: &Pool<B>,
    uid: i64,
    mood: i64,
    message: i64,
    at: i64,
    since: i64,
) -> Result<MoodTap, StoreError> {
    let mut tx = B::write(pool).await?;
    if B::lock_history(&mut tx, uid).await? != Some(true) {
        return Ok(MoodTap::NotKept);
    }
    let recent = B::recent(&mut tx, uid, since, message).await?;
    if !room(&recent) {
        return Ok(MoodTap::DayFull);
    }
    B::record(&mut tx, uid, at, mood, message).await?;
    tx.commit().await?;
    Ok(MoodTap::Kept)
}

/// Whether a tap on a check-in asked for may be kept beside `recent`.
fn room(recent: &Recent) -> bool {
    recent.again || recent.count < ASKED_MOODS_A_DAY
}
