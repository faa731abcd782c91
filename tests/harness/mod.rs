//! The real bot, started in process against the stand-in, with its logs
//! captured so tests can fail on what serenity drops silently.
#![allow(dead_code)] // each test binary uses a part of the harness

pub mod postgres;
pub mod process;
pub mod watch;

use crate::standin::{route, InteractionSpec, Options, Recorded, Sent, StandIn, UserSpec};
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use steady::config::Config;
use steady::store::Store;
use steady::{CancellationToken, RunError};
use tokio::task::JoinHandle;

/// How long a test waits for something that should take milliseconds.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// How long a test watches for a message that must not come. A second
/// message would come from a retry of one that acted: send.rs asks again
/// 250 ms after a lost answer, and the scheduler tries again 1 s after a
/// failure, then 2 s after that. This is past both with a second to spare
/// on a busy machine.
pub const PAST_RETRIES: Duration = Duration::from_secs(4);

/// A server the test people share with the bot.
pub const GUILD: u64 = 1_200_000_000_000_000_001;

/// Discord's numbers, with a quick heartbeat so a test notices a dead link.
pub fn quick() -> Options {
    Options {
        heartbeat_interval: Duration::from_millis(500),
        ..Options::default()
    }
}

/// river's `/breathe custom:4-4-4` in the shared server, answered and on
/// its first frame (with `breathe.lead_in_seconds = 0`): an exercise that
/// runs for a while, for tests of what happens to one under way.
pub async fn breathing_under_way(standin: &StandIn) -> Sent {
    let breathing = standin.dispatch(
        InteractionSpec::slash("breathe")
            .option("custom", serde_json::json!("4-4-4"))
            .in_guild(GUILD)
            .user(river()),
    );
    standin.callback(&breathing, PATIENCE).await;
    standin.next_original_edit(&breathing, PATIENCE).await;
    breathing
}

/// The person most tests follow.
pub fn river() -> UserSpec {
    UserSpec::new(1_100_000_000_000_000_101, "river")
}

/// Someone else, whose presses on river's buttons must be turned away.
pub fn sky() -> UserSpec {
    UserSpec::new(1_100_000_000_000_000_202, "sky")
}

/// The instant half a day from now, on `zone`'s clock. A check-in set to
/// its wall time never falls due by itself while a test runs, whatever the
/// hour the test runs at, so only the instants a test sets are due.
pub fn half_a_day_away(zone: Tz) -> DateTime<Tz> {
    Utc::now().with_timezone(&zone) + TimeDelta::hours(12)
}

/// The check-in time `at` shows on its clock, to the minute.
pub fn time_of(at: DateTime<Tz>) -> steady::daily::time::TimeOfDay {
    steady::daily::time::TimeOfDay::new(at.hour(), at.minute()).expect("a wall time")
}

/// Make `user`'s check-in (new if they have none) due `secs` seconds from
/// now, straight in the database the bot in `dir` will use, and return that
/// instant as stored. Check-in times are whole minutes, so this is the
/// snooze path: it brings one forward. A new one is set half a day away, so
/// its own time never falls due during the test.
pub async fn due_in(dir: &Path, user: u64, secs: i64) -> DateTime<Utc> {
    let store = Store::open(&database_url(dir)).await.unwrap();
    let now = Utc::now();
    if store.checkin(user).await.unwrap().is_none() {
        let time = time_of(half_a_day_away(Tz::UTC));
        store
            .set_checkin(user, time, Tz::UTC, "en-US", now)
            .await
            .unwrap();
    }
    let due = now + TimeDelta::seconds(secs);
    let due = store.snooze_checkin(user, due).await.unwrap();
    store.close().await;
    due.expect("a running check-in")
}

