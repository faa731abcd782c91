//! A retry that may repeat a message stops while Discord still remembers
//! its nonce. The stand-in forgets nonces after half a second: a create
//! whose answer is lost, then a run of 503s, must not be retried into a
//! second message once the nonce is forgotten. Each scheduled kind
//! (check-in, wait end, daily post) is given up as uncertain past
//! `discord.nonce_window_seconds`, and inside the window the retry is
//! deduplicated.

mod harness;
mod standin;

use chrono::{DateTime, TimeDelta, Utc};
use harness::process::{can_fake_clocks, Instance, Process};
use harness::{
    assert_healthy, database_url, due_in, fan_out, logs, quick, ritual_due, Bot, GUILD, PATIENCE,
};
use standin::{route, Fault, FaultKind, Options, Recorded, StandIn};
use std::path::Path;
use std::time::Duration;
use steady::store::{Store, Wait};

const USER: u64 = 1_100_000_000_000_004_001;

/// What the scheduler sends, made due two seconds from now.
#[derive(Clone, Copy, Debug)]
enum Scheduled {
    Checkin,
    WaitEnd,
    Post,
}

impl Scheduled {
    const ALL: [Scheduled; 3] = [Scheduled::Checkin, Scheduled::WaitEnd, Scheduled::Post];

    /// Store it in `dir`'s database, due shortly; the channel it goes to.
    async fn due_soon(self, dir: &Path, standin: &StandIn) -> u64 {
        let due = Utc::now() + TimeDelta::seconds(2);
        match self {
            Scheduled::Checkin => {
                due_in(dir, USER, 2).await;
                standin.dm_channel_of(USER)
            }
            Scheduled::WaitEnd => {
                let store = Store::open(&database_url(dir)).await.unwrap();
                store.start_wait(&wait(due)).await.unwrap();
                store.close().await;
                standin.dm_channel_of(USER)
            }
            Scheduled::Post => {
                let channel = standin.guild_channel_of(GUILD);
                ritual_due(dir, channel, due).await;
                channel
            }
        }
    }
}

fn wait(due: DateTime<Utc>) -> Wait {
    Wait {
        user: USER,
        started: due - TimeDelta::minutes(1),
        minutes: 1,
        ends: due,
        due: Some(due),
        urge_before: None,
        private: true,
        locale: "en-US".to_owned(),
        on_message: None,
    }
}

fn creates_in(standin: &StandIn, channel: u64) -> Vec<Recorded> {
    let path = format!("/channels/{channel}/messages");
    standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE && r.path == path)
        .collect()
}

/// Start a bot on `dir` whose first create in `channel` is made but its
/// answer lost, and whose next `failures` answer 503; the requests it made
/// there once the last retry that could come has come.
async fn lost_then_503s(
    standin: &StandIn,
    dir: &Path,
    channel: u64,
    failures: u32,
    settings: &str,
) -> Vec<Recorded> {
    standin.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::AnswerLost));
    let bot = Bot::start_in(standin, dir, settings).await;
    let path = format!("/channels/{channel}/messages");
    standin
        .wait_for(PATIENCE, |r| r.path == path && r.answer_lost)
        .await;
    // Before steady's own second ask, 250 ms later.
    standin.inject(Fault::new(route::CREATE_MESSAGE, FaultKind::ServerError(503)).times(failures));
    // Past every retry that could still come: 0.25 s, then backing off 1 s
    // and 2 s, each with its own second ask.
    tokio::time::sleep(Duration::from_secs(5)).await;
    bot.stop().await.unwrap();
    creates_in(standin, channel)
}

fn forgetful() -> Options {
    Options {
        nonce_memory: Duration::from_millis(500),
        ..quick()
    }
}

#[tokio::test]
async fn past_the_window_each_kind_is_given_up_and_made_once() {
    for kind in Scheduled::ALL {
        let dir = tempfile::tempdir().unwrap();
        let standin = StandIn::start_with(forgetful()).await;
        let channel = kind.due_soon(dir.path(), &standin).await;
        let settings = "[discord]\nnonce_window_seconds = 1\n";
        let tries = lost_then_503s(&standin, dir.path(), channel, 1, settings).await;
        assert_eq!(standin.messages_in(channel).len(), 1, "{kind:?}");
        // Every try came while the stand-in still knew the nonce.
        let first = tries[0].at;
        for again in &tries {
            assert_eq!(again.body["nonce"], tries[0].body["nonce"], "{kind:?}");
            assert!(again.at - first < Duration::from_secs(1), "{kind:?}");
        }
        assert_healthy(&standin);
    }
    let unsure = logs().matches("given up unsure").count();
    assert!(unsure >= Scheduled::ALL.len(), "{unsure}");
}

