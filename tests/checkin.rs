//! /checkin end to end through the stand-in: opting in and out privately,
//! kind refusals that change nothing, and the daily DM itself: due seconds
//! ahead (prepared in the database), it arrives once, across a restart and
//! across two bots on one database; closed DMs pause it and say why. A
//! check-in asked for keeps a few moods a day; the daily one keeps each.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use harness::{
    ask, ask_deferred, assert_healthy, assert_private, assert_private_data, button_ids, content,
    database_url, due_in, half_a_day_away, quick, river, said, sky, Bot, GUILD, PAST_RETRIES,
    PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, StandIn, UserSpec};
use std::time::Duration;
use steady::daily::due::next_due;
use steady::prompts::Catalog;
use steady::store::{PauseReason, Store, ASKED_MOODS_A_DAY};

fn words() -> steady::prompts::Checkin {
    Catalog::load(None).unwrap().checkin
}

fn checkin(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("checkin")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

fn history(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("checkin")
        .group("history")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

/// The check-in DMs a stand-in received for `user` (successful or not).
fn dm_attempts(standin: &StandIn, user: u64) -> Vec<Recorded> {
    let channel = standin.dm_channel_of(user);
    let path = format!("/channels/{channel}/messages");
    standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE && r.path == path)
        .collect()
}

async fn wait_dm_attempts(standin: &StandIn, user: u64, count: usize) -> Vec<Recorded> {
    tokio::time::timeout(PATIENCE * 2, async {
        loop {
            let attempts = dm_attempts(standin, user);
            if attempts.len() >= count {
                return attempts;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("expected {count} DM attempts for {user}"))
}

/// Whether `body` is a check-in DM for `user`: the daily one, or (`asked`)
/// one asked for with /checkin now, whose mood buttons say so.
fn is_checkin(body: &Value, user: u64, asked: bool) -> bool {
    let words = words();
    let text = body["content"].as_str().unwrap_or("");
    let mood = format!("checkin:mood:{user}:1{}", if asked { ":now" } else { "" });
    words.variants.iter().any(|v| v.plain() == text) && button_ids(body).contains(&mood)
}

#[tokio::test]
async fn on_status_and_off_are_private_and_show_the_next_time() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    // Typed the way people do ("9:30pm"), half a day away so it never falls
    // due while the test runs.
    let later = half_a_day_away(chrono_tz::Europe::Berlin);
    let (typed, shown) = (later.format("%-I:%M%P"), later.format("%H:%M").to_string());
    let on = ask(
        &standin,
        checkin("on", river())
            .option("time", json!(typed.to_string()))
            .option("timezone", json!("Europe/Berlin")),
    )
    .await;
    assert_private(&on);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.checkin(river().id).await.unwrap().expect("kept");
    assert_eq!(kept.time.to_string(), shown);
    assert_eq!(kept.zone, chrono_tz::Europe::Berlin);
    let due = kept.next_due.unwrap().timestamp();
    let said = content(&on);
    assert!(
        said.contains(&shown) && said.contains("Europe/Berlin"),
        "{said}"
    );
    assert!(said.contains(&format!("<t:{due}:F>")), "{said}");
    assert!(said.contains(&format!("<t:{due}:R>")), "{said}");

    let status = ask(&standin, checkin("status", river())).await;
    assert_private(&status);
    assert!(content(&status).contains(&format!("<t:{due}:F>")));

    // Running it again with only a time ("7am") keeps the zone.
    let (typed, shown) = (later.format("%-I%P"), later.format("%H:00").to_string());
    let again = ask(
        &standin,
        checkin("on", river()).option("time", json!(typed.to_string())),
    )
    .await;
    assert_private(&again);
    let kept = store.checkin(river().id).await.unwrap().unwrap();
    assert_eq!(
        (kept.time.to_string(), kept.zone),
        (shown, chrono_tz::Europe::Berlin)
    );

    let off = ask(&standin, checkin("off", river())).await;
    assert_eq!(content(&off), words().messages.off.plain());
    assert_eq!(store.checkin(river().id).await.unwrap(), None);
    let status = ask(&standin, checkin("status", river())).await;
    assert_eq!(content(&status), words().messages.status_off.plain());
    let off = ask(&standin, checkin("off", river())).await;
    assert_eq!(content(&off), words().messages.off_already.plain());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn time_zones_autocomplete_with_the_local_time_now() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let before = Utc::now();
    let sent = standin.dispatch(
        InteractionSpec::autocomplete("checkin")
            .subcommand("on")
            .focused("timezone", "berl")
            .user(river()),
    );
    let answer = standin.callback(&sent, PATIENCE).await;
    let after = Utc::now();
    assert_eq!(answer.body["type"], 8);
    let choices = answer.body["data"]["choices"].as_array().unwrap();
    assert_eq!(choices[0]["value"], "Europe/Berlin");
    let name = choices[0]["name"].as_str().unwrap();
    // The bot read its clock between these two looks: one of their minutes.
    let clock = [before, after].map(|t| {
        t.with_timezone(&chrono_tz::Europe::Berlin)
            .format("%H:%M")
            .to_string()
    });
    assert!(clock.iter().any(|c| name.contains(c.as_str())), "{name}");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_times_and_zones_get_a_kind_answer_and_change_nothing() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    let berlin = json!("Europe/Berlin");
    let cases = [
        ("25:00", berlin.clone(), "isn't a time on the clock"),
        ("9:61", berlin.clone(), "isn't a time on the clock"),
        ("noon-ish", berlin.clone(), "couldn't read"),
        ("   ", berlin.clone(), "couldn't read"),
        ("21:30", json!("Europe/Berln"), "`Europe/Berlin`"),
        ("21:30", json!("berlin"), "`Europe/Berlin`"),
        ("21:30", json!("EST"), "`America/New_York`"),
        ("21:30", json!("Mars/Olympus"), "start typing your city"),
    ];
    for (time, zone, expected) in cases {
        let answer = ask(
            &standin,
            checkin("on", river())
                .option("time", json!(time))
                .option("timezone", zone.clone()),
        )
        .await;
        assert_private(&answer);
        assert!(
            content(&answer).contains(expected),
            "{time} {zone}: {}",
            content(&answer)
        );
    }
    let bare = ask(&standin, checkin("on", river())).await;
    assert_eq!(content(&bare), m.needs_time.plain());
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.checkin(river().id).await.unwrap(), None);
    assert_eq!(store.dm_channel(river().id).await.unwrap(), None);
    assert!(dm_attempts(&standin, river().id).is_empty());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_check_in_due_in_seconds_arrives_once_with_its_buttons() {
    let dir = tempfile::tempdir().unwrap();
    let due = due_in(dir.path(), river().id, 2).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let sent = wait_dm_attempts(&standin, river().id, 1).await;
    // Past the retries that could bring another: still exactly one.
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dm_attempts(&standin, river().id).len(), 1);
    let body = &sent[0].body;
    assert_eq!(sent[0].status, 200);
    assert!(is_checkin(body, river().id, false), "{body:#}");
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    let ids = button_ids(body);
    let user = river().id;
    for id in [
        format!("checkin:mood:{user}:5"),
        format!("breathe:start:{user}:0"),
        format!("anchors:show:{user}:"),
        format!("checkin:snooze:{user}:"),
        format!("checkin:pause:{user}:"),
        format!("journal:write:{user}:"),
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.checkin(user).await.unwrap().unwrap();
    assert_eq!(
        kept.next_due,
        Some(next_due(kept.zone, kept.time, due)),
        "the next is the first {} after the one just sent ({due})",
        kept.time
    );
    assert_eq!(
        store.dm_channel(user).await.unwrap(),
        Some(standin.dm_channel_of(user)),
        "the DM channel is cached"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_restart_before_it_is_due_still_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    due_in(dir.path(), river().id, 3).await;
    let before = StandIn::start_with(quick()).await;
    Bot::start_in(&before, dir.path(), "")
        .await
        .stop()
        .await
        .unwrap();
    let after = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&after, dir.path(), "").await;
    wait_dm_attempts(&after, river().id, 1).await;
    tokio::time::sleep(PAST_RETRIES).await;
    assert!(dm_attempts(&before, river().id).is_empty());
    assert_eq!(dm_attempts(&after, river().id).len(), 1);
    bot.stop().await.unwrap();
    assert_healthy(&after);
}

#[tokio::test]
async fn two_bots_on_one_database_send_each_check_in_once() {
    let dir = tempfile::tempdir().unwrap();
    let users: Vec<u64> = (1..=12).map(|n| 1_100_000_000_000_001_000 + n).collect();
    for &user in &users {
        due_in(dir.path(), user, 3).await;
    }
    let (one, two) = (
        StandIn::start_with(quick()).await,
        StandIn::start_with(quick()).await,
    );
    let first = Bot::start_in(&one, dir.path(), "").await;
    let second = Bot::start_in(&two, dir.path(), "").await;
    let all_sent = || {
        users
            .iter()
            .map(|&user| dm_attempts(&one, user).len() + dm_attempts(&two, user).len())
            .collect::<Vec<_>>()
    };
    tokio::time::timeout(PATIENCE * 2, async {
        while all_sent().contains(&0) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("some check-ins never arrived");
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(all_sent(), vec![1; users.len()], "each exactly once");
    first.stop().await.unwrap();
    second.stop().await.unwrap();
    assert_healthy(&one);
    assert_healthy(&two);
}

#[tokio::test]
async fn closed_dms_three_times_pause_it_and_it_says_why_once() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    for attempt in 1..=3 {
        due_in(dir.path(), user, 1).await;
        let standin = StandIn::start_with(quick()).await;
        standin.inject(Fault::new(
            route::CREATE_MESSAGE,
            FaultKind::DmClosed { user_id: user },
        ));
        let bot = Bot::start_in(&standin, dir.path(), "").await;
        let refused = wait_dm_attempts(&standin, user, 1).await;
        assert_eq!(refused[0].status, 403);
        // Let the refusal be counted before stopping.
        tokio::time::sleep(Duration::from_millis(200)).await;
        bot.stop().await.unwrap();
        let store = Store::open(&database_url(dir.path())).await.unwrap();
        let paused = store.checkin(user).await.unwrap().unwrap().paused;
        assert_eq!(paused.is_some(), attempt == 3, "attempt {attempt}");
        store.close().await;
        assert_healthy(&standin);
    }
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let kept = store.checkin(user).await.unwrap().unwrap();
    assert_eq!(kept.paused.unwrap().why, PauseReason::DmsClosed);
    assert_eq!(kept.next_due, None);
    store.close().await;

    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    // The next command, whatever it is, is followed by the notice, once.
    let about = standin.dispatch(InteractionSpec::slash("about").user(river()));
    standin.callback(&about, PATIENCE).await;
    let notice = standin
        .wait_for(PATIENCE, |r| {
            r.route == route::FOLLOWUP && r.path.contains(&about.token)
        })
        .await;
    assert_eq!(notice.body["flags"].as_u64().unwrap_or(0) & 64, 64);
    let since = kept.paused.unwrap().since.timestamp();
    let text = notice.body["content"].as_str().unwrap();
    assert!(text.contains(&format!("<t:{since}:D>")), "{text}");
    let status = ask(&standin, checkin("status", river())).await;
    assert!(content(&status).contains("hasn't let me send you a DM"));
    let about = standin.dispatch(InteractionSpec::slash("about").user(river()));
    standin.callback(&about, PATIENCE).await;
    tokio::time::sleep(PAST_RETRIES).await;
    let followups = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::FOLLOWUP)
        .count();
    assert_eq!(followups, 1, "the notice is given once");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn the_dm_buttons_take_a_mood_snooze_and_pause() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    let user = river().id;
    // Half a day away: a snooze then always brings it forward by the hour.
    let time = half_a_day_away(Tz::UTC).format("%H:%M").to_string();
    ask(
        &standin,
        checkin("on", river())
            .option("time", json!(time))
            .option("timezone", json!("UTC")),
    )
    .await;
    let now = ask_deferred(&standin, checkin("now", river()), PATIENCE).await;
    assert_eq!(said(&now), m.now_sent.plain());
    let dm = standin.messages_in(standin.dm_channel_of(user)).remove(0);
    assert!(is_checkin(&dm, user, true), "{dm:#}");
    let id = dm["id"].as_str().unwrap().parse::<u64>().unwrap();
    let press = |custom_id: String, who: UserSpec| {
        standin.dispatch(InteractionSpec::button(id, &custom_id).user(who).in_dm())
    };

    // History is off: the mood is thanked for and not kept.
    let tap = standin
        .callback(
            &press(format!("checkin:mood:{user}:2:now"), river()),
            PATIENCE,
        )
        .await;
    assert_eq!(tap.body["type"], 7, "the check-in itself is updated");
    assert!(content(&tap).contains(&m.mood_heavy.plain()));
    assert!(content(&tap).contains(&m.mood_not_kept.plain()));
    assert!(!content(&tap).contains("**"), "no help lines at 2");
    // The heaviest answer brings the help lines themselves, emergency first.
    let tap = standin
        .callback(
            &press(format!("checkin:mood:{user}:1:now"), river()),
            PATIENCE,
        )
        .await;
    assert_eq!(tap.body["type"], 7);
    let support = Catalog::load(None).unwrap().support;
    let shown = content(&tap);
    assert!(shown.starts_with(&m.mood_heavy.plain()), "{shown}");
    assert!(shown.ends_with(&support.lines_for("en-US")), "{shown}");
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert!(store
        .moods_since(user, Utc::now() - TimeDelta::days(1))
        .await
        .unwrap()
        .is_empty());

    ask(&standin, history("on", river())).await;
    // Two taps on one check-in: the second changes its mood.
    for mood in [5, 4] {
        let tap = standin
            .callback(
                &press(format!("checkin:mood:{user}:{mood}:now"), river()),
                PATIENCE,
            )
            .await;
        assert!(content(&tap).contains(&m.mood_kept.plain()));
    }
    let moods = store
        .moods_since(user, Utc::now() - TimeDelta::days(1))
        .await
        .unwrap();
    assert_eq!(moods.iter().map(|(_, mood)| *mood).collect::<Vec<_>>(), [4]);
    let chart = ask(&standin, history("show", river())).await;
    assert_private(&chart);
    let (name, png) = &chart.attachments[0];
    assert_eq!(name, "mood.png");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    assert_eq!(
        content(&chart),
        m.history_chart.plain(),
        "no count of days beside the chart"
    );

    // Someone else's press changes nothing.
    let stranger = standin
        .callback(&press(format!("checkin:pause:{user}:"), sky()), PATIENCE)
        .await;
    assert_eq!(
        content(&stranger),
        Catalog::load(None).unwrap().errors.not_yours.plain()
    );

    let snooze = standin
        .callback(&press(format!("checkin:snooze:{user}:"), river()), PATIENCE)
        .await;
    assert_eq!(snooze.body["type"], 7);
    let next = store
        .checkin(user)
        .await
        .unwrap()
        .unwrap()
        .next_due
        .unwrap();
    let in_an_hour = Utc::now() + TimeDelta::hours(1);
    assert!((next - in_an_hour).num_seconds().abs() <= 5, "{next}");

    let pause = standin
        .callback(&press(format!("checkin:pause:{user}:"), river()), PATIENCE)
        .await;
    assert_eq!(content(&pause), m.paused.plain());
    let kept = store.checkin(user).await.unwrap().unwrap();
    assert_eq!(kept.paused.map(|p| p.why), Some(PauseReason::Asked));
    let status = ask(&standin, checkin("status", river())).await;
    assert!(
        content(&status).contains("as you asked"),
        "{}",
        content(&status)
    );

    let off = ask(&standin, history("off", river())).await;
    assert!(
        content(&off) == words().messages.history_off.render(&[("count", "1")]),
        "{}",
        content(&off)
    );
    assert!(store
        .moods_since(user, Utc::now() - TimeDelta::days(1))
        .await
        .unwrap()
        .is_empty());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn now_with_closed_dms_shows_the_check_in_privately() {
    let standin = StandIn::start_with(quick()).await;
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::DmClosed {
            user_id: river().id,
        },
    ));
    let bot = Bot::start(&standin).await;
    let shown = ask_deferred(&standin, checkin("now", river()), PATIENCE).await;
    assert_private_data(&shown.body);
    let text = said(&shown);
    assert!(
        text.starts_with(&words().messages.now_dms_closed.plain()),
        "{text}"
    );
    assert!(button_ids(&shown.body).contains(&format!("checkin:mood:{}:3:now", river().id)));
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn under_a_long_global_hold_a_check_in_asked_for_is_told_discord_is_busy() {
    let standin = StandIn::start_with(quick()).await;
    let hold = FaultKind::GlobalRateLimited {
        retry_after: Duration::from_secs(30),
    };
    standin.inject(Fault::once(route::CREATE_MESSAGE, hold));
    let bot = Bot::start(&standin).await;
    let busy = Catalog::load(None).unwrap().errors.busy.plain();
    // The first meets the 429 itself; the next one, the hold it set. Each
    // is deferred at once, and told in its followup, still well within the
    // hold.
    for _ in 0..2 {
        let asked = std::time::Instant::now();
        let told = ask_deferred(&standin, checkin("now", river()), PATIENCE).await;
        assert_private_data(&told.body);
        assert_eq!(said(&told), busy);
        assert!(
            asked.elapsed() < Duration::from_secs(3),
            "{:?}",
            asked.elapsed()
        );
    }
    assert_eq!(standin.count(|r| r.route == route::CREATE_MESSAGE), 1);
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_check_in_asked_for_keeps_a_few_moods_a_day_and_the_daily_one_every_one() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    // The last day already holds as many moods as a check-in asked for
    // may add to.
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    store.set_mood_history(user, true).await.unwrap();
    let earlier = Utc::now() - TimeDelta::hours(1);
    for message in 1..=u64::try_from(ASKED_MOODS_A_DAY).unwrap() {
        store.record_mood(user, 3, earlier, message).await.unwrap();
    }
    store.close().await;
    due_in(dir.path(), user, 1).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    wait_dm_attempts(&standin, user, 1).await;
    ask_deferred(&standin, checkin("now", river()), PATIENCE).await;
    let dms = standin.messages_in(standin.dm_channel_of(user));
    let find = |asked: bool| {
        let dm = dms.iter().find(|dm| is_checkin(dm, user, asked));
        dm.expect("a check-in")["id"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let (daily, asked) = (find(false), find(true));
    let tap = |on: u64, payload: &str| {
        let custom_id = format!("checkin:mood:{user}:{payload}");
        ask(
            &standin,
            InteractionSpec::button(on, &custom_id)
                .user(river())
                .in_dm(),
        )
    };
    let m = words().messages;
    let refused = tap(asked, "4:now").await;
    assert!(content(&refused).contains(&m.mood_day_full.plain()));
    let kept = tap(daily, "4").await;
    assert!(content(&kept).contains(&m.mood_kept.plain()));
    let store = Store::open(&bot.database_url()).await.unwrap();
    let moods = store.moods_since(user, earlier).await.unwrap();
    assert_eq!(moods.len(), usize::try_from(ASKED_MOODS_A_DAY).unwrap() + 1);
    assert_eq!(
        moods.last().map(|(_, mood)| *mood),
        Some(4),
        "the daily one"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
