//! The check-in store and scheduler on a real database, with a clock the
//! test moves by hand (no real waiting) and a courier that records what it
//! is given and answers as told. On both backends.

mod backend;

use backend::{execute, Db};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use steady::daily::time::TimeOfDay;
use steady::metrics::Metrics;
use steady::schedule::{in_flight, Clock, Courier, Delivery, Due, Policy, Scheduler, IN_FLIGHT};
use steady::store::{Claimed, MoodTap, PauseReason, Store, ASKED_MOODS_A_DAY};
use steady::CancellationToken;
use tokio::sync::watch;

on_both!(
    a_check_in_is_sent_once_at_its_local_time_then_tomorrow,
    across_spring_forward_and_fall_back_one_a_day_at_the_right_instant,
    two_schedulers_on_one_database_send_each_check_in_once,
    a_check_in_another_process_set_is_found_when_it_looks_again,
    a_process_claims_no_more_than_about_a_second_of_its_budget,
    after_downtime_a_late_check_in_is_skipped_within_grace_it_is_sent,
    refused_three_days_running_pauses_with_the_reason_told_once,
    a_success_between_refusals_starts_the_count_again,
    a_failure_discord_may_recover_from_is_retried_with_backoff_within_grace,
    a_person_who_says_stop_between_two_tries_gets_no_second,
    a_try_that_may_have_acted_is_given_up_uncertain_past_the_nonce_window,
    a_change_wakes_the_idle_scheduler_and_snooze_brings_one_forward,
    pausing_stopping_and_snoozing_a_paused_check_in,
    moods_are_kept_only_with_history_on_and_forgotten_when_it_goes_off,
    a_claim_given_back_is_due_again_unless_it_changed_meanwhile,
    two_processes_claiming_at_once_take_each_check_in_once,
    a_second_tap_on_one_check_in_changes_its_mood_instead_of_adding_one,
    check_ins_asked_for_keep_a_few_moods_a_day_the_daily_one_every_one,
    a_claim_whose_commit_fails_is_counted,
);

/// Patience for things that happen as soon as the clock moves.
const SOON: Duration = Duration::from_secs(5);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

fn time(text: &str) -> TimeOfDay {
    text.parse().unwrap()
}

/// A clock that stands still until the test moves it.
struct HandClock(watch::Sender<DateTime<Utc>>);

impl HandClock {
    fn new(start: DateTime<Utc>) -> Arc<HandClock> {
        Arc::new(HandClock(watch::channel(start).0))
    }

    fn set(&self, now: DateTime<Utc>) {
        self.0.send_replace(now);
    }

    fn advance(&self, by: TimeDelta) {
        self.0.send_modify(|now| *now += by);
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.borrow()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let mut now = self.0.subscribe();
        let _ = now.wait_for(|now| *now >= deadline).await;
    }
}

/// Whose a check-in is: nothing else is due in these tests.
fn owner(due: &Due) -> u64 {
    match due {
        Due::Checkin(checkin) => checkin.user,
        other => panic!("expected a check-in, claimed {other:?}"),
    }
}

/// The check-ins `store` claims at `now`, at most `limit`.
async fn claim(store: &Store, now: DateTime<Utc>, limit: usize) -> Vec<Claimed> {
    let due = store.claim_due(now, limit).await.unwrap();
    due.into_iter()
        .map(|due| match due {
            Due::Checkin(checkin) => checkin,
            other => panic!("expected a check-in, claimed {other:?}"),
        })
        .collect()
}

/// A delivery: who, when it was due, and when it was sent.
type Sent = (u64, DateTime<Utc>, DateTime<Utc>);

/// Records every delivery with the clock's time, answering from a script
/// per user (then `Sent`).
struct Recorder {
    clock: Arc<HandClock>,
    sent: Mutex<Vec<Sent>>,
    script: Mutex<HashMap<u64, VecDeque<Delivery>>>,
    /// Attempts per user; a test waits on it instead of guessing how long
    /// the scheduler needs (it may be slow on a busy machine).
    tries: watch::Sender<HashMap<u64, usize>>,
}

impl Recorder {
    fn new(clock: &Arc<HandClock>) -> Arc<Recorder> {
        Arc::new(Recorder {
            clock: Arc::clone(clock),
            sent: Mutex::default(),
            script: Mutex::default(),
            tries: watch::Sender::default(),
        })
    }

    fn answer(&self, user: u64, answers: &[Delivery]) {
        self.script
            .lock()
            .unwrap()
            .entry(user)
            .or_default()
            .extend(answers);
    }

