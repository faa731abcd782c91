//! The real binary stopped mid-fan-out and started again on the same
//! database. Killed with SIGKILL (no goodbye, no drain), a check-in fan-out
//! never sends one twice and loses at most the claims in flight, and a
//! breathing exercise cut short is finished with a gentle line instead of
//! freezing mid-breath. Stopped with SIGTERM, it loses none either: what it
//! had claimed and not sent goes out after the restart.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use harness::process::Process;
use harness::{database_url, half_a_day_away, quick, time_of, PAST_RETRIES, PATIENCE};
use serde_json::json;
use standin::{route, Fault, FaultKind, StandIn};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};
use steady::prompts::Catalog;
use steady::schedule::IN_FLIGHT;
use steady::store::Store;
use steady::timing::{BEAT_EVERY, DEAD_AFTER};

const FIRST_USER: u64 = 1_100_000_000_000_002_000;

/// Successful check-in DMs the stand-in received, per user.
fn sent(standin: &StandIn) -> HashMap<u64, usize> {
    let mut sent = HashMap::new();
    for request in standin.requests() {
        if request.route != route::CREATE_MESSAGE || request.status != 200 {
            continue;
        }
        let Some(channel) = request.path.split('/').nth(2) else {
            continue;
        };
        let user = (0..COUNT as u64)
            .map(|n| FIRST_USER + n)
            .find(|&user| channel == standin.dm_channel_of(user).to_string());
        if let Some(user) = user {
            *sent.entry(user).or_default() += 1;
        }
    }
    sent
}

const COUNT: usize = 120;

/// `COUNT` check-ins due in two seconds, in a database in a new folder, and
/// a stand-in slow enough that their fan-out takes seconds.
async fn a_slow_fan_out() -> (tempfile::TempDir, StandIn) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let now = Utc::now();
    let due = now + TimeDelta::seconds(2);
    // Their own time is half a day away: only the snoozed instant is due.
    let time = time_of(half_a_day_away(Tz::UTC));
    for n in 0..COUNT as u64 {
        store
            .set_checkin(FIRST_USER + n, time, Tz::UTC, "en-US", now)
            .await
            .unwrap();
        store.snooze_checkin(FIRST_USER + n, due).await.unwrap();
    }
    store.close().await;
    let standin = StandIn::start_with(quick()).await;
    // Slow answers and a small budget: the fan-out takes seconds.
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::Latency(Duration::from_millis(40)),
    ));
    (dir, standin)
}

const SMALL_BUDGET: &str = "[discord]\nrequests_per_second = 30\n";

/// Start steady and wait until a quarter of the fan-out is sent.
async fn quarter_way(standin: &StandIn, dir: &Path) -> Process {
    let process = Process::connected(standin, dir, SMALL_BUDGET).await;
    let started = Instant::now();
    while sent(standin).len() < COUNT / 4 {
        assert!(started.elapsed() < PATIENCE * 2, "the fan-out never began");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    process
}

/// Start steady again and let it send until nothing new comes for longer
/// than a retry takes to come; then what was sent, per user.
async fn restart_until_quiet(standin: &StandIn, dir: &Path) -> HashMap<u64, usize> {
    let process = Process::connected(standin, dir, SMALL_BUDGET).await;
    let (mut last, mut quiet) = (0, Instant::now());
    while quiet.elapsed() < PAST_RETRIES {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = sent(standin).values().sum::<usize>();
        if now != last {
            (last, quiet) = (now, Instant::now());
        }
    }
    drop(process);
    sent(standin)
}

#[tokio::test]
async fn killed_mid_fan_out_it_never_sends_a_check_in_twice() {
    let (dir, standin) = a_slow_fan_out().await;
    quarter_way(&standin, dir.path()).await.kill();
    let at_kill = sent(&standin).len();
    assert!(at_kill < COUNT, "killed too late to prove anything");
    let sent = restart_until_quiet(&standin, dir.path()).await;
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    let lost = COUNT - sent.len();
    assert!(
        lost <= IN_FLIGHT,
        "{lost} lost: more than the {IN_FLIGHT} that may be in flight at a kill"
    );
}

#[tokio::test]
async fn stopped_mid_fan_out_it_sends_every_check_in_once_after_the_restart() {
    let (dir, standin) = a_slow_fan_out().await;
    let mut process = quarter_way(&standin, dir.path()).await;
    // Discord stumbles: a few DMs fail with 503, so their check-ins are
    // waiting to try again when the stop comes.
    let stumbles = 8;
    standin.inject(Fault::new(route::CREATE_MESSAGE, FaultKind::ServerError(503)).times(stumbles));
    let stumbling = Instant::now();
    while (standin.requests().iter())
        .filter(|r| r.status == 503)
        .count()
        < stumbles as usize
    {
        assert!(stumbling.elapsed() < PATIENCE, "the 503s never came");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // SIGTERM, as a service manager stops it; the stand-in on this thread
    // keeps answering while steady finishes what it was sending.
    process.signal("TERM");
    let (status, _) = process.exit(PATIENCE * 3).await;
    assert!(status.success(), "a clean exit: {status}");
    let at_stop = sent(&standin).len();
    assert!(at_stop < COUNT, "stopped too late to prove anything");
    let sent = restart_until_quiet(&standin, dir.path()).await;
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(sent.len(), COUNT, "none lost at a graceful stop");
}

#[tokio::test]
async fn an_exercise_cut_short_by_a_crash_is_finished_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let settings = "[breathe]\nlead_in_seconds = 0\n";
    let first = Process::connected(&standin, dir.path(), settings).await;
    let breathing = harness::breathing_under_way(&standin).await;
    first.kill();

    let second = Process::connected(&standin, dir.path(), settings).await;
    let words = Catalog::load(None)
        .unwrap()
        .breathing
        .messages
        .interrupted
        .plain();
    // The first process's boot is taken for dead once the database has not
    // seen it for DEAD_AFTER: until then it could be a second process of
    // the same shards, alive.
    let patience = DEAD_AFTER + BEAT_EVERY + PATIENCE;
    let finished = standin.next_original_edit(&breathing, patience).await;
    assert_eq!(finished.body["content"], words.as_str());
    assert_eq!(
        finished.body["components"],
        json!([]),
        "no Stop left to press"
    );
    assert_eq!(finished.body["allowed_mentions"]["parse"], json!([]));
    drop(second);
    // Its row went with it: there is nothing of river's left to stop.
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    assert!(!store.request_stop(harness::river().id, None).await.unwrap());
}
