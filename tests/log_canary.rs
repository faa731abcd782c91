//! What people write never reaches the log, even at `trace`: unique words are
//! planted in anchors, check-in settings and every text option, every
//! command and button is used, and the captured log (filtered exactly as
//! production filters it) must not contain them.
//!
//! Nor does who did it: using steady at all is health-related, so no line
//! carries a person's Discord id (`/mydata delete` cannot reach a log). The
//! same run also sends a scheduled check-in, fails a command and has someone
//! press another's button, and the log must not hold either person's id.
//!
//! Nor does a gateway frame serenity cannot read: serenity logs it whole,
//! and the next event whole in a span (the sequence skipped one).

mod harness;
mod standin;

use harness::{
    ask_deferred, assert_healthy, button_ids, capture_logs_as_production, due_in, logs, quick,
    river, sky, Bot, GUILD, PATIENCE,
};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn, UserSpec};
use std::time::Duration;

const ANCHOR: &str = "canary-anchor-q7Zk I can handle uncertainty";
const TYPED_ZONE: &str = "canary-zone-Wm4x";
const TYPED_TIME: &str = "canary-time-Jp2v";
/// A real zone few tests use, so its name in the log would be the leak.
const ZONE: &str = "Pacific/Chatham";
const CANARIES: [&str; 4] = ["canary-", "q7Zk", "Chatham", "Jp2v"];

fn slash(name: &str) -> InteractionSpec {
    InteractionSpec::slash(name).in_guild(GUILD).user(river())
}

