//! Frame lateness of /breathe at 1 to 10,000 concurrent sessions, against the
//! stand-in with 50 ms added to every answer and Discord's per-message
//! rate limits enforced; the real `steady` binary in its own process (for
//! honest RSS and CPU), and beside it, in the same run, a naive
//! sleep-then-edit loop. `cargo bench --bench pacing` (see BENCHMARKS.md).
//! Lateness is printed; sessions that never started, or a 429 met by
//! steady, make the bench exit non-zero.

#[path = "../tests/standin/mod.rs"]
mod standin;

use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, Options, Recorded, StandIn, UserSpec};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use steady::pace::breathe::{Request, Session};
use steady::pace::plan::{Cadence, Plan};
use steady::prompts::Catalog;

const LATENCY: Duration = Duration::from_millis(50);
const RHYTHM: &str = "2-1-2";
const CYCLES: i64 = 6;
/// People do not press /breathe in the same millisecond: sessions start
/// spread evenly over a few seconds (at least 2, about 1,000 a second),
/// then all of them run together for most of their 30 s.
const TICK: Duration = Duration::from_millis(50);
/// steady's bound on requests in flight (`MAX_IN_FLIGHT` in
/// `src/discord/rest.rs`, private to the bot), which the naive loop shares.
const MAX_IN_FLIGHT: usize = 512;

/// How many sessions start at each tick.
fn per_tick(sessions: usize) -> usize {
    let spread = Duration::from_secs(2).max(Duration::from_millis(sessions as u64));
    let ticks = (spread.as_millis() / TICK.as_millis()) as usize;
    sessions.div_ceil(ticks).max(1)
}

fn plan() -> Plan {
    let words = Catalog::load(None).unwrap().breathing;
    let request = Request {
        custom: Some(RHYTHM),
        cycles: Some(CYCLES),
        ..Request::default()
    };
    Session::from_request(&request, &words, Duration::ZERO, Duration::from_secs(600))
        .unwrap()
        .plan(&words, Duration::ZERO, Cadence::DISCORD)
}

#[derive(Default)]
struct Lateness(Vec<f64>);

impl Lateness {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or(f64::NAN)
    }
}

/// Lateness (ms) of every successful edit: arrival at the stand-in minus
/// when the plan said it should arrive (session start + offset). A session
/// starts when its first response is answered: arrival + the added latency.
fn lateness(standin: &StandIn, since: Instant, plan: &Plan) -> (Lateness, usize, usize) {
    let offsets: HashMap<&str, Duration> = plan.frames()[1..]
        .iter()
        .map(|f| (f.text.as_str(), f.at))
        .collect();
    assert_eq!(
        offsets.len(),
        plan.frames().len() - 1,
        "frame texts are unique"
    );
    let requests: Vec<Recorded> = standin
        .requests()
        .into_iter()
        .filter(|r| r.at >= since)
        .collect();
    let mut started: HashMap<String, Instant> = HashMap::new();
    for r in requests
        .iter()
        .filter(|r| r.route == route::CALLBACK && r.status == 204)
    {
        let token = r.path.split('/').nth(3).unwrap().to_owned();
        started.insert(token, r.at + LATENCY);
    }
    let mut late = Lateness::default();
    let mut limited = 0;
    for r in requests.iter().filter(|r| r.route == route::EDIT_ORIGINAL) {
        if r.status == 429 {
            limited += 1;
            continue;
        }
        let token = r.path.split('/').nth(3).unwrap();
        let (Some(start), Some(content)) = (started.get(token), r.body["content"].as_str()) else {
            continue;
        };
        if let Some(offset) = offsets.get(content) {
            let planned = *start + *offset;
            let ms = if r.at >= planned {
                (r.at - planned).as_secs_f64() * 1000.0
            } else {
                -(planned - r.at).as_secs_f64() * 1000.0
            };
            late.0.push(ms);
        }
    }
    (late, limited, started.len())
}

