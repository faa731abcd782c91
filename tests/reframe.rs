//! /reframe end to end through the stand-in: the first form, the
//! validation with the person's own story in it, "Keep going", the second
//! form, the end; the kinder sentence saved as an anchor and the record
//! kept in the journal. Empty boxes keep nothing; someone else's press or
//! submit is refused; a record that is gone is answered kindly; every
//! language has its own forms; and nothing anyone wrote reaches the log.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use harness::{
    ask, assert_healthy, assert_private, button_ids, capture_logs_as_production, content, quick,
    river, sky, Bot, GUILD, PATIENCE,
};
use standin::{InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use steady::prompts::{Catalog, Catalogs, Locale, Reframe, MAX_FORM_TITLE_CHARS};
use steady::reframe::{Record, MAX_KINDER};
use steady::store::{JournalKind, Store};

/// How long an unkept record waits: the end's "in a day".
const A_DAY: TimeDelta = TimeDelta::hours(24);

fn words() -> Catalog {
    Catalog::load(None).unwrap()
}

/// The stand-in and the bot, logging exactly as production does, at trace
/// (every test here: whichever starts first sets the log up for all).
async fn start() -> (StandIn, Bot) {
    capture_logs_as_production("trace");
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    (standin, bot)
}

fn reframe(who: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("reframe").in_guild(GUILD).user(who)
}

fn first_id(who: &UserSpec) -> String {
    format!("reframe:first:{}:", who.id)
}

/// Submit the first form river opened.
async fn first(standin: &StandIn, happened: &str, story: &str) -> (Sent, Recorded) {
    let spec = InteractionSpec::modal_submit(
        &first_id(&river()),
        &[("happened", happened), ("story", story)],
    )
    .user(river());
    let sent = standin.dispatch(spec);
    let answer = standin.callback(&sent, PATIENCE).await;
    (sent, answer)
}

/// Press `custom_id` on an interaction's answer, as `who`.
async fn press(standin: &StandIn, on: &Sent, custom_id: &str, who: UserSpec) -> (Sent, Recorded) {
    let spec = InteractionSpec::button(on, custom_id)
        .in_guild(GUILD)
        .user(who);
    let sent = standin.dispatch(spec);
    let answer = standin.callback(&sent, PATIENCE).await;
    (sent, answer)
}

/// The record's row, from the "Keep going" button of the validation.
fn row_of(answer: &Recorded) -> i64 {
    let prefix = format!("reframe:next:{}:", river().id);
    let id = button_ids(&answer.body["data"])
        .into_iter()
        .find_map(|id| id.strip_prefix(&prefix).map(str::to_owned))
        .unwrap_or_else(|| panic!("no Keep going: {:#}", answer.body));
    id.parse().unwrap()
}

/// A modal callback's title and its fields' (label, max_length).
fn form(answer: &Recorded) -> (String, Vec<(String, u64)>) {
    assert_eq!(answer.body["type"], 9, "a form: {:#}", answer.body);
    let data = &answer.body["data"];
    let fields = data["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let input = &row["components"][0];
            let label = input["label"].as_str().unwrap().to_owned();
            (label, input["max_length"].as_u64().unwrap())
        })
        .collect();
    (data["title"].as_str().unwrap().to_owned(), fields)
}

/// How many journal rows there are, kept or not.
async fn rows(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM journal")
        .fetch_one(store.sqlite().unwrap())
        .await
        .unwrap()
}

const HAPPENED: &str = "no reply for three hours, cnry-Hp4t";
const STORY: &str = "they're losing interest cnry-Sq8w";
const OTHER: &str = "they're at work\nmaybe their phone died cnry-Ot2e";
const KINDER: &str = "One quiet afternoon is not an ending cnry-Kd6y";
const CANARIES: [&str; 5] = ["cnry-", "Hp4t", "Sq8w", "Ot2e", "Kd6y"];

