//! "Write it here instead" inside /wait, end to end through the stand-in:
//! a draft written in a modal while a wait runs, replaced by a second, kept
//! sealed and never sent; the end offers it back privately (show, keep in
//! the journal, delete); a shared wait never shows it in the channel; only
//! its owner's presses count; and its words never reach the log. Waits are
//! short here (`wait.minute_ms`); the day after which an unkept draft goes
//! is the store's maths, checked here on the stored instant and by
//! `tests/wait_draft_store.rs` with a clock the test moves.

mod harness;
mod standin;

use harness::{
    assert_healthy, assert_private, assert_private_data, button_ids, capture_logs_as_production,
    content, logs, river, sky, Bot, GUILD, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use std::time::Duration;
use steady::prompts::{Catalog, Wait as Words};
use steady::store::{JournalKind, Store, DRAFT_MAX_CHARS, KEEP_DRAFT};

/// A minute of waiting: 30 "minutes" are six seconds, room to write twice.
const SHORT: &str = "[wait]\nminute_ms = 200\n";
/// Words nobody else writes: they must never reach the log or a channel.
const CANARY: &str = "canary-draft-Vb8q";

fn words() -> Words {
    Catalog::load(None).unwrap().wait
}

/// `/wait` of 30 minutes by river in the shared server.
fn wait(private: bool) -> InteractionSpec {
    InteractionSpec::slash("wait")
        .in_guild(GUILD)
        .user(river())
        .option("minutes", json!(2))
        .option("private", json!(private))
}

/// Ask for a wait; its deferred answer replaced, return it.
async fn begin(standin: &StandIn, spec: InteractionSpec) -> (Sent, Value) {
    let sent = standin.dispatch(spec);
    let ack = standin.callback(&sent, PATIENCE).await;
    assert_eq!(ack.body["type"], 5, "deferred: {:#}", ack.body);
    let edit = standin.next_original_edit(&sent, PATIENCE).await;
    (sent, edit.body)
}

/// The name of the wait in its buttons: its start, in seconds.
fn started_of(body: &Value) -> String {
    let prefix = format!("wait:okay:{}:", river().id);
    let id = button_ids(body)
        .into_iter()
        .find(|id| id.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no okay button: {body:#}"));
    id[prefix.len()..].to_owned()
}

/// Press `custom_id` on an interaction's answer, as `who`.
async fn press(standin: &StandIn, on: &Sent, custom_id: &str, who: UserSpec) -> Recorded {
    let spec = InteractionSpec::button(on, custom_id)
        .in_guild(GUILD)
        .user(who);
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

/// Press `custom_id` on message `id`, as `who`.
async fn press_on(standin: &StandIn, id: u64, custom_id: &str, who: UserSpec) -> Recorded {
    let spec = InteractionSpec::button(id, custom_id).user(who);
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

/// Submit the open modal `custom_id` with `text` in its field, as `who`.
async fn submit(standin: &StandIn, custom_id: &str, text: &str, who: UserSpec) -> Recorded {
    let spec = InteractionSpec::modal_submit(custom_id, &[("draft", text)]).user(who);
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

/// The modal's one field, as the bot showed it.
fn field(modal: &Recorded) -> &Value {
    assert_eq!(modal.body["type"], 9, "a modal: {:#}", modal.body);
    &modal.body["data"]["components"][0]["components"][0]
}

fn id_of(message: &Value) -> u64 {
    message["id"].as_str().unwrap().parse().unwrap()
}

/// river's DMs, once there are `count`; waits up to a wait's length.
async fn dms(standin: &StandIn, count: usize) -> Vec<Value> {
    let channel = standin.dm_channel_of(river().id);
    tokio::time::timeout(PATIENCE * 3, async {
        loop {
            let dms = standin.messages_in(channel);
            if dms.len() >= count {
                return dms;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("expected {count} DMs"))
}

/// Every text steady sent that others could see: nothing private, no
/// modal (only its opener sees one).
fn seen_by_others(standin: &StandIn) -> Vec<Value> {
    standin
        .requests()
        .into_iter()
        .map(|r| r.body)
        .filter(|body| {
            let data = if body["data"].is_object() {
                &body["data"]
            } else {
                body
            };
            body["type"] != 9 && data["flags"].as_u64().unwrap_or(0) & 64 == 0
        })
        .collect()
}

#[tokio::test]
async fn a_draft_is_kept_replaced_and_offered_back_privately_at_the_end() {
    capture_logs_as_production("trace");
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start_with(&standin, SHORT).await;
    let (w, user) = (words(), river().id);
    let (sent, answer) = begin(&standin, wait(true)).await;
    let started = started_of(&answer);
    let draft_id = format!("wait:draft:{user}:{started}");
    assert!(button_ids(&answer).contains(&draft_id), "{answer:#}");

    // The modal: its words, one field of up to a message's length, empty.
    let modal = press(&standin, &sent, &draft_id, river()).await;
    assert_eq!(modal.body["data"]["custom_id"], json!(draft_id));
    assert_eq!(modal.body["data"]["title"], json!(w.draft.title.plain()));
    let input = field(&modal);
    assert_eq!(input["label"], json!(w.draft.label.plain()));
    assert_eq!(input["max_length"], json!(DRAFT_MAX_CHARS));
    assert!(input["value"].is_null(), "{input:#}");
    let first = format!("I need to know where we stand {CANARY}");
    let kept = submit(&standin, &draft_id, &first, river()).await;
    assert_private(&kept);
    assert_eq!(content(&kept), w.draft.kept.plain());

    // Again: it opens holding the first, and the second replaces it.
    let modal = press(&standin, &sent, &draft_id, river()).await;
    assert_eq!(field(&modal)["value"], json!(first));
    let second = format!("I miss you, and I'm scared {CANARY}");
    let kept = submit(&standin, &draft_id, &second, river()).await;
    assert_private(&kept);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let running = store.wait(user).await.unwrap().unwrap();
    let draft = store
        .wait_draft(user, running.started)
        .await
        .unwrap()
        .expect("a draft");
    assert_eq!(draft.kind, JournalKind::Draft);
    assert_eq!(draft.text.as_deref(), Some(second.as_str()));
    assert_eq!(draft.expires_at, Some(running.ends + KEEP_DRAFT));

    // The end offers it back, without its words: three choices.
    let end = dms(&standin, 2).await.remove(1);
    let text = end["content"].as_str().unwrap();
    assert!(text.contains(&w.draft.offer.plain()), "{text}");
    assert!(!text.contains(CANARY));
    let ids = button_ids(&end);
    let of = |action: &str| format!("wait:{action}:{user}:{}", draft.id);
    for action in ["show", "journal", "delete"] {
        assert!(ids.contains(&of(action)), "{ids:?}");
    }
    // Deleted a day after the end unless kept: the end was the planned one.
    let after = store.draft(user, draft.id).await.unwrap().unwrap();
    assert_eq!(after.expires_at, Some(running.ends + KEEP_DRAFT));

    // Someone else's press shows nothing.
    let theirs = press_on(&standin, id_of(&end), &of("show"), sky()).await;
    assert_private(&theirs);
    assert!(!theirs.body.to_string().contains(CANARY));

    // "Show my draft": privately, the words in a block to copy.
    let shown = press_on(&standin, id_of(&end), &of("show"), river()).await;
    assert_private(&shown);
    assert_eq!(content(&shown), w.draft.shown.plain());
    let block = shown.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap();
    assert_eq!(block, format!("```\n{second}\n```"));

    // "Keep it in my journal": kept for good.
    let journaled = press_on(&standin, id_of(&end), &of("journal"), river()).await;
    assert_private(&journaled);
    assert_eq!(content(&journaled), w.draft.journaled.plain());
    let (page, total) = store.journal_page(user, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(page[0].id, draft.id);
    assert_eq!(page[0].expires_at, None);
    assert_eq!(page[0].text.as_deref(), Some(second.as_str()));

    // Nothing of it anywhere but where only river sees it, nor in the log.
    for body in seen_by_others(&standin) {
        assert!(!body.to_string().contains(CANARY), "{body:#}");
    }
    store.close().await;
    bot.stop().await.unwrap();
    assert!(!logs().contains(CANARY), "the draft was logged");
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_shared_wait_never_shows_its_draft_and_delete_removes_it() {
    capture_logs_as_production("trace");
    let standin = StandIn::start_with(harness::quick()).await;
    // Real minutes: the wait runs for as long as the test.
    let bot = Bot::start(&standin).await;
    let (w, user) = (words(), river().id);
    let (sent, answer) = begin(&standin, wait(false)).await;
    let started = started_of(&answer);
    let draft_id = format!("wait:draft:{user}:{started}");
    assert!(button_ids(&answer).contains(&draft_id), "{answer:#}");
    // The button is river's, on a message everyone sees.
    let theirs = press(&standin, &sent, &draft_id, sky()).await;
    assert_private(&theirs);
    assert_ne!(theirs.body["type"], 9, "no modal for someone else");
    let modal = press(&standin, &sent, &draft_id, river()).await;
    field(&modal);
    let kept = submit(&standin, &draft_id, CANARY, river()).await;
    assert_private(&kept);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let running = store.wait(user).await.unwrap().unwrap();
    let draft = store
        .wait_draft(user, running.started)
        .await
        .unwrap()
        .unwrap();

    // "I'm okay now" ends it in the channel, and offers the draft to river
    // alone, beside it.
    let before = store.now();
    let okay = press(
        &standin,
        &sent,
        &format!("wait:okay:{user}:{started}"),
        river(),
    )
    .await;
    let after = store.now();
    assert_eq!(okay.body["type"], 7);
    assert!(!content(&okay).contains(&w.draft.offer.plain()));
    let draft_buttons = ["wait:show:", "wait:journal:", "wait:delete:"];
    let shown_to_all = button_ids(&okay.body["data"]);
    assert!(
        !shown_to_all
            .iter()
            .any(|id| draft_buttons.iter().any(|b| id.starts_with(b))),
        "{shown_to_all:?}"
    );
    let offer = standin
        .wait_for(PATIENCE, |r| r.route == route::FOLLOWUP)
        .await;
    assert_private_data(&offer.body);
    assert_eq!(offer.body["content"], json!(w.draft.offer.plain()));
    let delete = format!("wait:delete:{user}:{}", draft.id);
    assert!(button_ids(&offer.body).contains(&delete));
    // The end was now: a day from it.
    let expires = store
        .draft(user, draft.id)
        .await
        .unwrap()
        .unwrap()
        .expires_at;
    let expires = expires.unwrap().timestamp();
    let (low, high) = (
        (before + KEEP_DRAFT).timestamp(),
        (after + KEEP_DRAFT).timestamp(),
    );
    assert!(
        (low..=high).contains(&expires),
        "{low} ≤ {expires} ≤ {high}"
    );

    // "Delete it", from the private offer: gone.
    let channel = standin.guild_channel_of(GUILD);
    let private_offer = standin
        .messages_in(channel)
        .into_iter()
        .find(|m| button_ids(m).contains(&delete))
        .expect("the offer, as a message");
    let deleted = press_on(&standin, id_of(&private_offer), &delete, river()).await;
    assert_private(&deleted);
    assert_eq!(content(&deleted), w.draft.deleted.plain());
    assert_eq!(store.draft(user, draft.id).await.unwrap(), None);
    // Its buttons now say kindly it is gone.
    let show = format!("wait:show:{user}:{}", draft.id);
    let gone = press_on(&standin, id_of(&private_offer), &show, river()).await;
    assert_private(&gone);
    assert_eq!(content(&gone), w.draft.gone.plain());

    for body in seen_by_others(&standin) {
        assert!(!body.to_string().contains(CANARY), "{body:#}");
    }
    store.close().await;
    bot.stop().await.unwrap();
    assert!(!logs().contains(CANARY), "the draft was logged");
    assert_healthy(&standin);
}

#[tokio::test]
async fn only_the_owner_writes_and_bad_drafts_change_nothing() {
    capture_logs_as_production("trace");
    let standin = StandIn::start_with(harness::quick()).await;
    let bot = Bot::start(&standin).await;
    let (w, user) = (words(), river().id);
    let errors = Catalog::load(None).unwrap().errors;
    let (sent, answer) = begin(&standin, wait(true)).await;
    let started = started_of(&answer);
    let draft_id = format!("wait:draft:{user}:{started}");
    let store = Store::open(&bot.database_url()).await.unwrap();
    let running = store.wait(user).await.unwrap().unwrap();

    // A submit naming river, sent by someone else, is refused.
    press(&standin, &sent, &draft_id, river()).await;
    let theirs = submit(&standin, &draft_id, CANARY, sky()).await;
    assert_private(&theirs);
    assert_eq!(content(&theirs), errors.not_yours.plain());
    assert_eq!(store.wait_draft(user, running.started).await.unwrap(), None);

    // Only spaces: nothing kept, said kindly.
    press(&standin, &sent, &draft_id, river()).await;
    let blank = submit(&standin, &draft_id, "   ", river()).await;
    assert_private(&blank);
    assert_eq!(content(&blank), w.draft.empty.plain());
    assert_eq!(store.wait_draft(user, running.started).await.unwrap(), None);

    // Forged ids: not steady's, or a draft that is not river's.
    for forged in [
        format!("wait:show:{user}:soon"),
        format!("wait:draft:{user}:soon"),
    ] {
        let refused = press(&standin, &sent, &forged, river()).await;
        assert_private(&refused);
        assert_eq!(content(&refused), errors.expired.plain(), "{forged}");
    }
    let not_theirs = press(&standin, &sent, &format!("wait:show:{user}:1"), river()).await;
    assert_private(&not_theirs);
    assert_eq!(content(&not_theirs), w.draft.gone.plain());
    // An older wait's button: it has ended.
    let old = press(
        &standin,
        &sent,
        &format!("wait:draft:{user}:1700000000"),
        river(),
    )
    .await;
    assert_private(&old);
    assert_eq!(content(&old), w.messages.finished.plain());
    store.close().await;
    bot.stop().await.unwrap();
    assert!(!logs().contains(CANARY), "the draft was logged");
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_shared_wait_kept_on_its_message_offers_its_draft_privately_at_the_end() {
    capture_logs_as_production("trace");
    let standin = StandIn::start_with(harness::quick()).await;
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::DmClosed {
            user_id: river().id,
        },
    ));
    // Ten "minutes" kept on the message are two seconds.
    let bot = Bot::start_with(&standin, SHORT).await;
    let (w, user) = (words(), river().id);
    let (sent, _) = begin(&standin, wait(false)).await;
    let here = press(&standin, &sent, &format!("wait:here:{user}:0"), river()).await;
    assert_eq!(here.body["type"], 7);
    let started = started_of(&here.body["data"]);
    let draft_id = format!("wait:draft:{user}:{started}");
    let modal = press(&standin, &sent, &draft_id, river()).await;
    field(&modal);
    let kept = submit(&standin, &draft_id, CANARY, river()).await;
    assert_private(&kept);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let running = store.wait(user).await.unwrap().unwrap();
    let draft = store
        .wait_draft(user, running.started)
        .await
        .unwrap()
        .unwrap();

    // The end replaces the message everyone sees, without the draft; the
    // offer comes beside it, to river alone.
    let offer = standin
        .wait_for(PATIENCE * 3, |r| r.route == route::FOLLOWUP)
        .await;
    assert_private_data(&offer.body);
    assert_eq!(offer.body["content"], json!(w.draft.offer.plain()));
    let show = format!("wait:show:{user}:{}", draft.id);
    assert!(button_ids(&offer.body).contains(&show));
    let ended = standin.original(&sent).unwrap();
    let urge_now = w.messages.urge_now.plain();
    assert!(
        ended["content"].as_str().unwrap().contains(&urge_now),
        "the end: {ended:#}"
    );
    assert!(!ended["content"]
        .as_str()
        .unwrap()
        .contains(&w.draft.offer.plain()));
    assert!(!button_ids(&ended).contains(&show));
    for body in seen_by_others(&standin) {
        assert!(!body.to_string().contains(CANARY), "{body:#}");
    }
    store.close().await;
    bot.stop().await.unwrap();
    assert!(!logs().contains(CANARY), "the draft was logged");
    assert_healthy(&standin);
}