struct Usage {
    peak_rss_mb: f64,
    cpu_percent: f64,
    standin_cpu_percent: f64,
}

fn proc_stat(pid: u32) -> (u64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = fields
        .get(11)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
    (ticks, rss_kb / 1024.0)
}

/// The bot's process, killed however the benchmark ends.
struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_bot(standin: &StandIn, dir: &std::path::Path) -> Bot {
    let settings = dir.join("steady.toml");
    std::fs::write(
        &settings,
        "[breathe]\nlead_in_seconds = 0\n[log]\nfilter = \"warn\"\n",
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_steady"))
        .args(["--config", settings.to_str().unwrap()])
        .env("DISCORD_TOKEN", StandIn::TOKEN)
        .env("STEADY_DISCORD_API_URL", standin.api_url())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("bench.db").display()),
        )
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("bot.log")).map_or(Stdio::null(), Stdio::from))
        .spawn()
        .expect("start the steady binary");
    Bot(child)
}

fn user(n: usize, base: u64) -> UserSpec {
    UserSpec::new(base + n as u64, "bench")
}

/// steady: the real bot answers /breathe and paces its own edits.
async fn run_steady(
    standin: &StandIn,
    bot: u32,
    sessions: usize,
    plan: &Plan,
) -> (Lateness, usize, usize, Usage) {
    let since = Instant::now();
    let (cpu_before, _) = proc_stat(bot);
    let (standin_before, _) = proc_stat(std::process::id());
    let length = plan.length() + Duration::from_secs(2);
    let ticks = sessions.div_ceil(per_tick(sessions)) as u32;
    let sampler = tokio::spawn(async move {
        let mut peak: f64 = 0.0;
        let end = Instant::now() + length + TICK * ticks;
        while Instant::now() < end {
            peak = peak.max(proc_stat(bot).1);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        peak
    });
    for batch in (0..sessions).collect::<Vec<_>>().chunks(per_tick(sessions)) {
        for n in batch {
            standin.dispatch(
                InteractionSpec::slash("breathe")
                    .user(user(
                        *n,
                        1_300_000_000_000_000_000 + sessions as u64 * 100_000,
                    ))
                    .option("custom", json!(RHYTHM))
                    .option("cycles", json!(CYCLES)),
            );
        }
        tokio::time::sleep(TICK).await;
    }
    let peak = sampler.await.unwrap();
    let wall = since.elapsed().as_secs_f64();
    let (cpu_after, _) = proc_stat(bot);
    let (standin_after, _) = proc_stat(std::process::id());
    let usage = Usage {
        peak_rss_mb: peak,
        cpu_percent: (cpu_after - cpu_before) as f64 / 100.0 / wall * 100.0,
        standin_cpu_percent: (standin_after - standin_before) as f64 / 100.0 / wall * 100.0,
    };
    let (late, limited, started) = lateness(standin, since, plan);
    (late, limited, started, usage)
}

/// naive: answer, then for each frame sleep the gap and edit, in turn. Every
/// request, like steady's, waits for one of `MAX_IN_FLIGHT` places and reads
/// its whole answer, so the connection goes back to the pool.
async fn run_naive(standin: &StandIn, sessions: usize, plan: &Plan) -> (Lateness, usize, usize) {
    let since = Instant::now();
    let client = reqwest::Client::new();
    let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT));
    let mut tasks = Vec::new();
    for batch in (0..sessions).collect::<Vec<_>>().chunks(per_tick(sessions)) {
        for n in batch {
            // A command steady does not have: the bot ignores it and this
            // loop answers it, as a naive bot would.
            let sent = standin.dispatch(InteractionSpec::slash("naive").user(user(
                *n,
                1_400_000_000_000_000_000 + sessions as u64 * 100_000,
            )));
            let (client, api, plan) = (client.clone(), standin.api_url(), plan.clone());
            let in_flight = in_flight.clone();
            let app = standin.application_id();
            tasks.push(tokio::spawn(async move {
                let callback = format!(
                    "{api}/api/v10/interactions/{}/{}/callback",
                    sent.id, sent.token
                );
                let body = json!({"type": 4, "data": {"content": plan.frames()[0].text}});
                let send = |request: reqwest::RequestBuilder| {
                    let in_flight = in_flight.clone();
                    async move {
                        let _permit = in_flight.acquire().await;
                        if let Ok(response) = request.send().await {
                            let _ = response.bytes().await;
                        }
                    }
                };
                send(client.post(&callback).json(&body)).await;
                let edit = format!(
                    "{api}/api/v10/webhooks/{app}/{}/messages/@original",
                    sent.token
                );
                let mut previous = Duration::ZERO;
                for frame in &plan.frames()[1..] {
                    tokio::time::sleep(frame.at - previous).await;
                    previous = frame.at;
                    send(client.patch(&edit).json(&json!({"content": frame.text}))).await;
                }
            }));
        }
        tokio::time::sleep(TICK).await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    lateness(standin, since, plan)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let faults = runtime.block_on(async {
        let standin = StandIn::start_with(Options {
            heartbeat_interval: Duration::from_secs(5),
            // The burst of dispatches is this harness's doing, not the bot's.
            interaction_ack_window: Duration::from_secs(30),
            ..Options::default()
        })
        .await;
        for route in [route::CALLBACK, route::EDIT_ORIGINAL] {
            standin.inject(Fault::new(route, FaultKind::Latency(LATENCY)));
        }
        let dir = tempfile::tempdir().unwrap();
        let bot = start_bot(&standin, dir.path());
        standin.wait_ready(Duration::from_secs(30)).await;
        standin.wait_commands_registered(Duration::from_secs(30)).await;
        let plan = plan();
        let counts: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
        let counts = if counts.is_empty() { vec![1, 100, 1_000, 10_000] } else { counts };
        println!(
            "rhythm {RHYTHM} x {CYCLES} ({} edits per session over {:?}), +{LATENCY:?} per answer\n",
            plan.frames().len() - 1,
            plan.length()
        );
        println!("| sessions | engine | p50 ms | p99 ms | max ms | 429s | bot peak RSS MB | bot CPU % | stand-in CPU % |");
        println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        let mut faults = Vec::new();
        for sessions in counts {
            let (late, limited, started, usage) = run_steady(&standin, bot.0.id(), sessions, &plan).await;
            if started != sessions {
                let mut statuses: HashMap<(String, u16), usize> = HashMap::new();
                for r in standin.requests() {
                    *statuses.entry((r.route.clone(), r.status)).or_default() += 1;
                }
                eprintln!("only {started} of {sessions} sessions started; requests: {statuses:#?}");
                eprintln!("bot log: {}", dir.path().join("bot.log").display());
                std::mem::forget(dir);
                faults.push(format!("only {started} of {sessions} sessions started"));
                break;
            }
            if limited > 0 {
                faults.push(format!("{limited} 429s met by steady at {sessions} sessions"));
            }
            let steady_p99 = late.percentile(0.99);
            println!(
                "| {sessions} | steady | {:.1} | {steady_p99:.1} | {:.1} | {limited} | {:.0} | {:.0} | {:.0} |",
                late.percentile(0.5),
                late.percentile(1.0),
                usage.peak_rss_mb,
                usage.cpu_percent,
                usage.standin_cpu_percent
            );
            let (late, limited, _) = run_naive(&standin, sessions, &plan).await;
            let naive_p99 = late.percentile(0.99);
            println!(
                "| {sessions} | naive sleep-then-edit | {:.1} | {naive_p99:.1} | {:.1} | {limited} | | | |",
                late.percentile(0.5),
                late.percentile(1.0),
            );
            println!("| | naive / steady, p99 | | {:.0}x | | | | | |", naive_p99 / steady_p99.max(0.1));
        }
        drop(bot);
        faults
    });
    if !faults.is_empty() {
        eprintln!("failed: {}", faults.join("; "));
        std::process::exit(1);
    }
}
