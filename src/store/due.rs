//! Everything the scheduler sends on its clock, claimed together: the ends
//! of waits (a one-off, due once), servers' daily moments and the counts
//! on their posts, and the daily check-ins.

use super::checkins::{claim_checkins, claim_checkins_pg};
use super::rituals::{claim_counts, claim_counts_pg, claim_ritual_posts, claim_ritual_posts_pg};
use super::waits::{claim_wait_ends, claim_wait_ends_pg};
use super::{
    instant, pg, write, write_pg, Claimed, Db, RitualCount, RitualPost, Store, StoreError, WaitEnd,
    KEEP_ENDED,
};
use crate::timing::COUNT_EVERY;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, SqliteConnection};

/// One thing claimed to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    Checkin(Claimed),
    Wait(WaitEnd),
    Ritual(RitualPost),
    /// How many joined a daily moment: an edit of its post.
    Count(RitualCount),
}

impl Due {
    /// Whose it is: a person's id, or a server's.
    pub fn owner(&self) -> u64 {
        match self {
            Due::Checkin(checkin) => checkin.user,
            Due::Wait(end) => end.user,
            Due::Ritual(post) => post.guild,
            Due::Count(count) => count.guild,
        }
    }

    /// The instant it was due. A count is due when claimed: it is never
    /// late, only held back to once a minute.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            Due::Checkin(checkin) => Some(checkin.due),
            Due::Wait(end) => Some(end.due),
            Due::Ritual(post) => Some(post.due),
            Due::Count(_) => None,
        }
    }
}

impl Store {
    /// Claim up to `limit` things due at `now`, in one write transaction
    /// (one commit, however many kinds are due). A wait's end goes first:
    /// someone is sitting with an urge until it comes. Then a server's
    /// daily moment (its post says the time), then check-ins, which may be
    /// a little late without anyone waiting on them, then counts.
    pub async fn claim(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Due>, StoreError> {
        match &self.db {
            Db::Sqlite(pool) => {
                let mut tx = write(pool).await?;
                let due = claim_in(&mut *tx, now, limit).await?;
                tx.commit().await?;
                Ok(due)
            }
            // Each kind's rows are locked with SKIP LOCKED, so processes
            // claiming at once take different rows instead of waiting.
            Db::Postgres(pool) => {
                let mut tx = write_pg(pool).await?;
                let due = claim_in(&mut *tx, now, limit).await?;
                tx.commit().await?;
                Ok(due)
            }
        }
    }

    /// The earliest instant the scheduler has anything to do: a check-in,
    /// a wait's end (or the hour after it was sent, when its row goes), a
    /// daily moment, or a count that may be shown. One read, on the
    /// partial indexes, so an idle wake-up stays cheap.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let (keep, every) = (KEEP_ENDED.num_seconds(), COUNT_EVERY.num_seconds());
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                let next = pg::due::next_due(pool, keep, every).await?;
                return Ok(next.and_then(instant));
            }
        };
        let next = sqlx::query_scalar!(
            r#"SELECT MIN(at) AS "at: i64" FROM (
                   SELECT MIN(next_due) AS at FROM checkins WHERE next_due IS NOT NULL
                   UNION ALL
                   SELECT MIN(COALESCE(due, ends_at + ?)) FROM waits
                   UNION ALL
                   SELECT MIN(next_due) FROM rituals WHERE next_due IS NOT NULL
                   UNION ALL
                   SELECT MIN(COALESCE(shown_at + ?, 0)) FROM rituals
                   WHERE message_id IS NOT NULL AND joined > shown
               )"#,
            keep,
            every
        )
        .fetch_one(pool)
        .await?;
        Ok(next.and_then(instant))
    }

    /// Give back something claimed but not sent (steady is stopping).
    pub async fn give_back(&self, due: &Due) -> Result<bool, StoreError> {
        match due {
            Due::Checkin(checkin) => self.unclaim(checkin).await,
            Due::Wait(end) => self.unclaim_wait(end).await,
            Due::Ritual(post) => self.unclaim_ritual(post).await,
            Due::Count(count) => self.unclaim_count(count).await,
        }
    }
}

/// Each kind's claim on one backend's connection, inside the caller's
/// transaction, so [`claim_in`] orders them once for both backends.
trait Claims {
    async fn wait_ends(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<WaitEnd>, StoreError>;
    async fn ritual_posts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualPost>, StoreError>;
    async fn checkins(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError>;
    async fn counts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualCount>, StoreError>;
}

impl Claims for SqliteConnection {
    async fn wait_ends(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<WaitEnd>, StoreError> {
        claim_wait_ends(self, now, limit).await
    }
    async fn ritual_posts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualPost>, StoreError> {
        claim_ritual_posts(self, now, limit).await
    }
    async fn checkins(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        claim_checkins(self, now, limit).await
    }
    async fn counts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualCount>, StoreError> {
        claim_counts(self, now, limit).await
    }
}

impl Claims for PgConnection {
    async fn wait_ends(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<WaitEnd>, StoreError> {
        claim_wait_ends_pg(self, now, limit).await
    }
    async fn ritual_posts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualPost>, StoreError> {
        claim_ritual_posts_pg(self, now, limit).await
    }
    async fn checkins(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        claim_checkins_pg(self, now, limit).await
    }
    async fn counts(
        &mut self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualCount>, StoreError> {
        claim_counts_pg(self, now, limit).await
    }
}

/// Up to `limit` things due at `now`, in [`Store::claim`]'s order.
async fn claim_in(
    tx: &mut impl Claims,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Due>, StoreError> {
    let mut due: Vec<Due> = tx
        .wait_ends(now, limit)
        .await?
        .into_iter()
        .map(Due::Wait)
        .collect();
    let room = limit.saturating_sub(due.len());
    if room > 0 {
        due.extend(
            tx.ritual_posts(now, room)
                .await?
                .into_iter()
                .map(Due::Ritual),
        );
    }
    let room = limit.saturating_sub(due.len());
    if room > 0 {
        due.extend(tx.checkins(now, room).await?.into_iter().map(Due::Checkin));
    }
    let room = limit.saturating_sub(due.len());
    if room > 0 {
        due.extend(tx.counts(now, room).await?.into_iter().map(Due::Count));
    }
    Ok(due)
}
