//! Check-in delivery at scale, against the test stand-in (`tests/standin/`)
//! with the real bot in process: 10,000 due in the same instant under
//! Discord's global 50 requests/s, the scheduler's own ceiling with no
//! limit, due → send latency below the ceiling, people asking for DMs while
//! such a fan-out runs, how many people's commands are answered a second
//! while one claims, the claim query's cost as the table grows, and
//! wake-ups while idle, and the fan-out shared by 1, 2 and 3 processes on
//! one database. Claim cost and processes run on SQLite and on a throw-away
//! PostgreSQL (Debian's package; skipped, saying so, without it).
//! Speed is printed; a duplicate, a loss, a 429 or a person left without
//! an answer makes the bench exit non-zero.
//! `cargo bench --bench checkins` (see BENCHMARKS.md);
//! `-- fanout ceiling latency crowd asking claim idle processes` picks parts.

#[allow(dead_code)] // the bench starts a server and makes databases, no more
#[path = "../tests/harness/postgres.rs"]
mod postgres;
#[path = "../tests/standin/mod.rs"]
mod standin;

use chrono::{DateTime, Utc};
use standin::{route, InteractionSpec, Options, RateLimits, Recorded, StandIn, UserSpec};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use steady::config::Config;
use steady::schedule::{Clock, Courier, Delivery, Due, Policy, Scheduler, SystemClock, IN_FLIGHT};
use steady::store::Store;
use steady::CancellationToken;

const FIRST_USER: i64 = 1_300_000_000_000_000_000;
/// The people who ask for their anchors during the crowd bench.
const FIRST_PERSON: u64 = 1_400_000_000_000_000_000;
/// The people who run `/about` during the asking bench, each known to steady.
const FIRST_ASKER: u64 = 1_500_000_000_000_000_000;
const GUILD: u64 = 1_200_000_000_000_000_001;

/// What the parts saw go wrong, for the exit status.
static FAULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Note each count of `counts` (what, how many) above zero, for `part`.
fn expect_none(part: &str, counts: &[(&str, usize)]) {
    let mut faults = FAULTS.lock().unwrap();
    for (what, n) in counts.iter().filter(|(_, n)| *n > 0) {
        faults.push(format!("{part}: {what} {n}"));
    }
}

#[tokio::main]
async fn main() {
    let parts: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |part: &str| parts.is_empty() || parts.iter().any(|p| p == part);
    if wants("fanout") {
        fanout(10_000, 48, true).await;
    }
    if wants("ceiling") {
        fanout(10_000, 1_000_000, false).await;
    }
    if wants("latency") {
        latency(1_000, 20).await;
    }
    if wants("crowd") {
        crowd(10_000, 20, 60).await;
    }
    if wants("asking") {
        asking(10_000, 48, true, 400).await;
        asking(10_000, 1_000_000, false, 400).await;
    }
    if wants("claim") {
        for backend in Backend::BOTH {
            for rows in [1_000, 100_000, 1_000_000] {
                claim_cost(backend, rows).await;
            }
        }
    }
    if wants("idle") {
        idle().await;
    }
    if wants("processes") {
        for backend in Backend::BOTH {
            for processes in 1..=3 {
                shared(backend, 10_000, processes, 1_000_000, false).await;
            }
            shared(backend, 10_000, 3, 48, true).await;
        }
    }
    let faults = FAULTS.lock().unwrap();
    if !faults.is_empty() {
        eprintln!("failed: {}", faults.join("; "));
        std::process::exit(1);
    }
}

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    const BOTH: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

    /// A new database in `dir` (SQLite) or in the bench's own PostgreSQL;
    /// None when PostgreSQL is not installed (the skip was said).
    fn database(self, dir: &std::path::Path) -> Option<String> {
        match self {
            Backend::Sqlite => Some(url(dir)),
            Backend::Postgres => postgres::server().map(|server| server.database()),
        }
    }
}

/// The bot, running in this process against `standin`, on the database in `dir`.
struct Bot {
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<Result<(), steady::RunError>>,
}

impl Bot {
    async fn start(standin: &StandIn, dir: &std::path::Path, per_second: u32) -> Bot {
        let bot = Bot::shard(standin, dir, &url(dir), per_second, None);
        standin.wait_ready(Duration::from_secs(10)).await;
        bot
    }

