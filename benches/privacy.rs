//! What sealing anchors costs (#30): the store's work for `/anchors send`,
//! `/anchors add` and `/mydata export` on sealed rows against plain ones
//! (what the release before sealing stored, read by the same code with no
//! key work), the cipher's share alone, the whole `/anchors send` round
//! trip through the bot against the test stand-in, and the upgrade pass
//! sealing 100,000 plain anchors. On SQLite and on a throw-away PostgreSQL
//! (Debian's package; skipped, saying so, without it).
//! Speed is printed; an anchor that does not read back, a plain row left
//! after the upgrade or a command left without an answer makes the bench
//! exit non-zero.
//! `cargo bench --bench privacy` (see BENCHMARKS.md);
//! `-- send crypto command upgrade` picks parts.

#[allow(dead_code)] // the bench starts a server and makes databases, no more
#[path = "../tests/harness/postgres.rs"]
mod postgres;
#[path = "../tests/standin/mod.rs"]
mod standin;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use standin::{InteractionSpec, StandIn, UserSpec};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use steady::config::Config;
use steady::privacy::seal::{self, Place};
use steady::privacy::{MasterKey, PersonKey};
use steady::store::Store;
use steady::CancellationToken;

/// People whose anchors are sealed, and people whose anchors are plain.
const FIRST_SEALED: u64 = 1_600_000_000_000_000_000;
const FIRST_PLAIN: u64 = 1_700_000_000_000_000_000;
/// Where the upgrade's people start.
const FIRST_OLD: i64 = 1_800_000_000_000_000_000;
const GUILD: u64 = 1_200_000_000_000_000_001;
/// Anchors each measured person has, and how many people of each kind.
const ANCHORS: usize = 10;
const PEOPLE: usize = 100;
/// Where anchors are sealed: as `src/store/anchors.rs` binds them.
const ANCHOR: Place = Place {
    table: "anchors",
    column: "sealed",
};

/// What the parts saw go wrong, for the exit status.
static FAULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn fault(what: String) {
    FAULTS.lock().unwrap().push(what);
}

fn main() {
    // One master key for the bench's stores and the bot's: PostgreSQL has
    // no default place for one. Set before any thread starts.
    let master = MasterKey::new();
    std::env::set_var("STEADY_MASTER_KEY", master.to_base64().as_str());
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(master));
}

async fn run(master: MasterKey) {
    let parts: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |part: &str| parts.is_empty() || parts.iter().any(|p| p == part);
    if wants("send") {
        for backend in Backend::BOTH {
            store_work(backend, 2_000).await;
        }
    }
    if wants("crypto") {
        for backend in Backend::BOTH {
            crypto(backend, &master, 2_000).await;
        }
    }
    if wants("command") {
        command(1_000).await;
    }
    if wants("upgrade") {
        for backend in Backend::BOTH {
            upgrade(backend, 10_000, 10).await;
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
    fn database(self, dir: &Path) -> Option<String> {
        match self {
            Backend::Sqlite => Some(url(dir)),
            Backend::Postgres => postgres::server().map(|server| server.database()),
        }
    }
}

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("steady.db").display())
}

/// The words of a person's `n`th anchor: about as long as people write.
fn words(person: u64, n: usize) -> String {
    format!("I can breathe through this, it passes ({person}, {n})")
}

/// `ANCHORS` anchors for each of `people`, sealed by the store.
async fn add_sealed(store: &Store, people: &[u64]) {
    for &person in people {
        let texts: Vec<String> = (0..ANCHORS).map(|n| words(person, n)).collect();
        assert_eq!(store.add_anchors(person, &texts).await.unwrap(), ANCHORS);
    }
}

