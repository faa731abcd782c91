//! One claimed thing's delivery, as its own task: handed to the
//! [`Courier`], tried again while Discord may recover and its grace lasts,
//! and given back if steady stops first.

use super::clock::{sleep_until, Clock};
use super::kind::Answered;
use super::{Due, Policy};
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::Store;
use chrono::{DateTime, TimeDelta, Utc};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::sync::CancellationToken;

/// The first wait after a failure Discord may recover from; it doubles.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// What happened to one attempt to deliver something due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The person cannot be messaged (DMs closed, no mutual server).
    Refused,
    /// Worth another try, and Discord surely did not act on this one (rate
    /// limited, or never reached): after this long if said.
    Retry(Option<Duration>),
    /// Worth another try with the same nonce, but Discord may have acted on
    /// this one (a timeout, a 5xx, a lost connection): not before this long
    /// if said, and only while Discord remembers the nonce.
    MayHaveActed(Option<Duration>),
    /// Rejected for a reason another try will not change.
    Failed,
    /// Not sent because steady is stopping (it waited for its turn, or sat
    /// out a rate limit): given back.
    Stopped,
}

/// Sends one thing due. The Discord side implements it.
pub trait Courier: Send + Sync + 'static {
    /// Deliver `due`; once `stop` fires, what is not yet on its way to
    /// Discord is not sent ([`Delivery::Stopped`]).
    fn deliver(&self, due: &Due, stop: &CancellationToken)
        -> impl Future<Output = Delivery> + Send;
}

/// Everything one delivery needs, owned, so it runs as its own task.
pub(super) struct Job<K, C> {
    pub store: Store,
    pub clock: Arc<K>,
    pub courier: Arc<C>,
    pub policy: Policy,
    pub shutdown: CancellationToken,
    /// Fires when the drain after `shutdown` ends: a try still on the wire
    /// is cancelled then, and given back as one Discord may have acted on.
    pub drained: CancellationToken,
    pub metrics: Arc<Metrics>,
}

impl<K: Clock, C: Courier> Job<K, C> {
    /// Deliver one claimed item, retrying what may pass until its grace
    /// runs out. Holds its slot until done.
    pub async fn deliver(self, due: Due, _slot: OwnedSemaphorePermit) {
        let now = self.clock.now();
        let due_at = due.due().unwrap_or(now);
        let last_chance = due_at + self.policy.grace;
        if now > last_chance {
            // How late, not when: the chosen time is the person's own.
            let late = (now - due_at).num_minutes();
            tracing::info!(
                late_minutes = late,
                "{} skipped: too late after downtime",
                due.what()
            );
            due.count(&self.metrics, DeliveryOutcome::SkippedLate);
            return;
        }
        let mut backoff = FIRST_BACKOFF;
        // When a try Discord may have acted on was first made, here or by
        // the process that gave this one back.
        let mut acted = due.acted();
        if acted.is_some_and(|acted| !self.trusted(acted, now)) {
            return self.uncertain(&due);
        }
        loop {
            if self.shutdown.is_cancelled() {
                return self.give_back(&due, acted).await;
            }
            let tried = self.clock.now();
            let outcome = tokio::select! {
                outcome = self.courier.deliver(&due, &self.shutdown) => outcome,
                () = self.drained.cancelled() => {
                    return self.give_back(&due, acted.or(Some(tried))).await;
                }
            };
            let now = self.clock.now();
            let (after, least) = match outcome {
                Delivery::Sent => return self.sent(&due, due_at, now).await,
                Delivery::Refused => return due.refused(&self.answered(), now).await,
                Delivery::Failed => {
                    tracing::warn!("{} could not be sent", due.what());
                    return due.count(&self.metrics, DeliveryOutcome::Failed);
                }
                Delivery::Stopped => return self.give_back(&due, acted).await,
                Delivery::Retry(after) => (after, None),
                Delivery::MayHaveActed(least) => {
                    acted.get_or_insert(tried);
                    (None, least)
                }
            };
            // Discord's own wait when it gave one; else back off, at least
            // as long as a timed-out create needs.
            let wait = after.unwrap_or_else(|| {
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                wait.max(least.unwrap_or_default())
            });
            let again = now + wait;
            if acted.is_some_and(|acted| !self.trusted(acted, again)) {
                return self.uncertain(&due);
            }
            if again > last_chance {
                tracing::warn!("{} given up: Discord did not recover in time", due.what());
                return due.count(&self.metrics, DeliveryOutcome::Failed);
            }
            tracing::debug!(wait_ms = wait.as_millis() as u64, "retry");
            due.count(&self.metrics, DeliveryOutcome::Retried);
            tokio::select! {
                () = self.shutdown.cancelled() => return self.give_back(&due, acted).await,
                () = sleep_until(&*self.clock, again) => {}
            }
            if !self.still_wanted(&due).await {
                tracing::info!("{} not tried again: it changed meanwhile", due.what());
                return due.count(&self.metrics, DeliveryOutcome::Withdrawn);
            }
        }
    }

    /// Read again before a retry: consent wins over a retry. A database
    /// that cannot answer does not stop the delivery.
    async fn still_wanted(&self, due: &Due) -> bool {
        self.store.still_wanted(due).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read a claim again before a retry");
            true
        })
    }

    /// Whether a try at `at` comes while Discord surely remembers the nonce
    /// of a try it may have acted on at `acted`.
    fn trusted(&self, acted: DateTime<Utc>, at: DateTime<Utc>) -> bool {
        at - acted < TimeDelta::from_std(self.policy.nonce_window).unwrap_or(TimeDelta::MAX)
    }

    /// Another try might make a second message: at most once beats twice.
    fn uncertain(&self, due: &Due) {
        tracing::warn!(
            "{} given up unsure: Discord may have made it, and may no longer know its nonce",
            due.what()
        );
        due.count(&self.metrics, DeliveryOutcome::Uncertain);
    }

    async fn sent(&self, due: &Due, due_at: DateTime<Utc>, now: DateTime<Utc>) {
        let late = now - due_at;
        tracing::info!(late_ms = late.num_milliseconds(), "{} sent", due.what());
        due.sent(&self.answered(), late).await;
    }

    fn answered(&self) -> Answered<'_> {
        Answered {
            store: &self.store,
            metrics: &self.metrics,
            policy: &self.policy,
        }
    }

    /// Stopping before this one was sent: it is due again at its own instant,
    /// for the next start to send (with the same nonce, so a message whose
    /// answer was lost is not made twice while Discord remembers it: `acted`
    /// goes with it).
    async fn give_back(&self, due: &Due, acted: Option<DateTime<Utc>>) {
        match self.store.give_back(due, acted).await {
            Ok(true) => tracing::info!("{} given back at shutdown", due.what()),
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, "could not give back a claim")
            }
        }
    }
}