    /// Every successful delivery, in order.
    fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    async fn wait_sent(&self, count: usize) {
        let mut tries = self.tries.subscribe();
        tokio::time::timeout(SOON, tries.wait_for(|_| self.sent().len() >= count))
            .await
            .unwrap_or_else(|_| panic!("expected {count} sent, got {:?}", self.sent()))
            .unwrap();
    }

    /// Wait until `user`'s check-in was tried `count` times in all.
    async fn wait_tries(&self, user: u64, count: usize) {
        let mut tries = self.tries.subscribe();
        let enough = |tries: &HashMap<u64, usize>| tries.get(&user) >= Some(&count);
        tokio::time::timeout(SOON, tries.wait_for(enough))
            .await
            .unwrap_or_else(|_| panic!("expected {count} tries for {user}"))
            .unwrap();
    }
}

impl Courier for Recorder {
    async fn deliver(&self, due: &Due, _stop: &CancellationToken) -> Delivery {
        let answer = self
            .script
            .lock()
            .unwrap()
            .get_mut(&owner(due))
            .and_then(VecDeque::pop_front)
            .unwrap_or(Delivery::Sent);
        if answer == Delivery::Sent {
            let now = self.clock.now();
            self.sent
                .lock()
                .unwrap()
                .push((owner(due), due.due().unwrap_or(now), now));
        }
        self.tries
            .send_modify(|tries| *tries.entry(owner(due)).or_default() += 1);
        answer
    }
}

const POLICY: Policy = Policy {
    in_flight: IN_FLIGHT,
    grace: Duration::from_secs(2 * 3600),
    max_failures: 3,
    look_again: None,
    nonce_window: Duration::from_secs(60),
};

struct Running {
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
    changed: Arc<tokio::sync::Notify>,
    metrics: Arc<Metrics>,
}

/// The value of the series written exactly `series` in what `/metrics`
/// would show.
fn metric(metrics: &Metrics, series: &str) -> f64 {
    let text = metrics.encode();
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

fn checkins_counted(metrics: &Metrics, outcome: &str) -> f64 {
    metric(
        metrics,
        &format!("steady_checkins_total{{outcome=\"{outcome}\"}}"),
    )
}

impl Running {
    async fn stop(self) {
        self.shutdown.cancel();
        tokio::time::timeout(SOON, self.task)
            .await
            .unwrap()
            .unwrap();
    }
}

fn start(store: &Store, clock: &Arc<HandClock>, courier: &Arc<Recorder>) -> Running {
    start_with(store, clock, courier, POLICY)
}

fn start_with(
    store: &Store,
    clock: &Arc<HandClock>,
    courier: &Arc<Recorder>,
    policy: Policy,
) -> Running {
    let metrics = Arc::new(Metrics::new());
    let scheduler = Scheduler::new(
        store.clone(),
        Arc::clone(clock),
        Arc::clone(courier),
        policy,
        Arc::clone(&metrics),
    );
    let changed = scheduler.changed();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(scheduler.run(shutdown.clone()));
    Running {
        shutdown,
        task,
        changed,
        metrics,
    }
}

/// Let the scheduler reach its next sleep.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

async fn a_check_in_is_sent_once_at_its_local_time_then_tomorrow(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T12:00:00Z"));
    let next = store
        .set_checkin(
            7,
            time("21:30"),
            zone("Europe/Berlin"),
            "en-US",
            clock.now(),
        )
        .await
        .unwrap();
    assert_eq!(next, at("2026-06-01T19:30:00Z"));
    let courier = Recorder::new(&clock);
    let running = start(&store, &clock, &courier);
    settle().await;
    clock.set(at("2026-06-01T19:29:59Z"));
    settle().await;
    assert!(courier.sent().is_empty(), "sent early");
    clock.set(at("2026-06-01T19:30:00Z"));
    courier.wait_sent(1).await;
    clock.advance(TimeDelta::minutes(30));
    settle().await;
    assert_eq!(courier.sent().len(), 1, "sent twice");
    let checkin = store.checkin(7).await.unwrap().unwrap();
    assert_eq!(checkin.next_due, Some(at("2026-06-02T19:30:00Z")));
    clock.set(at("2026-06-02T19:30:00Z"));
    courier.wait_sent(2).await;
    running.stop().await;
    let sent = courier.sent();
    assert_eq!(sent[0].1, at("2026-06-01T19:30:00Z"));
    assert_eq!(sent[1].1, at("2026-06-02T19:30:00Z"));
}

async fn across_spring_forward_and_fall_back_one_a_day_at_the_right_instant(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-03-27T12:00:00Z"));
    store
        .set_checkin(
            1,
            time("02:30"),
            zone("Europe/Berlin"),
            "en-US",
            clock.now(),
        )
        .await
        .unwrap();
    let courier = Recorder::new(&clock);
    let running = start(&store, &clock, &courier);
    // 28 March 02:30 CET; 29 March has no 02:30, so the first instant after
    // the gap (03:00 CEST); 30 March 02:30 CEST.
    let expected = [
        "2026-03-28T01:30:00Z",
        "2026-03-29T01:00:00Z",
        "2026-03-30T00:30:00Z",
    ];
    for (n, due) in expected.iter().enumerate() {
        clock.set(at(due));
        courier.wait_sent(n + 1).await;
    }
    running.stop().await;
    let dues: Vec<_> = courier.sent().iter().map(|s| s.1).collect();
    assert_eq!(dues, expected.map(at));

    // Fall back: 25 October's 02:30 happens twice; the first (CEST) counts.
    let clock = HandClock::new(at("2026-10-24T12:00:00Z"));
    store
        .set_checkin(
            1,
            time("02:30"),
            zone("Europe/Berlin"),
            "en-US",
            clock.now(),
        )
        .await
        .unwrap();
    let courier = Recorder::new(&clock);
    let running = start(&store, &clock, &courier);
    for (n, due) in ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]
        .iter()
        .enumerate()
    {
        clock.set(at(due));
        courier.wait_sent(n + 1).await;
    }
    running.stop().await;
    assert_eq!(courier.sent().len(), 2);
}

