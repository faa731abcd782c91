//! /breathe end to end: one message, edited on the plan's clock, through the
//! stand-in's real rate limits.

mod harness;
mod standin;

use harness::{assert_healthy, button_ids, quick, Bot, GUILD, PATIENCE};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use std::time::Duration;
use steady::pace::breathe::{Request, Session};
use steady::pace::plan::{Cadence, Plan};
use steady::prompts::Catalog;

const NO_LEAD_IN: &str = "[breathe]\nlead_in_seconds = 0\n";
/// Generous: this checks the clock is followed, not how fast a CI box is.
const TOLERANCE: Duration = Duration::from_millis(400);

fn catalog() -> Catalog {
    Catalog::load(None).unwrap()
}

fn plan_for(custom: &str, cycles: i64) -> Plan {
    let words = catalog().breathing;
    let request = Request {
        custom: Some(custom),
        cycles: Some(cycles),
        ..Request::default()
    };
    Session::from_request(&request, &words, Duration::ZERO, Duration::from_secs(600))
        .unwrap()
        .plan(&words, Duration::ZERO, Cadence::DISCORD)
}

fn breathe(custom: &str, cycles: i64) -> InteractionSpec {
    InteractionSpec::slash("breathe")
        .in_guild(GUILD)
        .option("custom", json!(custom))
        .option("cycles", json!(cycles))
}

fn is_ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().unwrap_or(0) & 64 == 64
}

/// The session's edits, in order, until one shows `last_text`.
async fn edits_until(standin: &StandIn, sent: &Sent, last_text: &str) -> Vec<Recorded> {
    let mut edits = Vec::new();
    loop {
        let edit = standin
            .next_original_edit(sent, Duration::from_secs(20))
            .await;
        let done = edit.body["content"] == last_text;
        edits.push(edit);
        if done {
            return edits;
        }
    }
}

