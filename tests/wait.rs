//! /wait end to end through the stand-in. A minute of waiting lasts a tenth
//! of a second here (`wait.minute_ms`), so a "10-minute" wait ends in a
//! second: its end comes once by DM with its buttons, "10 more minutes"
//! brings another, "I'm okay now" means none comes, a restart mid-wait still
//! brings it once, and closed DMs are told before anything begins.

mod harness;
mod standin;

use chrono::{DateTime, TimeDelta};
use harness::{
    ask, assert_healthy, assert_private, button_ids, content, database_url, river, sky, Bot, GUILD,
    PAST_RETRIES, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use std::time::Duration;
use steady::prompts::{Catalog, Wait as Words};
use steady::store::Store;

/// A minute of waiting, in these tests: 10 "minutes" are one second.
const SHORT: &str = "[wait]\nminute_ms = 100\n[breathe]\nlead_in_seconds = 0\n";

fn words() -> Words {
    Catalog::load(None).unwrap().wait
}

/// `/wait` by `who` in the shared server; `minutes` is the choice's index.
fn wait(who: UserSpec, minutes: Option<u64>) -> InteractionSpec {
    let spec = InteractionSpec::slash("wait").in_guild(GUILD).user(who);
    match minutes {
        Some(index) => spec.option("minutes", json!(index)),
        None => spec,
    }
}

/// Ask for a wait and return the interaction and its answer, once the
/// deferred acknowledgement (private) has been replaced.
async fn begin(standin: &StandIn, spec: InteractionSpec) -> (Sent, Value) {
    let sent = standin.dispatch(spec);
    let ack = standin.callback(&sent, PATIENCE).await;
    assert_eq!(ack.body["type"], 5, "deferred: {:#}", ack.body);
    assert_eq!(ack.body["data"]["flags"], 64, "private");
    let edit = standin.next_original_edit(&sent, PATIENCE).await;
    assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]));
    (sent, edit.body)
}

/// The messages in `user`'s DMs so far, oldest first.
fn dms(standin: &StandIn, user: u64) -> Vec<Value> {
    standin.messages_in(standin.dm_channel_of(user))
}

/// Wait until `user` has `count` DMs, and return them.
async fn wait_dms(standin: &StandIn, user: u64, count: usize) -> Vec<Value> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let dms = dms(standin, user);
            if dms.len() >= count {
                return dms;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("expected {count} DMs, got {:#?}", dms(standin, user)))
}

