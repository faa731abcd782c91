//! What an operator watches, end to end: `/metrics` after a breathing
//! session and a check-in shows both and no one; `/readyz` says why until
//! the gateway is ready, while it is gone, and when the database does not
//! answer; `/healthz` answers throughout.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use harness::watch::{free_address, get, get_until};
use harness::{assert_healthy, half_a_day_away, quick, river, time_of, Bot, GUILD, PATIENCE};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use steady::metrics::{Endpoint, Metrics};
use steady::store::Store;
use steady::CancellationToken;

/// A zone no label may show: a check-in's zone says where someone lives.
const ZONE: Tz = chrono_tz::Asia::Kathmandu;

fn listen_on(address: SocketAddr) -> String {
    format!("[breathe]\nlead_in_seconds = 0\n[metrics]\nlisten = \"{address}\"\n")
}

/// The value of the sample written exactly `series` (name and labels).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

/// River's check-in, in ZONE, due `secs` from now, in the database in `dir`.
async fn checkin_due_in(dir: &Path, secs: i64) {
    let store = Store::open(&harness::database_url(dir)).await.unwrap();
    let now = Utc::now();
    let time = time_of(half_a_day_away(ZONE));
    store
        .set_checkin(river().id, time, ZONE, "en-US", now)
        .await
        .unwrap();
    let due = now + TimeDelta::seconds(secs);
    store.snooze_checkin(river().id, due).await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn a_scrape_after_breathing_and_a_checkin_counts_both_and_names_no_one() {
    let standin = StandIn::start_with(quick()).await;
    let dir = tempfile::tempdir().unwrap();
    checkin_due_in(dir.path(), 2).await;
    let address = free_address();
    let bot = Bot::start_in(&standin, dir.path(), &listen_on(address)).await;
    get_until(address, "/readyz", |status, _| status == 200).await;

    let breathe = InteractionSpec::slash("breathe")
        .in_guild(GUILD)
        .user(river())
        .option("custom", json!("1-0-1"))
        .option("cycles", json!(1));
    let sent = standin.dispatch(breathe);
    standin.callback(&sent, PATIENCE).await;
    let dm = |r: &standin::Recorded| r.route == route::CREATE_MESSAGE && r.status == 200;
    standin.wait_for(PATIENCE * 2, dm).await;
    // The session has ended once nothing runs: its last edit is counted.
    let (_, text) = get_until(address, "/metrics", |_, text| {
        text.contains("steady_paced_sessions 0")
            && text.contains("steady_checkins_total{outcome=\"sent\"} 1")
    })
    .await;

    let breathed = r#"steady_interactions_total{command="breathe",outcome="ok"}"#;
    assert!(sample(&text, breathed) >= 1.0);
    assert!(
        sample(
            &text,
            r#"steady_first_answer_seconds_count{command="breathe"}"#
        ) >= 1.0
    );
    assert!(sample(&text, r#"steady_edits_total{status="2xx"}"#) >= 1.0);
    assert!(sample(&text, "steady_frame_lateness_seconds_count") >= 1.0);
    assert_eq!(sample(&text, "steady_checkin_delay_seconds_count"), 1.0);
    // The check-in opened a DM channel and posted: two turns in the budget.
    assert!(sample(&text, "steady_budget_wait_seconds_count") >= 2.0);
    assert_eq!(sample(&text, "steady_budget_queue_length"), 0.0);
    assert_eq!(sample(&text, "steady_ready"), 1.0);
    let river_id = river().id.to_string();
    for private in [river_id.as_str(), ZONE.name(), "Kathmandu", "1-0-1"] {
        assert!(!text.contains(private), "{private} in:\n{text}");
    }
    // For `.ci/run`, which checks the exposition with promtool.
    let scrape = Path::new(env!("CARGO_TARGET_TMPDIR")).join("metrics-scrape.prom");
    std::fs::write(scrape, &text).unwrap();

    bot.stop().await.unwrap();
    assert!(
        get(address, "/healthz").await.is_none(),
        "stops with the bot"
    );
    assert_healthy(&standin);
}

#[tokio::test]
async fn exercise_edits_are_counted_by_what_discord_answered() {
    let standin = StandIn::start_with(quick()).await;
    let address = free_address();
    let bot = Bot::start_with(&standin, &listen_on(address)).await;
    // The first edit meets a 5xx, the next a 429; the rest go through.
    standin.inject(Fault::once(
        route::EDIT_ORIGINAL,
        FaultKind::ServerError(502),
    ));
    standin.inject(Fault::once(
        route::EDIT_ORIGINAL,
        FaultKind::RateLimited {
            retry_after: Duration::from_millis(300),
        },
    ));
    let breathe = InteractionSpec::slash("breathe")
        .in_guild(GUILD)
        .option("custom", json!("1-0-1"))
        .option("cycles", json!(3));
    let sent = standin.dispatch(breathe);
    standin.callback(&sent, PATIENCE).await;
    let (_, text) = get_until(address, "/metrics", |_, text| {
        text.contains(r#"steady_edits_total{status="429"} 1"#)
            && text.contains("steady_paced_sessions 0")
    })
    .await;
    assert_eq!(sample(&text, r#"steady_edits_total{status="5xx"}"#), 1.0);
    assert!(sample(&text, r#"steady_edits_total{status="2xx"}"#) >= 1.0);
    assert_eq!(sample(&text, r#"steady_edits_total{status="other"}"#), 0.0);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn readyz_says_why_until_the_gateway_is_ready_and_while_it_is_gone() {
    let standin = StandIn::start_with(quick()).await;
    // Discord slow to say where its gateway is: steady is alive, not ready.
    standin.inject(Fault::once(
        route::GATEWAY,
        FaultKind::Latency(Duration::from_secs(2)),
    ));
    let address = free_address();
    let starting = {
        let standin = standin.clone();
        tokio::spawn(async move { Bot::start_with(&standin, &listen_on(address)).await })
    };
    let (_, why) = get_until(address, "/readyz", |status, _| status == 503).await;
    assert_eq!(why, "not ready: not connected to Discord's gateway\n");
    assert_eq!(
        get(address, "/healthz").await,
        Some((200, "ok\n".to_owned()))
    );
    let (_, text) = get_until(address, "/metrics", |status, _| status == 200).await;
    assert_eq!(sample(&text, "steady_ready"), 0.0);
    let bot = starting.await.unwrap();
    get_until(address, "/readyz", |status, body| {
        status == 200 && body == "ready\n"
    })
    .await;

    // A blip: the session resumes, and is counted.
    standin.drop_gateway();
    get_until(address, "/metrics", |_, text| {
        text.contains("steady_gateway_resumes_total 1") && text.contains("steady_ready 1")
    })
    .await;

    // Discord unreachable: not ready, and why; ready again once it is back.
    standin.set_gateway_down(true);
    let (_, why) = get_until(address, "/readyz", |status, _| status == 503).await;
    assert_eq!(why, "not ready: not connected to Discord's gateway\n");
    standin.set_gateway_down(false);
    get_until(address, "/readyz", |status, _| status == 200).await;
    let (_, text) = get_until(address, "/metrics", |status, _| status == 200).await;
    assert!(sample(&text, "steady_gateway_reconnects_total") >= 2.0);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn readyz_says_so_when_the_database_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&harness::database_url(dir.path()))
        .await
        .unwrap();
    let metrics = Arc::new(Metrics::new());
    metrics.gateway_connected(true);
    let _scheduler = metrics.scheduler_running();
    let address = free_address();
    let stop = CancellationToken::new();
    let endpoint = Endpoint::bind(address).await.unwrap();
    let server = endpoint.serve(Arc::clone(&metrics), store.clone(), stop.clone());
    assert_eq!(
        get(address, "/readyz").await,
        Some((200, "ready\n".to_owned()))
    );
    store.close().await;
    // The database's own words (here "closed pool") are for the log only.
    let (status, why) = get(address, "/readyz").await.unwrap();
    assert_eq!(status, 503);
    assert_eq!(why, "not ready: database unavailable\n");
    let (_, text) = get(address, "/metrics").await.unwrap();
    assert_eq!(sample(&text, "steady_ready"), 0.0);
    stop.cancel();
    tokio::time::timeout(PATIENCE, server)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_taken_port_stops_start_up_naming_the_address_and_the_setting() {
    let standin = StandIn::start_with(quick()).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("steady.toml");
    let db = harness::database_url(dir.path());
    std::fs::write(&settings, format!("[database]\nurl = \"{db}\"\n")).unwrap();
    let config = steady::config::Config::load(Some(&settings), |name| match name {
        "DISCORD_TOKEN" => Some(StandIn::TOKEN.to_owned()),
        "STEADY_DISCORD_API_URL" => Some(standin.api_url()),
        "STEADY_METRICS_LISTEN" => Some(address.to_string()),
        _ => None,
    })
    .unwrap();
    let error = steady::run(config, CancellationToken::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&format!(
            "cannot listen for metrics on {address} (metrics.listen, or STEADY_METRICS_LISTEN): "
        )),
        "{error}"
    );
    assert!(error.contains("leave metrics.listen unset"), "{error}");
    assert_eq!(standin.identify_count(), 0, "never went on to Discord");
    assert!(
        !dir.path().join("steady.db").exists(),
        "stopped before opening the database"
    );
}