#[tokio::test]
async fn a_story_met_kindly_its_kinder_sentence_kept_and_none_of_it_logged() {
    let (standin, bot) = start().await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let all = words();
    let (w, anchors) = (&all.reframe, &all.anchors.messages);
    let user = river().id;

    let opened = ask(&standin, reframe(river())).await;
    let (title, fields) = form(&opened);
    assert_eq!(title, w.first.title.plain());
    assert_eq!(
        fields.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        [w.first.happened.plain(), w.first.story.plain()]
    );
    assert!(fields.iter().all(|f| f.1 <= 1000), "{fields:?}");
    assert_eq!(opened.body["data"]["custom_id"], first_id(&river()));

    let before = Utc::now();
    let (noticed, answer) = first(&standin, HAPPENED, STORY).await;
    let after = Utc::now();
    assert_private(&answer);
    let story = w.messages.validation.render(&[("story", STORY)]);
    assert_eq!(
        content(&answer),
        story,
        "the person's own story, in the validation"
    );
    let row = row_of(&answer);
    let entry = store.journal_entry(user, row).await.unwrap().unwrap();
    assert_eq!(entry.kind, JournalKind::Reframe);
    let record = Record::from_text(entry.text.as_deref().unwrap()).unwrap();
    assert_eq!(
        (record.happened.as_str(), record.story.as_str()),
        (HAPPENED, STORY)
    );
    let expires = entry.expires_at.expect("in nobody's journal yet");
    assert!(
        expires.timestamp() >= (before + A_DAY).timestamp(),
        "{expires}"
    );
    assert!(
        expires.timestamp() <= (after + A_DAY).timestamp() + 1,
        "{expires}"
    );
    assert_eq!(store.journal_page(user, 0, 10).await.unwrap().1, 0);

    let next = format!("reframe:next:{user}:{row}");
    let (_, opened) = press(&standin, &noticed, &next, river()).await;
    let (title, fields) = form(&opened);
    assert_eq!(title, w.second.title.plain());
    assert_eq!(fields[0].0, w.second.other.plain());
    assert_eq!(fields[1], (w.second.kinder.plain(), MAX_KINDER as u64));
    let second = format!("reframe:second:{user}:{row}");
    let submit = InteractionSpec::modal_submit(&second, &[("other", OTHER), ("kinder", KINDER)])
        .user(river());
    let ended = standin.dispatch(submit);
    let end = standin.callback(&ended, PATIENCE).await;
    assert_private(&end);
    assert_eq!(content(&end), w.messages.end.render(&[("kinder", KINDER)]));
    assert!(content(&end).contains("/support"));
    assert_eq!(
        button_ids(&end.body["data"]),
        [
            format!("reframe:anchor:{user}:{row}"),
            format!("reframe:keep:{user}:{row}"),
            format!("breathe:start:{user}:1"),
            format!("support:show:{user}:"),
        ]
    );
    let entry = store.journal_entry(user, row).await.unwrap().unwrap();
    let record = Record::from_text(entry.text.as_deref().unwrap()).unwrap();
    assert_eq!(record.other.as_deref(), Some(OTHER));
    assert_eq!(record.kinder.as_deref(), Some(KINDER));

    // One tap makes it an anchor, in /anchors list; a second is the
    // anchors' own kind "already".
    let anchor = format!("reframe:anchor:{user}:{row}");
    let (_, saved) = press(&standin, &ended, &anchor, river()).await;
    assert_private(&saved);
    assert_eq!(content(&saved), anchors.added.render(&[("count", "1")]));
    let list = ask(
        &standin,
        InteractionSpec::slash("anchors")
            .subcommand("list")
            .in_guild(GUILD)
            .user(river()),
    )
    .await;
    assert!(
        content(&list).contains(&format!("1. {KINDER}")),
        "{}",
        content(&list)
    );
    let (_, again) = press(&standin, &ended, &anchor, river()).await;
    assert_eq!(content(&again), anchors.duplicate.plain());

    let keep = format!("reframe:keep:{user}:{row}");
    let (_, kept) = press(&standin, &ended, &keep, river()).await;
    assert_private(&kept);
    assert_eq!(content(&kept), w.messages.kept.plain());
    let (page, total) = store.journal_page(user, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(page[0].id, row);
    assert_eq!(page[0].expires_at, None, "kept");
    // /mydata export reads the record's parts, every word of them.
    let export = store.export(user).await.unwrap().unwrap();
    let exported = &export.reframes[0];
    assert_eq!(exported.story.as_deref(), Some(STORY));
    assert_eq!(exported.kinder.as_deref(), Some(KINDER));
    assert_eq!(exported.text, None, "nothing left over");

    // The second form opened again on a kept record: still kept, and the
    // end says so rather than counting a day down.
    let (_, reopened) = press(&standin, &noticed, &next, river()).await;
    assert_eq!(form(&reopened).0, w.second.title.plain());
    let kinder = "Quiet is not an ending cnry-Kd6y";
    let submit = InteractionSpec::modal_submit(&second, &[("other", OTHER), ("kinder", kinder)])
        .user(river());
    let reended = standin.callback(&standin.dispatch(submit), PATIENCE).await;
    assert_private(&reended);
    assert_eq!(
        content(&reended),
        w.messages.end_kept.render(&[("kinder", kinder)])
    );
    assert!(
        !button_ids(&reended.body["data"]).contains(&keep),
        "nothing to keep"
    );
    let entry = store.journal_entry(user, row).await.unwrap().unwrap();
    assert_eq!(entry.expires_at, None, "still kept");
    let record = Record::from_text(entry.text.as_deref().unwrap()).unwrap();
    assert_eq!(record.kinder.as_deref(), Some(kinder));

    // The end's other ways: breathing and support open as everywhere else.
    let (_, support) = press(&standin, &ended, &format!("support:show:{user}:"), river()).await;
    assert_private(&support);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
    let logs = harness::logs();
    assert!(
        logs.contains("reframe finished"),
        "steady's own lines are captured"
    );
    for canary in CANARIES {
        assert!(!logs.contains(canary), "{canary:?} was logged:\n{logs}");
    }
    // Nor who wrote it: using steady at all is health-related.
    let person = user.to_string();
    let lines: Vec<&str> = logs.lines().filter(|l| l.contains(&person)).collect();
    assert!(lines.is_empty(), "{person} was logged:\n{lines:#?}");
}

#[tokio::test]
async fn empty_boxes_are_refused_kindly_and_keep_nothing() {
    let (standin, bot) = start().await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let w = words().reframe;
    let user = river().id;

    ask(&standin, reframe(river())).await;
    let (refused, answer) = first(&standin, "no reply", " \n ").await;
    assert_private(&answer);
    assert_eq!(content(&answer), w.messages.empty.plain());
    assert_eq!(rows(&store).await, 0, "nothing kept");
    // "Try again" opens the first form again.
    let again = format!("reframe:start:{user}:");
    assert_eq!(
        button_ids(&answer.body["data"]),
        std::slice::from_ref(&again)
    );
    let (_, opened) = press(&standin, &refused, &again, river()).await;
    assert_eq!(form(&opened).0, w.first.title.plain());

    let (noticed, answer) = first(&standin, "no reply", "they're leaving").await;
    let row = row_of(&answer);
    let next = format!("reframe:next:{user}:{row}");
    press(&standin, &noticed, &next, river()).await;
    let second = format!("reframe:second:{user}:{row}");
    let submit =
        InteractionSpec::modal_submit(&second, &[("other", "\u{200B}"), ("kinder", "kind")])
            .user(river());
    let answer = standin.callback(&standin.dispatch(submit), PATIENCE).await;
    assert_private(&answer);
    assert_eq!(content(&answer), w.messages.empty.plain());
    assert_eq!(button_ids(&answer.body["data"]), [next]);
    let entry = store.journal_entry(user, row).await.unwrap().unwrap();
    let record = Record::from_text(entry.text.as_deref().unwrap()).unwrap();
    assert_eq!((record.other, record.kinder), (None, None), "unchanged");
    assert_eq!(rows(&store).await, 1);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn someone_elses_press_or_submit_is_refused_and_changes_nothing() {
    let (standin, bot) = start().await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let all = words();
    let not_yours = all.errors.not_yours.plain();
    let user = river().id;

    // sky submits the form river opened.
    ask(&standin, reframe(river())).await;
    let forged = InteractionSpec::modal_submit(
        &first_id(&river()),
        &[("happened", "sky's facts"), ("story", "sky's story")],
    )
    .user(sky());
    let answer = standin.callback(&standin.dispatch(forged), PATIENCE).await;
    assert_private(&answer);
    assert_eq!(content(&answer), not_yours);
    assert_eq!(rows(&store).await, 0);

    ask(&standin, reframe(river())).await;
    let (noticed, answer) = first(&standin, "no reply", "they're leaving").await;
    let row = row_of(&answer);
    for action in ["next", "anchor", "keep"] {
        let id = format!("reframe:{action}:{user}:{row}");
        let (_, answer) = press(&standin, &noticed, &id, sky()).await;
        assert_private(&answer);
        assert_eq!(content(&answer), not_yours, "{action}");
    }
    let entry = store.journal_entry(user, row).await.unwrap().unwrap();
    assert!(entry.expires_at.is_some(), "not kept");
    assert!(store.anchors(user).await.unwrap().is_empty());
    assert!(store.anchors(sky().id).await.unwrap().is_empty());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_record_that_is_gone_is_answered_kindly() {
    let (standin, bot) = start().await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let w = words().reframe;
    let user = river().id;

    ask(&standin, reframe(river())).await;
    let (noticed, answer) = first(&standin, "no reply", "they're leaving").await;
    let row = row_of(&answer);
    let next = format!("reframe:next:{user}:{row}");
    press(&standin, &noticed, &next, river()).await;
    // Deleted by the day's sweep while the second form was open.
    let later = Utc::now() + A_DAY + TimeDelta::seconds(2);
    assert_eq!(store.forget_expired_journal(later).await.unwrap(), 1);
    let second = format!("reframe:second:{user}:{row}");
    let submit = InteractionSpec::modal_submit(&second, &[("other", "busy"), ("kinder", "kind")])
        .user(river());
    let answer = standin.callback(&standin.dispatch(submit), PATIENCE).await;
    assert_private(&answer);
    assert_eq!(content(&answer), w.messages.gone.plain());
    for action in ["next", "anchor", "keep"] {
        let id = format!("reframe:{action}:{user}:{row}");
        let (_, answer) = press(&standin, &noticed, &id, river()).await;
        assert_private(&answer);
        assert_eq!(content(&answer), w.messages.gone.plain(), "{action}");
    }
    assert_eq!(rows(&store).await, 0);
    assert!(store.anchors(user).await.unwrap().is_empty());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn every_language_has_its_own_forms_and_words() {
    let (standin, bot) = start().await;
    let catalogs = Catalogs::load(None).unwrap();
    let user = river().id;
    for (code, locale) in [
        ("en-US", Locale::English),
        ("de", Locale::German),
        ("es-ES", Locale::Spanish),
        ("es-419", Locale::Spanish),
        ("fr", Locale::French),
        ("pt-BR", Locale::Portuguese),
    ] {
        let w: &Reframe = &catalogs.get(locale).reframe;
        let opened = ask(&standin, reframe(river()).locale(code)).await;
        let (title, fields) = form(&opened);
        assert_eq!(title, w.first.title.plain(), "{code}");
        assert!(title.chars().count() <= MAX_FORM_TITLE_CHARS, "{code}");
        assert!(
            fields
                .iter()
                .all(|f| f.0.chars().count() <= MAX_FORM_TITLE_CHARS),
            "{code}"
        );
        let submit = InteractionSpec::modal_submit(
            &first_id(&river()),
            &[("happened", "facts"), ("story", "a story")],
        )
        .user(river())
        .locale(code);
        let noticed = standin.dispatch(submit);
        let answer = standin.callback(&noticed, PATIENCE).await;
        assert_eq!(
            content(&answer),
            w.messages.validation.render(&[("story", "a story")]),
            "{code}"
        );
        let row = row_of(&answer);
        let next = format!("reframe:next:{user}:{row}");
        let spec = InteractionSpec::button(&noticed, &next)
            .user(river())
            .locale(code);
        let opened = standin.callback(&standin.dispatch(spec), PATIENCE).await;
        assert_eq!(form(&opened).0, w.second.title.plain(), "{code}");
    }
    let english = catalogs.english().reframe.first.title.plain();
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::English) {
        assert_ne!(
            catalogs.get(locale).reframe.first.title.plain(),
            english,
            "{locale}"
        );
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
