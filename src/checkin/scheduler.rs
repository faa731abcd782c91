//! The one task that sends check-ins, and the ends of waits, as they fall
//! due. It sleeps until the earliest due instant or until told something
//! changed, never polling; claims due rows (which advances them, so nothing
//! is sent twice), and hands each to a [`Courier`]. A graceful stop gives
//! back every claim not yet sent, so it goes out after the restart; a crash
//! between claim and send loses at most the claims in flight. Neither
//! repeats one.

use crate::metrics::{CheckinOutcome, Metrics, SendOutcome};
use crate::store::{Due, Store};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Claimed but not yet finished, at most. Claims run just ahead of sending,
/// so a crash loses at most this many; at Discord's pace (50/s, ~100 ms a
/// request) it keeps the budget busy.
pub const IN_FLIGHT: usize = 16;
/// The first wait after a failure Discord may recover from; it doubles.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A database error stops claiming for this long before trying again.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// Where the time comes from: the wall clock in production, a hand-moved one
/// in tests.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
    /// Resolve at `deadline`, or earlier: callers always look at `now` again.
    fn sleep_until(&self, deadline: DateTime<Utc>) -> impl Future<Output = ()> + Send;
}

/// The wall clock. Naps are capped because tokio's timers follow the
/// monotonic clock, which stands still while the machine is suspended and
/// ignores wall-clock corrections: a long sleep could wake hours late.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    /// The longest nap: how late a suspend or a clock correction can make a
    /// check-in, and how often an idle scheduler with one waiting wakes.
    pub max_nap: Duration,
}

impl Default for SystemClock {
    /// Ten minutes: six wake-ups an hour while one waits, and a check-in at
    /// most that late after a suspend.
    fn default() -> Self {
        SystemClock {
            max_nap: Duration::from_secs(10 * 60),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let wait = (deadline - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait.min(self.max_nap)).await;
    }
}

/// What happened to one attempt to deliver a check-in or a wait's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The person cannot be messaged (DMs closed, no mutual server).
    Refused,
    /// Worth another try (rate limited, 5xx, timeout), after this long if said.
    Retry(Option<Duration>),
    /// Rejected for a reason another try will not change.
    Failed,
}