#[tokio::test]
async fn a_session_edits_one_message_on_its_plan_and_ends_softly() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let plan = plan_for("1.5-0-1.5", 2);
    let sent = standin.dispatch(breathe("1.5-0-1.5", 2));
    let callback = standin.callback(&sent, PATIENCE).await;
    assert_eq!(callback.status, 204);
    let data = &callback.body["data"];
    assert_eq!(callback.body["type"], 4);
    assert!(!is_ephemeral(data), "public unless asked");
    assert_eq!(data["content"], plan.frames()[0].text);
    assert_eq!(data["allowed_mentions"]["parse"], json!([]));
    let stop = format!("pace:stop:{}:{}", UserSpec::default().id, sent.id);
    assert_eq!(button_ids(data), [stop]);

    let end = &plan.frames().last().unwrap().text;
    let edits = edits_until(&standin, &sent, end).await;
    let texts: Vec<&str> = edits
        .iter()
        .map(|e| e.body["content"].as_str().unwrap())
        .collect();
    let planned: Vec<&str> = plan.frames()[1..].iter().map(|f| f.text.as_str()).collect();
    assert_eq!(texts, planned, "every frame, in order, none skipped");
    for (edit, frame) in edits.iter().zip(&plan.frames()[1..]) {
        assert_eq!(edit.status, 200);
        assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]));
        let offset = edit.at - callback.at;
        assert!(
            offset + Duration::from_millis(50) >= frame.at && offset <= frame.at + TOLERANCE,
            "planned {:?}, arrived {offset:?}",
            frame.at
        );
    }
    let end = button_ids(&edits.last().unwrap().body);
    let owner = UserSpec::default().id;
    assert_eq!(end.len(), 2, "{end:?}");
    assert!(end[0].starts_with("breathe:again:"), "{end:?}");
    assert_eq!(
        end[1],
        format!("anchors:show:{owner}:"),
        "My anchors, privately"
    );
    assert!(
        standin.rate_limited().is_empty(),
        "no 429 in a normal session"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_private_session_is_ephemeral() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let sent = standin.dispatch(breathe("1-0-1", 1).option("private", json!(true)));
    let callback = standin.callback(&sent, PATIENCE).await;
    assert!(is_ephemeral(&callback.body["data"]));
    let plan = plan_for("1-0-1", 1);
    edits_until(&standin, &sent, &plan.frames().last().unwrap().text).await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn only_the_owner_can_stop_a_session() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let words = catalog();
    let sent = standin.dispatch(breathe("2-0-2", 5));
    let callback = standin.callback(&sent, PATIENCE).await;
    let stop = button_ids(&callback.body["data"]).remove(0);

    let stranger = UserSpec::new(1_100_000_000_000_000_777, "stranger");
    let press = standin.dispatch(InteractionSpec::button(&sent, &stop).user(stranger));
    let refused = standin.callback(&press, PATIENCE).await;
    assert_eq!(refused.body["type"], 4);
    assert!(is_ephemeral(&refused.body["data"]));
    assert_eq!(
        refused.body["data"]["content"],
        words.errors.not_yours.plain()
    );
    let still_going = standin.next_original_edit(&sent, PATIENCE).await;
    assert!(still_going.body["content"]
        .as_str()
        .unwrap()
        .contains("round"));

    let press = standin.dispatch(InteractionSpec::button(&sent, &stop));
    let acknowledged = standin.callback(&press, PATIENCE).await;
    assert_eq!(
        acknowledged.body["type"], 6,
        "a deferred update: the session writes its last words"
    );
    let last = standin.next_original_edit(&sent, PATIENCE).await;
    assert_eq!(
        last.body["content"],
        words.breathing.messages.stopped.plain()
    );
    assert!(button_ids(&last.body)[0].starts_with("breathe:again:"));
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let path = format!(
        "/webhooks/{}/{}/messages/@original",
        standin.application_id(),
        sent.token
    );
    let later = standin
        .requests()
        .into_iter()
        .filter(|r| r.path == path && r.at > last.at)
        .count();
    assert_eq!(later, 0, "nothing moves after a stop");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_rate_limited_edit_is_skipped_not_queued_and_the_end_lands() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    standin.inject(Fault::once(
        route::EDIT_ORIGINAL,
        FaultKind::RateLimited {
            retry_after: Duration::from_millis(1_600),
        },
    ));
    let plan = plan_for("1.5-0-1.5", 2);
    let sent = standin.dispatch(breathe("1.5-0-1.5", 2));
    let callback = standin.callback(&sent, PATIENCE).await;
    let end = &plan.frames().last().unwrap().text;
    let edits = edits_until(&standin, &sent, end).await;
    assert_eq!(edits[0].status, 429);
    let shown: Vec<&Recorded> = edits.iter().filter(|e| e.status == 200).collect();
    assert_eq!(
        shown.len(),
        plan.frames().len() - 2,
        "exactly the limited frame is skipped"
    );
    assert!(
        shown[0].at - edits[0].at >= Duration::from_millis(1_600),
        "retry_after obeyed"
    );
    for edit in &shown[1..] {
        let frame = plan
            .frames()
            .iter()
            .find(|f| f.text == edit.body["content"])
            .unwrap();
        let offset = edit.at - callback.at;
        assert!(
            offset <= frame.at + TOLERANCE,
            "back on the clock: {offset:?} for {:?}",
            frame.at
        );
    }
    assert_eq!(standin.rate_limited().len(), 1);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_input_is_refused_kindly_and_nothing_starts() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = catalog().breathing.messages;
    let cases = [
        (breathe("abc", 4), m.custom_format.plain()),
        (breathe("0-0-0", 4), m.custom_range.plain()),
        (breathe("4-7-99", 4), m.custom_range.plain()),
        (
            breathe("4-7-8", 0),
            m.cycles_range.render(&[("min", "1"), ("max", "20")]),
        ),
        (
            breathe("20-20-20-20", 20),
            m.too_long
                .render(&[("length", "27 minutes"), ("longest", "14 minutes")]),
        ),
        (
            InteractionSpec::slash("breathe").option("pattern", json!(99)),
            m.unknown_pattern.plain(),
        ),
    ];
    for (spec, expected) in cases {
        let sent = standin.dispatch(spec);
        let callback = standin.callback(&sent, PATIENCE).await;
        assert!(is_ephemeral(&callback.body["data"]));
        assert_eq!(callback.body["data"]["content"], expected);
        assert!(button_ids(&callback.body["data"]).is_empty());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let edits = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::EDIT_ORIGINAL)
        .count();
    assert_eq!(edits, 0, "nothing started");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_second_session_offers_to_stop_the_first() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let m = catalog().breathing.messages;
    let first = standin.dispatch(breathe("2-0-2", 5));
    standin.callback(&first, PATIENCE).await;
    let second = standin.dispatch(breathe("4-7-8", 2));
    let offer = standin.callback(&second, PATIENCE).await;
    assert!(is_ephemeral(&offer.body["data"]));
    assert_eq!(offer.body["data"]["content"], m.already_running.plain());
    let stop_other = button_ids(&offer.body["data"]).remove(0);
    let press = standin.dispatch(InteractionSpec::button(&second, &stop_other));
    let update = standin.callback(&press, PATIENCE).await;
    assert_eq!(update.body["type"], 7);
    assert_eq!(update.body["data"]["content"], m.other_stopped.plain());
    let last = edits_until(&standin, &first, &m.stopped.plain()).await;
    assert_eq!(last.last().unwrap().status, 200);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn shutdown_gives_a_running_session_its_last_words() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let sent = standin.dispatch(breathe("4-7-8", 4));
    standin.callback(&sent, PATIENCE).await;
    bot.stop().await.unwrap();
    let restarting = catalog().breathing.messages.restarting.plain();
    let last = edits_until(&standin, &sent, &restarting).await;
    assert_eq!(last.last().unwrap().status, 200);
    assert!(button_ids(&last.last().unwrap().body).is_empty());
    assert_healthy(&standin);
}

#[tokio::test]
async fn again_starts_a_new_session_with_the_same_rhythm() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, NO_LEAD_IN).await;
    let plan = plan_for("1-0-1", 1);
    let sent = standin.dispatch(breathe("1-0-1", 1).option("private", json!(true)));
    standin.callback(&sent, PATIENCE).await;
    let edits = edits_until(&standin, &sent, &plan.frames().last().unwrap().text).await;
    let again = button_ids(&edits.last().unwrap().body).remove(0);
    let press = standin.dispatch(InteractionSpec::button(&sent, &again));
    let restarted = standin.callback(&press, PATIENCE).await;
    assert_eq!(restarted.body["type"], 4);
    assert_eq!(restarted.body["data"]["content"], plan.frames()[0].text);
    assert!(is_ephemeral(&restarted.body["data"]), "still private");
    edits_until(&standin, &press, &plan.frames().last().unwrap().text).await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
