//! The scheduler's clock, and a sleep that ends only once it reads the
//! deadline.

use crate::store::Store;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::Duration;

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

/// The database's clock ([`Store::now`]), which every process sharing it
/// agrees on: a machine whose clock runs an hour ahead does not send
/// check-ins an hour early. Its naps are [`SystemClock`]'s.
pub struct DatabaseClock {
    store: Store,
    wall: SystemClock,
}

impl DatabaseClock {
    pub fn new(store: Store) -> DatabaseClock {
        DatabaseClock {
            store,
            wall: SystemClock::default(),
        }
    }
}

impl Clock for DatabaseClock {
    fn now(&self) -> DateTime<Utc> {
        self.store.now()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let wait = (deadline - self.now()).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait.min(self.wall.max_nap)).await;
    }
}

/// Sleep until the clock reads `deadline` (a clock's nap may end early).
pub(super) async fn sleep_until<K: Clock>(clock: &K, deadline: DateTime<Utc>) {
    while clock.now() < deadline {
        clock.sleep_until(deadline).await;
    }
}
