//! A server's daily moment to breathe together: its post is claimed and
//! the moment advanced in one transaction like a check-in, one post a day,
//! exact across restarts and DST.

use super::kind::{rows, Kind};
use super::DueSql;
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{db_id, instant, RitualPost, StoreError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use steady_sql::due::posts::DuePost;
use steady_sql::Conn;

impl Kind for RitualPost {
    const WHAT: &'static str = "daily moment";

    /// Earliest first; a moment that cannot be read is stopped instead.
    async fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualPost>, StoreError> {
        let due = B::due_posts(&mut *tx, now.timestamp(), rows(limit)).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            let (guild, due) = (row.guild_id, row.next_due);
            let Some((post, next)) = post_of(row, now) else {
                tracing::error!("a daily moment that could not be read was stopped");
                B::halt_post(&mut *tx, guild).await?;
                continue;
            };
            if B::move_post(&mut *tx, guild, due, next, None).await? {
                claimed.push(post);
            }
        }
        Ok(claimed)
    }

    async fn next<B: DueSql>(conn: &mut Conn<B>) -> Result<Option<i64>, StoreError> {
        Ok(B::next_post(conn).await?)
    }

    /// Unless the moment changed meanwhile.
    async fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let (due, next) = (self.due.timestamp(), self.next.timestamp());
        let acted = acted.map(|at| at.timestamp());
        Ok(B::move_post(conn, db_id(self.guild), next, due, acted).await?)
    }

    /// Still where the claim moved it: not stopped, changed or forgotten.
    async fn wanted<B: DueSql>(&self, conn: &mut Conn<B>) -> Result<bool, StoreError> {
        let next = self.next.timestamp();
        Ok(B::post_still_claimed(conn, db_id(self.guild), next).await?)
    }

    fn due(&self) -> Option<DateTime<Utc>> {
        Some(self.due)
    }

    fn acted(&self) -> Option<DateTime<Utc>> {
        self.acted
    }

    fn count(metrics: &Metrics, outcome: DeliveryOutcome) {
        metrics.ritual_post(outcome.into());
    }
}

/// The post a due moment makes now, and the instant (unix seconds) its
/// moment moves to; None when the row cannot be read.
fn post_of(row: DuePost, now: DateTime<Utc>) -> Option<(RitualPost, i64)> {
    let time = TimeOfDay::from_minutes(row.local_minute)?;
    let zone = row.zone.parse::<Tz>().ok()?;
    let due = instant(row.next_due)?;
    let acted = row.acted_at.and_then(instant);
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
        acted,
    };
    Some((post, next))
}
