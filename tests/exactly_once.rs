//! One message per intent whatever the network does: the stand-in makes the
//! message and then drops the connection before answering, and steady,
//! which cannot know it worked, tries again with the same nonce. Check-ins,
//! `/anchors send` (one and all), `/mydata export` and the pause notice
//! each arrive once.

mod harness;
mod standin;

use harness::{
    ask, ask_deferred, assert_healthy, database_url, due_in, quick, river, said, Bot, GUILD,
    PAST_RETRIES, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, StandIn, UserSpec};
use std::collections::HashSet;
use std::time::Duration;
use steady::prompts::Catalog;
use steady::store::Store;

fn slash(name: &str, sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash(name)
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

/// Lose the answer to the next `times` messages steady creates.
fn lose_answers(standin: &StandIn, times: u32) {
    standin.inject(Fault::new(route::CREATE_MESSAGE, FaultKind::AnswerLost).times(times));
}

/// Every create-message request into `user`'s DMs.
fn creates(standin: &StandIn, user: u64) -> Vec<Recorded> {
    let path = format!("/channels/{}/messages", standin.dm_channel_of(user));
    standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE && r.path == path)
        .collect()
}

/// Each lost answer to `user`'s DMs was tried again, with the nonce it
/// first had, asking Discord to enforce it; how many were lost.
fn assert_retried_with_the_same_nonce(standin: &StandIn, user: u64) -> usize {
    let tries = creates(standin, user);
    let lost: Vec<&Recorded> = tries.iter().filter(|r| r.answer_lost).collect();
    for r in &tries {
        assert_eq!(r.body["enforce_nonce"], json!(true), "{:#}", r.body);
        let nonce = r.body["nonce"].as_str().expect("a nonce");
        assert!(nonce.len() <= 25, "{nonce}");
    }
    for one in &lost {
        let again = tries
            .iter()
            .filter(|r| r.at > one.at && r.body["nonce"] == one.body["nonce"])
            .count();
        assert!(again >= 1, "the lost one was not tried again");
    }
    lost.len()
}

async fn settle_then<T>(check: impl Fn() -> T) -> T {
    // Past the retries that could make a second (wrong) message.
    tokio::time::sleep(PAST_RETRIES).await;
    check()
}

#[tokio::test]
async fn check_ins_whose_answers_are_lost_arrive_once() {
    let dir = tempfile::tempdir().unwrap();
    let users: Vec<u64> = (1..=3).map(|n| 1_100_000_000_000_003_000 + n).collect();
    for &user in &users {
        due_in(dir.path(), user, 2).await;
    }
    let standin = StandIn::start_with(quick()).await;
    lose_answers(&standin, 3);
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let arrived = || {
        users
            .iter()
            .map(|&user| standin.messages_in(standin.dm_channel_of(user)).len())
            .collect::<Vec<_>>()
    };
    tokio::time::timeout(PATIENCE * 2, async {
        while arrived().contains(&0) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("every check-in made");
    assert_eq!(settle_then(arrived).await, vec![1; users.len()]);
    let lost: usize = users
        .iter()
        .map(|&user| assert_retried_with_the_same_nonce(&standin, user))
        .sum();
    assert_eq!(lost, 3, "every answer lost as planned");
    // Each person's nonce is their own.
    let nonces: HashSet<Value> = users
        .iter()
        .map(|&user| creates(&standin, user)[0].body["nonce"].clone())
        .collect();
    assert_eq!(nonces.len(), users.len());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// A bot whose river keeps `texts` as anchors.
async fn keeping(standin: &StandIn, texts: &[String]) -> Bot {
    let bot = Bot::start(standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    store.add_anchors(river().id, texts).await.unwrap();
    store.close().await;
    bot
}

#[tokio::test]
async fn an_anchor_whose_answer_is_lost_arrives_once() {
    let standin = StandIn::start_with(quick()).await;
    let bot = keeping(&standin, &["I can handle uncertainty".to_owned()]).await;
    lose_answers(&standin, 1);
    let one = ask_deferred(&standin, slash("anchors", "send", river()), PATIENCE).await;
    let words = Catalog::load(None).unwrap().anchors;
    assert_eq!(said(&one), words.messages.sent.plain());
    let dm = standin.dm_channel_of(river().id);
    assert_eq!(settle_then(|| standin.messages_in(dm).len()).await, 1);
    assert_eq!(assert_retried_with_the_same_nonce(&standin, river().id), 1);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn all_anchors_arrive_once_each_when_a_page_loses_its_answer() {
    let standin = StandIn::start_with(quick()).await;
    // Long enough for `send all` to take two messages.
    let texts: Vec<String> = (0..8)
        .map(|n| format!("Anchor {n}: {}", "I am allowed to take my time. ".repeat(9)))
        .collect();
    let bot = keeping(&standin, &texts).await;
    lose_answers(&standin, 1);
    let all = ask_deferred(
        &standin,
        slash("anchors", "send", river()).option("all", json!(true)),
        PATIENCE,
    )
    .await;
    let words = Catalog::load(None).unwrap().anchors;
    assert_eq!(all.body["content"], words.messages.sent.plain());
    let dm = standin.dm_channel_of(river().id);
    let pages: Vec<String> = settle_then(|| standin.messages_in(dm))
        .await
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect();
    assert!(pages.len() > 1, "several pages");
    for text in &texts {
        let times = pages.iter().filter(|page| page.contains(text)).count();
        assert_eq!(times, 1, "{text:?} shown {times} times");
    }
    assert_eq!(assert_retried_with_the_same_nonce(&standin, river().id), 1);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn an_export_whose_answer_is_lost_arrives_once() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = Catalog::load(None).unwrap().mydata;
    let store = Store::open(&bot.database_url()).await.unwrap();
    store
        .add_anchors(river().id, &["I am allowed to rest".to_owned()])
        .await
        .unwrap();
    lose_answers(&standin, 1);
    let answer = ask_deferred(&standin, slash("mydata", "export", river()), PATIENCE).await;
    assert_eq!(said(&answer), words.messages.export_sent.plain());
    let dm = standin.dm_channel_of(river().id);
    let made = settle_then(|| standin.messages_in(dm)).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["attachments"].as_array().map(Vec::len), Some(1));
    assert_eq!(assert_retried_with_the_same_nonce(&standin, river().id), 1);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn the_pause_notice_is_given_once_even_when_its_answer_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    due_in(dir.path(), user, 3600).await;
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let now = chrono::Utc::now();
    for _ in 0..3 {
        store.checkin_refused(user, 3, now).await.unwrap();
    }
    store.close().await;
    let standin = StandIn::start_with(quick()).await;
    standin.inject(Fault::once(route::FOLLOWUP, FaultKind::AnswerLost));
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    for _ in 0..2 {
        ask(&standin, InteractionSpec::slash("about").user(river())).await;
    }
    let followups = settle_then(|| {
        standin
            .requests()
            .into_iter()
            .filter(|r| r.route == route::FOLLOWUP)
            .collect::<Vec<_>>()
    })
    .await;
    assert_eq!(followups.len(), 1, "told once, never again");
    assert!(followups[0].answer_lost);
    bot.stop().await.unwrap();
}