async fn two_schedulers_on_one_database_send_each_check_in_once(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let clock = HandClock::new(at("2026-06-01T08:00:00Z"));
    let users = 300;
    for user in 1..=users {
        first
            .set_checkin(user, time("09:00"), Tz::UTC, "en-US", clock.now())
            .await
            .unwrap();
    }
    let (a, b) = (Recorder::new(&clock), Recorder::new(&clock));
    let running = [start(&first, &clock, &a), start(&second, &clock, &b)];
    settle().await;
    clock.set(at("2026-06-01T09:00:00Z"));
    tokio::time::timeout(SOON, async {
        while a.sent().len() + b.sent().len() < users as usize {
            settle().await;
        }
    })
    .await
    .expect("not every check-in was sent");
    settle().await;
    for scheduler in running {
        scheduler.stop().await;
    }
    let mut everyone: Vec<u64> = a.sent().iter().chain(&b.sent()).map(|s| s.0).collect();
    everyone.sort_unstable();
    assert_eq!(
        everyone,
        (1..=users).collect::<Vec<_>>(),
        "a duplicate or a loss"
    );
}

async fn a_check_in_another_process_set_is_found_when_it_looks_again(db: Db) {
    let (here, elsewhere) = (db.open().await, db.open().await);
    let clock = HandClock::new(at("2026-06-01T09:59:50Z"));
    let courier = Recorder::new(&clock);
    let policy = Policy {
        look_again: Some(Duration::from_secs(5)),
        ..POLICY
    };
    // Nothing stored: it would sleep until told, but looks again at 09:59:55.
    let running = start_with(&here, &clock, &courier, policy);
    settle().await;
    // Another process's scheduler is the one told of this check-in.
    elsewhere
        .set_checkin(8, time("10:00"), Tz::UTC, "en-US", clock.now())
        .await
        .unwrap();
    clock.set(at("2026-06-01T09:59:55Z"));
    settle().await;
    assert!(courier.sent().is_empty());
    clock.set(at("2026-06-01T10:00:00Z"));
    courier.wait_sent(1).await;
    running.stop().await;
    let sent = courier.sent();
    assert_eq!(
        sent,
        [(8, at("2026-06-01T10:00:00Z"), at("2026-06-01T10:00:00Z"))]
    );
}

