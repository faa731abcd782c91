//! A 2xx whose body cannot be read is a message made, its id unknown: the
//! stand-in makes the message, then cuts its answer off half-way. A
//! check-in counts as sent, `/anchors send all` goes on to its last page, a
//! daily moment counts as posted, and a calm panel is said to be posted;
//! none is asked again.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use harness::{
    ask_deferred, assert_healthy, due_in, quick, ritual_due, river, said, Bot, GUILD, PATIENCE,
};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn};
use std::net::SocketAddr;
use std::time::Duration;
use steady::prompts::Catalog;
use steady::store::Store;

/// The next message steady creates is made, and its answer unreadable.
fn cut_short_once(standin: &StandIn) {
    standin.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::Unreadable));
}

/// An address on loopback no one is listening on: bound, then let go.
fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

fn metrics_on(address: SocketAddr) -> String {
    format!("[metrics]\nlisten = \"{address}\"\n")
}

/// Scrape `/metrics` at `address` until it holds `line`; returns the scrape.
async fn scraped_with(address: SocketAddr, line: &str) -> String {
    let url = format!("http://{address}/metrics");
    let deadline = tokio::time::Instant::now() + PATIENCE * 2;
    let mut last = String::new();
    while tokio::time::Instant::now() < deadline {
        if let Ok(answer) = reqwest::get(&url).await {
            last = answer.text().await.unwrap_or_default();
            if last.lines().any(|l| l == line) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no {line} in:\n{last}");
}

/// Every create-message request into `channel`.
fn creates_in(standin: &StandIn, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    standin.count(|r| r.route == route::CREATE_MESSAGE && r.path == path)
}

#[tokio::test]
async fn a_check_in_whose_answer_is_unreadable_counts_as_sent_once() {
    let dir = tempfile::tempdir().unwrap();
    due_in(dir.path(), river().id, 1).await;
    let standin = StandIn::start_with(quick()).await;
    cut_short_once(&standin);
    let address = free_address();
    let bot = Bot::start_in(&standin, dir.path(), &metrics_on(address)).await;
    let text = scraped_with(address, r#"steady_checkins_total{outcome="sent"} 1"#).await;
    for outcome in ["failed", "retried"] {
        let line = format!("steady_checkins_total{{outcome=\"{outcome}\"}} 0");
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
    let dm = standin.dm_channel_of(river().id);
    assert_eq!(standin.messages_in(dm).len(), 1);
    assert_eq!(creates_in(&standin, dm), 1, "asked once");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn all_anchors_arrive_when_the_first_pages_answer_is_unreadable() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    // Long enough for `send all` to take several messages.
    let texts: Vec<String> = (0..8)
        .map(|n| format!("Anchor {n}: {}", "I am allowed to take my time. ".repeat(9)))
        .collect();
    let store = Store::open(&bot.database_url()).await.unwrap();
    store.add_anchors(river().id, &texts).await.unwrap();
    store.close().await;
    cut_short_once(&standin);
    let spec = InteractionSpec::slash("anchors")
        .subcommand("send")
        .option("all", json!(true))
        .in_guild(GUILD)
        .user(river());
    let answer = ask_deferred(&standin, spec, PATIENCE).await;
    let words = Catalog::load(None).unwrap().anchors;
    assert_eq!(said(&answer), words.messages.sent.plain());
    let dm = standin.dm_channel_of(river().id);
    let pages = standin.messages_in(dm);
    assert!(pages.len() > 1, "several pages");
    assert_eq!(creates_in(&standin, dm), pages.len(), "each asked once");
    for text in &texts {
        let shown = pages
            .iter()
            .filter(|page| page["content"].as_str().unwrap().contains(text.as_str()))
            .count();
        assert_eq!(shown, 1, "{text:?}");
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_daily_moment_whose_answer_is_unreadable_counts_as_posted_once() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let channel = standin.new_channel(GUILD);
    ritual_due(dir.path(), channel, Utc::now() + TimeDelta::seconds(1)).await;
    cut_short_once(&standin);
    let address = free_address();
    let bot = Bot::start_in(&standin, dir.path(), &metrics_on(address)).await;
    let text = scraped_with(address, r#"steady_ritual_posts_total{outcome="sent"} 1"#).await;
    for outcome in ["failed", "retried"] {
        let line = format!("steady_ritual_posts_total{{outcome=\"{outcome}\"}} 0");
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
    assert_eq!(standin.messages_in(channel).len(), 1);
    assert_eq!(creates_in(&standin, channel), 1, "posted once");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_panel_whose_answer_is_unreadable_is_said_to_be_posted() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    cut_short_once(&standin);
    let spec = InteractionSpec::slash("calm")
        .subcommand("panel")
        .in_guild(GUILD)
        .user(river())
        .moderator();
    let posted = ask_deferred(&standin, spec, PATIENCE).await;
    let channel = standin.guild_channel_of(GUILD);
    let words = Catalog::load(None).unwrap().calm;
    let expected = words
        .messages
        .panel_posted
        .render(&[("channel", &format!("<#{channel}>"))]);
    assert_eq!(said(&posted), expected);
    let panels = standin.messages_in(channel).into_iter();
    let panel = json!(words.panel.text.plain());
    assert_eq!(panels.filter(|m| m["content"] == panel).count(), 1);
    assert_eq!(creates_in(&standin, channel), 1, "posted once");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
