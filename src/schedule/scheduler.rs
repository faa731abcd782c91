//! The one task that sends whatever falls due on steady's clock: check-ins,
//! the ends of waits, servers' daily posts and the counts on them. It
//! sleeps until the earliest due instant or until told something changed,
//! never polling; claims due rows (which advances them, so nothing is sent
//! twice), and hands each to a [`Courier`]. A graceful stop gives back
//! every claim not yet sent, so it goes out after the restart; a crash
//! between claim and send loses at most the claims in flight. Neither
//! repeats one. Beside it, on the same clock, runs the sweep of what was
//! kept only for a while ([`super::sweep`]).

use super::clock::Clock;
use super::job::{Courier, Job};
use super::sweep::sweep;
use crate::metrics::Metrics;
use crate::store::{Store, StoreError};
use crate::timing::{DRAIN, GIVE_BACK};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Claimed but not yet finished, at most, whatever the budget. Claims run
/// just ahead of sending, so a crash loses at most this many; at Discord's
/// pace (50/s, ~100 ms a request) it keeps the budget busy.
pub const IN_FLIGHT: usize = 16;

/// How many a process sending `per_second` may have claimed and not yet
/// finished: about one second of its budget, within [`IN_FLIGHT`]. A slow
/// process then does not sit on due rows that faster ones could send.
pub fn in_flight(per_second: u32) -> usize {
    usize::try_from(per_second).map_or(IN_FLIGHT, |n| n.clamp(1, IN_FLIGHT))
}
/// A database error stops claiming for this long before trying again.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// How the scheduler treats what it sends.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Claimed and not yet finished, at most: [`in_flight`] of the budget.
    pub in_flight: usize,
    /// Later than this after its due instant, anything due (a count is
    /// never late) is skipped.
    pub grace: Duration,
    /// Refused DMs in a row before a check-in pauses itself.
    pub max_failures: u32,
    /// With other processes on the database, a change one of them makes
    /// wakes only its own scheduler: look again at least this often. None
    /// for a process alone, which then sleeps until something is due.
    pub look_again: Option<Duration>,
    /// How long Discord is trusted to remember a nonce: a delivery whose
    /// try may have acted is tried again only this long after that try.
    pub nonce_window: Duration,
}

pub struct Scheduler<K, C> {
    store: Store,
    clock: Arc<K>,
    courier: Arc<C>,
    policy: Policy,
    changed: Arc<Notify>,
    metrics: Arc<Metrics>,
}

impl<K: Clock, C: Courier> Scheduler<K, C> {
    pub fn new(
        store: Store,
        clock: Arc<K>,
        courier: Arc<C>,
        policy: Policy,
        metrics: Arc<Metrics>,
    ) -> Self {
        Scheduler {
            store,
            clock,
            courier,
            policy,
            changed: Arc::new(Notify::new()),
            metrics,
        }
    }

    /// Notify it after changing anything it sends (a check-in, a wait, a
    /// daily moment, a count, a server forgotten), so it looks again.
    pub fn changed(&self) -> Arc<Notify> {
        Arc::clone(&self.changed)
    }

    /// Send what falls due until `shutdown`, then give the deliveries
    /// under way a moment to finish.
    pub async fn run(self, shutdown: CancellationToken) {
        let slots = Arc::new(Semaphore::new(self.policy.in_flight.max(1)));
        let deliveries = TaskTracker::new();
        let drained = CancellationToken::new();
        let _alive = self.metrics.scheduler_running();
        let sweeping = tokio::spawn(sweep(
            self.store.clone(),
            Arc::clone(&self.clock),
            shutdown.clone(),
        ));
        tracing::info!("check-in scheduler started");
        while let Some(first) = self.claim_slot(&slots, &shutdown).await {
            let now = self.clock.now();
            let room = 1 + slots.available_permits();
            let claimed = match self.store.claim_due(now, room).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    // It may have taken effect unseen: what it claimed is
                    // then never sent, which only this count shows.
                    if let StoreError::Commit(_) = error {
                        self.metrics.claim_commit_failed();
                    }
                    tracing::warn!(%error, "could not claim due check-ins");
                    drop(first);
                    self.nap(now + STORE_RETRY, &shutdown).await;
                    continue;
                }
            };
            if claimed.is_empty() {
                drop(first);
                self.wait_for_due(&shutdown).await;
                continue;
            }
            let mut first = Some(first);
            for due in claimed {
                // Only this loop takes slots, so the ones counted above are
                // still free and this does not wait.
                let slot = match first.take() {
                    Some(slot) => slot,
                    None => match Arc::clone(&slots).acquire_owned().await {
                        Ok(slot) => slot,
                        Err(_) => unreachable!("the slots are never closed"),
                    },
                };
                let job = Job {
                    store: self.store.clone(),
                    clock: Arc::clone(&self.clock),
                    courier: Arc::clone(&self.courier),
                    policy: self.policy,
                    shutdown: shutdown.clone(),
                    drained: drained.clone(),
                    metrics: Arc::clone(&self.metrics),
                };
                deliveries.spawn(job.deliver(due, slot));
            }
        }
        deliveries.close();
        // What waits for its turn or a retry is given back at once; what is
        // on the wire gets the drain to finish, then is given back too.
        if tokio::time::timeout(DRAIN - GIVE_BACK, deliveries.wait())
            .await
            .is_err()
        {
            tracing::info!("deliveries still on the wire at shutdown: given back");
            drained.cancel();
            if tokio::time::timeout(GIVE_BACK, deliveries.wait())
                .await
                .is_err()
            {
                tracing::warn!("deliveries still under way at shutdown");
            }
        }
        if let Err(error) = sweeping.await {
            tracing::error!(%error, "the sweep of expired rows failed");
        }
        tracing::info!("check-in scheduler stopped");
    }

    async fn claim_slot(
        &self,
        slots: &Arc<Semaphore>,
        shutdown: &CancellationToken,
    ) -> Option<OwnedSemaphorePermit> {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => None,
            slot = Arc::clone(slots).acquire_owned() => slot.ok(),
        }
    }

    /// Sleep until the earliest thing is due, something changes, or
    /// shutdown. With nothing at all, only a change wakes it.
    async fn wait_for_due(&self, shutdown: &CancellationToken) {
        // Registered before reading, so a change made meanwhile still wakes us.
        let changed = self.changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        let next = match self.store.next_due().await {
            Ok(next) => next,
            Err(error) => {
                tracing::warn!(%error, "could not read the next due check-in");
                Some(self.clock.now() + STORE_RETRY)
            }
        };
        let again = (self.policy.look_again)
            .and_then(|again| chrono::TimeDelta::from_std(again).ok())
            .map(|again| self.clock.now() + again);
        let next = match (next, again) {
            (Some(due), Some(again)) => Some(due.min(again)),
            (next, again) => next.or(again),
        };
        match next {
            Some(due) => tokio::select! {
                () = shutdown.cancelled() => {}
                () = changed => {}
                () = self.clock.sleep_until(due) => {}
            },
            None => tokio::select! {
                () = shutdown.cancelled() => {}
                () = changed => {}
            },
        }
    }

    async fn nap(&self, until: DateTime<Utc>, shutdown: &CancellationToken) {
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = self.clock.sleep_until(until) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_claims_about_a_second_of_its_budget() {
        assert_eq!(in_flight(1), 1);
        assert_eq!(in_flight(2), 2);
        assert_eq!(in_flight(15), 15);
        assert_eq!(in_flight(48), IN_FLIGHT);
        assert_eq!(in_flight(u32::MAX), IN_FLIGHT);
        assert_eq!(in_flight(0), 1, "never stuck");
    }
}