/// Each person of `people` (id, DM channel) with `per_person` plain
/// anchors, as the release before sealing kept them, written straight into
/// the table, so the store (opened before) does not seal them. The
/// anchors are interleaved by person, as people add them over time.
async fn add_plain(store: &Store, people: &[(i64, Option<i64>)], per_person: usize) {
    if let Some(pool) = store.postgres() {
        let (users, channels): (Vec<i64>, Vec<Option<i64>>) = people.iter().copied().unzip();
        sqlx::query(
            "INSERT INTO users (user_id, dm_channel_id, created_at)
             SELECT *, 0 FROM UNNEST($1::BIGINT[], $2::BIGINT[])",
        )
        .bind(&users)
        .bind(&channels)
        .execute(pool)
        .await
        .unwrap();
        for n in 0..per_person {
            let texts: Vec<String> = users.iter().map(|&u| words(u as u64, n)).collect();
            sqlx::query(
                "INSERT INTO anchors (user_id, text, position, created_at)
                 SELECT u, t, $3, 0 FROM UNNEST($1::BIGINT[], $2::TEXT[]) AS a(u, t)",
            )
            .bind(&users)
            .bind(&texts)
            .bind(n as i64 + 1)
            .execute(pool)
            .await
            .unwrap();
        }
        return;
    }
    let pool = store.sqlite().unwrap();
    let mut tx = pool.begin().await.unwrap();
    for &(user, channel) in people {
        sqlx::query("INSERT INTO users (user_id, dm_channel_id, created_at) VALUES (?, ?, 0)")
            .bind(user)
            .bind(channel)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for n in 0..per_person {
        for &(user, _) in people {
            sqlx::query(
                "INSERT INTO anchors (user_id, text, position, created_at) VALUES (?, ?, ?, 0)",
            )
            .bind(user)
            .bind(words(user as u64, n))
            .bind(n as i64 + 1)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// The release before sealing's `/anchors add`, its statements as they
/// were (commit ec89473), with the UNIQUE (user_id, text) it had, now gone,
/// found by a `NOT EXISTS` on the person's rows instead: hold the person,
/// count, insert unless kept.
async fn add_plain_one(store: &Store, user: i64, text: &str) {
    if let Some(pool) = store.postgres() {
        let mut tx = pool.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO users (user_id, created_at) VALUES ($1, 0)
             ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id",
        )
        .bind(user)
        .execute(&mut *tx)
        .await
        .unwrap();
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM anchors WHERE user_id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO anchors (user_id, text, position, created_at)
             SELECT $1, $2, COALESCE(MAX(position), 0) + 1, 0 FROM anchors WHERE user_id = $1
             HAVING NOT EXISTS (SELECT 1 FROM anchors WHERE user_id = $1 AND text = $2)",
        )
        .bind(user)
        .bind(text)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        return;
    }
    let pool = store.sqlite().unwrap();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
    sqlx::query(
        "INSERT INTO users (user_id, created_at) VALUES (?, 0) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .execute(&mut *tx)
    .await
    .unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM anchors WHERE user_id = ?")
        .bind(user)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO anchors (user_id, text, position, created_at)
         SELECT ?1, ?2, COALESCE(MAX(position), 0) + 1, 0 FROM anchors WHERE user_id = ?1
         HAVING NOT EXISTS (SELECT 1 FROM anchors WHERE user_id = ?1 AND text = ?2)",
    )
    .bind(user)
    .bind(text)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Remove what an add measured added, so every add finds `ANCHORS`.
async fn trim(store: &Store, user: i64) {
    let sql = if store.postgres().is_some() {
        "DELETE FROM anchors WHERE user_id = $1 AND position > $2"
    } else {
        "DELETE FROM anchors WHERE user_id = ?1 AND position > ?2"
    };
    let most = ANCHORS as i64;
    let done = match (store.postgres(), store.sqlite()) {
        (Some(pool), _) => sqlx::query(sql)
            .bind(user)
            .bind(most)
            .execute(pool)
            .await
            .map(|d| d.rows_affected()),
        (_, Some(pool)) => sqlx::query(sql)
            .bind(user)
            .bind(most)
            .execute(pool)
            .await
            .map(|d| d.rows_affected()),
        _ => unreachable!(),
    }
    .unwrap();
    if done != 1 {
        fault(format!("an add measured added {done} anchors"));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

fn micros(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e6
}

/// Times in µs, per operation and kind of row.
#[derive(Default)]
struct Times(HashMap<(&'static str, &'static str), Vec<f64>>);

impl Times {
    fn push(&mut self, op: &'static str, kind: &'static str, us: f64) {
        self.0.entry((op, kind)).or_default().push(us);
    }

    /// (p50, p99) of `op` on `kind`.
    fn of(&mut self, op: &'static str, kind: &'static str) -> (f64, f64) {
        let times = self.0.entry((op, kind)).or_default();
        times.sort_by(f64::total_cmp);
        (percentile(times, 0.5), percentile(times, 0.99))
    }

    /// One line per operation: sealed and plain p50 / p99 and what sealing adds.
    fn print(&mut self, part: &str, ops: &[&'static str], unit: f64, name: &str) {
        for &op in ops {
            let (s50, s99) = self.of(op, "sealed");
            let (p50, p99) = self.of(op, "plain");
            println!(
                "{part}: {op}: sealed p50 {:.3} {name}, p99 {:.3} {name}; plain p50 {:.3} {name}, \
                 p99 {:.3} {name}; sealing adds {:+.3} {name} at p50 ({:+.1} %), {:+.3} {name} at p99",
                s50 / unit,
                s99 / unit,
                p50 / unit,
                p99 / unit,
                (s50 - p50) / unit,
                (s50 - p50) / p50 * 100.0,
                (s99 - p99) / unit,
            );
        }
    }
}

/// The store's work for `/anchors send` (the next anchor; all of them),
/// `/mydata export` and `/anchors add`, for people with `ANCHORS` anchors
/// sealed and people with as many plain, taking turns, `iterations` each.
async fn store_work(backend: Backend, iterations: usize) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = backend.database(dir.path()) else {
        return;
    };
    let store = Store::open(&database).await.unwrap();
    let sealed: Vec<u64> = (0..PEOPLE as u64).map(|n| FIRST_SEALED + n).collect();
    let plain: Vec<u64> = (0..PEOPLE as u64).map(|n| FIRST_PLAIN + n).collect();
    add_sealed(&store, &sealed).await;
    let rows: Vec<(i64, Option<i64>)> = plain.iter().map(|&p| (p as i64, None)).collect();
    add_plain(&store, &rows, ANCHORS).await;

    let mut times = Times::default();
    for i in 0..iterations {
        // Turns swap each round, so neither kind always runs on a warm cache.
        let mut kinds = [("sealed", &sealed), ("plain", &plain)];
        if i % 2 == 1 {
            kinds.swap(0, 1);
        }
        for (kind, people) in kinds {
            let person = people[i % PEOPLE];
            let start = Instant::now();
            let next = store.next_anchor(person).await.unwrap();
            times.push("next_anchor", kind, micros(start));
            if next.and_then(|anchor| anchor.text).is_none() {
                fault(format!("send ({backend:?}): a {kind} anchor did not read"));
            }

            let start = Instant::now();
            let all = store.anchors(person).await.unwrap();
            times.push("anchors", kind, micros(start));
            if all.len() != ANCHORS || all.iter().any(|anchor| anchor.text.is_none()) {
                fault(format!(
                    "send ({backend:?}): {kind} anchors did not all read"
                ));
            }

            let start = Instant::now();
            let export = store.export(person).await.unwrap().unwrap();
            times.push("export", kind, micros(start));
            if export.anchors.len() != ANCHORS || export.anchors.iter().any(|a| a.text.is_none()) {
                fault(format!("send ({backend:?}): {kind} export lacks anchors"));
            }

            let text = format!("one more for round {i}");
            let start = Instant::now();
            if kind == "sealed" {
                store.add_anchor(person, &text).await.unwrap().unwrap();
            } else {
                add_plain_one(&store, person as i64, &text).await;
            }
            times.push("add", kind, micros(start));
            trim(&store, person as i64).await;
        }
    }
    store.close().await;
    times.print(
        &format!("send ({backend:?}, {ANCHORS} anchors, {iterations} each)"),
        &["next_anchor", "anchors", "export", "add"],
        1000.0,
        "ms",
    );
}

/// The sealing's own share of a command: reading the person's wrapped key,
/// unwrapping it, and opening (or sealing) one anchor, `iterations` times.
async fn crypto(backend: Backend, master: &MasterKey, iterations: usize) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = backend.database(dir.path()) else {
        return;
    };
    let store = Store::open(&database).await.unwrap();
    let people: Vec<u64> = (0..PEOPLE as u64).map(|n| FIRST_SEALED + n).collect();
    add_sealed(&store, &people).await;
    let keyring = match backend {
        Backend::Sqlite => {
            let options = SqliteConnectOptions::new()
                .filename(dir.path().join("steady-keys.db"))
                .read_only(true);
            Some(SqlitePool::connect_with(options).await.unwrap())
        }
        Backend::Postgres => None,
    };
    // Every person's sealed anchors, read once: only the cipher is timed.
    let mut sealed: HashMap<i64, Vec<(i64, Vec<u8>)>> = HashMap::new();
    for &person in &people {
        let uid = person as i64;
        let sql = "SELECT id, sealed FROM anchors WHERE user_id = $1 ORDER BY position";
        let rows: Vec<(i64, Vec<u8>)> = match (store.postgres(), store.sqlite()) {
            (Some(pool), _) => sqlx::query_as(sql).bind(uid).fetch_all(pool).await,
            (_, Some(pool)) => sqlx::query_as(sql).bind(uid).fetch_all(pool).await,
            _ => unreachable!(),
        }
        .unwrap();
        sealed.insert(uid, rows);
    }

    let (mut fetch, mut unwrap, mut open, mut seal_one) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..iterations {
        let uid = people[i % PEOPLE] as i64;
        let sql = "SELECT version, wrapped FROM person_keys WHERE user_id = $1";
        let start = Instant::now();
        let (version, wrapped): (i64, Vec<u8>) = match (&keyring, store.postgres()) {
            (Some(pool), _) => sqlx::query_as(sql).bind(uid).fetch_one(pool).await,
            (None, Some(pool)) => {
                let sql = "SELECT version, wrapped FROM steady_keys.person_keys WHERE user_id = $1";
                sqlx::query_as(sql).bind(uid).fetch_one(pool).await
            }
            _ => unreachable!(),
        }
        .unwrap();
        fetch.push(micros(start));

        let start = Instant::now();
        let key = PersonKey::unwrap(master, uid, version as u32, &wrapped).unwrap();
        unwrap.push(micros(start));

        let start = Instant::now();
        for (id, text) in &sealed[&uid] {
            if seal::open(Some(&key), uid, ANCHOR, *id, text).is_err() {
                fault(format!("crypto ({backend:?}): an anchor did not open"));
            }
        }
        open.push(micros(start) / sealed[&uid].len() as f64);

        let start = Instant::now();
        let _ = seal::seal(&key, uid, ANCHOR, i as i64, &words(uid as u64, i));
        seal_one.push(micros(start));
    }
    store.close().await;
    let mut line = format!("crypto ({backend:?}, {iterations} each):");
    for (what, times) in [
        ("key read", &mut fetch),
        ("key unwrap", &mut unwrap),
        ("open one anchor", &mut open),
        ("seal one anchor", &mut seal_one),
    ] {
        times.sort_by(f64::total_cmp);
        line += &format!(
            " {what} p50 {:.1} µs, p99 {:.1} µs;",
            percentile(times, 0.5),
            percentile(times, 0.99)
        );
    }
    println!("{}", line.trim_end_matches(';'));
}

/// The bot, running in this process against `standin`, on `database`.
struct Bot {
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<Result<(), steady::RunError>>,
}

impl Bot {
    async fn start(standin: &StandIn, dir: &Path, database: &str) -> Bot {
        let settings = dir.join("steady.toml");
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
        let config = Config::load(Some(&settings), |name| {
            (name == "DISCORD_TOKEN").then(|| StandIn::TOKEN.to_owned())
        })
        .unwrap();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(steady::run(config, shutdown.clone()));
        standin.wait_ready(Duration::from_secs(10)).await;
        Bot { shutdown, task }
    }

    async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.task.await;
    }
}

/// The whole `/anchors send` (and `all:true`) through the bot against the
/// stand-in, one at a time, people with sealed and with plain anchors
/// taking turns, each person asking once (a second ask within the DM
/// cooldown gets a "slow down" instead): from dispatch to the stand-in
/// receiving the first answer (the deferral, after the store's work) and
/// the last (the "sent" follow-up, after the DM). On each backend.
async fn command(asks: usize) {
    for backend in Backend::BOTH {
        let standin = StandIn::start().await;
        let dir = tempfile::tempdir().unwrap();
        let Some(database) = backend.database(dir.path()) else {
            continue;
        };
        let store = Store::open(&database).await.unwrap();
        // Per round (one, all): its sealed people, then its plain people.
        let group = |first: u64, round: u64| -> Vec<u64> {
            (0..asks as u64)
                .map(|n| first + round * 100_000 + n)
                .collect()
        };
        let rounds = [
            ("one", group(FIRST_SEALED, 0), group(FIRST_PLAIN, 0)),
            ("all", group(FIRST_SEALED, 1), group(FIRST_PLAIN, 1)),
        ];
        for (_, sealed, _) in &rounds {
            add_sealed(&store, sealed).await;
            for &person in sealed {
                let channel = standin.dm_channel_of(person);
                store.remember_dm_channel(person, channel).await.unwrap();
            }
        }
        let bot = Bot::start(&standin, dir.path(), &database).await;
        // After the bot opened the store, which seals what it finds plain.
        for (_, _, plain) in &rounds {
            let rows: Vec<(i64, Option<i64>)> = plain
                .iter()
                .map(|&p| (p as i64, Some(standin.dm_channel_of(p) as i64)))
                .collect();
            add_plain(&store, &rows, ANCHORS).await;
        }

        let mut times = Times::default();
        let mut unanswered = 0;
        for (round, sealed, plain) in &rounds {
            let (first, last): (&'static str, &'static str) = match *round {
                "one" => ("send: first answer", "send: done, DM sent"),
                _ => ("send all: first answer", "send all: done, DM sent"),
            };
            for i in 0..asks {
                let mut kinds = [("sealed", sealed), ("plain", plain)];
                if i % 2 == 1 {
                    kinds.swap(0, 1);
                }
                for (kind, people) in kinds {
                    let mut ask = InteractionSpec::slash("anchors").subcommand("send");
                    if *round == "all" {
                        ask = ask.option("all", serde_json::Value::Bool(true));
                    }
                    let ask = ask.in_guild(GUILD).user(UserSpec::new(people[i], "person"));
                    let start = Instant::now();
                    let sent = standin.dispatch(ask);
                    let answer = standin.callback(&sent, Duration::from_secs(5)).await;
                    // "Sent", a follow-up once the DM went out.
                    let follow_up =
                        format!("/webhooks/{}/{}", standin.application_id(), sent.token);
                    let done = standin
                        .wait_for(Duration::from_secs(5), |r| {
                            r.method == "POST" && r.path == follow_up
                        })
                        .await;
                    if answer.status != 204 || done.status != 200 {
                        unanswered += 1;
                    }
                    times.push(first, kind, (answer.at - start).as_secs_f64() * 1e6);
                    times.push(last, kind, (done.at - start).as_secs_f64() * 1e6);
                }
            }
        }
        bot.stop().await;
        // Every person asking got a DM of their own words.
        let asked = 4 * asks;
        let dms: std::collections::HashSet<String> = standin
            .requests()
            .into_iter()
            .filter(|r| {
                r.route == standin::route::CREATE_MESSAGE
                    && r.status == 200
                    && r.body.to_string().contains("it passes")
            })
            .map(|r| r.path)
            .collect();
        let still_plain = plain_left(&store).await;
        store.close().await;
        if unanswered > 0 || dms.len() != asked {
            fault(format!(
                "command ({backend:?}): {unanswered} unanswered, DMs to {} of {asked}",
                dms.len()
            ));
        }
        if still_plain != (2 * asks * ANCHORS) as i64 {
            fault(format!(
                "command ({backend:?}): {still_plain} plain anchors, not the {}",
                2 * asks * ANCHORS
            ));
        }
        times.print(
            &format!("command ({backend:?}, {asks} each, one at a time)"),
            &[
                "send: first answer",
                "send: done, DM sent",
                "send all: first answer",
                "send all: done, DM sent",
            ],
            1000.0,
            "ms",
        );
    }
}

/// How many anchors are still plain.
async fn plain_left(store: &Store) -> i64 {
    let sql = "SELECT COUNT(*) FROM anchors WHERE text IS NOT NULL";
    match (store.postgres(), store.sqlite()) {
        (Some(pool), _) => sqlx::query_scalar(sql).fetch_one(pool).await,
        (_, Some(pool)) => sqlx::query_scalar(sql).fetch_one(pool).await,
        _ => unreachable!(),
    }
    .unwrap()
}

/// A database an older build left: `people` people with `each` plain
/// anchors (interleaved, as added over time), then the upgrade pass that
/// seals them all, timed; then every row is checked sealed, a sample read
/// back, and a second pass must find nothing.
async fn upgrade(backend: Backend, people: usize, each: usize) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = backend.database(dir.path()) else {
        return;
    };
    let store = Store::open(&database).await.unwrap();
    let rows: Vec<(i64, Option<i64>)> = (0..people as i64).map(|n| (FIRST_OLD + n, None)).collect();
    let start = Instant::now();
    add_plain(&store, &rows, each).await;
    let filled = start.elapsed().as_secs_f64();

    store.close().await;

    // The first start of this build: it seals them all, then compacts.
    let start = Instant::now();
    let store = Store::open(&database).await.unwrap();
    let took = start.elapsed().as_secs_f64();

    let total = (people * each) as u64;
    let left = plain_left(&store).await;
    let sealed = total - left as u64;
    let keys = store.person_keys().await.unwrap();
    let again = store.seal_plain_anchors().await.unwrap();
    let mut misread = 0;
    for &(user, _) in rows.iter().step_by(people / 100) {
        let anchors = store.anchors(user as u64).await.unwrap();
        let expected: Vec<Option<String>> =
            (0..each).map(|n| Some(words(user as u64, n))).collect();
        let read: Vec<Option<String>> = anchors.into_iter().map(|anchor| anchor.text).collect();
        if read != expected {
            misread += 1;
        }
    }
    store.close().await;
    println!(
        "upgrade ({backend:?}): {total} plain anchors of {people} people (written in {filled:.1} s) \
         sealed and the database compacted by the first start in {took:.2} s ({:.0} a second); \
         {keys} person keys made; plain left {left}; \
         second pass sealed {again}; sample of 100 people read back wrong: {misread}",
        sealed as f64 / took
    );
    if sealed != total || left != 0 || again != 0 || misread != 0 || keys != people as i64 {
        fault(format!(
            "upgrade ({backend:?}): sealed {sealed} of {total}, {left} left plain, \
             {again} on the second pass, {keys} keys, {misread} misread"
        ));
    }
    if took > 60.0 {
        println!("upgrade ({backend:?}): over the one-minute goal");
    }
}
