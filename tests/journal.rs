//! /journal end to end: a page written in a form and kept privately, read
//! back newest first a page at a time, deleted only after asking and only
//! by its owner, opened from a button as from the command, in every
//! language; `/mydata` exports and deletes it; and its words never reach
//! the log.

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use harness::{
    ask, ask_deferred, assert_healthy, assert_private, button_ids, capture_logs_as_production,
    content, logs, quick, river, sky, Bot, GUILD, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use steady::journal::Prompt;
use steady::prompts::{Catalogs, Journal};
use steady::store::{JournalKind, Store};

/// Planted in a page: nowhere in the log, whatever the level.
const CANARY: &str = "canary-page-Vb8r I needed a slow morning";

fn words() -> Journal {
    Catalogs::load(None).unwrap().english().journal.clone()
}

fn not_yours() -> String {
    let catalogs = Catalogs::load(None).unwrap();
    catalogs.english().errors.not_yours.plain()
}

/// The bot, its log captured as production filters it, at trace: this
/// binary's every line is held to the canary.
async fn start(standin: &StandIn) -> Bot {
    capture_logs_as_production("trace");
    Bot::start(standin).await
}

fn journal(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("journal")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

fn write_id(user: UserSpec, prompt: Prompt) -> String {
    format!("journal:write:{}:{}", user.id, prompt.key())
}

/// Open the form for `prompt` with /journal write, as `user`.
async fn open(standin: &StandIn, user: UserSpec, prompt: Prompt) -> Recorded {
    let spec = journal("write", user).option("prompt", json!(prompt.key()));
    let form = ask(standin, spec).await;
    assert_eq!(form.body["type"], 9, "a form: {:#}", form.body);
    form
}

/// Submit the open form `id` with `text` on its page.
async fn submit(standin: &StandIn, id: &str, text: &str) -> Recorded {
    let answer = ask(
        standin,
        InteractionSpec::modal_submit(id, &[("page", text)]),
    )
    .await;
    assert_private(&answer);
    answer
}

/// Write a page at `prompt` through the form.
async fn write(standin: &StandIn, user: UserSpec, prompt: Prompt, text: &str) {
    open(standin, user.clone(), prompt).await;
    let kept = submit(standin, &write_id(user, prompt), text).await;
    assert_eq!(content(&kept), words().messages.saved.plain());
}

/// The one embed of a page: its heading and its words.
fn page_of(callback: &Recorded) -> (String, String) {
    let embed = &callback.body["data"]["embeds"][0];
    let text = |key: &str| embed[key].as_str().unwrap_or_default().to_owned();
    (text("title"), text("description"))
}

/// The page line `words` says above page `page` of `pages`, written at
/// `secs`.
fn page_line(page: u64, pages: u64, secs: i64) -> String {
    let date = format!("<t:{secs}:D>");
    let (page, pages) = (page.to_string(), pages.to_string());
    (words().messages.page).render(&[("page", &page), ("pages", &pages), ("date", &date)])
}

fn find(ids: &[String], action: &str) -> String {
    let prefix = format!("journal:{action}:");
    let found = ids.iter().find(|id| id.starts_with(&prefix));
    found
        .unwrap_or_else(|| panic!("no {action} in {ids:?}"))
        .clone()
}

async fn press(standin: &StandIn, on: &Sent, id: &str) -> Recorded {
    ask(standin, InteractionSpec::button(on, id)).await
}

#[tokio::test]
async fn a_page_is_written_read_turned_and_deleted_privately() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let (w, m) = (words(), words().messages);

    let none = ask(&standin, journal("read", river())).await;
    assert_private(&none);
    assert_eq!(content(&none), m.none.plain());
    let write_here = format!("journal:write:{}:", river().id);
    assert_eq!(button_ids(&none.body["data"]), [write_here]);

    // The list offers every question in the person's words, the one typed first.
    let sent = standin.dispatch(
        InteractionSpec::autocomplete("journal")
            .subcommand("write")
            .in_guild(GUILD)
            .user(river())
            .focused("prompt", "tomorrow"),
    );
    let choices = standin.callback(&sent, PATIENCE).await;
    let choices = choices.body["data"]["choices"].as_array().unwrap().clone();
    assert_eq!(choices.len(), Prompt::ALL.len());
    assert_eq!(choices[0]["name"], w.prompt(Prompt::Secure).name.plain());
    assert_eq!(choices[0]["value"], "secure");

    // The form: the question's name above, the whole question in the field.
    let form = open(&standin, river(), Prompt::Needed).await;
    let data = &form.body["data"];
    assert_eq!(data["custom_id"], write_id(river(), Prompt::Needed));
    assert_eq!(data["title"], w.prompt(Prompt::Needed).name.plain());
    let field = &data["components"][0]["components"][0];
    assert_eq!(field["custom_id"], "page");
    assert_eq!(field["style"], 2);
    assert_eq!(field["label"], w.form.label.plain());
    assert_eq!(
        field["placeholder"],
        w.prompt(Prompt::Needed).question.plain()
    );
    assert_eq!(field["max_length"], 4000);
    let kept = submit(&standin, &write_id(river(), Prompt::Needed), CANARY).await;
    assert_eq!(kept.body["type"], 4);
    assert_eq!(content(&kept), m.saved.plain());
    write(&standin, river(), Prompt::Secure, "A walk after work").await;
    write(
        &standin,
        river(),
        Prompt::Free,
        "Just a quiet day.\n\nThat's all.",
    )
    .await;
    write(&standin, sky(), Prompt::Free, "sky's own page").await;

    // Newest first, one a page, each with its question and its day.
    let (entries, total) = store.journal_page(river().id, 0, 10).await.unwrap();
    assert_eq!(total, 3);
    let at = |n: usize| entries[n].written_at.timestamp();
    let read = standin.dispatch(journal("read", river()));
    let first = standin.callback(&read, PATIENCE).await;
    assert_private(&first);
    assert_eq!(content(&first), page_line(1, 3, at(0)));
    let free = w.prompt(Prompt::Free).name.plain();
    assert_eq!(
        page_of(&first),
        (free, "Just a quiet day.\n\nThat's all.".into())
    );
    let ids = button_ids(&first.body["data"]);
    let turns: Vec<&String> = ids
        .iter()
        .filter(|id| id.starts_with("journal:page:"))
        .collect();
    let to = |page: u64| format!("journal:page:{}:{page}", river().id);
    assert_eq!(turns, [&to(0), &to(1)], "previous (disabled), next");
    let second = press(&standin, &read, &to(1)).await;
    assert_eq!(second.body["type"], 7, "the same message, turned");
    assert_eq!(content(&second), page_line(2, 3, at(1)));
    let secure = w.prompt(Prompt::Secure).name.plain();
    assert_eq!(page_of(&second), (secure, "A walk after work".into()));

    // Delete asks first, shows what it would delete, and is its owner's alone.
    let delete = find(&button_ids(&second.body["data"]), "delete");
    let asked = press(&standin, &read, &delete).await;
    assert_eq!(content(&asked), m.delete_confirm.plain());
    assert_eq!(page_of(&asked).1, "A walk after work");
    let ids = button_ids(&asked.body["data"]);
    let (confirm, keep) = (find(&ids, "confirm"), find(&ids, "keep"));
    let stranger = ask(
        &standin,
        InteractionSpec::button(&read, &confirm).user(sky()),
    )
    .await;
    assert_private(&stranger);
    assert_eq!(content(&stranger), not_yours());
    let kept = press(&standin, &read, &keep).await;
    assert!(content(&kept).starts_with(&m.kept.plain()));
    assert_eq!(page_of(&kept).1, "A walk after work");
    assert_eq!(store.journal_page(river().id, 0, 10).await.unwrap().1, 3);

    // A confirmation past its minute deletes nothing.
    let entry = entries[1].id;
    let past = (Utc::now() - TimeDelta::seconds(1)).timestamp();
    let stale = format!("journal:confirm:{}:{entry}.1.{past}", river().id);
    let expired = press(&standin, &read, &stale).await;
    assert!(content(&expired).starts_with(&m.delete_expired.plain()));
    assert_eq!(store.journal_page(river().id, 0, 10).await.unwrap().1, 3);

    let done = press(&standin, &read, &confirm).await;
    assert_eq!(done.body["type"], 7);
    let left = format!("{}\n\n{}", m.deleted.plain(), page_line(2, 2, at(2)));
    assert_eq!(content(&done), left);
    assert_eq!(page_of(&done).1, CANARY);
    let (after, total) = store.journal_page(river().id, 0, 10).await.unwrap();
    assert_eq!(total, 2);
    assert!(after.iter().all(|entry| entry.id != entries[1].id));
    assert_eq!(store.journal_page(sky().id, 0, 10).await.unwrap().1, 1);
    let again = press(&standin, &read, &confirm).await;
    assert!(content(&again).starts_with(&m.gone.plain()));

    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
    assert_no_canary();
}

#[tokio::test]
async fn an_empty_page_is_refused_kindly_and_nothing_kept() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    open(&standin, river(), Prompt::Soothed).await;
    let id = write_id(river(), Prompt::Soothed);
    let empty = submit(&standin, &id, " \n\t\u{200B} ").await;
    assert_eq!(content(&empty), words().messages.empty.plain());
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.journal_page(river().id, 0, 10).await.unwrap().1, 0);
    assert!(
        !store.knows(river().id).await.unwrap(),
        "nothing kept of them"
    );

    // A question steady does not know opens no form.
    let unknown = journal("write", river()).option("prompt", json!("tomorrow, maybe"));
    let unknown = ask(&standin, unknown).await;
    assert_private(&unknown);
    assert_eq!(content(&unknown), words().messages.unknown_prompt.plain());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn someone_else_s_button_or_form_is_refused() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    write(&standin, river(), Prompt::Needed, "river's page").await;
    let read = standin.dispatch(journal("read", river()));
    let shown = standin.callback(&read, PATIENCE).await;
    for id in button_ids(&shown.body["data"]) {
        let pressed = ask(&standin, InteractionSpec::button(&read, &id).user(sky())).await;
        assert_private(&pressed);
        assert_eq!(content(&pressed), not_yours(), "{id}");
    }
    // River's form, submitted by sky: refused, nothing kept for either.
    open(&standin, river(), Prompt::Secure).await;
    let id = write_id(river(), Prompt::Secure);
    let forged = InteractionSpec::modal_submit(&id, &[("page", "not mine")]).user(sky());
    let refused = ask(&standin, forged).await;
    assert_private(&refused);
    assert_eq!(content(&refused), not_yours());
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.journal_page(river().id, 0, 10).await.unwrap().1, 1);
    assert_eq!(store.journal_page(sky().id, 0, 10).await.unwrap().1, 0);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn the_write_button_opens_the_form_at_the_day_s_question() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    let read = standin.dispatch(journal("read", river()));
    standin.callback(&read, PATIENCE).await;
    let button = format!("journal:write:{}:", river().id);
    let form = press(&standin, &read, &button).await;
    assert_eq!(form.body["type"], 9, "a form: {:#}", form.body);
    // The form's id names the day's question, and its title is that one's.
    let id = form.body["data"]["custom_id"].as_str().unwrap().to_owned();
    let key = id.rsplit(':').next().unwrap();
    let prompt = Prompt::from_key(key).expect("a question of the day");
    assert!(prompt.time_of_day().is_some(), "never the free page");
    assert_eq!(
        form.body["data"]["title"],
        words().prompt(prompt).name.plain()
    );
    let kept = submit(&standin, &id, "Written from a button").await;
    assert_eq!(content(&kept), words().messages.saved.plain());
    let store = Store::open(&bot.database_url()).await.unwrap();
    let (entries, _) = store.journal_page(river().id, 0, 1).await.unwrap();
    assert_eq!(entries[0].prompt.as_deref(), Some(key));
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn every_language_titles_its_form_and_keeps_its_page() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    let catalogs = Catalogs::load(None).unwrap();
    for (n, code) in ["en-US", "de", "es-ES", "fr", "pt-BR"]
        .into_iter()
        .enumerate()
    {
        let user = UserSpec::new(7_000 + n as u64, code);
        let words = &catalogs.for_discord(code).journal;
        let read = journal("read", user.clone()).locale(code);
        assert_eq!(
            content(&ask(&standin, read).await),
            words.messages.none.plain()
        );
        let spec = journal("write", user.clone())
            .locale(code)
            .option("prompt", json!("sensitivity"));
        let form = ask(&standin, spec).await;
        let title = words.prompt(Prompt::Sensitivity).name.plain();
        assert_eq!(form.body["data"]["title"], title, "{code}");
        let field = &form.body["data"]["components"][0]["components"][0];
        assert_eq!(field["label"], words.form.label.plain(), "{code}");
        let id = write_id(user, Prompt::Sensitivity);
        let submitted = InteractionSpec::modal_submit(&id, &[("page", "ok")]).locale(code);
        let kept = ask(&standin, submitted).await;
        assert_eq!(content(&kept), words.messages.saved.plain(), "{code}");
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn mydata_exports_the_journal_and_deletes_it() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    write(&standin, river(), Prompt::Secure, "Exported words").await;
    let slash = |sub: &str| {
        InteractionSpec::slash("mydata")
            .subcommand(sub)
            .in_guild(GUILD)
            .user(river())
    };
    ask_deferred(&standin, slash("export"), PATIENCE).await;
    let dm = standin
        .wait_for(PATIENCE, |r| {
            r.route == route::CREATE_MESSAGE && !r.attachments.is_empty()
        })
        .await;
    let export: Value = serde_json::from_slice(&dm.attachments[0].1).unwrap();
    assert_eq!(export["journal"][0]["text"], "Exported words");
    assert_eq!(export["journal"][0]["prompt"], "secure");
    assert_eq!(export["reframes"], json!([]));
    assert_eq!(export["drafts"], json!([]));

    let sent = standin.dispatch(slash("delete"));
    let asked = standin.callback(&sent, PATIENCE).await;
    let ids = button_ids(&asked.body["data"]);
    let confirm = ids
        .iter()
        .find(|id| id.starts_with("mydata:delete:"))
        .unwrap();
    ask(&standin, InteractionSpec::button(&sent, confirm)).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.journal_page(river().id, 0, 10).await.unwrap().1, 0);
    let none = ask(&standin, journal("read", river())).await;
    assert_eq!(content(&none), words().messages.none.plain());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_kept_reframe_and_draft_read_as_what_wrote_them() {
    let standin = StandIn::start_with(quick()).await;
    let bot = start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let user = river().id;
    let record = json!({
        "happened": "No reply for three hours",
        "story": "They are losing interest",
        "other": "They are in a meeting",
        "kinder": "I can wait and see",
    });
    let draft = "Why haven't you answered?";
    let goes = Some(Utc::now() + TimeDelta::days(1));
    for (kind, text) in [
        (JournalKind::Reframe, record.to_string()),
        (JournalKind::Draft, draft.into()),
    ] {
        let id = store
            .write_journal(user, kind, None, &text, goes)
            .await
            .unwrap()
            .unwrap();
        assert!(store.keep_in_journal(user, id).await.unwrap());
    }
    // Not yet kept, not in the journal.
    let unkept = store.write_journal(user, JournalKind::Draft, None, "not kept", goes);
    unkept.await.unwrap().unwrap();
    let w = words();
    let read = standin.dispatch(journal("read", river()));
    let newest = standin.callback(&read, PATIENCE).await;
    assert_eq!(page_of(&newest), (w.kinds.draft.plain(), draft.to_owned()));
    let older = press(&standin, &read, &format!("journal:page:{user}:1")).await;
    let (heading, body) = page_of(&older);
    assert_eq!(heading, w.kinds.reframe.plain());
    let r = &w.reframe;
    let parts = [
        (&r.happened, "No reply for three hours"),
        (&r.story, "They are losing interest"),
        (&r.other, "They are in a meeting"),
        (&r.kinder, "I can wait and see"),
    ];
    let shown: Vec<String> = parts
        .iter()
        .map(|(heading, part)| format!("**{}**\n{part}", heading.plain()))
        .collect();
    assert_eq!(body, shown.join("\n\n"));
    let (kept, total) = store.journal_page(user, 0, 10).await.unwrap();
    assert_eq!(total, 2, "the unkept draft is not in the journal");
    let written = kept[1].written_at.timestamp();
    assert_eq!(content(&older), page_line(2, 2, written));
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// Nothing a person wrote is in the log, at any level.
fn assert_no_canary() {
    let logs = logs();
    assert!(!logs.is_empty());
    for word in ["canary-page", "Vb8r", "slow morning"] {
        assert!(!logs.contains(word), "{word:?} was logged");
    }
}
