//! An evening journal reminder: a check-in's twin (`checkin.rs`). A due row
//! is advanced to its next day in the transaction that hands it to the
//! scheduler, and refused DMs, counted, pause it after too many.

use super::kind::{rows, Answered, Kind};
use super::DueSql;
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{db_id, instant, ClaimedReminder, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use steady_sql::due::journal_reminders::DueJournalReminder;
use steady_sql::Conn;

impl Kind for ClaimedReminder {
    const WHAT: &'static str = "journal reminder";

    /// Earliest first; a stored zone the time zone database no longer
    /// knows pauses its reminder instead.
    async fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<ClaimedReminder>, StoreError> {
        let at = now.timestamp();
        let due = B::due_journal_reminders(&mut *tx, at, rows(limit)).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            let Some((time, zone, due)) = readable(&row) else {
                B::pause_journal_reminder(&mut *tx, row.user_id, at).await?;
                continue;
            };
            // From the later of now and the due instant: after downtime the
            // next is still tomorrow's, never a backlog.
            let next = next_due(zone, time, now.max(due));
            // Only a row this update really moved is ours.
            let (user, next_at) = (row.user_id, next.timestamp());
            if !B::advance_journal_reminder(&mut *tx, user, next_at, row.next_due).await? {
                continue;
            }
            claimed.push(claim(row, due, next, zone));
        }
        Ok(claimed)
    }

    async fn next<B: DueSql>(conn: &mut Conn<B>) -> Result<Option<i64>, StoreError> {
        Ok(B::next_journal_reminder(conn).await?)
    }

    /// Unless the person set a new time, turned it off, or left meanwhile.
    async fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let (due, next) = (self.due.timestamp(), self.next.timestamp());
        let acted = acted.map(|at| at.timestamp());
        Ok(B::unclaim_journal_reminder(conn, db_id(self.user), due, next, acted).await?)
    }

    /// Still where the claim moved it: not off, moved or forgotten.
    async fn wanted<B: DueSql>(&self, conn: &mut Conn<B>) -> Result<bool, StoreError> {
        let next = self.next.timestamp();
        Ok(B::journal_reminder_still_claimed(conn, db_id(self.user), next).await?)
    }

    fn due(&self) -> Option<DateTime<Utc>> {
        Some(self.due)
    }

    fn acted(&self) -> Option<DateTime<Utc>> {
        self.acted
    }

    fn count(metrics: &Metrics, outcome: DeliveryOutcome) {
        metrics.journal_reminder(outcome);
    }

    /// The refusal count starts again.
    async fn sent(&self, answered: &Answered<'_>, _late: TimeDelta) {
        answered.metrics.journal_reminder(DeliveryOutcome::Sent);
        if self.failures > 0 {
            if let Err(error) = answered.store.journal_reminder_delivered(self.user).await {
                tracing::warn!(%error, "could not reset the refusal count");
            }
        }
    }

    /// The refusal is counted; after too many in a row the reminder pauses
    /// itself rather than knocking forever.
    async fn refused(&self, answered: &Answered<'_>, now: DateTime<Utc>) {
        let max = answered.policy.max_failures;
        let store = answered.store;
        let outcome = match store.journal_reminder_refused(self.user, max, now).await {
            Ok(true) => {
                tracing::info!("journal reminder paused: DMs refused");
                DeliveryOutcome::Paused
            }
            Ok(false) => {
                tracing::info!("journal reminder refused by Discord");
                DeliveryOutcome::Refused
            }
            Err(error) => {
                tracing::warn!(%error, "could not count a refusal");
                DeliveryOutcome::Refused
            }
        };
        answered.metrics.journal_reminder(outcome);
    }
}

/// The due row's time, zone and instant; None (said in the log) for a row
/// that cannot be read, which the claim pauses.
fn readable(row: &DueJournalReminder) -> Option<(TimeOfDay, Tz, DateTime<Utc>)> {
    let parsed = TimeOfDay::from_minutes(row.local_minute)
        .zip(row.zone.parse::<Tz>().ok())
        .zip(instant(row.next_due));
    if parsed.is_none() {
        tracing::error!("a journal reminder that could not be read was paused");
    }
    parsed.map(|((time, zone), due)| (time, zone, due))
}

fn claim(
    row: DueJournalReminder,
    due: DateTime<Utc>,
    next: DateTime<Utc>,
    zone: Tz,
) -> ClaimedReminder {
    ClaimedReminder {
        user: row.user_id as u64,
        due,
        next,
        zone,
        dm_channel: row.dm_channel_id.map(|id| id as u64),
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        locale: row.locale,
        acted: row.acted_at.and_then(instant),
    }
}