#[tokio::test]
async fn nothing_anyone_wrote_nor_who_they_are_is_logged_even_at_trace() {
    capture_logs_as_production("trace");
    let dir = tempfile::tempdir().unwrap();
    due_in(dir.path(), river().id, 1).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "[breathe]\nlead_in_seconds = 0\n").await;
    let scheduled = |r: &standin::Recorded| r.route == route::CREATE_MESSAGE;
    standin.wait_for(PATIENCE * 2, scheduled).await;
    let ask = |spec: InteractionSpec| {
        let standin = standin.clone();
        async move {
            let sent = standin.dispatch(spec);
            (standin.callback(&sent, PATIENCE).await, sent)
        }
    };
    let user = river().id;

    ask(slash("anchors")
        .subcommand("add")
        .option("text", json!(ANCHOR)))
    .await;
    ask(slash("anchors")
        .subcommand("add")
        .option("text", json!(ANCHOR)))
    .await; // duplicate
    ask(slash("anchors").subcommand("list")).await;
    // These send a DM after answering: their followup says it went.
    let sends = slash("anchors").subcommand("send");
    ask_deferred(&standin, sends.clone(), PATIENCE).await;
    ask_deferred(&standin, sends.option("all", json!(true)), PATIENCE).await;
    ask(InteractionSpec::autocomplete("anchors")
        .subcommand("remove")
        .focused("anchor", "canary")
        .user(river()))
    .await;
    ask(slash("anchors")
        .subcommand("remove")
        .option("anchor", json!("canary-not-there")))
    .await;
    ask(slash("checkin")
        .subcommand("on")
        .option("time", json!(TYPED_TIME))
        .option("timezone", json!(ZONE)))
    .await;
    ask(slash("checkin")
        .subcommand("on")
        .option("time", json!("21:30"))
        .option("timezone", json!(TYPED_ZONE)))
    .await;
    ask(InteractionSpec::autocomplete("checkin")
        .subcommand("on")
        .focused("timezone", "Chatham")
        .user(river()))
    .await;
    ask(slash("checkin")
        .subcommand("on")
        .option("time", json!("21:30"))
        .option("timezone", json!(ZONE)))
    .await;
    ask(slash("checkin").subcommand("status")).await;
    ask(slash("checkin").group("history").subcommand("on")).await;
    ask_deferred(&standin, slash("checkin").subcommand("now"), PATIENCE).await;
    let dm = standin.messages_in(standin.dm_channel_of(user));
    let checkin = dm.last().unwrap();
    let id = checkin["id"].as_str().unwrap().parse::<u64>().unwrap();
    for custom_id in button_ids(checkin) {
        if custom_id.contains(":mood:") && !custom_id.ends_with(":3") {
            continue;
        }
        if custom_id.starts_with("breathe:") {
            continue; // a paced session of its own, covered below
        }
        ask(InteractionSpec::button(id, &custom_id)
            .user(river())
            .in_dm())
        .await;
    }
    ask(slash("checkin").group("history").subcommand("show")).await;
    let press = button_ids(checkin).into_iter().next().unwrap();
    ask(InteractionSpec::button(id, &press).user(sky()).in_dm()).await;
    standin.inject(Fault::once(route::CALLBACK, FaultKind::ServerError(500)));
    ask(slash("support")).await;
    ask(slash("breathe")
        .option("custom", json!("1-1-1"))
        .option("cycles", json!(1)))
    .await;
    ask(slash("breathe").option("custom", json!("canary-breath"))).await;
    ask(slash("relax")).await;
    ask(slash("ground")).await;
    ask(slash("soothe")).await;
    ask(slash("support")).await;
    ask(slash("about")).await;
    ask(slash("mydata").subcommand("export")).await;
    let (asked, sent) = ask(slash("mydata").subcommand("delete")).await;
    let confirm = button_ids(&asked.body["data"])
        .into_iter()
        .find(|id| id.starts_with("mydata:delete:"))
        .unwrap();
    ask(InteractionSpec::button(&sent, &confirm)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    bot.stop().await.unwrap();

    // Proof the capture is at trace: this line must be there.
    tracing::trace!(target: "steady", "end of the canary run");
    let logs = logs();
    assert!(
        logs.contains("end of the canary run"),
        "the log is not at trace"
    );
    assert!(
        logs.contains("anchor add"),
        "steady's own lines are captured"
    );
    for canary in CANARIES {
        assert!(!logs.contains(canary), "{canary:?} was logged:\n{logs}");
    }
    assert!(logs.contains("check-in sent"), "a scheduled one was sent");
    assert!(logs.contains("command failed"), "a failure was logged");
    assert!(
        logs.contains("someone else's"),
        "a stranger's press was logged"
    );
    for person in [river().id, sky().id].map(|id| id.to_string()) {
        let lines: Vec<&str> = logs.lines().filter(|l| l.contains(&person)).collect();
        assert!(lines.is_empty(), "{person} was logged:\n{lines:#?}");
    }
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_frame_serenity_cannot_read_is_not_logged_and_the_bot_goes_on() {
    const TYPED: &str = "canary-unread-Rf5t I typed this";
    capture_logs_as_production("trace");
    let asker = UserSpec::new(1_100_000_000_000_000_505, "canary-name-Vb8n");
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let about = || slash("about").user(asker.clone());
    standin.callback(&standin.dispatch(about()), PATIENCE).await;

    // A real rendered interaction turned into `/anchors add`, which serenity
    // cannot read at all. (A field it merely cannot parse makes it an
    // unknown event, logged at debug; a frame that is not JSON it can read,
    // such as one nested deeper than 128 levels or holding a lone surrogate
    // escape, it logs whole at warn.)
    let frame = standin
        .gateway_log()
        .into_iter()
        .rfind(|f| f.t.as_deref() == Some("INTERACTION_CREATE"))
        .unwrap();
    let mut d = frame.payload["d"].clone();
    d["data"]["name"] = json!("anchors");
    d["data"]["options"] = json!([{"name": "add", "type": 1, "options": [
        {"name": "text", "type": 3, "value": TYPED}
    ]}]);
    let mut deep = json!([]);
    for _ in 0..130 {
        deep = json!([deep]);
    }
    d["data"]["components"] = deep;
    assert_eq!(standin.dispatch_event("INTERACTION_CREATE", d), 1);

    // The bot still answers, and the person's next command is not logged
    // either (serenity warns that the sequence skipped one, inside a span
    // holding the whole event).
    standin.callback(&standin.dispatch(about()), PATIENCE).await;
    bot.stop().await.unwrap();

    let logs = logs();
    assert!(
        logs.contains("Unhandled error: Json"),
        "that a frame could not be read is logged:\n{logs}"
    );
    for secret in ["canary-", "Rf5t", "Vb8n", &asker.id.to_string()] {
        let lines: Vec<&str> = logs.lines().filter(|l| l.contains(secret)).collect();
        assert!(lines.is_empty(), "{secret:?} was logged:\n{lines:#?}");
    }
    assert_eq!(standin.count(|r| r.route == route::CALLBACK), 2);
}
