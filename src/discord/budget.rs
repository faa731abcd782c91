//! One budget for every bot-token request, under Discord's global limit
//! (50 per second for the whole bot). serenity's own limiter is off
//! (docs/ARCHITECTURE.md), so this is what keeps a burst of check-ins from
//! drawing 429s: requests take turns, first come first served, evenly spaced.

use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct Budget {
    limiter: DefaultDirectRateLimiter,
    /// Waiters queue here (tokio's mutex is fair), so requests go out in
    /// the order they asked, which for check-ins is due order.
    turn: tokio::sync::Mutex<()>,
    /// Set by a global 429: nothing goes out before this.
    held_until: Mutex<Option<Instant>>,
}

impl Budget {
    /// `per_second` requests a second, spread evenly. A burst of two lets a
    /// turn taken a little late (timers overshoot by a millisecond) be made
    /// up, so the rate is kept on average, while any one-second window holds
    /// at most `per_second + 1`: 49 at the default, under Discord's 50.
    pub fn per_second(per_second: u32) -> Budget {
        let rate = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(rate).allow_burst(burst);
        Budget {
            limiter: RateLimiter::direct(quota),
            turn: tokio::sync::Mutex::new(()),
            held_until: Mutex::new(None),
        }
    }

    /// Wait until this request may go out.
    pub async fn wait_turn(&self) {
        let _turn = self.turn.lock().await;
        loop {
            let held = *self.held_until.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(until) = held.filter(|until| *until > Instant::now()) {
                tokio::time::sleep_until(until.into()).await;
                continue;
            }
            match self.limiter.check() {
                Ok(()) => return,
                Err(later) => {
                    tokio::time::sleep(later.wait_time_from(self.limiter.clock().now())).await
                }
            }
        }
    }

    /// Discord said the whole bot is over its limit: hold every request.
    pub fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut held = self.held_until.lock().unwrap_or_else(|e| e.into_inner());
        if held.is_none_or(|held| held < until) {
            *held = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_second_holds_more_than_the_rate_and_one() {
        let budget = Budget::per_second(50);
        let mut turns = Vec::new();
        for _ in 0..60 {
            budget.wait_turn().await;
            turns.push(Instant::now());
        }
        let most = turns
            .iter()
            .map(|start| {
                let end = *start + Duration::from_secs(1);
                turns.iter().filter(|t| **t >= *start && **t < end).count()
            })
            .max();
        assert!(most <= Some(51), "{most:?} in one second");
        // On average, the rate itself.
        let span = turns[59] - turns[0];
        assert!(span >= Duration::from_millis(1100), "{span:?}");
    }

    #[tokio::test]
    async fn a_global_hold_delays_every_turn() {
        let budget = Budget::per_second(50);
        budget.hold(Duration::from_millis(120));
        let held = Instant::now();
        budget.wait_turn().await;
        assert!(
            held.elapsed() >= Duration::from_millis(115),
            "{:?}",
            held.elapsed()
        );
    }
}
