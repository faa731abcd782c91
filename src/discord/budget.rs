//! One budget for every bot-token request, under Discord's global limit
//! (50 per second for the whole bot). serenity's own limiter is off
//! (docs/ARCHITECTURE.md), so this is what keeps a burst of check-ins from
//! drawing 429s: requests take turns, evenly spaced. A person waiting for
//! what they just asked for goes before scheduled work, however much of it
//! is queued; within a lane, first come first served.

use crate::config::Pace;
use crate::timing::{LONGEST_GLOBAL_HOLD, PERSON_WAITS_AT_MOST};
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Who is waiting for a request to go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// Someone asked just now (a command, a button).
    Person,
    /// Work steady does on its own clock (check-ins).
    Scheduled,
}

#[derive(Debug)]
pub(crate) struct Budget {
    limiter: DefaultDirectRateLimiter,
    /// Each lane's waiters queue here (tokio's mutex is fair), so requests
    /// go out in the order they asked, which for check-ins is due order.
    people: tokio::sync::Mutex<()>,
    scheduled: tokio::sync::Mutex<()>,
    /// People waiting for a turn; scheduled work waits while any is.
    people_waiting: AtomicUsize,
    person_served: Notify,
    /// Set by a global 429: nothing goes out before this.
    held_until: Mutex<Option<Instant>>,
}

/// A global 429 holds every request longer than a person can wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Busy;

/// Counts a person as waiting for as long as it lives, so a cancelled wait
/// cannot leave scheduled work stuck behind nobody.
struct Waiting<'a>(&'a Budget);

impl<'a> Waiting<'a> {
    fn new(budget: &'a Budget) -> Self {
        budget.people_waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(budget)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.people_waiting.fetch_sub(1, Ordering::SeqCst);
        self.0.person_served.notify_waiters();
    }
}

impl Budget {
    /// `pace.per_second` requests a second, spread evenly. A burst of two
    /// lets a turn taken a little late (timers overshoot by a millisecond)
    /// be made up, so the rate is kept on average, while any one-second
    /// window holds at most `per_second + 1`: 49 at the default, under
    /// Discord's 50. Several processes of one bot take one turn at a time
    /// (`Shards::budget` says why).
    pub fn new(pace: Pace) -> Budget {
        let rate = NonZeroU32::new(pace.per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(pace.burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(rate).allow_burst(burst);
        Budget {
            limiter: RateLimiter::direct(quota),
            people: tokio::sync::Mutex::new(()),
            scheduled: tokio::sync::Mutex::new(()),
            people_waiting: AtomicUsize::new(0),
            person_served: Notify::new(),
            held_until: Mutex::new(None),
        }
    }

    /// Wait until a request in `lane` may go out; Err for a person while
    /// a global 429 holds every request for longer than they can wait.
    pub async fn wait_turn(&self, lane: Lane) -> Result<(), Busy> {
        match lane {
            Lane::Person => {
                let _waiting = Waiting::new(self);
                let _turn = self.people.lock().await;
                self.take(lane).await?;
            }
            Lane::Scheduled => {
                let _turn = self.scheduled.lock().await;
                self.take(lane).await?;
            }
        }
        // Its time in the log lets a test count the turns of several
        // processes together, before the network's jitter is added.
        tracing::trace!("turn taken");
        Ok(())
    }

    /// Take the next turn the rate allows; scheduled work first lets every
    /// waiting person go.
    async fn take(&self, lane: Lane) -> Result<(), Busy> {
        loop {
            if lane == Lane::Scheduled {
                // Registered before looking, so a person served meanwhile
                // still wakes us.
                let served = self.person_served.notified();
                tokio::pin!(served);
                served.as_mut().enable();
                if self.people_waiting.load(Ordering::SeqCst) > 0 {
                    served.await;
                    continue;
                }
            }
            let held = *self.held_until.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(until) = held.filter(|until| *until > Instant::now()) {
                if lane == Lane::Person && until > Instant::now() + PERSON_WAITS_AT_MOST {
                    return Err(Busy);
                }
                tokio::time::sleep_until(until.into()).await;
                continue;
            }
            match self.limiter.check() {
                Ok(()) => return Ok(()),
                Err(later) => {
                    tokio::time::sleep(later.wait_time_from(self.limiter.clock().now())).await
                }
            }
        }
    }

    /// Discord said the whole bot is over its limit: hold every request,
    /// for at most [`LONGEST_GLOBAL_HOLD`].
    pub fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait.min(LONGEST_GLOBAL_HOLD);
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
        let budget = Budget::new(Pace {
            per_second: 50,
            burst: 2,
        });
        // When each turn was asked for and when it came back: the budget's
        // decision lies between, and a busy machine may stall the test
        // after a decision, so only what surely fell in one second counts.
        let mut turns = Vec::new();
        for n in 0..60 {
            let lane = if n % 3 == 0 {
                Lane::Person
            } else {
                Lane::Scheduled
            };
            let asked = Instant::now();
            budget.wait_turn(lane).await.unwrap();
            turns.push((asked, Instant::now()));
        }
        let most = turns
            .iter()
            .enumerate()
            .map(|(first, (asked, _))| {
                let end = *asked + Duration::from_secs(1);
                turns[first..]
                    .iter()
                    .take_while(|(_, granted)| *granted < end)
                    .count()
            })
            .max();
        assert!(most <= Some(51), "{most:?} in one second");
        // On average, the rate itself.
        let span = turns[59].0 - turns[0].1;
        assert!(span >= Duration::from_millis(1100), "{span:?}");
    }

    #[tokio::test]
    async fn a_person_goes_before_scheduled_work_already_waiting() {
        // Two turns at once (the burst), then one every 200 ms.
        let budget = std::sync::Arc::new(Budget::new(Pace {
            per_second: 5,
            burst: 2,
        }));
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut scheduled = Vec::new();
        for n in 0..6 {
            let (budget, order) = (budget.clone(), order.clone());
            scheduled.push(tokio::spawn(async move {
                budget.wait_turn(Lane::Scheduled).await.unwrap();
                order.lock().unwrap().push(format!("scheduled {n}"));
            }));
        }
        while order.lock().unwrap().len() < 2 {
            tokio::task::yield_now().await;
        }
        // Four scheduled turns are queued ahead; the person still goes next.
        budget.wait_turn(Lane::Person).await.unwrap();
        order.lock().unwrap().push("person".to_owned());
        for task in scheduled {
            task.await.unwrap();
        }
        let order = order.lock().unwrap();
        assert_eq!(order[2], "person", "{order:?}");
        assert_eq!(order.len(), 7);
    }

    #[tokio::test]
    async fn a_global_hold_delays_every_turn() {
        let budget = Budget::new(Pace {
            per_second: 50,
            burst: 2,
        });
        budget.hold(Duration::from_millis(120));
        let held = Instant::now();
        budget.wait_turn(Lane::Person).await.unwrap();
        assert!(
            held.elapsed() >= Duration::from_millis(115),
            "{:?}",
            held.elapsed()
        );
    }

    #[tokio::test]
    async fn a_long_global_hold_is_capped_and_a_person_is_told_at_once() {
        let budget = Budget::new(Pace {
            per_second: 50,
            burst: 2,
        });
        budget.hold(Duration::from_secs(30));
        let held = *budget.held_until.lock().unwrap();
        let longest = Instant::now() + LONGEST_GLOBAL_HOLD;
        assert!(held.is_some_and(|until| until <= longest));
        let asked = Instant::now();
        assert_eq!(budget.wait_turn(Lane::Person).await, Err(Busy));
        assert!(asked.elapsed() < Duration::from_millis(100));
    }
}
