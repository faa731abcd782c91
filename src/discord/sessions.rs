//! Running exercises: at most one per person, each stoppable by its owner,
//! and all of them given a kind last word when steady shuts down.
//!
//! This map holds the ones this process runs; the database's `sessions`
//! holds every process's, so one per person and Stop hold across processes
//! ([`Sessions::watch`] brings a Stop pressed elsewhere here).

use crate::store::Store;
use crate::timing::SEEN_EVERY;
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
    /// This process's name in the database (the shards it serves).
    owner: String,
    /// Wakes [`Sessions::watch`] when a session begins.
    began: Notify,
}

struct Running {
    /// The interaction that started it: unique, even across restarts.
    id: u64,
    stop: CancellationToken,
    /// Whether its row is in the database (written after it began).
    recorded: bool,
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
    pub fn new(shutdown: CancellationToken, owner: String) -> Arc<Sessions> {
        Arc::new(Sessions {
            running: Mutex::default(),
            tasks: TaskTracker::new(),
            shutdown,
            owner,
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
                recorded: false,
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

    /// While this process runs exercises: say so to the database, and stop
    /// those whose Stop was pressed on another process. Idle, it sleeps.
    pub async fn watch(self: Arc<Self>, store: Store) {
        loop {
            tokio::select! {
                () = self.began.notified() => {}
                () = self.shutdown.cancelled() => return,
            }
            while !self.running().is_empty() {
                // Taken before the look: a session recorded after it is not
                // missing from what it returns.
                let recorded: Vec<u64> = (self.running().values())
                    .filter(|running| running.recorded)
                    .map(|running| running.id)
                    .collect();
                match store.sessions_seen(&self.owner, chrono::Utc::now()).await {
                    Ok(seen) => {
                        let asked = seen.iter().filter(|(_, stop)| *stop).map(|(id, _)| *id);
                        let gone = recorded
                            .into_iter()
                            .filter(|id| !seen.iter().any(|(row, _)| row == id));
                        asked.chain(gone).for_each(|id| self.stop_session(id));
                    }
                    Err(error) => tracing::warn!(%error, "could not look for stopped sessions"),
                }
                tokio::select! {
                    () = tokio::time::sleep(SEEN_EVERY) => {}
                    () = self.shutdown.cancelled() => return,
                }
            }
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
    /// Its row is in the database now: from here on, a row gone means its
    /// person's data was deleted on some process, and it stops.
    pub fn recorded(&self) {
        let mut running = self.sessions.running();
        if let Some(running) = running.get_mut(&self.user).filter(|r| r.id == self.id) {
            running.recorded = true;
        }
    }

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
