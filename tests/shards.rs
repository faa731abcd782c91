//! Three steady processes serving one bot, shards 0, 1 and 2 of 3, on one
//! database, as an operator runs them (`discord.shard_count`,
//! `discord.shards`) against a stand-in that routes events by shard as
//! Discord does. Check-ins due together go out once each, within the
//! bot's one budget; an exercise is one per person and stopped from any
//! process; a process killed mid-fan-out sends nothing twice, the others
//! go on, and its exercise is finished when it comes back. A process of
//! two shards is ready only while both are connected, and paces the
//! redials of one that is down. Each on SQLite (one file, one machine) and
//! on PostgreSQL.

mod harness;
mod standin;

use chrono::{DateTime, Utc};
use harness::process::{Instance, Process};
use harness::watch::{free_address, get, get_until};
use harness::{database_url, fan_out, quick, river, PAST_RETRIES, PATIENCE};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use steady::prompts::Catalog;
use steady::schedule::IN_FLIGHT;
use steady::timing::{BEAT_EVERY, DEAD_AFTER};

const SHARDS: u64 = 3;
const FIRST_USER: u64 = 1_100_000_000_000_003_000;
/// The bot's `requests_per_second`, which its processes split.
const BUDGET: usize = 48;
/// Discord's global limit for the whole bot, which the stand-in enforces.
const DISCORD_LIMIT: usize = 50;

/// `sqlite::name` and `postgres::name` for each `async fn name(bot: Bot)`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                // Several threads: the stand-in notes when each request
                // arrives, and a runtime busy with the test must not bunch
                // them up.
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let _alone = super::ONE_AT_A_TIME.lock().await;
                    super::$name(super::Bot::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let _alone = super::ONE_AT_A_TIME.lock().await;
                    if let Some(bot) = super::Bot::postgres() {
                        super::$name(bot).await;
                    }
                }
            )*
        }
    };
}

on_both!(
    check_ins_due_together_go_out_once_each_within_the_bot_s_budget,
    an_exercise_is_one_per_person_and_stopped_from_any_process,
    data_deleted_on_one_process_ends_the_exercise_another_runs,
    a_process_killed_mid_fan_out_sends_nothing_twice_and_its_exercise_is_finished,
    a_second_process_of_the_same_shard_leaves_the_first_one_s_exercise_alone,
    a_process_of_two_shards_is_ready_only_while_both_are_connected,
);

/// One bot of three processes at a time: eight at once on two cores would
/// bunch the stand-in's notes of when requests arrived, and the busiest
/// second it measures would be the machine's doing, not the bot's.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where the bot's processes keep their settings and logs, and their one
/// database.
struct Bot {
    dir: tempfile::TempDir,
    database: String,
}

impl Bot {
    fn sqlite() -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let database = database_url(dir.path());
        Bot { dir, database }
    }

    /// None (the skip already said) without PostgreSQL.
    fn postgres() -> Option<Bot> {
        let database = harness::postgres::server()?.database();
        let dir = tempfile::tempdir().unwrap();
        Some(Bot { dir, database })
    }
}

/// Process `shard` of [`SHARDS`], everything else as the operator left it.
fn spawn(standin: &StandIn, bot: &Bot, shard: u64) -> Process {
    spawn_named(standin, bot, shard, &format!("shard-{shard}"), None)
}

/// Like [`spawn`], its settings and log named `name`, its wall clock
/// `clock` (libfaketime's `FAKETIME`) when given.
fn spawn_named(
    standin: &StandIn,
    bot: &Bot,
    shard: u64,
    name: &str,
    clock: Option<&str>,
) -> Process {
    let settings = format!(
        "[discord]\nshard_count = {SHARDS}\nshards = \"{shard}\"\nrequests_per_second = {BUDGET}\n\
         [breathe]\nlead_in_seconds = 0\n"
    );
    let instance = Instance {
        name,
        database: &bot.database,
        // The budget's turns, for [`busiest_second_of_turns`].
        log_filter: "info,steady::discord::budget=trace",
        clock,
    };
    let api = standin.api_url();
    Process::spawn_as(bot.dir.path(), instance, &api, StandIn::TOKEN, &settings)
}