/// Check-ins for every one of `users`, due `secs` seconds from now, straight
/// in the database at `url`: a fan-out. Their own time is half a day away,
/// so only that instant falls due during a test; it is returned.
pub async fn fan_out(url: &str, users: std::ops::Range<u64>, secs: i64) -> DateTime<Utc> {
    let store = postgres::open(url).await.unwrap();
    let now = Utc::now();
    let due = now + TimeDelta::seconds(secs);
    let time = time_of(half_a_day_away(Tz::UTC));
    for user in users {
        store
            .set_checkin(user, time, Tz::UTC, "en-US", now)
            .await
            .unwrap();
        store.snooze_checkin(user, due).await.unwrap();
    }
    store.close().await;
    due
}

/// A server's daily moment in `channel`, brought forward to `due`, straight
/// in the database the bot in `dir` will use. Its own time is half a day
/// away, so only `due` falls due during a test.
pub async fn ritual_due(dir: &Path, channel: u64, due: DateTime<Utc>) {
    let store = Store::open(&database_url(dir)).await.unwrap();
    let ritual = steady::store::Ritual {
        guild: GUILD,
        channel,
        time: time_of(half_a_day_away(Tz::UTC)),
        zone: Tz::UTC,
        pattern: 0,
        locale: "en-US".to_owned(),
        next_due: None,
    };
    store.set_ritual(&ritual, Utc::now()).await.unwrap();
    sqlx::query("UPDATE rituals SET next_due = ? WHERE guild_id = ?")
        .bind(due.timestamp())
        .bind(GUILD as i64)
        .execute(store.sqlite().unwrap())
        .await
        .unwrap();
    store.close().await;
}

/// Dispatch `spec` and wait for the bot's first answer to it.
pub async fn ask(standin: &StandIn, spec: InteractionSpec) -> Recorded {
    let sent = standin.dispatch(spec);
    standin.callback(&sent, PATIENCE).await
}

/// A command that takes its time: it is acknowledged privately at once
/// (deferred), and its answer comes later as a followup, whose body this
/// returns.
pub async fn ask_deferred(
    standin: &StandIn,
    spec: InteractionSpec,
    patience: Duration,
) -> Recorded {
    let sent = standin.dispatch(spec);
    let ack = standin.callback(&sent, PATIENCE).await;
    assert_eq!(ack.body["type"], 5, "deferred: {:#}", ack.body);
    assert_private_flag(&ack.body["data"]);
    standin
        .wait_for(patience, |r| {
            r.route == route::FOLLOWUP && r.path.contains(&sent.token)
        })
        .await
}