    /// The bot, or one process of it running `shard` of `count`, each with
    /// its own pool on the database, as separate processes have.
    fn shard(
        standin: &StandIn,
        dir: &std::path::Path,
        database: &str,
        per_second: u32,
        shard: Option<(u32, u32)>,
    ) -> Bot {
        let name = shard.map_or("steady".to_owned(), |(id, _)| format!("shard-{id}"));
        let settings = dir.join(format!("{name}.toml"));
        std::fs::write(
            &settings,
            format!(
                "[discord]\napi_url = \"{}\"\n\
                 [database]\nurl = \"{}\"\n[log]\nfilter = \"warn\"\n",
                standin.api_url(),
                database
            ),
        )
        .unwrap();
        let mut config = Config::load(Some(&settings), |name| {
            (name == "DISCORD_TOKEN").then(|| StandIn::TOKEN.to_owned())
        })
        .unwrap();
        // Set past what a settings file may hold (at most Discord's 50): the
        // ceiling bench looks for where steady itself stops, with no budget.
        config.discord.requests_per_second = per_second;
        // On PostgreSQL, the master key every store on the server shares.
        if let Some(server) = postgres::server().filter(|_| database.starts_with("postgres")) {
            config.privacy = server.privacy();
        }
        if let Some((id, count)) = shard {
            config.discord.shard_count = Some(count);
            config.discord.shards = Some(id.to_string());
        }
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(steady::run(config, shutdown.clone()));
        Bot { shutdown, task }
    }

    async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.task.await;
    }
}

fn url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("steady.db").display())
}

/// `count` check-ins due at the given instants (unix seconds), with their
/// DM channels already cached as after a first day (one request each).
async fn prepare(store: &Store, standin: Option<&StandIn>, dues: &[i64]) {
    let users: Vec<i64> = (0..dues.len() as i64).map(|i| FIRST_USER + i).collect();
    let channels: Vec<Option<i64>> = users
        .iter()
        .map(|&user| standin.map(|s| s.dm_channel_of(user as u64) as i64))
        .collect();
    // Its own time half a day from its due instant: after the claim nothing
    // else falls due while the bench runs, whatever the hour.
    let minutes: Vec<i64> = dues
        .iter()
        .map(|due| (due / 60 + 12 * 60).rem_euclid(24 * 60))
        .collect();
    if let Some(pool) = store.postgres() {
        // Whole arrays at a time: a million rows in seconds.
        for at in (0..users.len()).step_by(100_000) {
            let end = (at + 100_000).min(users.len());
            sqlx::query(
                "INSERT INTO users (user_id, dm_channel_id, created_at)
                 SELECT *, 0 FROM UNNEST($1::BIGINT[], $2::BIGINT[])",
            )
            .bind(&users[at..end])
            .bind(&channels[at..end])
            .execute(pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO checkins (user_id, local_minute, zone, next_due, updated_at)
                 SELECT u, m, 'UTC', d, 0 FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) AS t(u, m, d)",
            )
            .bind(&users[at..end])
            .bind(&minutes[at..end])
            .bind(&dues[at..end])
            .execute(pool)
            .await
            .unwrap();
        }
        return;
    }
    let pool = store.sqlite().unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..users.len() {
        sqlx::query("INSERT INTO users (user_id, dm_channel_id, created_at) VALUES (?, ?, 0)")
            .bind(users[i])
            .bind(channels[i])
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO checkins (user_id, local_minute, zone, next_due, updated_at)
             VALUES (?, ?, 'UTC', ?, 0)",
        )
        .bind(users[i])
        .bind(minutes[i])
        .bind(dues[i])
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Successful check-in DMs the stand-in received, per user: (user, arrival).
fn deliveries(standin: &StandIn, channels: &HashMap<u64, u64>) -> Vec<(u64, Instant)> {
    standin
        .requests()
        .into_iter()
        .filter(|r: &Recorded| r.route == route::CREATE_MESSAGE && r.status == 200)
        .filter_map(|r| {
            let channel = r.path.split('/').nth(2)?.parse().ok()?;
            Some((*channels.get(&channel)?, r.at))
        })
        .collect()
}

/// Wait until `count` DMs arrived (or nothing new for 10 s).
async fn wait_for(standin: &StandIn, count: usize) {
    let (mut seen, mut quiet) = (0, Instant::now());
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = standin.count(|r| r.route == route::CREATE_MESSAGE && r.status == 200);
        if now >= count || quiet.elapsed() > Duration::from_secs(10) {
            return;
        }
        if now > seen {
            (seen, quiet) = (now, Instant::now());
        }
    }
}

