//! Commands that send a DM answer within Discord's three seconds however
//! slowly the DM goes: with every message create taking 4 s, `/checkin now`,
//! `/mydata export` and `/anchors send` are acknowledged (deferred,
//! privately) within 3 s of the interaction, and the DM still arrives, once.

mod harness;
mod standin;

use harness::{assert_healthy, assert_private_data, quick, river, said, Bot, GUILD, PATIENCE};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, StandIn};
use std::time::Duration;
use steady::prompts::Catalog;
use steady::store::Store;

/// How long each message create takes: longer than Discord waits for an
/// interaction's first answer.
const SLOW: Duration = Duration::from_secs(4);
/// Discord's window for the first answer to an interaction.
const ACK_WINDOW: Duration = Duration::from_secs(3);

/// A stand-in whose message creates all take [`SLOW`], and steady on it,
/// keeping one anchor for river.
async fn slow_dms() -> (StandIn, Bot) {
    let standin = StandIn::start_with(quick()).await;
    standin.inject(Fault::new(route::CREATE_MESSAGE, FaultKind::Latency(SLOW)));
    let bot = Bot::start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let anchor = ["I can handle uncertainty".to_owned()];
    store.add_anchors(river().id, &anchor).await.unwrap();
    store.close().await;
    (standin, bot)
}

/// Dispatch `spec`; its callback must be a private deferral that reached
/// the stand-in within [`ACK_WINDOW`] of the dispatch. Returns the followup
/// that answers it.
async fn answered_in_time(standin: &StandIn, spec: InteractionSpec) -> Recorded {
    let sent = standin.dispatch(spec);
    let ack = standin.callback(&sent, PATIENCE).await;
    let took = ack.at.duration_since(sent.at);
    assert!(took < ACK_WINDOW, "acknowledged after {took:?}");
    assert_eq!(ack.status, 204, "{:#}", ack.response);
    assert_eq!(ack.body["type"], 5, "deferred: {:#}", ack.body);
    assert_eq!(ack.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 64);
    let followup = standin
        .wait_for(SLOW + PATIENCE, |r| {
            r.route == route::FOLLOWUP && r.path.contains(&sent.token)
        })
        .await;
    assert_eq!(followup.status, 200, "{:#}", followup.response);
    assert_private_data(&followup.body);
    followup
}

/// river's DM channel holds exactly one message, made by one request.
fn one_dm(standin: &StandIn) -> serde_json::Value {
    let channel = standin.dm_channel_of(river().id);
    let path = format!("/channels/{channel}/messages");
    let tries = standin.count(|r| r.route == route::CREATE_MESSAGE && r.path == path);
    assert_eq!(tries, 1, "asked once");
    let mut made = standin.messages_in(channel);
    assert_eq!(made.len(), 1, "{made:#?}");
    made.remove(0)
}

fn slash(name: &str, sub: &str) -> InteractionSpec {
    InteractionSpec::slash(name)
        .subcommand(sub)
        .in_guild(GUILD)
        .user(river())
}

#[tokio::test]
async fn checkin_now_answers_in_time_and_the_dm_arrives_once() {
    let (standin, bot) = slow_dms().await;
    let answer = answered_in_time(&standin, slash("checkin", "now")).await;
    let words = Catalog::load(None).unwrap().checkin;
    assert_eq!(said(&answer), words.messages.now_sent.plain());
    let dm = one_dm(&standin);
    let text = dm["content"].as_str().unwrap();
    assert!(words.variants.iter().any(|v| v.plain() == text), "{text}");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn an_export_answers_in_time_and_the_dm_arrives_once() {
    let (standin, bot) = slow_dms().await;
    let answer = answered_in_time(&standin, slash("mydata", "export")).await;
    let words = Catalog::load(None).unwrap().mydata;
    assert_eq!(said(&answer), words.messages.export_sent.plain());
    let dm = one_dm(&standin);
    assert_eq!(dm["attachments"].as_array().map(Vec::len), Some(1));
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn one_anchor_sent_answers_in_time_and_the_dm_arrives_once() {
    let (standin, bot) = slow_dms().await;
    let spec = slash("anchors", "send").option("all", json!(false));
    let answer = answered_in_time(&standin, spec).await;
    let words = Catalog::load(None).unwrap().anchors;
    assert_eq!(said(&answer), words.messages.sent.plain());
    let dm = one_dm(&standin);
    assert!(dm["content"]
        .as_str()
        .unwrap()
        .contains("I can handle uncertainty"));
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