fn assert_private_flag(data: &serde_json::Value) {
    assert_eq!(
        data["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "ephemeral: {data:#}"
    );
}

/// The text of an interaction answer.
pub fn content(callback: &Recorded) -> &str {
    callback.body["data"]["content"].as_str().unwrap_or("")
}

/// The text of a followup (a deferred command's answer).
pub fn said(followup: &Recorded) -> &str {
    followup.body["content"].as_str().unwrap_or("")
}

/// An answer only its person sees, which pings nobody.
pub fn assert_private(callback: &Recorded) {
    assert_eq!(callback.status, 204, "{:#}", callback.body);
    assert_private_data(&callback.body["data"]);
}

/// A message (an answer's `data`, or a followup) only its person sees,
/// which pings nobody.
pub fn assert_private_data(data: &serde_json::Value) {
    assert_private_flag(data);
    assert_eq!(
        data["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "{data:#}"
    );
}

pub struct Bot {
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), RunError>>,
    /// The bot's own folder, unless the test brought one.
    _dir: Option<tempfile::TempDir>,
    db: PathBuf,
}

impl Bot {
    /// Start steady against `standin` with a fresh database, and wait until
    /// it has connected to the gateway.
    pub async fn start(standin: &StandIn) -> Bot {
        Self::start_with(standin, "").await
    }

    /// As [`Bot::start`], with extra TOML appended to the settings file.
    pub async fn start_with(standin: &StandIn, extra_toml: &str) -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let mut bot = Self::start_in(standin, dir.path(), extra_toml).await;
        bot._dir = Some(dir);
        bot
    }

    /// As [`Bot::start_with`], keeping its database and settings in `dir`,
    /// so a test can prepare the database or start the bot again on it.
    pub async fn start_in(standin: &StandIn, dir: &Path, extra_toml: &str) -> Bot {
        capture_logs();
        let db = dir.join("steady.db");
        // Each start its own file: two bots may share one folder's database.
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let n = STARTS.fetch_add(1, Ordering::Relaxed);
        let settings = dir.join(format!("steady-{n}.toml"));
        std::fs::write(
            &settings,
            format!(
                "[database]\nurl = \"sqlite://{}\"\n{extra_toml}",
                db.display()
            ),
        )
        .unwrap();
        // The stand-in's address comes from the environment, as it would in
        // production, so a test's extra settings may have a [discord] table.
        let config = Config::load(Some(&settings), |name| match name {
            "DISCORD_TOKEN" => Some(StandIn::TOKEN.to_owned()),
            "STEADY_DISCORD_API_URL" => Some(standin.api_url()),
            _ => None,
        })
        .unwrap();
        let shutdown = CancellationToken::new();
        let identified = standin.identify_count();
        let task = tokio::spawn(steady::run(config, shutdown.clone()));
        standin.wait_identified_past(identified, PATIENCE).await;
        Bot {
            shutdown,
            task,
            _dir: None,
            db,
        }
    }

    /// Ask for a clean stop and wait for it.
    pub async fn stop(self) -> Result<(), RunError> {
        self.shutdown.cancel();
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the bot did not stop in time")
            .expect("the bot's task panicked")
    }

    pub fn database_url(&self) -> String {
        database_url(self.db.parent().expect("in a folder"))
    }
}

/// The database URL the bot uses in `dir`.
pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("steady.db").display())
}

/// Every line logged in this test binary so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap()).into_owned()
}

/// The checks every end-to-end test ends with: serenity understood every
/// event, the bot used only routes Discord has, and no secret was logged.
pub fn assert_healthy(standin: &StandIn) {
    let logs = logs();
    for dropped in ["An unknown event was received", "Err deserializing"] {
        assert!(
            !logs.contains(dropped),
            "serenity dropped an event:\n{logs}"
        );
    }
    assert!(!logs.contains(StandIn::TOKEN), "the token was logged");
    // Every message steady sent, wherever it went, pings nobody.
    for request in standin.requests() {
        let message = if request.route == route::CALLBACK {
            &request.body["data"]
        } else {
            &request.body
        };
        if message.get("content").is_some() {
            assert_eq!(
                message["allowed_mentions"]["parse"],
                serde_json::json!([]),
                "{} could ping someone: {message:#}",
                request.route
            );
        }
    }
    let unknown = standin.unknown_routes();
    assert!(
        unknown.is_empty(),
        "the bot called unknown routes: {unknown:#?}"
    );
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUFFER.get_or_init(Default::default)
}

struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        log_buffer().lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static INSTALLED: OnceLock<()> = OnceLock::new();

/// Capture logs exactly as production filters them, at `spec` (e.g.
/// "trace"). Call before the first `Bot::start` of the test binary.
pub fn capture_logs_as_production(spec: &str) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    INSTALLED.get_or_init(|| {
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(|| Capture)
            .with_ansi(false)
            .with_filter(tracing_subscriber::filter::filter_fn(
                steady::telemetry::loggable,
            ));
        let _ = tracing_subscriber::registry()
            .with(tracing_subscriber::EnvFilter::new(spec))
            .with(layer)
            .try_init();
    });
}

fn capture_logs() {
    INSTALLED.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                "debug,h2=info,hyper=info,hyper_util=info,rustls=info,tungstenite=info",
            )
            .with_writer(|| Capture)
            .with_ansi(false)
            .try_init();
    });
}

/// The custom ids of every button (or menu) in a message body or response data.
pub fn button_ids(data: &serde_json::Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|button| button["custom_id"].as_str().map(str::to_owned))
        .collect()
}