fn channels_of(standin: &StandIn, users: usize) -> HashMap<u64, u64> {
    (0..users)
        .map(|i| {
            let user = (FIRST_USER + i as i64) as u64;
            (standin.dm_channel_of(user), user)
        })
        .collect()
}

/// The monotonic instant of a wall-clock one, for comparing with the
/// stand-in's records.
fn instant_of(at: DateTime<Utc>, anchor: (SystemTime, Instant)) -> Instant {
    let since: SystemTime = at.into();
    match since.duration_since(anchor.0) {
        Ok(ahead) => anchor.1 + ahead,
        Err(behind) => anchor.1 - behind.duration(),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

/// What a fan-out of `count` delivered, as the stand-in saw it.
struct Tally {
    duplicates: usize,
    lost: usize,
    /// DMs a second, from the first to the last.
    rate: f64,
    /// When the last arrived (`start` if none did).
    last: Instant,
}

fn tally(standin: &StandIn, channels: &HashMap<u64, u64>, count: usize, start: Instant) -> Tally {
    let sent = deliveries(standin, channels);
    let mut per_user: HashMap<u64, usize> = HashMap::new();
    for (user, _) in &sent {
        *per_user.entry(*user).or_default() += 1;
    }
    let last = sent.iter().map(|(_, at)| *at).max().unwrap_or(start);
    let first = sent.iter().map(|(_, at)| *at).min().unwrap_or(start);
    let span = last.saturating_duration_since(first).as_secs_f64();
    Tally {
        duplicates: per_user.values().map(|n| n.saturating_sub(1)).sum(),
        lost: count - per_user.len(),
        rate: (sent.len().saturating_sub(1)) as f64 / span.max(f64::EPSILON),
        last,
    }
}

/// A stand-in enforcing Discord's limits, or none.
async fn limited(enforce: bool) -> StandIn {
    let rate_limits = if enforce {
        RateLimits::default()
    } else {
        RateLimits::off()
    };
    StandIn::start_with(Options {
        rate_limits,
        ..Options::default()
    })
    .await
}

/// `count` check-ins all due at one instant; the bot's budget `per_second`;
/// Discord's limits enforced by the stand-in or not.
async fn fanout(count: usize, per_second: u32, enforce: bool) {
    let standin = limited(enforce).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    // Whole seconds, as stored.
    let due = DateTime::from_timestamp(Utc::now().timestamp() + 4, 0).unwrap();
    prepare(&store, Some(&standin), &vec![due.timestamp(); count]).await;
    store.close().await;
    let channels = channels_of(&standin, count);
    let anchor = (SystemTime::now(), Instant::now());
    let bot = Bot::start(&standin, dir.path(), per_second).await;
    wait_for(&standin, count).await;
    bot.stop().await;

    let start = instant_of(due, anchor);
    let Tally {
        duplicates,
        lost,
        rate,
        last,
    } = tally(&standin, &channels, count, start);
    let limited = standin.rate_limited().len();
    let part = if enforce { "fanout" } else { "ceiling" };
    expect_none(
        part,
        &[
            ("429s", limited),
            ("duplicates", duplicates),
            ("lost", lost),
        ],
    );
    if enforce {
        println!(
            "fanout: {count} due at once, stand-in enforcing 50/s, bot budget {per_second}/s: \
             {rate:.1} DMs/s = {:.1}% of 50/s; 429s {limited}; duplicates {duplicates}; \
             lost {lost}; all sent {:.1} s after due",
            rate / 50.0 * 100.0,
            last.saturating_duration_since(start).as_secs_f64()
        );
    } else {
        println!(
            "ceiling: {count} due at once, no limits: {rate:.0} DMs/s; 429s {limited}; \
             duplicates {duplicates}; lost {lost}; all sent {:.2} s after due",
            last.saturating_duration_since(start).as_secs_f64()
        );
    }
}

/// `count` check-ins due at one instant, sent by `processes` processes of
/// one bot (shards 0.. of `processes`) sharing the bot's `per_second`.
async fn shared(backend: Backend, count: usize, processes: u32, per_second: u32, enforce: bool) {
    let standin = limited(enforce).await;
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = backend.database(dir.path()) else {
        return;
    };
    let store = postgres::open(&database).await.unwrap();
    let due = DateTime::from_timestamp(Utc::now().timestamp() + 4, 0).unwrap();
    prepare(&store, Some(&standin), &vec![due.timestamp(); count]).await;
    store.close().await;
    let channels = channels_of(&standin, count);
    let bots: Vec<Bot> = (0..processes)
        .map(|id| {
            let shard = Some((id, processes));
            Bot::shard(&standin, dir.path(), &database, per_second, shard)
        })
        .collect();
    standin
        .wait_shards(u64::from(processes), Duration::from_secs(10))
        .await;
    wait_for(&standin, count).await;
    for bot in bots {
        bot.stop().await;
    }

    let Tally {
        duplicates,
        lost,
        rate,
        ..
    } = tally(&standin, &channels, count, Instant::now());
    let limits = if enforce {
        format!(
            "stand-in enforcing 50/s, bot budget {per_second}/s: {rate:.1} DMs/s; \
             busiest second {} bot-token requests",
            standin.max_global_in_any_second()
        )
    } else {
        format!("no limits: {rate:.0} DMs/s")
    };
    let limited = standin.rate_limited().len();
    println!(
        "processes: {count} due at once, {processes} process(es) on {backend:?}, {limits}; \
         429s {limited}; duplicates {duplicates}; lost {lost}",
    );
    expect_none(
        &format!("processes ({processes} on {backend:?})"),
        &[
            ("429s", limited),
            ("duplicates", duplicates),
            ("lost", lost),
        ],
    );
}

/// `count` check-ins due `per_second` per whole second (below the budget):
/// how late each arrives after its due instant.
async fn latency(count: usize, per_second: usize) {
    let standin = StandIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    let start = Utc::now().timestamp() + 4;
    let dues: Vec<i64> = (0..count)
        .map(|i| start + (i / per_second) as i64)
        .collect();
    prepare(&store, Some(&standin), &dues).await;
    store.close().await;
    let channels = channels_of(&standin, count);
    let anchor = (SystemTime::now(), Instant::now());
    let bot = Bot::start(&standin, dir.path(), 48).await;
    wait_for(&standin, count).await;
    bot.stop().await;
    let mut late: Vec<f64> = deliveries(&standin, &channels)
        .into_iter()
        .map(|(user, at)| {
            let due = dues[(user as i64 - FIRST_USER) as usize];
            let due = instant_of(DateTime::from_timestamp(due, 0).unwrap(), anchor);
            at.saturating_duration_since(due).as_secs_f64() * 1000.0
        })
        .collect();
    late.sort_by(f64::total_cmp);
    let limited = standin.rate_limited().len();
    let Tally {
        duplicates, lost, ..
    } = tally(&standin, &channels, count, Instant::now());
    println!(
        "latency: {count} due, {per_second} a second, budget 48/s: due → arrival p50 {:.0} ms, \
         p99 {:.0} ms, max {:.0} ms; 429s {limited}; duplicates {duplicates}; lost {lost}",
        percentile(&late, 0.5),
        percentile(&late, 0.99),
        percentile(&late, 1.0),
    );
    expect_none(
        "latency",
        &[
            ("429s", limited),
            ("duplicates", duplicates),
            ("lost", lost),
        ],
    );
}

/// `count` check-ins due at once fan out at the budget (48/s) while
/// `per_second` people a second, for `seconds`, ask for an anchor by DM
/// (`/anchors send`): how long each waits for the answer and for the DM.
async fn crowd(count: usize, per_second: u32, seconds: u32) {
    let standin = StandIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    let due = DateTime::from_timestamp(Utc::now().timestamp() + 4, 0).unwrap();
    prepare(&store, Some(&standin), &vec![due.timestamp(); count]).await;
    let people: Vec<u64> = (0..u64::from(per_second * seconds))
        .map(|n| FIRST_PERSON + n)
        .collect();
    for &person in &people {
        store
            .add_anchor(person, "I can handle uncertainty")
            .await
            .unwrap()
            .unwrap();
        let channel = standin.dm_channel_of(person);
        store.remember_dm_channel(person, channel).await.unwrap();
    }
    store.close().await;
    let anchor = (SystemTime::now(), Instant::now());
    let bot = Bot::start(&standin, dir.path(), 48).await;
    // A second into the fan-out, the people start asking.
    tokio::time::sleep_until((instant_of(due, anchor) + Duration::from_secs(1)).into()).await;
    let mut every = tokio::time::interval(Duration::from_secs(1) / per_second);
    let mut asked = Vec::with_capacity(people.len());
    for &person in &people {
        every.tick().await;
        let ask = InteractionSpec::slash("anchors")
            .subcommand("send")
            .in_guild(GUILD)
            .user(UserSpec::new(person, "person"));
        asked.push((person, standin.dispatch(ask), Instant::now()));
    }
    wait_for(&standin, count + people.len()).await;
    bot.stop().await;

    let requests = standin.requests();
    let (mut answered, mut dm_sent, mut late) = (Vec::new(), Vec::new(), 0);
    for (person, sent, at) in &asked {
        let callback = format!("/interactions/{}/", sent.id);
        match requests.iter().find(|r| r.path.starts_with(&callback)) {
            Some(r) if r.status == 204 => answered.push(ms(r.at - *at)),
            _ => late += 1,
        }
        let dm = format!("/channels/{}/messages", standin.dm_channel_of(*person));
        if let Some(r) = requests.iter().find(|r| r.path == dm && r.status == 200) {
            dm_sent.push(ms(r.at - *at));
        }
    }
    answered.sort_by(f64::total_cmp);
    dm_sent.sort_by(f64::total_cmp);
    let channels = channels_of(&standin, count);
    let checkins = deliveries(&standin, &channels);
    let first = checkins.iter().map(|(_, at)| *at).min().unwrap();
    let last = checkins.iter().map(|(_, at)| *at).max().unwrap();
    let span = (last - first).as_secs_f64();
    let bot_requests = requests
        .iter()
        .filter(|r| r.route == route::CREATE_MESSAGE && r.at >= first && r.at <= last)
        .count();
    println!(
        "crowd: {count} check-ins due at once, budget 48/s, {per_second} people/s asking for \
         /anchors send for {seconds} s: first answer p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; \
         their DM p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({} of {}); past 3 s: {late}; \
         429s {}; all DMs {:.1}/s = {:.1}% of the budget; check-ins alone {:.1}/s",
        percentile(&answered, 0.5),
        percentile(&answered, 0.99),
        percentile(&answered, 1.0),
        percentile(&dm_sent, 0.5),
        percentile(&dm_sent, 0.99),
        percentile(&dm_sent, 1.0),
        dm_sent.len(),
        people.len(),
        standin.rate_limited().len(),
        bot_requests as f64 / span,
        bot_requests as f64 / span / 48.0 * 100.0,
        (checkins.len() - 1) as f64 / span,
    );
    let Tally {
        duplicates, lost, ..
    } = tally(&standin, &channels, count, Instant::now());
    expect_none(
        "crowd",
        &[
            ("429s", standin.rate_limited().len()),
            ("check-ins sent twice", duplicates),
            ("check-ins lost", lost),
            ("people answered past 3 s", late),
            ("DMs asked for and never sent", people.len() - dm_sent.len()),
        ],
    );
}

/// `count` check-ins due at once fan out at a budget of `budget`/s (the
/// stand-in enforcing Discord's limits or none) while people steady knows,
/// in the language it keeps for them, run `/about`: `per_second` a second
/// from a second before due until the fan-out ends (30 s at most). How many
/// are answered a second while the check-ins fan out, and how long each
/// waits: what an interaction's own reads and writes cost beside the claims.
async fn asking(count: usize, budget: u32, enforce: bool, per_second: u32) {
    let standin = limited(enforce).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    let due = DateTime::from_timestamp(Utc::now().timestamp() + 4, 0).unwrap();
    prepare(&store, Some(&standin), &vec![due.timestamp(); count]).await;
    let people: Vec<u64> = (0..1_000).map(|n| FIRST_ASKER + n).collect();
    let pool = store.sqlite().unwrap();
    let mut tx = pool.begin().await.unwrap();
    for &person in &people {
        // The stand-in's interactions say en-US: their language is unchanged.
        sqlx::query("INSERT INTO users (user_id, locale, created_at) VALUES (?, 'en-US', 0)")
            .bind(person as i64)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    store.close().await;
    let channels = channels_of(&standin, count);
    let anchor = (SystemTime::now(), Instant::now());
    let bot = Bot::start(&standin, dir.path(), budget).await;
    let start = instant_of(due, anchor) - Duration::from_secs(1);
    tokio::time::sleep_until(start.into()).await;
    let fanned_out =
        || standin.count(|r| r.route == route::CREATE_MESSAGE && r.status == 200) >= count;
    let mut every = tokio::time::interval(Duration::from_secs(1) / per_second);
    let mut asked = Vec::new();
    for &person in people.iter().cycle() {
        every.tick().await;
        if asked.len() % 100 == 0 && (fanned_out() || start.elapsed() > Duration::from_secs(30)) {
            break;
        }
        let about = InteractionSpec::slash("about")
            .in_guild(GUILD)
            .user(UserSpec::new(person, "person"));
        asked.push((standin.dispatch(about), Instant::now()));
    }
    let stopped_asking = Instant::now();
    wait_for(&standin, count).await;
    // Past Discord's 3 s for the last answers.
    tokio::time::sleep(Duration::from_secs(4)).await;
    bot.stop().await;

    let requests = standin.requests();
    let answers: HashMap<u64, &Recorded> = requests
        .iter()
        .filter(|r| r.route == route::CALLBACK && r.status == 204)
        .filter_map(|r| Some((r.path.split('/').nth(2)?.parse().ok()?, r)))
        .collect();
    let checkins = deliveries(&standin, &channels);
    let first = checkins.iter().map(|(_, at)| *at).min().unwrap();
    let last = checkins
        .iter()
        .map(|(_, at)| *at)
        .max()
        .unwrap()
        .min(stopped_asking);
    let span = (last - first).as_secs_f64();
    let during = |at: Instant| at >= first && at <= last;
    let mut waited: Vec<f64> = asked
        .iter()
        .filter(|(_, at)| during(*at))
        .filter_map(|(sent, at)| Some(ms(answers.get(&sent.id)?.at - *at)))
        .collect();
    waited.sort_by(f64::total_cmp);
    let answered = answers.values().filter(|r| during(r.at)).count();
    let unanswered = asked
        .iter()
        .filter(|(sent, _)| !answers.contains_key(&sent.id))
        .count();
    let checkins_during = checkins.iter().filter(|(_, at)| during(*at)).count();
    let limits = if enforce {
        "stand-in enforcing 50/s"
    } else {
        "no limits"
    };
    println!(
        "asking: {count} check-ins due at once, budget {budget}/s, {limits}; {per_second}/s \
         /about by people whose language is unchanged: {:.0} answered/s over the {span:.1} s \
         the check-ins fanned out ({:.0} check-ins/s meanwhile); answer p50 {:.1} ms, p99 {:.1} ms, \
         max {:.1} ms; unanswered or past 3 s {unanswered} of {}; 429s {}",
        answered as f64 / span,
        checkins_during as f64 / span,
        percentile(&waited, 0.5),
        percentile(&waited, 0.99),
        percentile(&waited, 1.0),
        asked.len(),
        standin.rate_limited().len(),
    );
    let Tally {
        duplicates, lost, ..
    } = tally(&standin, &channels, count, Instant::now());
    expect_none(
        "asking",
        &[
            ("429s", standin.rate_limited().len()),
            ("check-ins sent twice", duplicates),
            ("check-ins lost", lost),
            ("people unanswered or past 3 s", unanswered),
        ],
    );
}

fn ms(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1000.0
}

/// The claim's cost with `rows` check-ins stored, 16 of them due: the
/// scheduler's own claim (wait ends, daily moments, check-ins and counts in
/// one transaction) and its next-due read.
async fn claim_cost(backend: Backend, rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = backend.database(dir.path()) else {
        return;
    };
    let store = postgres::open(&database).await.unwrap();
    let now = Utc::now().timestamp();
    // Spread over the coming day, as real check-ins are.
    let dues: Vec<i64> = (0..rows)
        .map(|i| now + 60 + (i as i64 * 86_400 / rows as i64))
        .collect();
    prepare(&store, None, &dues).await;
    let rounds = 200;
    let (mut claim, mut next) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        // 16 rows fall due (untimed), then one claim takes them.
        let first = FIRST_USER + (round * 16 % (rows - rows % 16)) as i64;
        // `$n`: both SQLite (through sqlx) and PostgreSQL read it.
        let fall_due = "UPDATE checkins SET next_due = $1 WHERE user_id BETWEEN $2 AND $3";
        match store.postgres() {
            Some(pool) => sqlx::query(fall_due)
                .bind(now)
                .bind(first)
                .bind(first + 15)
                .execute(pool)
                .await
                .map(drop),
            None => sqlx::query(fall_due)
                .bind(now)
                .bind(first)
                .bind(first + 15)
                .execute(store.sqlite().unwrap())
                .await
                .map(drop),
        }
        .unwrap();
        let timer = Instant::now();
        let claimed = store.claim_due(Utc::now(), 16).await.unwrap();
        claim += timer.elapsed();
        assert_eq!(claimed.len(), 16.min(rows));
        let timer = Instant::now();
        store.next_due().await.unwrap();
        next += timer.elapsed();
    }
    println!(
        "claim: {backend:?}, {rows} rows: claim of 16 {:.2} ms, next due {:.3} ms (mean of {rounds})",
        claim.as_secs_f64() * 1000.0 / rounds as f64,
        next.as_secs_f64() * 1000.0 / rounds as f64
    );
}

/// A short cap stands in for the real one, so the bench watches several whole
/// caps in seconds; the count per cap is what the real cap repeats.
const BENCH_NAP: Duration = Duration::from_secs(1);
/// Whole caps watched per case.
const CAPS: u32 = 10;

/// The wall clock with the bench's short cap, counting how often the
/// scheduler looks at it: once per wake-up.
struct Counting {
    clock: SystemClock,
    looks: AtomicUsize,
}

impl Clock for Counting {
    fn now(&self) -> DateTime<Utc> {
        self.looks.fetch_add(1, Ordering::Relaxed);
        self.clock.now()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        self.clock.sleep_until(deadline).await;
    }
}

struct Nobody;

impl Courier for Nobody {
    async fn deliver(&self, _: &Due, _: &steady::CancellationToken) -> Delivery {
        Delivery::Sent
    }
}

/// Wake-ups over `CAPS` whole caps of `BENCH_NAP`, with nothing stored
/// (expected: none, only a change wakes it) and with one due in 12 hours,
/// far beyond any cap (expected: one per cap). Per hour is scaled to
/// production's cap. A count far from expected is a busy loop or a lost
/// cap, so it panics.
async fn idle() {
    let real = SystemClock::default().max_nap;
    let caps_per_hour = 3600.0 / real.as_secs_f64();
    for (label, rows, per_cap) in [("nothing stored", 0, 0), ("one due in 12 h", 1, 1)] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&url(dir.path())).await.unwrap();
        let later = Utc::now().timestamp() + 12 * 3600;
        prepare(&store, None, &vec![later; rows]).await;
        let clock = Arc::new(Counting {
            clock: SystemClock { max_nap: BENCH_NAP },
            looks: AtomicUsize::new(0),
        });
        let policy = Policy {
            in_flight: IN_FLIGHT,
            grace: Duration::from_secs(7200),
            max_failures: 3,
            look_again: None,
            nonce_window: Duration::from_secs(60),
        };
        let scheduler = Scheduler::new(
            store.clone(),
            Arc::clone(&clock),
            Arc::new(Nobody),
            policy,
            Arc::default(),
        );
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(scheduler.run(shutdown.clone()));
        // Past the first look, a fifth of a cap before the first nap ends.
        tokio::time::sleep(BENCH_NAP / 5).await;
        let settled = clock.looks.load(Ordering::Relaxed);
        tokio::time::sleep(BENCH_NAP * CAPS).await;
        let wakes = clock.looks.load(Ordering::Relaxed) - settled;
        shutdown.cancel();
        task.await.unwrap();
        let measured = wakes as f64 / f64::from(CAPS);
        println!(
            "idle: {label}: {wakes} wake-ups in {CAPS} caps of {BENCH_NAP:?} = {measured:.2} per cap \
             x {caps_per_hour:.0} caps an hour at {real:?} = {:.1} wake-ups an hour",
            measured * caps_per_hour
        );
        let expected = per_cap * CAPS as usize;
        assert!(
            wakes.abs_diff(expected) <= 1 + expected / 2,
            "idle: {label}: {wakes} wake-ups in {CAPS} caps, expected {expected}: \
             the scheduler is polling or not napping as capped"
        );
    }
}
