//! A server's daily moment to breathe together: claimed and advanced in one
//! transaction like a check-in (one post a day, exact across restarts and
//! DST), and the count of who joined its latest post, each person once,
//! shown at most once a minute in the words that post was made with.

use super::{db_id, instant, pg, write, Db, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// How often a post's count of joins may change: each change is an edit
/// with the bot's token, drawn from the global budget.
pub const COUNT_EVERY: TimeDelta = TimeDelta::minutes(1);

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
        let (gid, channel) = (db_id(ritual.guild), db_id(ritual.channel));
        let (minute, zone) = (i64::from(ritual.time.minutes()), ritual.zone.name());
        let (pattern, due, at) = (i64::from(ritual.pattern), next.timestamp(), now.timestamp());
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                let moment = pg::rituals::Moment {
                    channel_id: channel,
                    local_minute: minute,
                    zone: zone.to_owned(),
                    pattern,
                    locale: ritual.locale.clone(),
                    next_due: Some(due),
                };
                pg::rituals::set(pool, gid, &moment, at).await?;
                return Ok(next);
            }
        };
        sqlx::query!(
            "INSERT INTO rituals (guild_id, channel_id, local_minute, zone, pattern, locale,
                                  next_due, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, local_minute = excluded.local_minute,
                 zone = excluded.zone, pattern = excluded.pattern, locale = excluded.locale,
                 next_due = excluded.next_due, updated_at = excluded.updated_at",
            gid,
            channel,
            minute,
            zone,
            pattern,
            ritual.locale,
            due,
            at
        )
        .execute(pool)
        .await?;
        Ok(next)
    }

    /// The server's daily moment, if it has one.
    pub async fn ritual(&self, guild: u64) -> Result<Option<Ritual>, StoreError> {
        let gid = db_id(guild);
        let row = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as!(
                    pg::rituals::Moment,
                    "SELECT channel_id, local_minute, zone, pattern, locale, next_due
             FROM rituals WHERE guild_id = ?",
                    gid
                )
                .fetch_optional(pool)
                .await?
            }
            Db::Postgres(pool) => pg::rituals::get(pool, gid).await?,
        };
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
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::rituals::stop(pool, gid).await?),
        };
        let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = ?", gid)
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The day's post is up as `message`: it is the one counted now, from 0,
    /// and what it says is kept for its count's edits. The joins of the post
    /// before it are forgotten.
    pub async fn ritual_posted(&self, post: &RitualPost, message: u64) -> Result<(), StoreError> {
        let (gid, message) = (db_id(post.guild), db_id(message));
        let (channel, minute) = (db_id(post.channel), i64::from(post.time.minutes()));
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                let kept = pg::rituals::Post {
                    message_id: message,
                    channel_id: channel,
                    local_minute: minute,
                    locale: &post.locale,
                };
                return Ok(pg::rituals::posted(pool, gid, &kept).await?);
            }
        };
        let mut tx = write(pool).await?;
        sqlx::query!(
            "UPDATE rituals SET message_id = ?, post_channel = ?, post_minute = ?,
                                post_locale = ?, joined = 0, shown = 0, shown_at = NULL
             WHERE guild_id = ?",
            message,
            channel,
            minute,
            post.locale,
            gid
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "DELETE FROM ritual_joins WHERE guild_id = ? AND message_id <> ?",
            gid,
            message
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
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
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::rituals::joined(pool, gid, message, uid).await?),
        };
        let mut tx = write(pool).await?;
        let counted = sqlx::query!(
            "INSERT INTO ritual_joins (guild_id, message_id, user_id)
             SELECT guild_id, message_id, ? FROM rituals WHERE guild_id = ? AND message_id = ?
             ON CONFLICT DO NOTHING",
            uid,
            gid,
            message
        )
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if counted {
            sqlx::query!(
                "UPDATE rituals SET joined = joined + 1 WHERE guild_id = ?",
                gid
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(counted)
    }
}
