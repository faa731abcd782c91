//! Running exercises: at most one per person, each stoppable by its owner,
//! and all of them given a kind last word when steady shuts down.
//!
//! This map holds the ones this process runs; the database's `sessions`
//! holds every process's, so one per person and Stop hold across processes
//! ([`Sessions::watch`] brings a Stop pressed elsewhere here, says this
//! process is alive, and takes the exercises of processes that died).

use crate::store::{Store, Unfinished};
use crate::timing::{BEAT_EVERY, DEAD_AFTER, SEEN_EVERY};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub(crate) struct Sessions {
    running: Mutex<HashMap<u64, Running>>,
    tasks: TaskTracker,
    shutdown: CancellationToken,
    /// This process's name in the database: the shards it serves and an id
    /// of this boot's own, so a second process serving the same shards
    /// (a rolling restart that starts the new one first) is another owner.
    owner: String,
    /// The shards it serves ("" when it serves them all).
    shards: String,
    /// Wakes [`Sessions::watch`] when a session begins.
    began: Notify,
}

struct Running {
    /// The interaction that started it: unique, even across restarts.
    id: u64,
    stop: CancellationToken,
}

/// Why a session could not begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Busy {
    /// This person already has one running.
    Running,
    /// steady is shutting down.
    ShuttingDown,
}

/// A person's place in the registry, held by their session's task; freed
/// when dropped, however the session ends.
pub(crate) struct Slot {
    sessions: Arc<Sessions>,
    user: u64,
    id: u64,
    stop: CancellationToken,
}

impl Sessions {
    pub fn new(shutdown: CancellationToken, shards: String) -> Arc<Sessions> {
        Arc::new(Sessions {
            running: Mutex::default(),
            tasks: TaskTracker::new(),
            shutdown,
            owner: format!("{shards}#{:016x}", rand::random::<u64>()),
            shards,
            began: Notify::new(),
        })
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Running>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Claim `user`'s one place for session `id`.
    pub fn begin(self: &Arc<Self>, user: u64, id: u64) -> Result<Slot, Busy> {
        let mut running = self.running();
        if self.shutdown.is_cancelled() {
            return Err(Busy::ShuttingDown);
        }
        if running.contains_key(&user) {
            return Err(Busy::Running);
        }
        let stop = self.shutdown.child_token();
        running.insert(
            user,
            Running {
                id,
                stop: stop.clone(),
            },
        );
        self.began.notify_one();
        Ok(Slot {
            sessions: Arc::clone(self),
            user,
            id,
            stop,
        })
    }

    /// Stop `user`'s session, only if it is session `id` (when given).
    /// Returns whether one was running.
    pub fn stop(&self, user: u64, id: Option<u64>) -> bool {
        match self.running().get(&user) {
            Some(running) if id.is_none_or(|id| id == running.id) => {
                running.stop.cancel();
                true
            }
            _ => false,
        }
    }

    /// Say this process is here, warn when another serves the same shards,
    /// and take the exercises of those that died (its own previous boot's
    /// among them) for `finish`.
    pub async fn arrive(&self, store: &Store, finish: &impl Fn(Vec<Unfinished>)) {
        match store.process_arrive(&self.owner, &self.shards).await {
            Ok(twins) => {
                if let Some(ago) = twins.iter().min() {
                    tracing::warn!(
                        shards = %self.shards,
                        others = twins.len(),
                        seen_seconds_ago = ago.as_secs(),
                        "another steady process is serving these same shards on this database; \
                         during a rolling restart that is expected, otherwise stop one of them: \
                         both receive every event"
                    );
                }
            }
            Err(error) => tracing::warn!(%error, "could not say this process is alive"),
        }
        take_dead(store, finish).await;
    }

    /// For as long as this process runs: say it is alive every
    /// [`BEAT_EVERY`] and take the exercises of processes that died; while
    /// it runs exercises, also stop those whose Stop was pressed on another
    /// process, every [`SEEN_EVERY`].
    pub async fn watch(self: Arc<Self>, store: Store, finish: impl Fn(Vec<Unfinished>)) {
        // [`Sessions::arrive`] has just said it is here and looked for the dead.
        let first = tokio::time::Instant::now() + BEAT_EVERY;
        let mut beat = tokio::time::interval_at(first, BEAT_EVERY);
        let mut look = tokio::time::interval(SEEN_EVERY);
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let running = !self.running().is_empty();
            tokio::select! {
                _ = beat.tick() => self.beat(&store, &finish).await,
                _ = look.tick(), if running => self.look_for_stops(&store).await,
                () = self.began.notified(), if !running => {}
                () = self.shutdown.cancelled() => return,
            }
        }
    }

    async fn beat(&self, store: &Store, finish: &impl Fn(Vec<Unfinished>)) {
        if let Err(error) = store.read_clock().await {
            tracing::warn!(%error, "could not read the database's clock");
        }
        match store.process_beat(&self.owner).await {
            Ok(true) => {}
            // Not seen for [`DEAD_AFTER`] (a machine asleep, a database
            // unreachable): another process has finished its exercises.
            Ok(false) => {
                tracing::warn!(
                    dead_after_seconds = DEAD_AFTER.as_secs(),
                    "this process was taken for dead; its exercises were finished by another"
                );
                for running in self.running().values() {
                    running.stop.cancel();
                }
                self.arrive(store, finish).await;
                return;
            }
            Err(error) => tracing::warn!(%error, "could not say this process is alive"),
        }
        match store.any_process_dead().await {
            Ok(true) => {
                take_dead(store, finish).await;
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "could not look for processes that died"),
        }
    }

    async fn look_for_stops(&self, store: &Store) {
        match store.sessions_stopping(&self.owner).await {
            Ok(stopping) => stopping.into_iter().for_each(|id| self.stop_session(id)),
            Err(error) => tracing::warn!(%error, "could not look for stopped sessions"),
        }
    }

    /// Steady is stopping and its exercises have said their last words:
    /// what is left of them is anyone's at once.
    pub async fn leave(&self, store: &Store) {
        if let Err(error) = store.process_leave(&self.owner).await {
            tracing::warn!(%error, "could not say this process has stopped");
        }
    }

    /// Stop session `id`, whoever's it is.
    fn stop_session(&self, id: u64) {
        if let Some(running) = self.running().values().find(|running| running.id == id) {
            running.stop.cancel();
        }
    }

    pub fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.tasks.spawn(task);
    }

    /// After shutdown has been signalled: wait up to `bound` for every
    /// session to say its last word.
    pub async fn drain(&self, bound: Duration) {
        self.tasks.close();
        if tokio::time::timeout(bound, self.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                left = self.tasks.len(),
                "sessions still running at shutdown"
            );
        }
    }
}

impl Slot {
    pub fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }

    /// True when the session was stopped because steady is shutting down.
    pub fn shutting_down(&self) -> bool {
        self.sessions.shutdown.is_cancelled()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = self.sessions.running();
        if running.get(&self.user).is_some_and(|r| r.id == self.id) {
            running.remove(&self.user);
        }
    }
}

/// Take the exercises of every process that died, for `finish`: whether
/// there were any.
pub(crate) async fn take_dead(store: &Store, finish: &impl Fn(Vec<Unfinished>)) -> bool {
    match store.take_dead_sessions().await {
        Ok(dead) if dead.is_empty() => false,
        Ok(dead) => {
            finish(dead);
            true
        }
        Err(error) => {
            tracing::warn!(%error, "could not take the sessions of processes that died");
            false
        }
    }
}