async fn a_process_claims_no_more_than_about_a_second_of_its_budget(db: Db) {
    let store = db.open().await;
    let due = at("2026-06-01T09:00:00Z");
    let clock = HandClock::new(due - TimeDelta::hours(1));
    let courier = Recorder::new(&clock);
    for user in 1..=5 {
        store
            .set_checkin(user, time("09:00"), Tz::UTC, "en-US", clock.now())
            .await
            .unwrap();
        // Discord busy for a minute: each delivery keeps its claim meanwhile.
        courier.answer(user, &[Delivery::Retry(Some(Duration::from_secs(60)))]);
    }
    // A process whose share is 2 requests a second.
    let policy = Policy {
        in_flight: in_flight(2),
        ..POLICY
    };
    let running = start_with(&store, &clock, &courier, policy);
    settle().await;
    clock.set(due);
    let tried = |tries: &HashMap<u64, usize>| tries.values().sum::<usize>();
    let mut tries = courier.tries.subscribe();
    tokio::time::timeout(SOON, tries.wait_for(|tries| tried(tries) >= 2))
        .await
        .expect("the first two tried")
        .unwrap();
    // The clock stands still, so nothing else is retried: a third try
    // would be a third claim.
    settle().await;
    assert_eq!(tried(&courier.tries.borrow()), 2);
    // The other three are still there for another process to claim.
    assert_eq!(claim(&store, due, 10).await.len(), 3);
    clock.advance(TimeDelta::minutes(1));
    courier.wait_sent(2).await;
    running.stop().await;
}

async fn after_downtime_a_late_check_in_is_skipped_within_grace_it_is_sent(db: Db) {
    let store = db.open().await;
    let set_at = at("2026-06-01T06:00:00Z");
    store
        .set_checkin(1, time("08:00"), Tz::UTC, "en-US", set_at)
        .await
        .unwrap();
    store
        .set_checkin(2, time("10:30"), Tz::UTC, "en-US", set_at)
        .await
        .unwrap();
    // The bot was down from 07:00 to 11:00: one is 3 h late, one 30 min.
    let clock = HandClock::new(at("2026-06-01T11:00:00Z"));
    let courier = Recorder::new(&clock);
    let running = start(&store, &clock, &courier);
    courier.wait_sent(1).await;
    settle().await;
    let metrics = Arc::clone(&running.metrics);
    running.stop().await;
    let sent = courier.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, 2);
    assert_eq!(checkins_counted(&metrics, "skipped_late"), 1.0);
    assert_eq!(checkins_counted(&metrics, "sent"), 1.0);
    // Sent at 11:00, due at 10:30.
    assert_eq!(metric(&metrics, "steady_checkin_delay_seconds_sum"), 1800.0);
    for user in [1, 2] {
        let next = store
            .checkin(user)
            .await
            .unwrap()
            .unwrap()
            .next_due
            .unwrap();
        assert!(
            next > at("2026-06-02T00:00:00Z"),
            "tomorrow's is next: {next}"
        );
    }
}

async fn refused_three_days_running_pauses_with_the_reason_told_once(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T06:00:00Z"));
    store
        .set_checkin(5, time("09:00"), Tz::UTC, "en-US", clock.now())
        .await
        .unwrap();
    let courier = Recorder::new(&clock);
    courier.answer(5, &[Delivery::Refused; 3]);
    let running = start(&store, &clock, &courier);
    // Each day waits for its try: a clock moved on before it would make
    // that day's check-in late, skipped rather than refused.
    for (tries, day) in [(1, "2026-06-01"), (2, "2026-06-02")] {
        clock.set(at(&format!("{day}T09:00:00Z")));
        courier.wait_tries(5, tries).await;
        settle().await;
        let checkin = store.checkin(5).await.unwrap().unwrap();
        assert!(checkin.paused.is_none(), "paused too soon");
    }
    clock.set(at("2026-06-03T09:00:00Z"));
    tokio::time::timeout(SOON, async {
        while store.checkin(5).await.unwrap().unwrap().paused.is_none() {
            settle().await;
        }
    })
    .await
    .expect("never paused");
    let metrics = Arc::clone(&running.metrics);
    running.stop().await;
    assert_eq!(checkins_counted(&metrics, "refused"), 2.0);
    assert_eq!(checkins_counted(&metrics, "paused"), 1.0);
    assert_eq!(checkins_counted(&metrics, "sent"), 0.0);
    let checkin = store.checkin(5).await.unwrap().unwrap();
    let pause = checkin.paused.unwrap();
    assert_eq!(pause.why, PauseReason::DmsClosed);
    assert_eq!(pause.since, at("2026-06-03T09:00:00Z"));
    assert_eq!(checkin.next_due, None);
    assert_eq!(store.next_due().await.unwrap(), None);
    assert_eq!(store.take_pause_notice(5).await.unwrap(), Some(pause));
    assert_eq!(
        store.take_pause_notice(5).await.unwrap(),
        None,
        "told twice"
    );
    // Turning it on again starts afresh.
    store
        .set_checkin(
            5,
            time("09:00"),
            Tz::UTC,
            "en-US",
            at("2026-06-03T10:00:00Z"),
        )
        .await
        .unwrap();
    assert!(store.checkin(5).await.unwrap().unwrap().paused.is_none());
}