/// Sends one check-in or wait's end. The Discord side implements it.
pub trait Courier: Send + Sync + 'static {
    fn deliver(&self, due: &Due) -> impl Future<Output = Delivery> + Send;
}

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Later than this after its due instant, a check-in (or a wait's end)
    /// is skipped.
    pub grace: Duration,
    /// Refused DMs in a row before a check-in pauses itself.
    pub max_failures: u32,
    /// With other processes on the database, a change one of them makes
    /// wakes only its own scheduler: look again at least this often. None
    /// for a process alone, which then sleeps until something is due.
    pub look_again: Option<Duration>,
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

    /// Notify it after changing a check-in or a wait, so the scheduler
    /// looks again.
    pub fn changed(&self) -> Arc<Notify> {
        Arc::clone(&self.changed)
    }

    /// Send check-ins as they fall due until `shutdown`, then give the ones
    /// under way a moment to finish.
    pub async fn run(self, shutdown: CancellationToken) {
        let slots = Arc::new(Semaphore::new(IN_FLIGHT));
        let deliveries = TaskTracker::new();
        let _alive = self.metrics.scheduler_running();
        tracing::info!("check-in scheduler started");
        while let Some(first) = self.claim_slot(&slots, &shutdown).await {
            let now = self.clock.now();
            let room = 1 + slots.available_permits();
            let claimed = match self.store.claim(now, room).await {
                Ok(claimed) => claimed,
                Err(error) => {
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
                    metrics: Arc::clone(&self.metrics),
                };
                deliveries.spawn(job.deliver(due, slot));
            }
        }
        deliveries.close();
        if tokio::time::timeout(crate::timing::DRAIN, deliveries.wait())
            .await
            .is_err()
        {
            tracing::warn!("check-in deliveries still under way at shutdown");
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

/// Everything one delivery needs, owned, so it runs as its own task.
struct Job<K, C> {
    store: Store,
    clock: Arc<K>,
    courier: Arc<C>,
    policy: Policy,
    shutdown: CancellationToken,
    metrics: Arc<Metrics>,
}

impl<K: Clock, C: Courier> Job<K, C> {
    /// Deliver one claimed item, retrying what may pass until its grace
    /// runs out. Holds its slot until done.
    async fn deliver(self, due: Due, _slot: OwnedSemaphorePermit) {
        let now = self.clock.now();
        let due_at = due.due().unwrap_or(now);
        let last_chance = due_at + self.policy.grace;
        if now > last_chance {
            // How late, not when: the chosen time is the person's own.
            let late = (now - due_at).num_minutes();
            tracing::info!(
                late_minutes = late,
                "{} skipped: too late after downtime",
                what(&due)
            );
            self.count(&due, CheckinOutcome::SkippedLate);
            return;
        }
        let mut backoff = FIRST_BACKOFF;
        loop {
            if self.shutdown.is_cancelled() {
                return self.give_back(&due).await;
            }
            let outcome = self.courier.deliver(&due).await;
            let now = self.clock.now();
            match outcome {
                Delivery::Sent => return self.sent(&due, due_at, now).await,
                Delivery::Refused => return self.refused(&due, now).await,
                Delivery::Failed => {
                    tracing::warn!("{} could not be sent", what(&due));
                    return self.count(&due, CheckinOutcome::Failed);
                }
                Delivery::Retry(after) => {
                    // Discord's own wait when it gave one; else back off.
                    let wait = after.unwrap_or_else(|| {
                        let wait = backoff;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                        wait
                    });
                    let again = now + wait;
                    if again > last_chance {
                        tracing::warn!("{} given up: Discord did not recover in time", what(&due));
                        return self.count(&due, CheckinOutcome::Failed);
                    }
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "retry");
                    self.count(&due, CheckinOutcome::Retried);
                    tokio::select! {
                        () = self.shutdown.cancelled() => return self.give_back(&due).await,
                        () = sleep_until(&*self.clock, again) => {}
                    }
                }
            }
        }
    }

    async fn sent(&self, due: &Due, due_at: DateTime<Utc>, now: DateTime<Utc>) {
        let late = now - due_at;
        tracing::info!(late_ms = late.num_milliseconds(), "{} sent", what(due));
        match due {
            Due::Checkin(checkin) => {
                self.metrics.checkin_sent(late.to_std().unwrap_or_default());
                if checkin.failures > 0 {
                    if let Err(error) = self.store.checkin_delivered(checkin.user).await {
                        tracing::warn!(%error, "could not reset the refusal count");
                    }
                }
            }
            Due::Wait(_) => self.metrics.wait_end(SendOutcome::Sent),
            Due::Ritual(_) => self.metrics.ritual_post(SendOutcome::Sent),
            Due::Count(_) => {}
        }
    }

    /// The person's DMs refused it. A check-in counts the refusal and
    /// pauses itself after too many; nothing else has a second try.
    async fn refused(&self, due: &Due, now: DateTime<Utc>) {
        let Due::Checkin(checkin) = due else {
            tracing::info!("{} refused by Discord", what(due));
            return self.count(due, CheckinOutcome::Refused);
        };
        let max = self.policy.max_failures;
        let outcome = match self.store.checkin_refused(checkin.user, max, now).await {
            Ok(true) => {
                tracing::info!("check-in paused: DMs refused");
                CheckinOutcome::Paused
            }
            Ok(false) => {
                tracing::info!("check-in refused by Discord");
                CheckinOutcome::Refused
            }
            Err(error) => {
                tracing::warn!(%error, "could not count a refusal");
                CheckinOutcome::Refused
            }
        };
        self.metrics.checkin(outcome);
    }

    /// Count an outcome under its own kind's metric.
    fn count(&self, due: &Due, outcome: CheckinOutcome) {
        let send = match outcome {
            CheckinOutcome::Sent => SendOutcome::Sent,
            CheckinOutcome::Refused | CheckinOutcome::Paused => SendOutcome::Refused,
            CheckinOutcome::SkippedLate => SendOutcome::SkippedLate,
            CheckinOutcome::Retried => SendOutcome::Retried,
            CheckinOutcome::Failed => SendOutcome::Failed,
        };
        match due {
            Due::Checkin(_) => self.metrics.checkin(outcome),
            Due::Wait(_) => self.metrics.wait_end(send),
            Due::Ritual(_) => self.metrics.ritual_post(send),
            // An edit: `steady_edits_total` has it.
            Due::Count(_) => {}
        }
    }

    /// Stopping before this one was sent: it is due again at its own instant,
    /// for the next start to send (with the same nonce, so a message whose
    /// answer was lost is not made twice).
    async fn give_back(&self, due: &Due) {
        match self.store.give_back(due).await {
            Ok(true) => tracing::info!("{} given back at shutdown", what(due)),
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, "could not give back a claim")
            }
        }
    }
}

/// What a log line is about, in one word: never whose it is.
fn what(due: &Due) -> &'static str {
    match due {
        Due::Checkin(_) => "check-in",
        Due::Wait(_) => "wait end",
        Due::Ritual(_) => "daily moment",
        Due::Count(_) => "join count",
    }
}

/// Sleep until the clock reads `deadline` (a clock's nap may end early).
async fn sleep_until<K: Clock>(clock: &K, deadline: DateTime<Utc>) {
    while clock.now() < deadline {
        clock.sleep_until(deadline).await;
    }
}
