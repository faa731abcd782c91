//! How many joined a server's latest daily post: each change an edit of the
//! post with the bot's token, shown at most once every [`COUNT_EVERY`], in
//! the words that post was made with.

use super::kind::{rows, Kind};
use super::DueSql;
use crate::daily::time::TimeOfDay;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{db_id, RitualCount, StoreError};
use crate::timing::COUNT_EVERY;
use chrono::{DateTime, Utc};
use steady_sql::due::counts::DueCount;
use steady_sql::Conn;

impl Kind for RitualCount {
    const WHAT: &'static str = "join count";

    /// Those that changed and were last shown at least [`COUNT_EVERY`] ago.
    /// Each says what its post said: a moment changed since keeps its
    /// post's time, language and channel.
    async fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<RitualCount>, StoreError> {
        let since = (now - COUNT_EVERY).timestamp();
        let due = B::claim_counts(tx, now.timestamp(), since, rows(limit)).await?;
        Ok(due.into_iter().filter_map(count_of).collect())
    }

    async fn next<B: DueSql>(conn: &mut Conn<B>) -> Result<Option<i64>, StoreError> {
        Ok(B::next_count(conn, COUNT_EVERY.num_seconds()).await?)
    }

    /// Shown again a minute after the last one, unless a newer post
    /// replaced it. An edit made twice is still one message: nothing to
    /// keep of how it was tried.
    async fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        _acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        Ok(B::unclaim_count(conn, db_id(self.guild), db_id(self.message)).await?)
    }

    /// Due when claimed: it is never late, only held back.
    fn due(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// An edit: `steady_edits_total` counts it.
    fn count(_: &Metrics, _: DeliveryOutcome) {}
}

/// A claimed count as shown; None when the row cannot be read.
fn count_of(row: DueCount) -> Option<RitualCount> {
    Some(RitualCount {
        guild: row.guild_id as u64,
        channel: row.channel_id as u64,
        message: row.message_id as u64,
        joined: u32::try_from(row.joined).ok()?,
        time: TimeOfDay::from_minutes(row.local_minute)?,
        locale: row.locale,
    })
}