#[tokio::test]
async fn inside_the_window_each_kind_is_retried_into_the_same_message() {
    for kind in Scheduled::ALL {
        let dir = tempfile::tempdir().unwrap();
        let standin = StandIn::start_with(quick()).await;
        let channel = kind.due_soon(dir.path(), &standin).await;
        let tries = lost_then_503s(&standin, dir.path(), channel, 1, "").await;
        assert_eq!(standin.messages_in(channel).len(), 1, "{kind:?}");
        // Lost, a 503, then the same nonce again: the message made first.
        assert_eq!(tries.len(), 3, "{kind:?}");
        let last = tries.last().unwrap();
        assert_eq!(last.status, 200, "{kind:?}");
        assert_eq!(last.body["nonce"], tries[0].body["nonce"], "{kind:?}");
        assert_eq!(last.response["id"], tries[0].response["id"], "{kind:?}");
        assert_healthy(&standin);
    }
}

#[tokio::test]
async fn a_give_back_carries_the_mark_across_a_restart() {
    for kind in Scheduled::ALL {
        let dir = tempfile::tempdir().unwrap();
        let standin = StandIn::start_with(forgetful()).await;
        let channel = kind.due_soon(dir.path(), &standin).await;
        let settings = "[discord]\nnonce_window_seconds = 2\n";
        standin.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::AnswerLost));
        let bot = Bot::start_in(&standin, dir.path(), settings).await;
        let path = format!("/channels/{channel}/messages");
        standin
            .wait_for(PATIENCE, |r| r.path == path && r.answer_lost)
            .await;
        standin.inject(Fault::new(
            route::CREATE_MESSAGE,
            FaultKind::ServerError(503),
        ));
        tokio::time::sleep(Duration::from_millis(500)).await;
        // Stopped while it waits to try again: given back, marked.
        bot.stop().await.unwrap();
        standin.clear_faults();
        let before = creates_in(&standin, channel).len();
        assert!(logs().contains("given back at shutdown"), "{kind:?}");
        // The next process starts after Discord may have forgotten.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let bot = Bot::start_in(&standin, dir.path(), settings).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        bot.stop().await.unwrap();
        assert_eq!(creates_in(&standin, channel).len(), before, "{kind:?}");
        assert_eq!(standin.messages_in(channel).len(), 1, "{kind:?}");
        assert_healthy(&standin);
    }
}

/// On PostgreSQL the processes may run on machines whose clocks disagree;
/// the scheduler keeps the database's. A process an hour behind takes a
/// check-in given back after a try Discord may have acted on at its due
/// instant, not an hour late, and still knows Discord may have forgotten
/// its nonce: no second message. (SQLite is one file on one machine.)
#[tokio::test]
async fn postgres_a_give_back_s_mark_holds_on_a_machine_whose_clock_runs_behind() {
    let Some(server) = harness::postgres::server() else {
        return;
    };
    if !can_fake_clocks() {
        return;
    }
    let database = server.database();
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(forgetful()).await;
    fan_out(&database, USER..USER + 1, 2).await;
    let channel = standin.dm_channel_of(USER);
    let settings = "[discord]\nnonce_window_seconds = 2\n";
    let spawn = |name, clock| {
        let instance = Instance {
            name,
            database: &database,
            log_filter: "info",
            clock,
        };
        Process::spawn_as(
            dir.path(),
            instance,
            &standin.api_url(),
            StandIn::TOKEN,
            settings,
        )
    };

    standin.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::AnswerLost));
    let mut first = spawn("first", None);
    let path = format!("/channels/{channel}/messages");
    standin
        .wait_for(PATIENCE * 2, |r| r.path == path && r.answer_lost)
        .await;
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::ServerError(503),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Stopped while it waits to try again: given back, marked.
    first.signal("TERM");
    let (status, _) = first.exit(PATIENCE * 3).await;
    assert!(status.success(), "a clean exit: {status}");
    assert!(first.log().contains("given back at shutdown"));
    standin.clear_faults();
    let before = creates_in(&standin, channel).len();

    // Two seconds on, Discord may have forgotten; the next process's clock
    // says it is an hour earlier than that.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let behind = spawn("behind", Some("-1h"));
    let started = std::time::Instant::now();
    while !behind.log().contains("given up unsure") {
        assert!(
            started.elapsed() < PATIENCE * 3,
            "never taken: {}",
            behind.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(behind);
    assert_eq!(creates_in(&standin, channel).len(), before);
    assert_eq!(standin.messages_in(channel).len(), 1);
}
