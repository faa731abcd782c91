//! Everything the scheduler sends on its clock, claimed together: the ends
//! of waits (a one-off, due once) and the daily check-ins.

use super::{Claimed, Store, StoreError, WaitEnd};
use chrono::{DateTime, Utc};

/// One thing claimed to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    Checkin(Claimed),
    Wait(WaitEnd),
}

impl Due {
    pub fn user(&self) -> u64 {
        match self {
            Due::Checkin(checkin) => checkin.user,
            Due::Wait(end) => end.user,
        }
    }

    /// The instant it was due.
    pub fn due(&self) -> DateTime<Utc> {
        match self {
            Due::Checkin(checkin) => checkin.due,
            Due::Wait(end) => end.due,
        }
    }
}

impl Store {
    /// Claim up to `limit` things due at `now`. A wait's end goes first:
    /// someone is sitting with an urge until it comes, while a check-in may
    /// be a little late without anyone waiting on it.
    pub async fn claim(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Due>, StoreError> {
        let mut due: Vec<Due> = self
            .claim_due_waits(now, limit)
            .await?
            .into_iter()
            .map(Due::Wait)
            .collect();
        let room = limit.saturating_sub(due.len());
        if room > 0 {
            let checkins = self.claim_due(now, room).await?;
            due.extend(checkins.into_iter().map(Due::Checkin));
        }
        Ok(due)
    }

    /// The earliest instant the scheduler has anything to do.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let checkin = self.next_checkin_due().await?;
        let wait = self.next_wait_due().await?;
        Ok(checkin.into_iter().chain(wait).min())
    }

    /// Give back something claimed but not sent (steady is stopping).
    pub async fn give_back(&self, due: &Due) -> Result<bool, StoreError> {
        match due {
            Due::Checkin(checkin) => self.unclaim(checkin).await,
            Due::Wait(end) => self.unclaim_wait(end).await,
        }
    }
}