async fn a_success_between_refusals_starts_the_count_again(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T06:00:00Z"));
    store
        .set_checkin(5, time("09:00"), Tz::UTC, "en-US", clock.now())
        .await
        .unwrap();
    let courier = Recorder::new(&clock);
    use Delivery::{Refused, Sent};
    courier.answer(5, &[Refused, Refused, Sent, Refused, Refused]);
    let running = start(&store, &clock, &courier);
    for day in 1..=5 {
        clock.set(at(&format!("2026-06-0{day}T09:00:00Z")));
        courier.wait_tries(5, day).await;
        settle().await;
    }
    running.stop().await;
    assert_eq!(courier.sent().len(), 1);
    assert!(store.checkin(5).await.unwrap().unwrap().paused.is_none());
}

async fn a_failure_discord_may_recover_from_is_retried_with_backoff_within_grace(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T08:59:00Z"));
    for user in [1, 2] {
        store
            .set_checkin(user, time("09:00"), Tz::UTC, "en-US", clock.now())
            .await
            .unwrap();
    }
    let courier = Recorder::new(&clock);
    // User 1: a 429 (its retry_after), then two 5xx (1 s, then 2 s backoff).
    courier.answer(
        1,
        &[
            Delivery::Retry(Some(Duration::from_millis(1500))),
            Delivery::Retry(None),
            Delivery::Retry(None),
        ],
    );
    // User 2: Discord never recovers.
    courier.answer(2, &[Delivery::Retry(None); 64]);
    let running = start(&store, &clock, &courier);
    settle().await;
    clock.set(at("2026-06-01T09:00:00Z"));
    courier.wait_tries(1, 1).await;
    for (tries, step) in [(2, 1500), (3, 1000), (4, 2000)] {
        // The scheduler reads the clock right after each try: let it.
        settle().await;
        assert!(courier.sent().is_empty(), "retried before its wait");
        clock.advance(TimeDelta::milliseconds(step));
        courier.wait_tries(1, tries).await;
    }
    courier.wait_sent(1).await;
    assert_eq!(courier.sent()[0].2, at("2026-06-01T09:00:04.5Z"));
    // Past the grace, user 2's check-in is given up, and the slot freed.
    for _ in 0..12 {
        clock.advance(TimeDelta::minutes(15));
        settle().await;
    }
    let metrics = Arc::clone(&running.metrics);
    running.stop().await;
    assert_eq!(courier.sent().len(), 1);
    assert_eq!(checkins_counted(&metrics, "sent"), 1.0);
    assert_eq!(checkins_counted(&metrics, "failed"), 1.0, "user 2 given up");
    let retried = checkins_counted(&metrics, "retried");
    assert!(retried >= 4.0, "user 1's three and user 2's: {retried}");
}

async fn a_person_who_says_stop_between_two_tries_gets_no_second(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T08:59:00Z"));
    for user in [1, 2, 3] {
        store
            .set_checkin(user, time("09:00"), Tz::UTC, "en-US", clock.now())
            .await
            .unwrap();
    }
    let courier = Recorder::new(&clock);
    for user in [1, 2, 3] {
        courier.answer(user, &[Delivery::MayHaveActed(None)]);
    }
    let running = start(&store, &clock, &courier);
    settle().await;
    clock.set(at("2026-06-01T09:00:00Z"));
    for user in [1, 2, 3] {
        courier.wait_tries(user, 1).await;
    }
    // Between the first try and the next: 1 forgets everything, 2 pauses;
    // 3 says nothing.
    store.forget(1).await.unwrap();
    store
        .pause_checkin(2, PauseReason::Asked, clock.now())
        .await
        .unwrap();
    settle().await;
    clock.advance(TimeDelta::seconds(1));
    courier.wait_sent(1).await;
    clock.advance(TimeDelta::minutes(5));
    settle().await;
    let metrics = Arc::clone(&running.metrics);
    running.stop().await;
    let tries = courier.tries.borrow().clone();
    assert_eq!((tries[&1], tries[&2], tries[&3]), (1, 1, 2));
    assert_eq!(courier.sent().iter().map(|s| s.0).collect::<Vec<_>>(), [3]);
    assert_eq!(checkins_counted(&metrics, "withdrawn"), 2.0);
}

