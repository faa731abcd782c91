//! A person may ask for DMs a few times in a row, then one at a time: a
//! finger resting on a command (or a script) must not fill their DMs, nor
//! spend the budget everyone shares. Check-ins never count: they are at
//! most daily by design.

use crate::prompts::Errors;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

/// DMs asked for at once before the pace applies.
const BURST: u32 = 3;
/// Then one every this long.
const EVERY: Duration = Duration::from_secs(20);
/// Past this many people remembered, the ones who are quiet again are
/// forgotten, so the map does not only grow.
const FORGET_ABOVE: usize = 10_000;

pub(crate) struct DmCooldown {
    limiter: DefaultKeyedRateLimiter<u64>,
}

impl DmCooldown {
    pub fn new() -> DmCooldown {
        let burst = NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(EVERY)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        DmCooldown {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Count one more DM asked for by `user`: None if it may go, else how
    /// long until one may.
    pub fn take(&self, user: u64) -> Option<Duration> {
        if self.limiter.len() > FORGET_ABOVE {
            self.limiter.retain_recent();
        }
        let now = self.limiter.clock().now();
        self.limiter
            .check_key(&user)
            .err()
            .map(|later| later.wait_time_from(now))
    }
}

/// The kind answer to one DM too many: when they may ask again, as a
/// Discord timestamp that counts down by itself.
pub(crate) fn slow_down(errors: &Errors, wait: Duration) -> String {
    let wait = chrono::TimeDelta::from_std(wait).unwrap_or(chrono::TimeDelta::MAX);
    let when = chrono::Utc::now()
        .checked_add_signed(wait)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    // Rounded up, so the moment shown is never before the one that works.
    let secs = when.timestamp() + i64::from(when.timestamp_subsec_nanos() > 0);
    errors
        .slow_down
        .render(&[("when", &format!("<t:{secs}:R>"))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_at_once_then_one_at_a_time_per_person() {
        let cooldown = DmCooldown::new();
        for _ in 0..BURST {
            assert_eq!(cooldown.take(1), None);
        }
        let wait = cooldown.take(1).expect("one too many");
        assert!(wait > Duration::ZERO && wait <= EVERY, "{wait:?}");
        assert_eq!(cooldown.take(2), None, "someone else is not held up");
    }
}
