//! The real binary stopped with SIGTERM while Discord holds it back, then
//! started again on the same database: whatever it had claimed and not
//! sent (parked under a global 429, or still on the wire when the drain
//! ended) goes out after the restart, once per person.

mod harness;
mod standin;

use harness::process::Process;
use harness::{database_url, fan_out, quick, PATIENCE};
use standin::{route, Fault, FaultKind, StandIn};
use std::path::Path;
use std::time::{Duration, Instant};
use steady::schedule::IN_FLIGHT;

const FIRST_USER: u64 = 1_100_000_000_000_005_000;
const COUNT: u64 = 200;

/// `COUNT` check-ins due in two seconds, in a database in a new folder.
async fn a_fan_out() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fan_out(&database_url(dir.path()), FIRST_USER..FIRST_USER + COUNT, 2).await;
    dir
}

/// Messages in each person's DMs, person by person.
fn messages(standin: &StandIn) -> Vec<usize> {
    (FIRST_USER..FIRST_USER + COUNT)
        .map(|user| standin.messages_in(standin.dm_channel_of(user)).len())
        .collect()
}

/// SIGTERM, as a service manager stops it; a clean exit within the drain.
async fn stop(mut process: Process) {
    process.signal("TERM");
    let (status, took) = process.exit(PATIENCE * 3).await;
    assert!(status.success(), "a clean exit: {status}");
    assert!(
        took < steady::timing::DRAIN + Duration::from_secs(3),
        "{took:?}"
    );
}

/// Start steady again and let it send until two seconds pass with nothing
/// new; then the messages in each person's DMs.
async fn restart_until_quiet(standin: &StandIn, dir: &Path) -> Vec<usize> {
    let process = Process::connected(standin, dir, "").await;
    let (mut last, mut quiet) = (0, Instant::now());
    while quiet.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = messages(standin).iter().sum::<usize>();
        if now != last {
            (last, quiet) = (now, Instant::now());
        }
    }
    drop(process);
    messages(standin)
}

#[tokio::test]
async fn stopped_under_a_long_global_hold_every_person_gets_one_check_in() {
    let dir = a_fan_out().await;
    let standin = StandIn::start_with(quick()).await;
    let hold = FaultKind::GlobalRateLimited {
        retry_after: Duration::from_secs(30),
    };
    standin.inject(Fault::once(route::CREATE_MESSAGE, hold));
    let process = Process::connected(&standin, dir.path(), "").await;
    let started = Instant::now();
    while standin.requests().iter().all(|r| r.status != 429) {
        assert!(started.elapsed() < PATIENCE, "the 429 never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Every delivery under way is now parked behind the hold.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop(process).await;
    let at_stop: usize = messages(&standin).iter().sum();
    assert!(
        at_stop < COUNT as usize,
        "stopped too late to prove anything"
    );
    let sent = restart_until_quiet(&standin, dir.path()).await;
    assert_eq!(sent, vec![1; COUNT as usize], "each person exactly once");
}

#[tokio::test]
async fn stopped_with_creates_on_the_wire_past_the_drain_every_person_gets_one() {
    let dir = a_fan_out().await;
    let standin = StandIn::start_with(quick()).await;
    // Answers take longer than the drain (and the request timeout is
    // longer still): the first creates are on the wire when it ends.
    let slow = FaultKind::Latency(Duration::from_secs(12));
    standin.inject(Fault::new(route::CREATE_MESSAGE, slow).times(IN_FLIGHT as u32));
    let patient = "[discord]\nrequest_timeout_seconds = 30\n";
    let process = Process::connected(&standin, dir.path(), patient).await;
    // Due two seconds after the database was written: by now the first
    // creates have gone out, and wait for their answers.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        messages(&standin).iter().all(|&n| n == 0),
        "none answered yet"
    );
    stop(process).await;
    standin.clear_faults();
    let sent = restart_until_quiet(&standin, dir.path()).await;
    // Cut-off creates finishing late on the stand-in's side return the
    // message the retry made (the same nonce), never a second one.
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert_eq!(sent, vec![1; COUNT as usize], "each person exactly once");
    assert_eq!(messages(&standin), vec![1; COUNT as usize]);
}