/// The most bot-token turns the processes took together in any one second,
/// read from when each logged it took one.
fn busiest_second_of_turns(processes: &[Process]) -> usize {
    let turns: Vec<DateTime<Utc>> = (processes.iter())
        .flat_map(Process::events)
        .filter(|line| line["fields"]["message"] == "turn taken")
        .map(|line| {
            let at = line["timestamp"].as_str().expect("a timestamp");
            DateTime::parse_from_rfc3339(at).unwrap().to_utc()
        })
        .collect();
    assert!(!turns.is_empty(), "no turn was logged");
    standin::most_in_any_second(turns, |first, last| {
        (last - first).to_std().unwrap_or_default()
    })
}

/// All three, once every shard is on the gateway.
async fn three(standin: &StandIn, bot: &Bot) -> Vec<Process> {
    let processes = (0..SHARDS)
        .map(|shard| spawn(standin, bot, shard))
        .collect();
    standin.wait_shards(SHARDS, PATIENCE * 3).await;
    processes
}

/// `count` check-ins due `secs` seconds from now.
async fn due_together(bot: &Bot, count: u64, secs: i64) {
    fan_out(&bot.database, FIRST_USER..FIRST_USER + count, secs).await;
}

/// river's `/breathe custom:4-4-4` in a server on `shard`, answered.
async fn breathing_on(standin: &StandIn, shard: u64) -> standin::Sent {
    let breathing = standin.dispatch(
        InteractionSpec::slash("breathe")
            .option("custom", json!("4-4-4"))
            .in_guild(StandIn::guild_on_shard(shard, SHARDS))
            .user(river()),
    );
    standin.callback(&breathing, PATIENCE).await;
    breathing
}

/// Check-in DMs the stand-in made, per user.
fn sent(standin: &StandIn, count: u64) -> HashMap<u64, usize> {
    let channels: HashMap<String, u64> = (FIRST_USER..FIRST_USER + count)
        .map(|user| (standin.dm_channel_of(user).to_string(), user))
        .collect();
    let mut sent = HashMap::new();
    for request in standin.requests() {
        if request.route != route::CREATE_MESSAGE || request.status != 200 {
            continue;
        }
        let channel = request.path.split('/').nth(2).unwrap_or_default();
        if let Some(user) = channels.get(channel) {
            *sent.entry(*user).or_default() += 1;
        }
    }
    sent
}