async fn a_try_that_may_have_acted_is_given_up_uncertain_past_the_nonce_window(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T08:59:00Z"));
    store
        .set_checkin(1, time("09:00"), Tz::UTC, "en-US", clock.now())
        .await
        .unwrap();
    let courier = Recorder::new(&clock);
    // A lost answer, then 5xx after 5xx, and a timed-out try's least wait.
    courier.answer(
        1,
        &[Delivery::MayHaveActed(Some(Duration::from_secs(10))); 8],
    );
    let policy = Policy {
        nonce_window: Duration::from_secs(30),
        ..POLICY
    };
    let running = start_with(&store, &clock, &courier, policy);
    settle().await;
    clock.set(at("2026-06-01T09:00:00Z"));
    // Tried at 09:00:00, :10 and :20; the next, at :30, would be past the window.
    for tries in [1, 2, 3] {
        courier.wait_tries(1, tries).await;
        settle().await;
        clock.advance(TimeDelta::seconds(10));
    }
    for _ in 0..6 {
        settle().await;
        clock.advance(TimeDelta::minutes(1));
    }
    let metrics = Arc::clone(&running.metrics);
    running.stop().await;
    assert_eq!(courier.tries.borrow()[&1], 3);
    assert!(courier.sent().is_empty());
    assert_eq!(checkins_counted(&metrics, "uncertain"), 1.0);
    assert_eq!(checkins_counted(&metrics, "failed"), 0.0);
}

async fn a_change_wakes_the_idle_scheduler_and_snooze_brings_one_forward(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T10:00:00Z"));
    let courier = Recorder::new(&clock);
    // Nothing stored: it sleeps until told.
    let running = start(&store, &clock, &courier);
    settle().await;
    store
        .set_checkin(3, time("10:30"), Tz::UTC, "en-US", clock.now())
        .await
        .unwrap();
    running.changed.notify_one();
    settle().await;
    clock.set(at("2026-06-01T10:30:00Z"));
    courier.wait_sent(1).await;
    // Snoozed for an hour from 10:31: it comes back at 11:31, then tomorrow.
    let snoozed = store
        .snooze_checkin(3, at("2026-06-01T11:31:00Z"))
        .await
        .unwrap();
    assert_eq!(snoozed, Some(at("2026-06-01T11:31:00Z")));
    running.changed.notify_one();
    settle().await;
    clock.set(at("2026-06-01T11:31:00Z"));
    courier.wait_sent(2).await;
    running.stop().await;
    let next = store.checkin(3).await.unwrap().unwrap().next_due;
    assert_eq!(next, Some(at("2026-06-02T10:30:00Z")));
}

async fn pausing_stopping_and_snoozing_a_paused_check_in(db: Db) {
    let store = db.open().await;
    let now = at("2026-06-01T10:00:00Z");
    assert!(!store
        .pause_checkin(4, PauseReason::Asked, now)
        .await
        .unwrap());
    assert_eq!(store.snooze_checkin(4, now).await.unwrap(), None);
    store
        .set_checkin(4, time("21:00"), zone("Asia/Tokyo"), "en-US", now)
        .await
        .unwrap();
    assert!(store
        .pause_checkin(4, PauseReason::Asked, now)
        .await
        .unwrap());
    let checkin = store.checkin(4).await.unwrap().unwrap();
    assert_eq!(checkin.paused.map(|p| p.why), Some(PauseReason::Asked));
    assert_eq!(checkin.zone, zone("Asia/Tokyo"));
    // A pause the person asked for needs no notice; a paused one is not snoozed.
    assert_eq!(store.take_pause_notice(4).await.unwrap(), None);
    assert_eq!(store.snooze_checkin(4, now).await.unwrap(), None);
    assert!(store.stop_checkin(4).await.unwrap());
    assert!(!store.stop_checkin(4).await.unwrap());
    assert_eq!(store.checkin(4).await.unwrap(), None);
}

async fn moods_are_kept_only_with_history_on_and_forgotten_when_it_goes_off(db: Db) {
    let store = db.open().await;
    let now = at("2026-06-01T10:00:00Z");
    assert!(!store.mood_history(9).await.unwrap());
    assert!(!store.record_mood(9, 3, now, 100).await.unwrap());
    store.set_mood_history(9, true).await.unwrap();
    assert!(store.record_mood(9, 4, now, 100).await.unwrap());
    assert!(store
        .record_mood(9, 2, now + TimeDelta::days(1), 101)
        .await
        .unwrap());
    let since = store
        .moods_since(9, now + TimeDelta::hours(1))
        .await
        .unwrap();
    assert_eq!(since, vec![(now + TimeDelta::days(1), 2)]);
    assert_eq!(store.set_mood_history(9, false).await.unwrap(), 2);
    assert!(store.moods_since(9, now).await.unwrap().is_empty());
    assert!(!store.record_mood(9, 4, now, 102).await.unwrap());
}

