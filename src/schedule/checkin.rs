//! A daily check-in: the heart of "at most once". A due row is advanced to
//! its next day in the transaction that hands it to the scheduler, and
//! refused DMs, counted, pause it after too many.

use super::kind::{rows, Answered, Kind};
use super::DueSql;
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{db_id, instant, Claimed, PauseReason, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use steady_sql::due::checkins::DueCheckin;
use steady_sql::Conn;

impl Kind for Claimed {
    const WHAT: &'static str = "check-in";

    /// Earliest first; a stored zone the time zone database no longer
    /// knows pauses its check-in instead.
    async fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        let at = now.timestamp();
        let due = B::due_checkins(&mut *tx, at, rows(limit)).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            let Some((time, zone, due)) = readable(&row) else {
                let why = PauseReason::Unreadable.as_str();
                B::pause_unreadable(&mut *tx, row.user_id, at, why).await?;
                continue;
            };
            let next = advanced(zone, time, now, due);
            // Only a row this update really moved is ours: whoever moved it
            // first sends it. (PostgreSQL's lock makes that this claim.)
            if !B::advance_checkin(&mut *tx, row.user_id, next.timestamp(), row.next_due).await? {
                continue;
            }
            claimed.push(claim(row, due, next, zone));
        }
        Ok(claimed)
    }

    async fn next<B: DueSql>(conn: &mut Conn<B>) -> Result<Option<i64>, StoreError> {
        Ok(B::next_checkin(conn).await?)
    }

    /// Unless the person set a new time, paused, or left meanwhile.
    async fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let (due, next) = (self.due.timestamp(), self.next.timestamp());
        let acted = acted.map(|at| at.timestamp());
        Ok(B::unclaim_checkin(conn, db_id(self.user), due, next, acted).await?)
    }

    /// Still where the claim moved it: not off, paused, moved or forgotten.
    async fn wanted<B: DueSql>(&self, conn: &mut Conn<B>) -> Result<bool, StoreError> {
        let next = self.next.timestamp();
        Ok(B::checkin_still_claimed(conn, db_id(self.user), next).await?)
    }

    fn due(&self) -> Option<DateTime<Utc>> {
        Some(self.due)
    }

    fn acted(&self) -> Option<DateTime<Utc>> {
        self.acted
    }

    fn count(metrics: &Metrics, outcome: DeliveryOutcome) {
        metrics.checkin(outcome);
    }

    /// The refusal count starts again.
    async fn sent(&self, answered: &Answered<'_>, late: TimeDelta) {
        answered
            .metrics
            .checkin_sent(late.to_std().unwrap_or_default());
        if self.failures > 0 {
            if let Err(error) = answered.store.checkin_delivered(self.user).await {
                tracing::warn!(%error, "could not reset the refusal count");
            }
        }
    }

    /// The refusal is counted; after too many in a row the check-in pauses
    /// itself rather than knocking forever.
    async fn refused(&self, answered: &Answered<'_>, now: DateTime<Utc>) {
        let max = answered.policy.max_failures;
        let outcome = match answered.store.checkin_refused(self.user, max, now).await {
            Ok(true) => {
                tracing::info!("check-in paused: DMs refused");
                DeliveryOutcome::Paused
            }
            Ok(false) => {
                tracing::info!("check-in refused by Discord");
                DeliveryOutcome::Refused
            }
            Err(error) => {
                tracing::warn!(%error, "could not count a refusal");
                DeliveryOutcome::Refused
            }
        };
        answered.metrics.checkin(outcome);
    }
}

/// The due row's time, zone and instant; None (said in the log) for a row
/// that cannot be read, which the claim pauses.
fn readable(row: &DueCheckin) -> Option<(TimeOfDay, Tz, DateTime<Utc>)> {
    let parsed = TimeOfDay::from_minutes(row.local_minute)
        .zip(row.zone.parse::<Tz>().ok())
        .zip(instant(row.next_due));
    if parsed.is_none() {
        tracing::error!("a check-in that could not be read was paused");
    }
    parsed.map(|((time, zone), due)| (time, zone, due))
}

/// Where a claim moves a check-in: advanced from the later of now and the
/// due instant, so after downtime the next one is still tomorrow's, never
/// a backlog.
fn advanced(zone: Tz, time: TimeOfDay, now: DateTime<Utc>, due: DateTime<Utc>) -> DateTime<Utc> {
    next_due(zone, time, now.max(due))
}

fn claim(row: DueCheckin, due: DateTime<Utc>, next: DateTime<Utc>, zone: Tz) -> Claimed {
    Claimed {
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