/// Until `enough` holds of what was sent, or `bound` passes.
async fn until(standin: &StandIn, count: u64, bound: Duration, enough: impl Fn(usize) -> bool) {
    let started = Instant::now();
    while !enough(sent(standin, count).len()) {
        assert!(
            started.elapsed() < bound,
            "the fan-out stalled at {}",
            sent(standin, count).len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn check_ins_due_together_go_out_once_each_within_the_bot_s_budget(bot: Bot) {
    let count = 600;
    due_together(&bot, count, 4).await;
    let standin = StandIn::start_with(quick()).await;
    let processes = three(&standin, &bot).await;
    // At a third of 48 less one each, 45 a second: about 13 s.
    until(&standin, count, Duration::from_secs(40), |sent| {
        sent == count as usize
    })
    .await;
    tokio::time::sleep(PAST_RETRIES).await;
    let busiest_turns = busiest_second_of_turns(&processes);
    drop(processes);

    let sent = sent(&standin, count);
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(sent.len(), count as usize);
    let refused = standin
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(refused, 0, "Discord said 429");
    // The processes' turns together hold the budget (config/shards.rs).
    assert!(
        busiest_turns <= BUDGET,
        "{busiest_turns} turns in one second"
    );
    // As the requests arrive, the machine's jitter can bunch a process's
    // turns a little; Discord counts there, and allows 50.
    let busiest = standin.max_global_in_any_second();
    assert!(
        busiest <= DISCORD_LIMIT,
        "{busiest} bot-token requests in one second"
    );
}

async fn an_exercise_is_one_per_person_and_stopped_from_any_process(bot: Bot) {
    let standin = StandIn::start_with(quick()).await;
    let _processes = three(&standin, &bot).await;
    let words = Catalog::load(None).unwrap().breathing.messages;
    let guild = |shard| StandIn::guild_on_shard(shard, SHARDS);

    // Shard 1's process runs river's exercise.
    let breathing = breathing_on(&standin, 1).await;
    standin.next_original_edit(&breathing, PATIENCE).await;

    // A second, in a server on shard 2, is refused kindly, privately.
    let again = standin.dispatch(
        InteractionSpec::slash("breathe")
            .in_guild(guild(2))
            .user(river()),
    );
    let offer = standin.callback(&again, PATIENCE).await;
    assert_eq!(offer.body["data"]["content"], words.already_running.plain());
    assert_eq!(offer.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 64);

    // Stop, pressed where shard 0's process hears it, stops it on shard 1.
    let stop = format!("pace:stop:{}:{}", river().id, breathing.id);
    let press = standin.dispatch(
        InteractionSpec::button(&breathing, &stop)
            .in_guild(guild(0))
            .user(river()),
    );
    let ack = standin.callback(&press, PATIENCE).await;
    assert_eq!(
        ack.body["type"], 6,
        "acknowledged: the runner says the last words"
    );
    let last = loop {
        let edit = standin.next_original_edit(&breathing, PATIENCE).await;
        if edit.body["content"] == words.stopped.plain().as_str() {
            break edit;
        }
    };
    assert_ne!(
        last.body["components"],
        json!([]),
        "Again, on the end screen"
    );

    // Now a new one may begin, on any shard.
    let next = standin.dispatch(
        InteractionSpec::slash("breathe")
            .option("custom", json!("4-4-4"))
            .in_guild(guild(2))
            .user(river()),
    );
    let first = standin.callback(&next, PATIENCE).await;
    assert_ne!(first.body["data"]["content"], words.already_running.plain());
}

async fn data_deleted_on_one_process_ends_the_exercise_another_runs(bot: Bot) {
    let standin = StandIn::start_with(quick()).await;
    let _processes = three(&standin, &bot).await;
    let guild = |shard| StandIn::guild_on_shard(shard, SHARDS);
    let anchor = InteractionSpec::slash("anchors")
        .subcommand("add")
        .option("text", json!("Breathe"))
        .in_guild(guild(2))
        .user(river());
    let added = standin.dispatch(anchor);
    standin.callback(&added, PATIENCE).await;
    let breathing = breathing_on(&standin, 1).await;

    // Deleted where shard 0's process hears it.
    let delete = InteractionSpec::slash("mydata").subcommand("delete");
    let asked = standin.dispatch(delete.in_guild(guild(0)).user(river()));
    let question = standin.callback(&asked, PATIENCE).await;
    let confirm = question.body["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|button| button["custom_id"].as_str())
        .find(|id| id.starts_with("mydata:delete:"))
        .unwrap()
        .to_owned();
    let press = InteractionSpec::button(&asked, &confirm);
    let pressed = standin.dispatch(press.in_guild(guild(0)).user(river()));
    standin.callback(&pressed, PATIENCE).await;

    let stopped = Catalog::load(None).unwrap().breathing.messages.stopped;
    tokio::time::timeout(PATIENCE, async {
        loop {
            let edit = standin.next_original_edit(&breathing, PATIENCE).await;
            if edit.body["content"] == stopped.plain().as_str() {
                return;
            }
        }
    })
    .await
    .expect("the exercise on shard 1 never ended");
}

async fn a_process_killed_mid_fan_out_sends_nothing_twice_and_its_exercise_is_finished(bot: Bot) {
    let count = 300;
    due_together(&bot, count, 4).await;
    let standin = StandIn::start_with(quick()).await;
    // Slow answers: the fan-out is under way for seconds.
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::Latency(Duration::from_millis(40)),
    ));
    let mut processes = three(&standin, &bot).await;
    let breathing = breathing_on(&standin, 1).await;
    until(&standin, count, PATIENCE * 3, |sent| {
        sent >= count as usize / 4
    })
    .await;

    processes.remove(1).kill();
    let at_kill = sent(&standin, count).len();
    // The other two go on without it.
    until(&standin, count, PATIENCE * 2, |sent| sent >= at_kill + 30).await;
    let back = spawn(&standin, &bot, 1);
    let interrupted = Catalog::load(None).unwrap().breathing.messages.interrupted;
    // Taken once the database has not seen the killed process for
    // DEAD_AFTER: until then it could be a live twin of the same shard.
    let patience = DEAD_AFTER + BEAT_EVERY + PATIENCE;
    let finished = loop {
        let edit = standin.next_original_edit(&breathing, patience).await;
        if edit.body["content"] == interrupted.plain().as_str() {
            break edit;
        }
    };
    assert_eq!(
        finished.body["components"],
        json!([]),
        "no Stop left to press"
    );

    // Until nothing new comes for longer than a retry takes to come.
    let (mut last, mut quiet) = (0, Instant::now());
    while quiet.elapsed() < PAST_RETRIES {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = sent(&standin, count).values().sum::<usize>();
        if now != last {
            (last, quiet) = (now, Instant::now());
        }
    }
    drop((processes, back));
    let sent = sent(&standin, count);
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    let lost = count as usize - sent.len();
    assert!(
        lost <= IN_FLIGHT,
        "{lost} lost: more than the {IN_FLIGHT} one process may have in flight"
    );
}

async fn a_second_process_of_the_same_shard_leaves_the_first_one_s_exercise_alone(bot: Bot) {
    let standin = StandIn::start_with(quick()).await;
    let _processes = three(&standin, &bot).await;
    let words = Catalog::load(None).unwrap().breathing.messages;
    let breathing = ten_short_breaths_on(&standin, 1).await;

    // A rolling restart's new process starts before the old one stops.
    let twin = spawn_named(&standin, &bot, 1, "shard-1-new", None);
    let warned = Instant::now();
    while !(twin.messages().iter()).any(|message| message.contains("serving these same shards")) {
        assert!(
            warned.elapsed() < PATIENCE * 3,
            "the twin never said it saw the other"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both hear river's second /breathe; neither lets it begin.
    let again = standin.dispatch(
        InteractionSpec::slash("breathe")
            .in_guild(StandIn::guild_on_shard(1, SHARDS))
            .user(river()),
    );
    let offer = standin.callback(&again, PATIENCE).await;
    assert_eq!(offer.body["data"]["content"], words.already_running.plain());

    breathes_untouched_to_its_end(&standin, &breathing, Duration::from_secs(40)).await;
}

/// Ten short breaths for river, begun on `shard`'s process: about 40 s.
async fn ten_short_breaths_on(standin: &StandIn, shard: u64) -> standin::Sent {
    let breathing = standin.dispatch(
        InteractionSpec::slash("breathe")
            .option("custom", json!("1-1-1-1"))
            .option("cycles", json!(10))
            .in_guild(StandIn::guild_on_shard(shard, SHARDS))
            .user(river()),
    );
    standin.callback(&breathing, PATIENCE).await;
    standin.next_original_edit(&breathing, PATIENCE).await;
    breathing
}

/// `breathing` goes on to its end screen within `length`, and no process
/// finishes it as interrupted or stops it on the way.
async fn breathes_untouched_to_its_end(
    standin: &StandIn,
    breathing: &standin::Sent,
    length: Duration,
) {
    let words = Catalog::load(None).unwrap().breathing.messages;
    tokio::time::timeout(length + PATIENCE * 2, async {
        loop {
            let edit = standin.next_original_edit(breathing, PATIENCE).await;
            let content = edit.body["content"].as_str().unwrap_or_default();
            assert_ne!(content, words.interrupted.plain(), "taken as a dead one's");
            assert_ne!(content, words.stopped.plain(), "stopped by another process");
            if edit.body["components"].to_string().contains("again") {
                return;
            }
        }
    })
    .await
    .expect("the exercise never reached its end");
}

/// On PostgreSQL, processes may run on machines whose clocks disagree: one
/// running an hour ahead still takes nothing of the others' as dead, at
/// its start or when a person's /breathe meets one running elsewhere.
/// (SQLite is one file on one machine, with one clock.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_process_whose_clock_runs_an_hour_ahead_takes_nothing_alive() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let Some(bot) = Bot::postgres() else {
        return;
    };
    if !harness::process::can_fake_clocks() {
        return;
    }
    let standin = StandIn::start_with(quick()).await;
    let _first = [spawn(&standin, &bot, 0), spawn(&standin, &bot, 1)];
    standin.wait_shards_of(&[0, 1], SHARDS, PATIENCE * 3).await;
    let breathing = ten_short_breaths_on(&standin, 1).await;

    let ahead = spawn_named(&standin, &bot, 2, "shard-2-ahead", Some("+1h"));
    standin.wait_shards(SHARDS, PATIENCE * 3).await;
    let again = standin.dispatch(
        InteractionSpec::slash("breathe")
            .in_guild(StandIn::guild_on_shard(2, SHARDS))
            .user(river()),
    );
    let offer = standin.callback(&again, PATIENCE).await;
    let words = Catalog::load(None).unwrap().breathing.messages;
    assert_eq!(offer.body["data"]["content"], words.already_running.plain());
    breathes_untouched_to_its_end(&standin, &breathing, Duration::from_secs(40)).await;
    // It did live an hour ahead: its log says so.
    let stamp = ahead.events()[0]["timestamp"].as_str().unwrap().to_owned();
    let skew = DateTime::parse_from_rfc3339(&stamp).unwrap().to_utc() - Utc::now();
    assert!(
        skew > chrono::TimeDelta::minutes(50),
        "its clock was {skew} ahead"
    );
}

async fn a_process_of_two_shards_is_ready_only_while_both_are_connected(bot: Bot) {
    let standin = StandIn::start_with(quick()).await;
    let address = free_address();
    let settings = format!(
        "[discord]\nshard_count = 2\nshards = \"0-1\"\n[metrics]\nlisten = \"{address}\"\n"
    );
    let instance = Instance {
        name: "shards-0-1",
        database: &bot.database,
        log_filter: "info",
        clock: None,
    };
    let api = standin.api_url();
    let process = Process::spawn_as(bot.dir.path(), instance, &api, StandIn::TOKEN, &settings);
    let shard_live = |shard| standin.live_shards().contains(&(shard, 2));
    let both_live = || shard_live(0) && shard_live(1);

    // serenity starts shard 1 five seconds after shard 0: not ready before.
    readyz_until(address, "ready", PATIENCE * 4, |ready| {
        let live = standin.live_shards();
        assert!(!ready || both_live(), "ready with only {live:?} identified");
        ready
    })
    .await;

    // Shard 1's first Ready, five seconds after shard 0's, is no reconnect.
    let (_, text) = get(address, "/metrics").await.expect("/metrics answers");
    assert!(
        text.contains("\nsteady_gateway_reconnects_total 0\n"),
        "{text}"
    );

    // Shard 1 alone goes: noticed within moments, as a loss of all would be.
    let paced_before = paced(&process);
    standin.shut_out_shard(1);
    readyz_until(address, "not ready", PATIENCE * 2, |ready| !ready).await;
    // serenity restarts it again and again, its runner gone between tries:
    // never ready meanwhile, and its redials held back, said in the log.
    // Twice: serenity keeps the runner through its first restart's 5 s, so
    // only a later hold is one made while the runner is gone.
    let held_back = "shard 1 refused twice and its redials held back twice";
    readyz_until(address, held_back, PATIENCE * 6, |ready| {
        assert!(!ready, "ready while shard 1 is shut out");
        standin.refused_identifies() >= 2 && paced(&process) >= paced_before + 2
    })
    .await;

    // Back: ready again once shard 1 has identified.
    standin.let_shard_in(1);
    readyz_until(address, "ready again", PATIENCE * 6, |ready| {
        let live = standin.live_shards();
        assert!(!ready || both_live(), "ready with only {live:?} identified");
        ready
    })
    .await;
    // Its new session, counted as one.
    get_until(address, "/metrics", |_, text| {
        text.contains("\nsteady_gateway_reconnects_total 1\n")
    })
    .await;
}

/// Ask `/readyz` at `address` until `done` says so of an answer (whether
/// it was ready), which is `awaited`, within `bound`. Every answer must be
/// 200 or 503.
async fn readyz_until(
    address: SocketAddr,
    awaited: &str,
    bound: Duration,
    mut done: impl FnMut(bool) -> bool,
) {
    let started = Instant::now();
    let mut last = None;
    loop {
        if let Some((status, body)) = get(address, "/readyz").await {
            assert!(matches!(status, 200 | 503), "{status} {body}");
            if done(status == 200) {
                return;
            }
            last = Some((status, body));
        }
        let waited = started.elapsed();
        assert!(
            waited < bound,
            "not {awaited} in {waited:?}; /readyz last said {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// How many times the process has held a redial back.
fn paced(process: &Process) -> usize {
    (process.messages().iter())
        .filter(|message| message.contains("; reconnecting in "))
        .count()
}

#[tokio::test]
async fn alone_a_process_runs_every_shard_discord_recommends() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(standin::Options {
        recommended_shards: 2,
        ..quick()
    })
    .await;
    let _alone = Process::spawn(dir.path(), &standin.api_url(), StandIn::TOKEN, "");
    // serenity starts one shard, then the next five seconds later.
    standin.wait_shards(2, PATIENCE * 3).await;
    let mut shards = standin.live_shards();
    shards.sort_unstable();
    assert_eq!(shards, [(0, 2), (1, 2)]);
}
