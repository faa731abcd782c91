//! The end of a wait ("Wait with me"): a one-off, marked sent in the
//! transaction that hands it to the scheduler. A sent wait is kept
//! [`KEEP_ENDED`] for its end's buttons, then deleted by a later claim.

use super::kind::{rows, Kind};
use super::DueSql;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{db_id, instant, OnMessage, StoreError, WaitEnd, KEEP_ENDED};
use chrono::{DateTime, Utc};
use steady_sql::due::waits::DueWait;
use steady_sql::Conn;

impl Kind for WaitEnd {
    const WHAT: &'static str = "wait end";

    /// Earliest first. The wait's first tap is kept in the history of
    /// someone who keeps one, as its end stops the taps.
    async fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<WaitEnd>, StoreError> {
        B::delete_sent_waits(&mut *tx, (now - KEEP_ENDED).timestamp()).await?;
        let due = B::due_waits(&mut *tx, now.timestamp(), rows(limit)).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            // Only a row this update really moved is ours.
            let Some(before) = B::claim_wait(&mut *tx, row.user_id, row.due).await? else {
                continue;
            };
            if let Some(before) = before {
                B::keep_first_tap(&mut *tx, row.user_id, row.started_at, before).await?;
            }
            claimed.extend(end_of(row));
        }
        Ok(claimed)
    }

    /// Its end, or the hour after it was sent, when its row goes.
    async fn next<B: DueSql>(conn: &mut Conn<B>) -> Result<Option<i64>, StoreError> {
        Ok(B::next_wait(conn, KEEP_ENDED.num_seconds()).await?)
    }

    /// Unless the wait ended or changed meanwhile.
    async fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let (started, due) = (self.started.timestamp(), self.due.timestamp());
        let acted = acted.map(|at| at.timestamp());
        Ok(B::unclaim_wait(conn, db_id(self.user), started, due, acted).await?)
    }

    /// The same wait, not ended or forgotten.
    async fn wanted<B: DueSql>(&self, conn: &mut Conn<B>) -> Result<bool, StoreError> {
        let (started, due) = (self.started.timestamp(), self.due.timestamp());
        Ok(B::wait_still_claimed(conn, db_id(self.user), started, due).await?)
    }

    fn due(&self) -> Option<DateTime<Utc>> {
        Some(self.due)
    }

    fn acted(&self) -> Option<DateTime<Utc>> {
        self.acted
    }

    fn count(metrics: &Metrics, outcome: DeliveryOutcome) {
        metrics.wait_end(outcome.into());
    }
}

/// A claimed row as the scheduler's end; None (claimed, never sent) for
/// instants chrono cannot hold.
fn end_of(row: DueWait) -> Option<WaitEnd> {
    Some(WaitEnd {
        user: row.user_id as u64,
        due: instant(row.due)?,
        started: instant(row.started_at)?,
        minutes: u32::try_from(row.minutes).unwrap_or(0),
        private: row.private,
        locale: row.locale,
        on_message: (row.application_id.zip(row.token)).map(|(application, token)| OnMessage {
            application: application as u64,
            token,
        }),
        dm_channel: row.dm_channel_id.map(|id| id as u64),
        acted: row.acted_at.and_then(instant),
        draft: row.draft_id,
    })
}