async fn a_claim_given_back_is_due_again_unless_it_changed_meanwhile(db: Db) {
    let store = db.open().await;
    let due = at("2026-06-01T09:00:00Z");
    for user in [1, 2] {
        store
            .set_checkin(
                user,
                time("09:00"),
                Tz::UTC,
                "en-US",
                due - TimeDelta::hours(1),
            )
            .await
            .unwrap();
    }
    let claimed = claim(&store, due, 4).await;
    assert_eq!(claimed.len(), 2);
    assert!(claimed.iter().all(|c| c.next == at("2026-06-02T09:00:00Z")));
    // Claimed once: a second look finds nothing due.
    assert!(claim(&store, due, 4).await.is_empty());

    // Person 2 picks a new time before the stop: their new choice stands.
    store
        .set_checkin(2, time("18:00"), Tz::UTC, "en-US", due)
        .await
        .unwrap();
    // Each given back as tried in a way Discord may have acted on.
    let acted = due + TimeDelta::seconds(3);
    let given_back: Vec<bool> = [
        store
            .give_back(&Due::Checkin(claimed[0].clone()), Some(acted))
            .await
            .unwrap(),
        store
            .give_back(&Due::Checkin(claimed[1].clone()), Some(acted))
            .await
            .unwrap(),
    ]
    .into();
    let by_user = |user: u64| claimed.iter().position(|c| c.user == user).unwrap();
    assert!(given_back[by_user(1)]);
    assert!(!given_back[by_user(2)]);
    assert_eq!(store.checkin(1).await.unwrap().unwrap().next_due, Some(due));
    assert_eq!(
        store.checkin(2).await.unwrap().unwrap().next_due,
        Some(at("2026-06-01T18:00:00Z"))
    );
    // Given back, it is claimed (once) again, with when it was tried.
    let again = claim(&store, due, 4).await;
    assert_eq!(again.iter().map(|c| c.user).collect::<Vec<_>>(), vec![1]);
    assert_eq!(again[0].acted, Some(acted));
    // The claim took the mark: the next day's starts without one.
    let tomorrow = claim(&store, at("2026-06-02T09:00:00Z"), 4).await;
    assert!(tomorrow.iter().any(|c| c.user == 1));
    assert!(tomorrow.iter().all(|c| c.acted.is_none()));
}

async fn a_second_tap_on_one_check_in_changes_its_mood_instead_of_adding_one(db: Db) {
    let store = db.open().await;
    let now = at("2026-06-01T10:00:00Z");
    store.set_mood_history(9, true).await.unwrap();
    store.record_mood(9, 2, now, 500).await.unwrap();
    let later = now + TimeDelta::minutes(1);
    assert!(store.record_mood(9, 4, later, 500).await.unwrap());
    assert_eq!(store.moods_since(9, now).await.unwrap(), vec![(later, 4)]);
    // Another check-in's tap is its own, and so is another person's.
    store.record_mood(9, 3, later, 501).await.unwrap();
    store.set_mood_history(10, true).await.unwrap();
    store.record_mood(10, 1, later, 500).await.unwrap();
    assert_eq!(store.moods_since(9, now).await.unwrap().len(), 2);
    assert_eq!(store.moods_since(10, now).await.unwrap().len(), 1);
}

