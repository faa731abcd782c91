//! /journal remind end to end through the stand-in: on, off and status,
//! privately, with the evening and the check-in's zone filling in what was
//! left out, kind refusals that change nothing; the evening DM itself, due
//! seconds ahead (prepared in the database), arriving once with a button
//! that opens the journal's form, across a restart too; nothing once it is
//! off; closed DMs pausing it, which status says; and /mydata deleting it.
//! The store's side, on both backends, and the clock changes are in
//! `journal_reminders_store.rs`.

mod harness;
mod standin;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use harness::{
    ask, assert_healthy, assert_private, button_ids, content, database_url, half_a_day_away, quick,
    river, time_of, Bot, GUILD, PAST_RETRIES, PATIENCE,
};
use serde_json::json;
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, StandIn, UserSpec};
use std::path::Path;
use std::time::Duration;
use steady::daily::due::next_due;
use steady::daily::time::TimeOfDay;
use steady::journal::Prompt;
use steady::prompts::{Catalog, JournalRemind};
use steady::store::Store;

fn words() -> JournalRemind {
    Catalog::load(None).unwrap().journal_remind
}

fn remind(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("journal")
        .group("remind")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

/// Make `user`'s reminder (set half a day away, so its own time never falls
/// due during the test) due `secs` seconds from now, straight in the
/// database the bot in `dir` will use; return that instant. Times are whole
/// minutes, so the instant is written in place, as a restart would find it.
async fn due_in(dir: &Path, user: u64, secs: i64) -> DateTime<Utc> {
    let store = Store::open(&database_url(dir)).await.unwrap();
    let now = Utc::now();
    if store.journal_reminder(user).await.unwrap().is_none() {
        let time = time_of(half_a_day_away(Tz::UTC));
        let set = store.set_journal_reminder(user, time, Tz::UTC, "en-US", now);
        set.await.unwrap();
    }
    let due = now + TimeDelta::seconds(secs);
    sqlx::query("UPDATE journal_reminders SET next_due = ? WHERE user_id = ?")
        .bind(due.timestamp())
        .bind(i64::try_from(user).unwrap())
        .execute(store.sqlite().unwrap())
        .await
        .unwrap();
    store.close().await;
    DateTime::from_timestamp(due.timestamp(), 0).unwrap()
}

/// Seconds ahead a reminder is made due when the test must act before it:
/// room for a bot to start and answer on a busy machine.
const BEFORE_IT_IS_DUE: i64 = 8;

/// Sleep until past `due` and every retry that could follow it.
async fn past_retries_after(due: DateTime<Utc>) {
    let until = (due - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(until + PAST_RETRIES).await;
}

/// The DMs (tried, answered or not) a stand-in received for `user`.
fn dm_attempts(standin: &StandIn, user: u64) -> Vec<Recorded> {
    let path = format!("/channels/{}/messages", standin.dm_channel_of(user));
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

#[tokio::test]
async fn on_and_off_are_private_fill_in_the_evening_and_the_check_in_s_zone() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let m = words().messages;
    let user = river().id;

    // No zone typed, none kept, no check-in: asked for, nothing kept.
    let bare = ask(&standin, remind("on", river())).await;
    assert_private(&bare);
    assert_eq!(content(&bare), m.needs_zone.plain());
    assert_eq!(store.journal_reminder(user).await.unwrap(), None);

    let on = ask(
        &standin,
        remind("on", river())
            .option("time", json!("9:30pm"))
            .option("timezone", json!("Europe/Berlin")),
    )
    .await;
    assert_private(&on);
    let kept = store.journal_reminder(user).await.unwrap().expect("kept");
    assert_eq!(kept.time.to_string(), "21:30");
    assert_eq!(kept.zone, chrono_tz::Europe::Berlin);
    let due = kept.next_due.unwrap();
    // An instant of 21:30 in Berlin: the next one a second before it is it.
    assert_eq!(
        next_due(kept.zone, kept.time, due - TimeDelta::seconds(1)),
        due
    );
    let said = content(&on);
    for part in [
        "21:30",
        "Europe/Berlin",
        &format!("<t:{}:F>", due.timestamp()),
    ] {
        assert!(said.contains(part), "{part}: {said}");
    }
    let status = ask(&standin, remind("status", river())).await;
    assert_private(&status);
    let (when, relative) = (
        format!("<t:{}:F>", due.timestamp()),
        format!("<t:{}:R>", due.timestamp()),
    );
    assert_eq!(
        content(&status),
        m.status_on.render(&[
            ("time", "21:30"),
            ("zone", "Europe/Berlin"),
            ("when", &when),
            ("relative", &relative),
        ])
    );

    // Only a time: the zone kept stays.
    ask(
        &standin,
        remind("on", river()).option("time", json!("20:00")),
    )
    .await;
    let kept = store.journal_reminder(user).await.unwrap().unwrap();
    assert_eq!(
        (kept.time.to_string(), kept.zone),
        ("20:00".to_owned(), chrono_tz::Europe::Berlin)
    );

    let off = ask(&standin, remind("off", river())).await;
    assert_private(&off);
    assert_eq!(content(&off), m.off.plain());
    assert_eq!(store.journal_reminder(user).await.unwrap(), None);
    let again = ask(&standin, remind("off", river())).await;
    assert_eq!(content(&again), m.off_already.plain());
    let status = ask(&standin, remind("status", river())).await;
    assert_private(&status);
    assert_eq!(content(&status), m.status_off.plain());

    // Nothing typed, with a check-in: the evening, in the check-in's zone.
    let time = TimeOfDay::new(8, 0).unwrap();
    store
        .set_checkin(
            user,
            time,
            chrono_tz::America::New_York,
            "en-US",
            Utc::now(),
        )
        .await
        .unwrap();
    ask(&standin, remind("on", river())).await;
    let kept = store.journal_reminder(user).await.unwrap().unwrap();
    assert_eq!(kept.time, TimeOfDay::new(21, 0).unwrap());
    assert_eq!(kept.zone, chrono_tz::America::New_York);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_times_and_zones_get_a_kind_answer_and_change_nothing() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let cases = [
        ("25:00", "Europe/Berlin", "isn't a time on the clock"),
        ("evening", "Europe/Berlin", "couldn't read"),
        ("21:30", "Europe/Berln", "`Europe/Berlin`"),
        ("21:30", "Mars/Olympus", "start typing your city"),
    ];
    for (time, zone, expected) in cases {
        let answer = ask(
            &standin,
            remind("on", river())
                .option("time", json!(time))
                .option("timezone", json!(zone)),
        )
        .await;
        assert_private(&answer);
        assert!(
            content(&answer).contains(expected),
            "{time} {zone}: {}",
            content(&answer)
        );
    }
    assert_eq!(store.journal_reminder(river().id).await.unwrap(), None);
    assert!(dm_attempts(&standin, river().id).is_empty());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_reminder_due_in_seconds_arrives_once_and_its_button_opens_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    let due = due_in(dir.path(), user, 2).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let sent = wait_dm_attempts(&standin, user, 1).await;
    // Past the retries that could bring another: still exactly one.
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(dm_attempts(&standin, user).len(), 1);
    let body = &sent[0].body;
    assert_eq!(sent[0].status, 200);
    let text = body["content"].as_str().unwrap();
    assert!(
        words().variants.iter().any(|v| v.plain() == text),
        "{body:#}"
    );
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    // The question of the day where and when it was due.
    let prompt = Prompt::of_the_day(due, &Tz::UTC);
    let button = format!("journal:write:{user}:{}", prompt.key());
    assert_eq!(button_ids(body), vec![button.clone()]);

    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.journal_reminder(user).await.unwrap().unwrap();
    assert_eq!(
        kept.next_due,
        Some(next_due(kept.zone, kept.time, due)),
        "the next is the first {} after the one just sent ({due})",
        kept.time
    );

    let dm = standin.messages_in(standin.dm_channel_of(user)).remove(0);
    let id = dm["id"].as_str().unwrap().parse::<u64>().unwrap();
    let press = InteractionSpec::button(id, &button).user(river()).in_dm();
    let form = ask(&standin, press).await;
    assert_eq!(form.body["type"], 9, "a form: {:#}", form.body);
    assert_eq!(form.body["data"]["custom_id"], json!(button));
    let journal = Catalog::load(None).unwrap().journal;
    assert_eq!(
        form.body["data"]["title"],
        json!(journal.prompt(prompt).name.plain())
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_restart_before_it_is_due_still_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    due_in(dir.path(), user, 3).await;
    let before = StandIn::start_with(quick()).await;
    Bot::start_in(&before, dir.path(), "")
        .await
        .stop()
        .await
        .unwrap();
    let after = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&after, dir.path(), "").await;
    wait_dm_attempts(&after, user, 1).await;
    tokio::time::sleep(PAST_RETRIES).await;
    assert!(dm_attempts(&before, user).is_empty());
    assert_eq!(dm_attempts(&after, user).len(), 1);
    bot.stop().await.unwrap();
    assert_healthy(&after);
}

#[tokio::test]
async fn off_before_it_is_due_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    let due = due_in(dir.path(), user, BEFORE_IT_IS_DUE).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let off = ask(&standin, remind("off", river())).await;
    assert_eq!(content(&off), words().messages.off.plain());
    assert!(Utc::now() < due, "off came after the reminder was due");
    past_retries_after(due).await;
    assert!(dm_attempts(&standin, user).is_empty());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn closed_dms_three_times_pause_it_and_it_says_so_once() {
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
        assert_eq!(
            dm_attempts(&standin, user).len(),
            1,
            "a refusal is not retried"
        );
        let store = Store::open(&database_url(dir.path())).await.unwrap();
        let kept = store.journal_reminder(user).await.unwrap().unwrap();
        assert_eq!(
            kept.paused_since.is_some(),
            attempt == 3,
            "attempt {attempt}"
        );
        assert_eq!(kept.next_due.is_none(), attempt == 3, "attempt {attempt}");
        store.close().await;
        assert_healthy(&standin);
    }
    // The next command, whatever it is, is followed by the notice, once.
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let since = store
        .journal_reminder(user)
        .await
        .unwrap()
        .unwrap()
        .paused_since
        .unwrap();
    store.close().await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    for _ in 0..2 {
        let about = standin.dispatch(InteractionSpec::slash("about").user(river()));
        standin.callback(&about, PATIENCE).await;
    }
    let notice = standin
        .wait_for(PATIENCE, |r| r.route == route::FOLLOWUP)
        .await;
    assert_eq!(notice.body["flags"].as_u64().unwrap_or(0) & 64, 64);
    let text = notice.body["content"].as_str().unwrap();
    let shown = format!("<t:{}:D>", since.timestamp());
    assert_eq!(
        text,
        words()
            .messages
            .notice_dms_closed
            .render(&[("since", &shown)])
    );
    tokio::time::sleep(PAST_RETRIES).await;
    let followups = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::FOLLOWUP)
        .count();
    assert_eq!(followups, 1, "the notice is given once");
    // Status says it is paused, and since when.
    let status = ask(&standin, remind("status", river())).await;
    assert_private(&status);
    assert_eq!(
        content(&status),
        words().messages.status_paused.render(&[("since", &shown)])
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);

    // Turned on again, it runs again.
    let store = Store::open(&database_url(dir.path())).await.unwrap();
    let time = TimeOfDay::new(21, 0).unwrap();
    store
        .set_journal_reminder(user, time, Tz::UTC, "en-US", Utc::now())
        .await
        .unwrap();
    let kept = store.journal_reminder(user).await.unwrap().unwrap();
    assert_eq!((kept.paused_since, kept.next_due.is_some()), (None, true));
    store.close().await;
}

#[tokio::test]
async fn mydata_delete_removes_the_reminder_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let user = river().id;
    let due = due_in(dir.path(), user, BEFORE_IT_IS_DUE).await;
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let delete = InteractionSpec::slash("mydata")
        .subcommand("delete")
        .in_guild(GUILD)
        .user(river());
    let sent = standin.dispatch(delete);
    let asked = standin.callback(&sent, PATIENCE).await;
    let confirm = button_ids(&asked.body["data"])
        .into_iter()
        .find(|id| id.starts_with("mydata:delete:"))
        .expect("a confirm button");
    let done = ask(&standin, InteractionSpec::button(&sent, &confirm)).await;
    assert_eq!(done.body["type"], 7);
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.journal_reminder(user).await.unwrap(), None);
    assert_eq!(store.export(user).await.unwrap(), None);
    assert!(
        Utc::now() < due,
        "the delete came after the reminder was due"
    );
    past_retries_after(due).await;
    assert!(dm_attempts(&standin, user).is_empty());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
