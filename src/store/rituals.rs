//! A server's daily moment to breathe together: claimed and advanced in one
//! transaction like a check-in (one post a day, exact across restarts and
//! DST), and the count of who joined its latest post, each person once,
//! shown at most once a minute in the words that post was made with.

use super::{db_id, instant, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use steady_sql::rituals::{Moment, Post};
use steady_sql::{Pool, Rituals};

/// A server's daily moment as set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ritual {
    pub guild: u64,
    pub channel: u64,
    pub time: TimeOfDay,
    pub zone: Tz,
    /// The breathing pattern's index.
    pub pattern: u32,
    pub locale: String,
    pub next_due: Option<DateTime<Utc>>,
}

/// A daily post claimed to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RitualPost {
    pub guild: u64,
    pub channel: u64,
    pub due: DateTime<Utc>,
    /// Where the claim moved it: a claim given back returns only from here.
    pub next: DateTime<Utc>,
    pub time: TimeOfDay,
    pub pattern: u32,
    pub locale: String,
    /// When an earlier process first tried it in a way Discord may have
    /// acted on, if it gave it back after such a try: retries end with
    /// Discord's memory of the nonce (`Policy::nonce_window`).
    pub acted: Option<DateTime<Utc>>,
}

/// A post whose count of joins is to be shown now, with where it is and
/// what it said when posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RitualCount {
    pub guild: u64,
    pub channel: u64,
    pub message: u64,
    pub joined: u32,
    pub time: TimeOfDay,
    pub locale: String,
}

impl Store {
    /// Set (or change) the server's daily moment; returns when the first
    /// post is due.
    pub async fn set_ritual(
        &self,
        ritual: &Ritual,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let next = next_due(ritual.zone, ritual.time, now);
        let moment = Moment {
            channel_id: db_id(ritual.channel),
            local_minute: i64::from(ritual.time.minutes()),
            zone: ritual.zone.name().to_owned(),
            pattern: i64::from(ritual.pattern),
            locale: ritual.locale.clone(),
            next_due: Some(next.timestamp()),
        };
        let (gid, at) = (db_id(ritual.guild), now.timestamp());
        on_backend!(self, pool: B => B::set(&mut *pool.acquire().await?, gid, &moment, at).await?);
        Ok(next)
    }

    /// The server's daily moment, if it has one.
    pub async fn ritual(&self, guild: u64) -> Result<Option<Ritual>, StoreError> {
        let gid = db_id(guild);
        let row = on_backend!(self, pool: B => B::get(&mut *pool.acquire().await?, gid).await?);
        Ok(row.and_then(|row| {
            Some(Ritual {
                guild,
                channel: row.channel_id as u64,
                time: TimeOfDay::from_minutes(row.local_minute)?,
                zone: row.zone.parse().ok()?,
                pattern: u32::try_from(row.pattern).ok()?,
                locale: row.locale,
                next_due: row.next_due.and_then(instant),
            })
        }))
    }

    /// Stop the server's daily moment (who joined its post goes with it);
    /// false if it had none.
    pub async fn stop_ritual(&self, guild: u64) -> Result<bool, StoreError> {
        let gid = db_id(guild);
        on_backend!(self, pool: B => Ok(B::stop(&mut *pool.acquire().await?, gid).await?))
    }

    /// The day's post is up as `message`: it is the one counted now, from 0,
    /// and what it says is kept for its count's edits. The joins of the post
    /// before it are forgotten.
    pub async fn ritual_posted(&self, post: &RitualPost, message: u64) -> Result<(), StoreError> {
        let kept = Post {
            message_id: db_id(message),
            channel_id: db_id(post.channel),
            local_minute: i64::from(post.time.minutes()),
            locale: &post.locale,
        };
        on_backend!(self, pool: B => posted::<B>(pool, db_id(post.guild), &kept).await)
    }

    /// `user` began breathing from the post `message`: true if that counted
    /// them now, false if they were counted on it already or it is not the
    /// server's latest (an older day's post still breathes, but is not
    /// counted).
    pub async fn ritual_joined(
        &self,
        guild: u64,
        message: u64,
        user: u64,
    ) -> Result<bool, StoreError> {
        let (gid, message, uid) = (db_id(guild), db_id(message), db_id(user));
        on_backend!(self, pool: B => joined::<B>(pool, gid, message, uid).await)
    }
}

/// [`Store::ritual_posted`] in one write transaction, so the count and the
/// joins it counts change together.
async fn posted<B: Rituals>(pool: &Pool<B>, gid: i64, post: &Post<'_>) -> Result<(), StoreError> {
    let mut tx = B::write(pool).await?;
    B::posted(&mut tx, gid, post).await?;
    tx.commit().await?;
    Ok(())
}

/// [`Store::ritual_joined`] in one write transaction, so the join and the
/// count it adds to are kept together.
async fn joined<B: Rituals>(
    pool: &Pool<B>,
    gid: i64,
    message: i64,
    uid: i64,
) -> Result<bool, StoreError> {
    let mut tx = B::write(pool).await?;
    let counted = B::joined(&mut tx, gid, message, uid).await?;
    tx.commit().await?;
    Ok(counted)
}