/// The name of the wait in its buttons: its start, in seconds.
fn started_of(body: &Value, action: &str) -> String {
    let prefix = format!("wait:{action}:{}:", river().id);
    let id = button_ids(body)
        .into_iter()
        .find(|id| id.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {action} button: {body:#}"));
    let payload = &id[prefix.len()..];
    payload.split('.').next().unwrap().to_owned()
}

fn id_of(message: &Value) -> u64 {
    message["id"].as_str().unwrap().parse().unwrap()
}

/// Press `custom_id` on a message of river's DMs.
async fn press_dm(standin: &StandIn, message: &Value, custom_id: &str) -> Recorded {
    let spec = InteractionSpec::button(id_of(message), custom_id)
        .user(river())
        .in_dm();
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

/// Press `custom_id` on an interaction's answer, as `who`.
async fn press(standin: &StandIn, on: &Sent, custom_id: &str, who: UserSpec) -> Recorded {
    let spec = InteractionSpec::button(on, custom_id)
        .in_guild(GUILD)
        .user(who);
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

fn end_text(words: &Words, minutes: u32) -> String {
    let minutes = words.minutes.render(minutes);
    words.messages.end.render(&[("minutes", &minutes)])
}

/// What a wait's first screen says after its end's clock time.
fn after_time(text: &steady::prompts::Text) -> String {
    text.plain().rsplit("{time}").next().unwrap().to_owned()
}

fn is_end(message: &Value, minutes: u32) -> bool {
    let text = message["content"].as_str().unwrap_or("");
    text.starts_with(&end_text(&words(), minutes))
        && button_ids(message).contains(&format!(
            "wait:more:{}:{}",
            river().id,
            started_of(message, "more")
        ))
}

#[tokio::test]
async fn a_wait_ends_with_one_dm_that_asks_what_would_help() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let words = words();
    let (_, answer) = begin(&standin, wait(river(), Some(0))).await;
    let text = answer["content"].as_str().unwrap();
    let minutes = words.minutes.render(10);
    let intro =
        words
            .messages
            .start
            .render(&[("minutes", &minutes), ("relative", "<t:"), ("time", "<t:")]);
    let before_end = intro.split("<t:").next().unwrap();
    assert!(text.starts_with(before_end), "{text}");
    let closing = after_time(&words.messages.start);
    assert!(closing.contains("/support"), "{closing}");
    assert!(
        text.contains(&closing),
        "help is never something to wait for: {text}"
    );
    assert!(
        text.contains(&words.messages.urge_question.plain()),
        "{text}"
    );
    let ids = button_ids(&answer);
    let started = started_of(&answer, "okay");
    for tap in 1..=5 {
        assert!(
            ids.contains(&format!("wait:urge:{}:{started}.{tap}", river().id)),
            "{ids:?}"
        );
    }
    assert!(ids.contains(&format!("breathe:start:{}:1", river().id)));
    assert!(ids.contains(&format!("ground:start:{}:1", river().id)));
    assert!(ids.contains(&format!("anchors:show:{}:", river().id)));
    // The end's instant, as steady keeps it, is the one the answer shows.
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.wait(river().id).await.unwrap().expect("a wait");
    assert_eq!(kept.started.timestamp().to_string(), started);
    assert_eq!(kept.ends - kept.started, TimeDelta::seconds(1));
    assert!(
        text.contains(&format!("<t:{}:R>", kept.ends.timestamp())),
        "{text}"
    );

    // First the DM that says where the end will come, then the end itself.
    let first = wait_dms(&standin, river().id, 1).await;
    assert!(first[0]["content"]
        .as_str()
        .unwrap()
        .contains(&format!("<t:{}:t>", kept.ends.timestamp())));
    let both = wait_dms(&standin, river().id, 2).await;
    let end = &both[1];
    assert!(is_end(end, 10), "{end:#}");
    assert!(
        end["content"].as_str().unwrap().contains("/support"),
        "{end:#}"
    );
    let end_ids = button_ids(end);
    for action in ["send", "more"] {
        assert!(
            end_ids.contains(&format!("wait:{action}:{}:{started}", river().id)),
            "{end_ids:?}"
        );
    }
    assert!(end_ids.contains(&format!("wait:after:{}:{started}.3", river().id)));
    assert!(end["content"]
        .as_str()
        .unwrap()
        .contains(&words.messages.urge_now.plain()));
    // Once: nothing more comes, and the wait is no longer due.
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dms(&standin, river().id).len(), 2);
    assert_eq!(store.wait(river().id).await.unwrap().unwrap().due, None);

    // "I still want to send it, and that's okay": no judgement, and the
    // wait is gone.
    let chose = press_dm(
        &standin,
        end,
        &format!("wait:send:{}:{started}", river().id),
    )
    .await;
    assert_eq!(chose.body["type"], 7);
    assert_eq!(content(&chose), words.messages.send.plain());
    assert!(content(&chose).contains("/support"));
    assert_eq!(store.wait(river().id).await.unwrap(), None);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn ten_more_minutes_brings_one_more_end() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let words = words();
    let (_, answer) = begin(&standin, wait(river(), Some(0))).await;
    let started = started_of(&answer, "okay");
    let end = wait_dms(&standin, river().id, 2).await.remove(1);
    let more = press_dm(
        &standin,
        &end,
        &format!("wait:more:{}:{started}", river().id),
    )
    .await;
    assert_eq!(more.body["type"], 7);
    let said = content(&more);
    let until = said.split("<t:").nth(1).unwrap().split(':').next().unwrap();
    let until: i64 = until.parse().unwrap();
    assert_eq!(
        said,
        words.messages.more.render(&[
            ("relative", &format!("<t:{until}:R>")),
            ("time", &format!("<t:{until}:t>")),
        ])
    );
    let three = wait_dms(&standin, river().id, 3).await;
    assert!(is_end(&three[2], 10), "{:#}", three[2]);
    // Its own message, not the first end again.
    assert_ne!(three[1]["id"], three[2]["id"]);
    let nonces: Vec<Value> = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE)
        .map(|r| r.body["nonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 3);
    assert_ne!(nonces[1], nonces[2]);
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dms(&standin, river().id).len(), 3);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn i_m_okay_now_ends_it_and_no_dm_comes() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let words = words();
    // Thirty "minutes" (3 s): room for the press to land first on a busy
    // machine; the end would be due then, and the check below waits past it.
    let asked = tokio::time::Instant::now();
    let (sent, answer) = begin(&standin, wait(river(), Some(2))).await;
    let started = started_of(&answer, "okay");
    let okay = press(
        &standin,
        &sent,
        &format!("wait:okay:{}:{started}", river().id),
        river(),
    )
    .await;
    assert_eq!(okay.body["type"], 7);
    assert!(content(&okay).starts_with(&words.messages.okay.plain()));
    assert!(content(&okay).contains("/support"));
    // Only the first DM: the end never comes, past its due time and the
    // scheduler's first retry.
    tokio::time::sleep_until(asked + Duration::from_millis(4_500)).await;
    assert_eq!(dms(&standin, river().id).len(), 1);
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.wait(river().id).await.unwrap(), None);
    // Its buttons now say kindly that it has ended.
    let late = press(
        &standin,
        &sent,
        &format!("wait:urge:{}:{started}.2", river().id),
        river(),
    )
    .await;
    assert_private(&late);
    assert_eq!(content(&late), words.messages.finished.plain());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_restart_mid_wait_still_brings_its_end_once() {
    let dir = tempfile::tempdir().unwrap();
    // Ten "minutes" are three seconds: long enough to stop and start again.
    let slower = "[wait]\nminute_ms = 300\n";
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), slower).await;
    let (_, answer) = begin(&standin, wait(river(), Some(0))).await;
    let started = started_of(&answer, "okay");
    wait_dms(&standin, river().id, 1).await;
    bot.stop().await.unwrap();

    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let kept = store
        .wait(river().id)
        .await
        .unwrap()
        .expect("kept across the stop");
    assert!(kept.due.is_some());
    store.close().await;
    let bot = Bot::start_in(&standin, dir.path(), slower).await;
    let both = wait_dms(&standin, river().id, 2).await;
    assert!(is_end(&both[1], 10), "{:#}", both[1]);
    assert_eq!(started_of(&both[1], "more"), started);
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dms(&standin, river().id).len(), 2);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn an_end_whose_answer_was_lost_is_still_one_message() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let (_, _answer) = begin(&standin, wait(river(), Some(0))).await;
    wait_dms(&standin, river().id, 1).await;
    // The end is made, then its answer is lost: steady cannot know, and
    // tries again with the same nonce.
    standin.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::AnswerLost));
    let both = wait_dms(&standin, river().id, 2).await;
    assert!(is_end(&both[1], 10));
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dms(&standin, river().id).len(), 2);
    let tries: Vec<Recorded> = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE)
        .collect();
    assert!(tries.len() >= 3, "tried again: {}", tries.len());
    assert_eq!(tries[1].body["nonce"], tries[2].body["nonce"]);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn closed_dms_are_told_first_and_a_wait_here_ends_on_its_message() {
    let standin = StandIn::start_with(harness::quick()).await;
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::DmClosed {
            user_id: river().id,
        },
    ));
    let bot = Bot::start_with(&standin, SHORT).await;
    let words = words();
    let (sent, answer) = begin(&standin, wait(river(), None)).await;
    assert_eq!(answer["content"], json!(words.messages.dms_closed.plain()));
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.wait(river().id).await.unwrap(), None, "nothing began");

    let here = press(
        &standin,
        &sent,
        &format!("wait:here:{}:1", river().id),
        river(),
    )
    .await;
    assert_eq!(here.body["type"], 7);
    let text = content(&here);
    let minutes = words.minutes.render(10);
    assert!(
        text.starts_with(
            words
                .messages
                .here
                .render(&[("minutes", &minutes), ("relative", "<t:"), ("time", "")])
                .split("<t:")
                .next()
                .unwrap()
        ),
        "{text}"
    );
    let closing = after_time(&words.messages.here);
    assert!(closing.contains("/support"), "{closing}");
    assert!(text.contains(&closing), "{text}");
    let kept = store.wait(river().id).await.unwrap().expect("a wait here");
    assert!(kept.on_message.is_some());
    // The end replaces that message; no DM is tried.
    let message = id_of(&standin.original(&sent).unwrap());
    let ended = tokio::time::timeout(PATIENCE, async {
        loop {
            let now = standin.message(message).unwrap();
            if is_end(&now, 10) {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the end on the message");
    assert_eq!(ended["flags"].as_u64().unwrap() & 64, 64, "still private");
    let tried = standin.count(|r| r.route == route::CREATE_MESSAGE);
    assert_eq!(tried, 1, "only the first DM, refused");
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn one_wait_at_a_time_and_only_its_owner_presses_its_buttons() {
    let standin = StandIn::start_with(harness::quick()).await;
    // A real minute: nothing ends while this test runs.
    let bot = Bot::start(&standin).await;
    let words = words();
    let (sent, answer) = begin(&standin, wait(river(), Some(1))).await;
    let started = started_of(&answer, "okay");
    let store = Store::open(&bot.database_url()).await.unwrap();
    let first = store.wait(river().id).await.unwrap().unwrap();
    assert_eq!(first.minutes, 20);

    // Someone else's press changes nothing.
    let theirs = press(
        &standin,
        &sent,
        &format!("wait:okay:{}:{started}", river().id),
        sky(),
    )
    .await;
    assert_private(&theirs);
    assert_eq!(store.wait(river().id).await.unwrap(), Some(first.clone()));

    // A second wait is offered, not started.
    let second = ask(&standin, wait(river(), Some(2))).await;
    assert_private(&second);
    let offer = content(&second);
    let relative = format!("<t:{}:R>", first.ends.timestamp());
    assert_eq!(
        offer,
        words.messages.already.render(&[("relative", &relative)])
    );
    let ids = button_ids(&second.body["data"]);
    assert!(
        ids.contains(&format!("wait:replace:{}:30.1", river().id)),
        "{ids:?}"
    );
    assert_eq!(store.wait(river().id).await.unwrap(), Some(first.clone()));

    // A tap on the urge is kept with the wait.
    let tap = press(
        &standin,
        &sent,
        &format!("wait:urge:{}:{started}.4", river().id),
        river(),
    )
    .await;
    assert_eq!(tap.body["type"], 7);
    assert_eq!(
        store.wait(river().id).await.unwrap().unwrap().urge_before,
        Some(4)
    );
    bot.stop().await.unwrap();
    store.close().await;
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_new_wait_replaces_the_running_one_when_asked() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start(&standin).await;
    let (_, _) = begin(&standin, wait(river(), Some(1))).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let first = store.wait(river().id).await.unwrap().unwrap();
    let offer = standin.dispatch(wait(river(), Some(3)));
    standin.callback(&offer, PATIENCE).await;
    // "Keep the one I have" keeps it.
    let keep = press(
        &standin,
        &offer,
        &format!("wait:keep:{}:", river().id),
        river(),
    )
    .await;
    assert_eq!(keep.body["type"], 7);
    assert_eq!(store.wait(river().id).await.unwrap(), Some(first.clone()));
    // "Start a new wait" begins the hour asked for, in place of the first.
    let replace = InteractionSpec::button(&offer, &format!("wait:replace:{}:60.1", river().id))
        .in_guild(GUILD)
        .user(river());
    let (_, answer) = begin(&standin, replace).await;
    let now = store.wait(river().id).await.unwrap().unwrap();
    assert_eq!(now.minutes, 60);
    assert_eq!(
        started_of(&answer, "okay"),
        now.started.timestamp().to_string()
    );
    bot.stop().await.unwrap();
    store.close().await;
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_lengths_and_forged_buttons_are_refused_kindly_and_change_nothing() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start(&standin).await;
    let words = words();
    let errors = Catalog::load(None).unwrap().errors;
    // Only a changed client can send a length that is not a choice.
    let odd = ask(&standin, wait(river(), Some(7))).await;
    assert_private(&odd);
    assert_eq!(content(&odd), words.messages.bad_minutes.plain());
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.wait(river().id).await.unwrap(), None);

    let (sent, answer) = begin(&standin, wait(river(), None)).await;
    let started = started_of(&answer, "okay");
    let before = store.wait(river().id).await.unwrap();
    let user = river().id;
    for forged in [
        format!("wait:urge:{user}:{started}.9"),
        format!("wait:urge:{user}:{started}"),
        format!("wait:okay:{user}:soon"),
        format!("wait:replace:{user}:45.1"),
        format!("wait:nothing:{user}:{started}"),
    ] {
        let refused = press(&standin, &sent, &forged, river()).await;
        assert_private(&refused);
        assert_eq!(content(&refused), errors.expired.plain(), "{forged}");
    }
    // A wait that is not this one (an older one, long gone) has ended.
    let gone = press(
        &standin,
        &sent,
        &format!("wait:more:{user}:1700000000"),
        river(),
    )
    .await;
    assert_private(&gone);
    assert_eq!(content(&gone), words.messages.finished.plain());
    assert_eq!(store.wait(river().id).await.unwrap(), before);
    bot.stop().await.unwrap();
    store.close().await;
    assert_healthy(&standin);
}

#[tokio::test]
async fn someone_who_keeps_a_history_sees_how_the_urge_usually_changed() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    store.set_mood_history(user, true).await.unwrap();
    // Three past waits: from 5, 4 and 4 down to 2, 3 and 2.
    let past = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    for (i, (before, after)) in [(5, 2), (4, 3), (4, 2)].into_iter().enumerate() {
        let started = past + TimeDelta::hours(i as i64);
        store
            .start_wait(&steady::store::Wait {
                user,
                started,
                minutes: 20,
                ends: started + TimeDelta::minutes(20),
                due: Some(started + TimeDelta::minutes(20)),
                urge_before: None,
                private: true,
                locale: "en-US".to_owned(),
                on_message: None,
            })
            .await
            .unwrap();
        assert!(store.wait_urge(user, started, before).await.unwrap());
        assert!(store.urge_after(user, started, after).await.unwrap());
        assert!(store.end_wait(user, started).await.unwrap());
    }
    store.close().await;
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let (_, answer) = begin(&standin, wait(river(), None)).await;
    let history =
        words()
            .messages
            .history
            .render(&[("count", "3"), ("before", "4"), ("after", "2")]);
    let text = answer["content"].as_str().unwrap();
    assert!(text.contains(&history), "{text}");
    // Shared in the channel, it is never shown.
    let shared = wait(river(), None).option("private", json!(false));
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    store
        .end_wait(user, store.wait(user).await.unwrap().unwrap().started)
        .await
        .unwrap();
    let (_, answer) = begin_public(&standin, shared).await;
    assert!(!answer["content"].as_str().unwrap().contains(&history));
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// As [`begin`], for a wait shared in the channel.
async fn begin_public(standin: &StandIn, spec: InteractionSpec) -> (Sent, Value) {
    let sent = standin.dispatch(spec);
    let ack = standin.callback(&sent, PATIENCE).await;
    assert_eq!(ack.body["type"], 5, "deferred: {:#}", ack.body);
    assert_eq!(ack.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 0);
    let edit = standin.next_original_edit(&sent, PATIENCE).await;
    (sent, edit.body)
}

#[tokio::test]
async fn a_wait_and_its_end_speak_the_language_it_was_asked_in() {
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let german = steady::prompts::Catalogs::load(None)
        .unwrap()
        .get(steady::prompts::Locale::German)
        .wait
        .clone();
    assert_ne!(german.messages.end.plain(), words().messages.end.plain());
    let (_, answer) = begin(&standin, wait(river(), Some(0)).locale("de")).await;
    let text = answer["content"].as_str().unwrap();
    assert!(
        text.contains(&german.messages.urge_question.plain()),
        "{text}"
    );
    let end = wait_dms(&standin, river().id, 2).await.remove(1);
    let minutes = german.minutes.render(10);
    let expected = german.messages.end.render(&[("minutes", &minutes)]);
    assert!(
        end["content"].as_str().unwrap().starts_with(&expected),
        "{end:#}"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
