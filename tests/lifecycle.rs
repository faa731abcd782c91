//! The `steady` binary starting and stopping as an operator meets it: Discord
//! out of reach, a rejected token, and a stop signal, idle or mid-exercise.
//! Bounds on time are generous: they tell the behaviours apart (the old
//! stop took 10 s), they do not measure them.

mod harness;
mod standin;

use harness::process::Process;
use harness::{quick, PATIENCE};
use standin::{route, Fault, FaultKind, StandIn};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use steady::prompts::Catalog;

/// What the old stop took, always: the bound every stop must stay well under.
const OLD_STOP: Duration = Duration::from_secs(10);

/// Wait for a clean stop: exit 0, well under the old stop, `stopped` logged.
async fn assert_stops_cleanly(process: &mut Process) {
    let (status, took) = process.exit(OLD_STOP).await;
    let log = process.log();
    assert!(status.success(), "{status}\n{log}");
    assert!(took < OLD_STOP / 2, "took {took:?}:\n{log}");
    assert!(process.stopped(), "{log}");
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The pauses (in seconds) of the log's "cannot reach Discord at `url`:
/// `cause`; retrying in N s" lines.
fn pauses(messages: &[String], url: &str, cause: &str) -> Vec<u64> {
    let line = format!("cannot reach Discord at {url}: {cause}; retrying in ");
    (messages.iter())
        .filter_map(|m| m.strip_prefix(&line))
        .map(|rest| rest.trim_end_matches(" s").parse().expect("whole seconds"))
        .collect()
}

/// Until the log shows `count` pauses for `url` and `cause`; then they.
async fn wait_for_pauses(process: &Process, url: &str, cause: &str, count: usize) -> Vec<u64> {
    let waiting = Instant::now();
    loop {
        let pauses = pauses(&process.messages(), url, cause);
        if pauses.len() >= count {
            return pauses;
        }
        // 1 + 2 + 4 s of pauses, and the tries between them.
        assert!(
            waiting.elapsed() < PATIENCE * 4,
            "fewer than {count} tries:\n{}",
            process.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn assert_growing(pauses: &[u64]) {
    assert!(
        pauses.windows(2).all(|w| w[0] < w[1]),
        "each pause longer than the last: {pauses:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_named_and_tried_after_growing_pauses() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}", closed_port());
    let mut process = Process::spawn(dir.path(), &url, "any-token", "");
    let pauses = wait_for_pauses(&process, &url, "connection refused", 3).await;
    assert_growing(&pauses);
    let log = process.log();
    assert!(
        !log.contains("Err starting shard"),
        "serenity never dials:\n{log}"
    );
    // Stopping while it waits to try again is as quick as ever.
    process.signal("TERM");
    assert_stops_cleanly(&mut process).await;
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_named_as_a_failed_lookup() {
    let dir = tempfile::tempdir().unwrap();
    // `.invalid` never resolves (RFC 2606).
    let url = "https://discord.steady-test.invalid";
    let process = Process::spawn(dir.path(), url, "any-token", "");
    let pauses = wait_for_pauses(&process, url, "name lookup failed", 2).await;
    assert_growing(&pauses);
}

/// The rejected token's message: it names the variable and where to reset it.
fn assert_names_the_token(stderr: &str) {
    assert!(
        stderr.contains("Discord rejected the bot token")
            && stderr.contains("DISCORD_TOKEN")
            && stderr.contains("https://discord.com/developers/applications"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_rejected_token_stops_run_at_once_without_trying_again() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let mut process = Process::spawn(dir.path(), &standin.api_url(), "not-the-token", "");
    let (status, took) = process.exit(OLD_STOP).await;
    let log = process.log();
    assert_eq!(status.code(), Some(2), "{log}");
    assert!(took < OLD_STOP / 2, "took {took:?}");
    assert_names_the_token(&log);
    let asked: Vec<_> = standin
        .requests()
        .into_iter()
        .map(|r| (r.route, r.status))
        .collect();
    assert_eq!(
        asked,
        [(route::GATEWAY_BOT.to_owned(), 401)],
        "one request, never repeated"
    );
    assert!(standin.connections().is_empty(), "no gateway dial");
}

#[tokio::test]
async fn a_token_reset_while_running_stops_it_naming_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let mut process = Process::connected(&standin, dir.path(), "").await;
    standin.wait_commands_registered(PATIENCE).await;
    standin.reset_token();
    // Discord asks it to reconnect; the old token no longer gets back in.
    standin.request_reconnect();
    let (status, _) = process.exit(PATIENCE * 4).await;
    let log = process.log();
    assert_eq!(status.code(), Some(2), "{log}");
    assert_names_the_token(&log);
    let rejected: Vec<_> = (standin.requests().into_iter())
        .filter(|r| r.status == 401)
        .map(|r| r.route)
        .collect();
    assert!(
        rejected.len() <= 1,
        "a 401 is never tried again: {rejected:?}\n{log}"
    );
}

#[tokio::test]
async fn sigterm_when_idle_stops_at_once_and_leaves_one_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let mut process = Process::connected(&standin, dir.path(), "").await;
    process.signal("TERM");
    let (status, took) = process.exit(OLD_STOP).await;
    let log = process.log();
    assert!(status.success(), "{status}\n{log}");
    assert!(took < OLD_STOP / 4, "took {took:?}:\n{log}");
    assert!(process.stopped(), "{log}");
    assert!(!log.contains("did not finish in time"), "{log}");
    for leftover in ["steady.db-wal", "steady.db-shm"] {
        assert!(
            !dir.path().join(leftover).exists(),
            "{leftover} left behind"
        );
    }
    assert!(
        !(standin.requests().iter()).any(|r| r.route == route::APPLICATION),
        "no request for the application's owners"
    );
    assert!(!log.contains("owners"), "{log}");
}

#[tokio::test]
async fn sigterm_mid_exercise_sends_its_last_words_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let settings = "[breathe]\nlead_in_seconds = 0\n";
    let mut process = Process::connected(&standin, dir.path(), settings).await;
    let breathing = harness::breathing_under_way(&standin).await;
    process.signal("TERM");
    let words = Catalog::load(None).unwrap().breathing.messages.restarting;
    let last = standin.next_original_edit(&breathing, PATIENCE).await;
    assert_eq!(last.body["content"], words.plain().as_str());
    assert_stops_cleanly(&mut process).await;
}

#[tokio::test]
async fn a_second_signal_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let settings = "[breathe]\nlead_in_seconds = 0\n";
    let mut process = Process::connected(&standin, dir.path(), settings).await;
    harness::breathing_under_way(&standin).await;
    // Discord goes slow: the last words take long, so the stop has to wait.
    standin.inject(Fault::new(
        route::EDIT_ORIGINAL,
        FaultKind::Latency(Duration::from_secs(30)),
    ));
    process.signal("TERM");
    let waiting = Instant::now();
    while !(process.messages().iter()).any(|m| m.starts_with("terminated; stopping")) {
        assert!(waiting.elapsed() < PATIENCE, "{}", process.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    process.signal("TERM");
    let (status, _) = process.exit(OLD_STOP).await;
    let log = process.log();
    assert_eq!(status.code(), Some(143), "128 + SIGTERM's 15: {log}");
    assert!(
        (process.messages().iter()).any(|m| m == "terminated again; stopping at once"),
        "{log}"
    );
    assert!(
        !process.stopped(),
        "it did not wait for the last words: {log}"
    );
}

#[tokio::test]
async fn a_lost_gateway_is_dialled_again_after_growing_pauses() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let process = Process::connected(&standin, dir.path(), "").await;
    standin.set_gateway_down(true);
    let line = format!(
        "the Discord gateway at {} is not answering; reconnecting in ",
        standin.gateway_url()
    );
    let waiting = Instant::now();
    let pauses = loop {
        let pauses: Vec<u64> = (process.messages().iter())
            .filter_map(|m| m.strip_prefix(&line))
            .map(|rest| rest.trim_end_matches(" s").parse().expect("whole seconds"))
            .collect();
        if pauses.len() >= 2 {
            break pauses;
        }
        assert!(waiting.elapsed() < PATIENCE * 4, "{}", process.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_growing(&pauses);
    // Per pause, serenity's one dial and steady's TCP test of the gateway;
    // and serenity's first resume.
    let dials = standin.refused_dials();
    assert!(
        dials <= 2 * pauses.len() + 2,
        "{dials} dials:\n{}",
        process.log()
    );
    standin.set_gateway_down(false);
    let waiting = Instant::now();
    while !(process.messages().iter()).any(|m| m == "reconnected to Discord") {
        assert!(waiting.elapsed() < PATIENCE * 4, "{}", process.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `steady register` against `api_url` with `token`: how it exited, and what
/// it said. Waits without blocking the stand-in on this thread.
async fn register(api_url: &str, token: &str) -> (ExitStatus, String) {
    let dir = tempfile::tempdir().unwrap();
    let said = dir.path().join("said");
    let mut child = Command::new(env!("CARGO_BIN_EXE_steady"))
        .current_dir(dir.path())
        .arg("register")
        .env("DISCORD_TOKEN", token)
        .env("STEADY_DISCORD_API_URL", api_url)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    let waiting = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(waiting.elapsed() < OLD_STOP, "register never ended");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    (status, std::fs::read_to_string(said).unwrap())
}

#[tokio::test]
async fn register_names_why_discord_said_no_or_was_never_reached() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (status, said) = register(&url, "any-token").await;
    assert_eq!(status.code(), Some(1), "{said}");
    assert_eq!(
        said.trim(),
        format!("steady: cannot reach Discord at {url}: connection refused")
    );
    let standin = StandIn::start().await;
    let (status, said) = register(&standin.api_url(), "not-the-token").await;
    assert_eq!(status.code(), Some(2), "{said}");
    assert_names_the_token(&said);
    assert!(!said.contains("Error while sending HTTP request"), "{said}");
    let (status, said) = register(&standin.api_url(), StandIn::TOKEN).await;
    assert!(status.success(), "{said}");
}