async fn two_processes_claiming_at_once_take_each_check_in_once(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let due = at("2026-06-01T09:00:00Z");
    let users = 200;
    for user in 1..=users {
        first
            .set_checkin(
                user,
                time("09:00"),
                Tz::UTC,
                "en-US",
                due - TimeDelta::hours(1),
            )
            .await
            .unwrap();
    }
    // Small claims, so the two overlap many times before all are taken.
    let drain = |store: Store| async move {
        let mut taken = Vec::new();
        loop {
            let claimed = claim(&store, due, 7).await;
            if claimed.is_empty() {
                return taken;
            }
            taken.extend(claimed.iter().map(|c| c.user));
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(drain(first.clone())),
        tokio::spawn(drain(second.clone()))
    );
    let mut everyone: Vec<u64> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    everyone.sort_unstable();
    assert_eq!(
        everyone,
        (1..=users).collect::<Vec<_>>(),
        "a duplicate or a loss"
    );
    assert_eq!(
        first.next_due().await.unwrap(),
        Some(at("2026-06-02T09:00:00Z"))
    );
}

async fn check_ins_asked_for_keep_a_few_moods_a_day_the_daily_one_every_one(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let start = at("2026-06-01T10:00:00Z");
    assert_eq!(
        store.record_asked_mood(9, 3, start, 1).await.unwrap(),
        MoodTap::NotKept,
        "no history, nothing kept"
    );
    store.set_mood_history(9, true).await.unwrap();
    // All but the last room, a minute apart.
    let room = u64::try_from(ASKED_MOODS_A_DAY).unwrap();
    let minute = |n: u64| start + TimeDelta::minutes(i64::try_from(n).unwrap());
    for n in 1..room {
        let tap = store.record_asked_mood(9, 3, minute(n), n).await.unwrap();
        assert_eq!(tap, MoodTap::Kept, "tap {n}");
    }
    // Two at once for the last room, from two processes: one is kept.
    let (a, b) = tokio::join!(
        store.record_asked_mood(9, 4, minute(room), room),
        elsewhere.record_asked_mood(9, 4, minute(room), room + 1)
    );
    let mut both = [a.unwrap(), b.unwrap()];
    both.sort_by_key(|tap| *tap == MoodTap::Kept);
    assert_eq!(both, [MoodTap::DayFull, MoodTap::Kept]);
    let full = minute(room + 2);
    assert_eq!(
        store.record_asked_mood(9, 5, full, 900).await.unwrap(),
        MoodTap::DayFull
    );
    // A second tap on one of them changes it, adding nothing.
    assert_eq!(
        store.record_asked_mood(9, 1, full, 1).await.unwrap(),
        MoodTap::Kept
    );
    let kept = store.moods_since(9, start).await.unwrap();
    assert_eq!(kept.len(), usize::try_from(room).unwrap());
    assert!(kept.contains(&(full, 1)));
    // The daily check-in's tap is kept however many there are.
    assert!(store.record_mood(9, 2, full, 1000).await.unwrap());
    // A day after the last of them, none counts any more.
    let day = full + TimeDelta::days(1);
    assert_eq!(
        store.record_asked_mood(9, 3, day, 901).await.unwrap(),
        MoodTap::Kept
    );
}

/// Make every commit that moves a check-in's `next_due` fail, as the
/// claim's does, until the returned statement lifts it. SQLite fails a
/// commit that leaves a deferred foreign key broken; PostgreSQL runs a
/// deferred constraint trigger at commit, and this one raises.
async fn break_commits_of_claims(db: &Db, store: &Store) -> &'static str {
    if db.is_postgres() {
        execute(
            store,
            "CREATE FUNCTION break_claims() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN RAISE EXCEPTION 'a commit refused, as staged'; END $$",
        )
        .await;
        execute(
            store,
            "CREATE CONSTRAINT TRIGGER break_claims AFTER UPDATE ON checkins
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION break_claims()",
        )
        .await;
        "DROP TRIGGER break_claims ON checkins"
    } else {
        for sql in [
            "CREATE TABLE breaker_parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE breaker (parent INTEGER
                 REFERENCES breaker_parent (id) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE TRIGGER break_claims AFTER UPDATE OF next_due ON checkins
             BEGIN INSERT INTO breaker (parent) VALUES (1); END",
        ] {
            execute(store, sql).await;
        }
        "DROP TRIGGER break_claims"
    }
}

async fn a_claim_whose_commit_fails_is_counted(db: Db) {
    let store = db.open().await;
    let clock = HandClock::new(at("2026-06-01T12:00:00Z"));
    store
        .set_checkin(7, time("21:30"), zone("UTC"), "en-US", clock.now())
        .await
        .unwrap();
    let lift = break_commits_of_claims(&db, &store).await;
    let courier = Recorder::new(&clock);
    let running = start(&store, &clock, &courier);
    let failed = "steady_claim_commit_errors_total";
    assert_eq!(metric(&running.metrics, failed), 0.0);
    clock.set(at("2026-06-01T21:30:00Z"));
    tokio::time::timeout(SOON, async {
        while metric(&running.metrics, failed) < 1.0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the failed commit counted");
    assert!(courier.sent().is_empty(), "nothing claimed, nothing sent");
    // A refused commit took nothing: lifted, the next claim sends it.
    execute(&store, lift).await;
    clock.advance(TimeDelta::seconds(1));
    courier.wait_sent(1).await;
    assert_eq!(metric(&running.metrics, failed), 1.0);
    running.stop().await;
}
