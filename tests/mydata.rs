//! /mydata end to end: the export carries everything steady keeps, by DM
//! (or privately when DMs are closed); delete asks first, only its owner can
//! confirm, it expires, and afterwards steady keeps nothing of the person.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use harness::{
    ask, ask_deferred, assert_healthy, assert_private, assert_private_data, button_ids, content,
    half_a_day_away, quick, river, said, sky, Bot, GUILD, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn, UserSpec};
use steady::prompts::Catalog;
use steady::store::Store;

fn words() -> steady::prompts::MyData {
    Catalog::load(None).unwrap().mydata
}

fn slash(name: &str, sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash(name)
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

/// Keep an anchor, a check-in and a mood for river; the check-in's time
/// (half a day away, so no check-in arrives mid-test) is returned.
async fn keep_a_little(standin: &StandIn, bot: &Bot) -> String {
    let time = half_a_day_away(chrono_tz::Europe::Berlin)
        .format("%H:%M")
        .to_string();
    ask(
        standin,
        slash("anchors", "add", river()).option("text", json!("I am allowed to rest")),
    )
    .await;
    ask(
        standin,
        slash("checkin", "on", river())
            .option("time", json!(time))
            .option("timezone", json!("Europe/Berlin")),
    )
    .await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    store.set_mood_history(river().id, true).await.unwrap();
    store
        .record_mood(river().id, 4, Utc::now(), 1)
        .await
        .unwrap();
    store.close().await;
    time
}

#[tokio::test]
async fn export_sends_everything_kept_as_a_file_by_dm() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let nothing = ask(&standin, slash("mydata", "export", river())).await;
    assert_eq!(content(&nothing), words().messages.export_nothing.plain());
    let time = keep_a_little(&standin, &bot).await;

    let answer = ask_deferred(&standin, slash("mydata", "export", river()), PATIENCE).await;
    assert_private_data(&answer.body);
    assert_eq!(said(&answer), words().messages.export_sent.plain());
    let dm = standin
        .wait_for(PATIENCE, |r| {
            r.route == route::CREATE_MESSAGE && !r.attachments.is_empty()
        })
        .await;
    assert_eq!(dm.status, 200);
    assert_eq!(
        dm.path,
        format!("/channels/{}/messages", standin.dm_channel_of(river().id))
    );
    assert_eq!(dm.body["allowed_mentions"]["parse"], json!([]));
    let (name, bytes) = &dm.attachments[0];
    assert_eq!(name, "steady-data.json");
    let export: Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(export["user_id"], river().id.to_string());
    assert_eq!(export["anchors"][0]["text"], "I am allowed to rest");
    assert_eq!(export["checkin"]["time"], time);
    assert_eq!(export["checkin"]["zone"], "Europe/Berlin");
    assert_eq!(export["mood_history"], true);
    assert_eq!(export["moods"][0]["mood"], 4);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn export_with_closed_dms_gives_the_file_privately() {
    let standin = StandIn::start_with(quick()).await;
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::DmClosed {
            user_id: river().id,
        },
    ));
    let bot = Bot::start(&standin).await;
    ask(
        &standin,
        slash("anchors", "add", river()).option("text", json!("Still here")),
    )
    .await;
    let answer = ask_deferred(&standin, slash("mydata", "export", river()), PATIENCE).await;
    assert_private_data(&answer.body);
    assert_eq!(said(&answer), words().messages.export_dms_closed.plain());
    let (name, bytes) = &answer.attachments[0];
    assert_eq!(name, "steady-data.json");
    let export: Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(export["anchors"][0]["text"], "Still here");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn delete_asks_first_then_forgets_everything_in_one_go() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let nothing = ask(&standin, slash("mydata", "delete", river())).await;
    assert_eq!(content(&nothing), words().messages.delete_nothing.plain());
    keep_a_little(&standin, &bot).await;
    let store = Store::open(&bot.database_url()).await.unwrap();

    let sent = standin.dispatch(slash("mydata", "delete", river()));
    let asked = standin.callback(&sent, PATIENCE).await;
    assert_private(&asked);
    let ids = button_ids(&asked.body["data"]);
    let confirm = ids
        .iter()
        .find(|id| id.starts_with("mydata:delete:"))
        .unwrap();
    let keep = ids
        .iter()
        .find(|id| id.starts_with("mydata:keep:"))
        .unwrap();

    // "Keep it" and someone else's press change nothing.
    let kept = ask(&standin, InteractionSpec::button(&sent, keep)).await;
    assert_eq!(content(&kept), words().messages.kept.plain());
    let stranger = ask(
        &standin,
        InteractionSpec::button(&sent, confirm).user(sky()),
    )
    .await;
    assert_eq!(
        content(&stranger),
        Catalog::load(None).unwrap().errors.not_yours.plain()
    );
    assert!(store.export(river().id).await.unwrap().is_some());

    // A confirmation older than a minute does nothing either.
    let stale = format!(
        "mydata:delete:{}:{}",
        river().id,
        (Utc::now() - TimeDelta::seconds(1)).timestamp()
    );
    let expired = ask(&standin, InteractionSpec::button(&sent, &stale)).await;
    assert_eq!(content(&expired), words().messages.delete_expired.plain());
    assert!(store.export(river().id).await.unwrap().is_some());

    let done = ask(&standin, InteractionSpec::button(&sent, confirm)).await;
    assert_eq!(done.body["type"], 7);
    let m = words().messages;
    let deleted = m.deleted.render(&[
        ("anchors", "1"),
        ("checkin", &m.checkin_yes.plain()),
        ("journal", "0"),
        ("moods", "1"),
        ("urges", "0"),
    ]);
    assert_eq!(content(&done), deleted);
    assert_eq!(store.export(river().id).await.unwrap(), None);
    assert_eq!(store.checkin(river().id).await.unwrap(), None);
    assert!(store.anchors(river().id).await.unwrap().is_empty());
    assert_eq!(store.next_due().await.unwrap(), None);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn delete_ends_a_running_exercise() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, "[breathe]\nlead_in_seconds = 0\n").await;
    ask(
        &standin,
        slash("anchors", "add", river()).option("text", json!("Breathe")),
    )
    .await;
    let breathing = harness::breathing_under_way(&standin).await;
    let sent = standin.dispatch(slash("mydata", "delete", river()));
    let asked = standin.callback(&sent, PATIENCE).await;
    let ids = button_ids(&asked.body["data"]);
    let confirm = ids
        .iter()
        .find(|id| id.starts_with("mydata:delete:"))
        .unwrap();
    ask(&standin, InteractionSpec::button(&sent, confirm)).await;
    // The exercise says its last words (Stopped) and edits no more.
    let last = standin.next_original_edit(&breathing, PATIENCE).await;
    let last_words = Catalog::load(None)
        .unwrap()
        .breathing
        .messages
        .stopped
        .plain();
    tokio::time::timeout(PATIENCE, async {
        let mut edit = last;
        while edit.body["content"].as_str() != Some(&last_words) {
            edit = standin.next_original_edit(&breathing, PATIENCE).await;
        }
    })
    .await
    .expect("the exercise never ended");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn an_export_asked_again_and_again_is_held_before_anything_is_read() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    // Three at once, each read (nothing is kept)...
    for _ in 0..3 {
        let nothing = ask(&standin, slash("mydata", "export", river())).await;
        assert_eq!(content(&nothing), m.export_nothing.plain());
    }
    // ...and the fourth is held before the read: it says when, not what.
    let held = ask(&standin, slash("mydata", "export", river())).await;
    assert_private(&held);
    let errors = Catalog::load(None).unwrap().errors;
    let said = errors.slow_down.render(&[("when", "<t:")]);
    let before_when = said.split("<t:").next().unwrap();
    assert!(
        content(&held).starts_with(before_when),
        "{}",
        content(&held)
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
