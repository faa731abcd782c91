//! Running exercises: at most one per person, each stoppable by its owner,
//! and all of them given a kind last word when steady shuts down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub(crate) struct Sessions {
    running: Mutex<HashMap<u64, Running>>,
    tasks: TaskTracker,
    shutdown: CancellationToken,
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
    pub fn new(shutdown: CancellationToken) -> Arc<Sessions> {
        Arc::new(Sessions {
            running: Mutex::default(),
            tasks: TaskTracker::new(),
            shutdown,
        })
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
