//! A server's daily moment to breathe together: claimed and advanced in one
//! transaction like a check-in (one post a day, exact across restarts and
//! DST), and the count of who joined its latest post, each person once,
//! shown at most once a minute in the words that post was made with.

use super::{db_id, instant, pg, Db, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use crate::timing::COUNT_EVERY;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::SqliteConnection;
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

    /// Give back a claimed post that was not sent (steady is stopping),
    /// unless the moment changed meanwhile.
    pub async fn unclaim_ritual(&self, post: &RitualPost) -> Result<bool, StoreError> {
        let (gid, due, next) = (
            db_id(post.guild),
            post.due.timestamp(),
            post.next.timestamp(),
        );
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::rituals::advance(pool, gid, next, due).await?),
        };
        let done = sqlx::query!(
            "UPDATE rituals SET next_due = ? WHERE guild_id = ? AND next_due = ?",
            due,
            gid,
            next
        )
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
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

    /// A count claimed but not shown (steady is stopping): shown again a
    /// minute after the last one.
    pub async fn unclaim_count(&self, count: &RitualCount) -> Result<bool, StoreError> {
        let (gid, message) = (db_id(count.guild), db_id(count.message));
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::rituals::unclaim_count(pool, gid, message).await?),
        };
        let done = sqlx::query!(
            "UPDATE rituals SET shown = 0 WHERE guild_id = ? AND message_id = ?",
            gid,
            message
        )
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
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

/// Claim up to `limit` daily posts due at `now`, within the caller's write
/// transaction ([`Store::claim`]): each is advanced to its next day in it,
/// so only its claimer posts it.
pub(super) async fn claim_ritual_posts(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualPost>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = sqlx::query_as!(
        pg::rituals::DuePost,
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
        let (guild, due) = (row.guild_id, row.next_due);
        let Some((post, next)) = post_of(row, now) else {
            tracing::error!("a daily moment that could not be read was stopped");
            sqlx::query!(
                "UPDATE rituals SET next_due = NULL WHERE guild_id = ?",
                guild
            )
            .execute(&mut *tx)
            .await?;
            continue;
        };
        let moved = sqlx::query!(
            "UPDATE rituals SET next_due = ? WHERE guild_id = ? AND next_due = ?",
            next,
            guild,
            due
        )
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 1 {
            claimed.push(post);
        }
    }
    Ok(claimed)
}

/// The post a due moment makes now, and the instant (unix seconds) its
/// moment moves to; None when the row cannot be read.
fn post_of(row: pg::rituals::DuePost, now: DateTime<Utc>) -> Option<(RitualPost, i64)> {
    let time = TimeOfDay::from_minutes(row.local_minute)?;
    let zone = row.zone.parse::<Tz>().ok()?;
    let due = instant(row.next_due)?;
    // From the later of now and the due instant: no backlog.
    let next = next_due(zone, time, now.max(due)).timestamp();
    let post = RitualPost {
        guild: row.guild_id as u64,
        channel: row.channel_id as u64,
        due,
        next: instant(next).unwrap_or(due),
        time,
        pattern: u32::try_from(row.pattern).unwrap_or(0),
        locale: row.locale,
    };
    Some((post, next))
}

/// Claim up to `limit` posts whose count of joins may be shown now (it
/// changed, and was last shown at least [`COUNT_EVERY`] ago), within the
/// caller's write transaction. Each says what its post said: a moment
/// changed since keeps its post's time, language and channel.
pub(super) async fn claim_counts(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualCount>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let since = (now - COUNT_EVERY).timestamp();
    let rows = sqlx::query_as!(
        pg::rituals::Count,
        r#"UPDATE rituals SET shown = joined, shown_at = ?
           WHERE guild_id IN (
               SELECT guild_id FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
                 AND (shown_at IS NULL OR shown_at <= ?)
               LIMIT ?)
           RETURNING guild_id, COALESCE(post_channel, channel_id) AS "channel_id!: i64",
                     message_id AS "message_id!", joined,
                     COALESCE(post_minute, local_minute) AS "local_minute!: i64",
                     COALESCE(post_locale, locale) AS "locale!: String""#,
        at,
        since,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().filter_map(count_of).collect())
}

/// A claimed count as shown; None when the row cannot be read.
fn count_of(row: pg::rituals::Count) -> Option<RitualCount> {
    Some(RitualCount {
        guild: row.guild_id as u64,
        channel: row.channel_id as u64,
        message: row.message_id as u64,
        joined: u32::try_from(row.joined).ok()?,
        time: TimeOfDay::from_minutes(row.local_minute)?,
        locale: row.locale,
    })
}

/// [`claim_ritual_posts`] on PostgreSQL, inside the caller's transaction:
/// the due rows are locked, and those another claimer holds skipped.
pub(super) async fn claim_ritual_posts_pg(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualPost>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = pg::rituals::due_posts(&mut *tx, at, limit).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let (guild, due) = (row.guild_id, row.next_due);
        let Some((post, next)) = post_of(row, now) else {
            tracing::error!("a daily moment that could not be read was stopped");
            pg::rituals::halt(&mut *tx, guild).await?;
            continue;
        };
        if pg::rituals::advance(&mut *tx, guild, due, next).await? {
            claimed.push(post);
        }
    }
    Ok(claimed)
}

/// [`claim_counts`] on PostgreSQL, inside the caller's transaction: the
/// rows are locked, and those another claimer holds skipped.
pub(super) async fn claim_counts_pg(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<RitualCount>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let since = (now - COUNT_EVERY).timestamp();
    let rows = pg::rituals::claim_counts(&mut *tx, at, since, limit).await?;
    Ok(rows.into_iter().filter_map(count_of).collect())
}
