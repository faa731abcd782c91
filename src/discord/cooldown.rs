//! A person may do a thing a few times in a row, then one at a time: a
//! finger resting on a command (or a script) must not fill their DMs, spend
//! the budget everyone shares, or keep the database writing. Only what
//! happens counts (a refused input is not a write), and check-ins never
//! count: they are at most daily by design.

use super::stamp::relative;
use crate::prompts::Text;
use chrono::Timelike;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

/// Past this many people remembered, the ones who are quiet again are
/// forgotten, so the map does not only grow.
const FORGET_ABOVE: usize = 10_000;

pub(crate) struct Cooldown {
    limiter: DefaultKeyedRateLimiter<u64>,
}

impl Cooldown {
    /// DMs asked for: three at once, then one every 20 s.
    pub fn dms() -> Cooldown {
        Cooldown::new(3, Duration::from_secs(20))
    }

    /// Changes written (anchors, check-in settings, taps on a check-in):
    /// thirty at once, then one every 2 s.
    pub fn writes() -> Cooldown {
        Cooldown::new(30, Duration::from_secs(2))
    }

    /// A server's changes to its help lines and daily moment, and its
    /// panels posted: fifteen at once (room to set a server up: ten lines,
    /// a panel, a daily moment and a few second thoughts), then one every
    /// 10 s, keyed by the server.
    pub fn server_changes() -> Cooldown {
        Cooldown::new(15, Duration::from_secs(10))
    }

    fn new(burst: u32, every: Duration) -> Cooldown {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(every)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        Cooldown {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Count one more for `key` (a person, or a server): None if it may go
    /// ahead, else how long until one may.
    pub fn take(&self, key: u64) -> Option<Duration> {
        if self.limiter.len() > FORGET_ABOVE {
            self.limiter.retain_recent();
        }
        let now = self.limiter.clock().now();
        self.limiter
            .check_key(&key)
            .err()
            .map(|later| later.wait_time_from(now))
    }
}

/// The kind answer to one too many (`text` takes `{when}`): when they may
/// go on, as a Discord timestamp that counts down by itself.
pub(crate) fn slow_down(text: &Text, wait: Duration) -> String {
    let wait = chrono::TimeDelta::from_std(wait).unwrap_or(chrono::TimeDelta::MAX);
    let when = chrono::Utc::now()
        .checked_add_signed(wait)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    // Rounded up to the second, so the moment shown is never before the
    // one that works.
    let whole = when.with_nanosecond(0).unwrap_or(when);
    let when = if whole < when {
        whole + chrono::TimeDelta::seconds(1)
    } else {
        whole
    };
    text.render(&[("when", &relative(when))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_at_once_then_one_at_a_time_per_person() {
        let every = Duration::from_secs(20);
        let cooldown = Cooldown::new(3, every);
        for _ in 0..3 {
            assert_eq!(cooldown.take(1), None);
        }
        let wait = cooldown.take(1).expect("one too many");
        assert!(wait > Duration::ZERO && wait <= every, "{wait:?}");
        assert_eq!(cooldown.take(2), None, "someone else is not held up");
    }
}
