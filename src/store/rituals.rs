//! A server's daily moment to breathe together: claimed and advanced in one
//! transaction like a check-in (one post a day, exact across restarts and
//! DST), and the count of who joined its latest post, shown at most once a
//! minute.

use super::{db_id, instant, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sqlx::SqliteConnection;

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

/// A post whose count of joins is to be shown now.
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
        .execute(self.pool())
        .await?;
        Ok(next)
    }

    /// The server's daily moment, if it has one.
    pub async fn ritual(&self, guild: u64) -> Result<Option<Ritual>, StoreError> {
        let gid = db_id(guild);
        let row = sqlx::query!(
            "SELECT channel_id, local_minute, zone, pattern, locale, next_due
             FROM rituals WHERE guild_id = ?",
            gid
        )
        .fetch_optional(self.pool())
        .await?;
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

    /// Stop the server's daily moment; false if it had none.
    pub async fn stop_ritual(&self, guild: u64) -> Result<bool, StoreError> {
        let gid = db_id(guild);
        let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = ?", gid)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Give back a claimed post that was not sent (steady is stopping),
    /// unless the moment changed meanwhile.
    pub async fn unclaim_ritual(&self, post: &RitualPost) -> Result<bool, StoreError> {
        let (gid, due, next) = (
            db_id(post.guild),
            post.due.timestamp(),
            post.next.timestamp(),
        );
        let done = sqlx::query!(
            "UPDATE rituals SET next_due = ? WHERE guild_id = ? AND next_due = ?",
            due,
            gid,
            next
        )
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The day's post is up as `message`: its count of joins starts at 0.
    pub async fn ritual_posted(&self, guild: u64, message: u64) -> Result<(), StoreError> {
        let (gid, message) = (db_id(guild), db_id(message));
        sqlx::query!(
            "UPDATE rituals SET message_id = ?, joined = 0, shown = 0, shown_at = NULL
             WHERE guild_id = ?",
            message,
            gid
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A count claimed but not shown (steady is stopping): shown again a
    /// minute after the last one.
    pub async fn unclaim_count(&self, count: &RitualCount) -> Result<bool, StoreError> {
        let (gid, message) = (db_id(count.guild), db_id(count.message));
        let done = sqlx::query!(
            "UPDATE rituals SET shown = 0 WHERE guild_id = ? AND message_id = ?",
            gid,
            message
        )
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Someone joined the post `message`; false if it is not the server's
    /// latest (an older day's post still breathes, but is not counted).
    pub async fn ritual_joined(&self, guild: u64, message: u64) -> Result<bool, StoreError> {
        let (gid, message) = (db_id(guild), db_id(message));
        let done = sqlx::query!(
            "UPDATE rituals SET joined = joined + 1 WHERE guild_id = ? AND message_id = ?",
            gid,
            message
        )
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// Claim up to `limit` daily posts due at `now`, within the caller's write
/// transaction ([`Store::claim`]): each is advanced to its next day in it,
/// so only its claimer posts it.
pub(super) async fn claim_ritual_posts(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualPost>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = sqlx::query!(
        r#"SELECT guild_id, channel_id, local_minute, zone, pattern, locale,
                  next_due AS "next_due!"
           FROM rituals WHERE next_due <= ? ORDER BY next_due LIMIT ?"#,
        at,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let parsed = TimeOfDay::from_minutes(row.local_minute)
            .zip(row.zone.parse::<Tz>().ok())
            .zip(instant(row.next_due));
        let Some(((time, zone), due)) = parsed else {
            tracing::error!("a daily moment that could not be read was stopped");
            sqlx::query!(
                "UPDATE rituals SET next_due = NULL WHERE guild_id = ?",
                row.guild_id
            )
            .execute(&mut *tx)
            .await?;
            continue;
        };
        // From the later of now and the due instant: no backlog.
        let next = next_due(zone, time, now.max(due)).timestamp();
        let moved = sqlx::query!(
            "UPDATE rituals SET next_due = ? WHERE guild_id = ? AND next_due = ?",
            next,
            row.guild_id,
            row.next_due
        )
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            continue;
        }
        claimed.push(RitualPost {
            guild: row.guild_id as u64,
            channel: row.channel_id as u64,
            due,
            next: instant(next).unwrap_or(due),
            time,
            pattern: u32::try_from(row.pattern).unwrap_or(0),
            locale: row.locale,
        });
    }
    Ok(claimed)
}

/// Claim up to `limit` posts whose count of joins may be shown now (it
/// changed, and was last shown at least [`COUNT_EVERY`] ago), within the
/// caller's write transaction.
pub(super) async fn claim_counts(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualCount>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let since = (now - COUNT_EVERY).timestamp();
    let rows = sqlx::query!(
        r#"UPDATE rituals SET shown = joined, shown_at = ?
           WHERE guild_id IN (
               SELECT guild_id FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
                 AND (shown_at IS NULL OR shown_at <= ?)
               LIMIT ?)
           RETURNING guild_id, channel_id, message_id AS "message_id!", joined,
                     local_minute, locale"#,
        at,
        since,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(RitualCount {
                guild: row.guild_id as u64,
                channel: row.channel_id as u64,
                message: row.message_id as u64,
                joined: u32::try_from(row.joined).ok()?,
                time: TimeOfDay::from_minutes(row.local_minute)?,
                locale: row.locale,
            })
        })
        .collect())
}

/// PORT: the PostgreSQL twin of the SQLite claim above (same meaning; rows
/// locked with `FOR UPDATE SKIP LOCKED`), inside the caller's transaction.
pub(super) async fn claim_ritual_posts_pg(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualPost>, StoreError> {
    let _ = (tx, now, limit);
    unimplemented!("PORT claim_ritual_posts_pg")
}

/// PORT: the PostgreSQL twin of the SQLite claim above (same meaning; rows
/// locked with `FOR UPDATE SKIP LOCKED`), inside the caller's transaction.
pub(super) async fn claim_counts_pg(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualCount>, StoreError> {
    let _ = (tx, now, limit);
    unimplemented!("PORT claim_counts_pg")
}
