//! /anchors end to end: kept privately, sent by DM, never visible to anyone
//! else, and never pinging anyone.

mod harness;
mod standin;

use harness::{
    ask, ask_deferred, assert_healthy, assert_private, assert_private_data, button_ids, content,
    quick, river, said, sky, Bot, GUILD, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Fault, FaultKind, InteractionSpec, Recorded, StandIn, UserSpec};
use steady::prompts::Catalog;
use steady::store::Store;

fn words() -> steady::prompts::Anchors {
    Catalog::load(None).unwrap().anchors
}

fn anchors(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("anchors")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

fn add(text: &str, user: UserSpec) -> InteractionSpec {
    anchors("add", user).option("text", json!(text))
}

fn data(callback: &Recorded) -> &Value {
    &callback.body["data"]
}

#[tokio::test]
async fn kept_listed_sent_by_dm_and_removed_privately() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;

    let kept = ask(&standin, add("I can handle uncertainty", river())).await;
    assert_private(&kept);
    assert_eq!(content(&kept), m.added.render(&[("count", "1")]));
    ask(&standin, add("My worth is not a reply time", river())).await;

    let list = ask(&standin, anchors("list", river())).await;
    assert_private(&list);
    assert!(content(&list).contains("1. I can handle uncertainty"));
    assert!(content(&list).contains("2. My worth is not a reply time"));

    // Sent by DM twice: the DM channel is created once, then read from the cache.
    for _ in 0..2 {
        let sent = ask_deferred(&standin, anchors("send", river()), PATIENCE).await;
        assert_private_data(&sent.body);
        assert_eq!(said(&sent), m.sent.plain());
    }
    let creates = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_DM)
        .count();
    assert_eq!(creates, 1, "the DM channel is cached");
    let dm = standin.dm_channel_of(river().id);
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.dm_channel(river().id).await.unwrap(), Some(dm));
    let dms = standin.messages_in(dm);
    assert_eq!(dms.len(), 2);
    assert!(dms[0]["content"]
        .as_str()
        .unwrap()
        .contains("I can handle uncertainty"));
    assert!(
        dms[1]["content"]
            .as_str()
            .unwrap()
            .contains("My worth is not a reply time"),
        "rotates"
    );
    let posts: Vec<Recorded> = standin
        .requests()
        .into_iter()
        .filter(|r| r.route == route::CREATE_MESSAGE)
        .collect();
    for post in &posts {
        assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));
        let ids = button_ids(&post.body);
        assert_eq!(
            ids,
            [
                format!("breathe:start:{}:0", river().id),
                format!("anchors:another:{}:", river().id)
            ]
        );
    }

    // Remove through autocomplete: the choices are river's own, by id.
    let sent = standin.dispatch(
        InteractionSpec::autocomplete("anchors")
            .subcommand("remove")
            .in_guild(GUILD)
            .user(river())
            .focused("anchor", "uncert"),
    );
    let choices = standin.callback(&sent, PATIENCE).await;
    assert_eq!(choices.body["type"], 8);
    let choices = choices.body["data"]["choices"].as_array().unwrap().clone();
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0]["name"], "I can handle uncertainty");
    let id = choices[0]["value"].as_str().unwrap().to_owned();
    let removed = ask(
        &standin,
        anchors("remove", river()).option("anchor", json!(id)),
    )
    .await;
    assert_private(&removed);
    assert_eq!(content(&removed), m.removed.plain());
    let again = ask(
        &standin,
        anchors("remove", river()).option("anchor", json!(id)),
    )
    .await;
    assert_eq!(content(&again), m.already_gone.plain());
    assert_eq!(store.anchors(river().id).await.unwrap().len(), 1);

    bot.stop().await.unwrap();
    assert_healthy(&standin);
    // serenity logs whole events at debug; steady's own lines never hold the words.
    let ours = harness::logs();
    let ours: Vec<&str> = ours.lines().filter(|l| l.contains(" steady::")).collect();
    assert!(!ours.is_empty());
    assert!(ours
        .iter()
        .all(|l| !l.contains("uncertainty") && !l.contains("reply time")));
}

#[tokio::test]
async fn closed_dms_show_the_anchors_privately_instead() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    for (user, fault) in [
        (
            river(),
            FaultKind::DmClosed {
                user_id: river().id,
            },
        ),
        (sky(), FaultKind::NoMutualGuild { user_id: sky().id }),
    ] {
        ask(&standin, add("I can handle uncertainty", user.clone())).await;
        standin.inject(Fault::new(route::CREATE_MESSAGE, fault));
        for all in [false, true] {
            let spec = anchors("send", user.clone()).option("all", json!(all));
            let shown = ask_deferred(&standin, spec, PATIENCE).await;
            assert_private_data(&shown.body);
            let text = said(&shown);
            assert!(text.starts_with(&m.dms_closed.plain()), "{text}");
            assert!(text.contains("I can handle uncertainty"));
        }
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn nobody_sees_or_removes_anyone_elses_anchors() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    ask(&standin, add("river's private truth", river())).await;

    let list = ask(&standin, anchors("list", sky())).await;
    assert_eq!(content(&list), m.none_yet.plain());
    let sent = standin.dispatch(
        InteractionSpec::autocomplete("anchors")
            .subcommand("remove")
            .user(sky())
            .focused("anchor", ""),
    );
    let choices = standin.callback(&sent, PATIENCE).await;
    assert_eq!(choices.body["data"]["choices"], json!([]));
    let store = Store::open(&bot.database_url()).await.unwrap();
    let theirs = store.anchors(river().id).await.unwrap()[0].id;
    let forged = ask(
        &standin,
        anchors("remove", sky()).option("anchor", json!(theirs.to_string())),
    )
    .await;
    assert_eq!(content(&forged), m.already_gone.plain());
    assert_eq!(
        store.anchors(river().id).await.unwrap().len(),
        1,
        "untouched"
    );
    let nothing = ask(&standin, anchors("send", sky())).await;
    assert_eq!(content(&nothing), m.none_yet.plain());
    assert!(!standin
        .requests()
        .iter()
        .any(|r| r.route == route::CREATE_MESSAGE));

    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_input_is_refused_kindly_and_changes_nothing() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().messages;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let cases = [
        ("", m.empty_text.plain()),
        ("   \n\t ", m.empty_text.plain()),
        ("\u{200B}\u{200C}\u{2060}\u{FEFF}", m.empty_text.plain()),
        (&*"a".repeat(301), m.too_long.render(&[("max", "300")])),
    ];
    for (text, expected) in cases {
        let refused = ask(&standin, add(text, river())).await;
        assert_private(&refused);
        assert_eq!(content(&refused), expected, "{text:?}");
    }
    assert!(store.anchors(river().id).await.unwrap().is_empty());

    ask(&standin, add("I am enough", river())).await;
    let twice = ask(&standin, add("  I am enough ", river())).await;
    assert_eq!(content(&twice), m.duplicate.plain());

    let pinging = ask(&standin, add("@everyone <@1> I matter", river())).await;
    assert_eq!(
        content(&pinging),
        m.added.render(&[("count", "2")]),
        "stored as written"
    );
    let list = ask(&standin, anchors("list", river())).await;
    assert!(content(&list).contains("@everyone <@1> I matter"));
    ask_deferred(
        &standin,
        anchors("send", river()).option("all", json!(true)),
        PATIENCE,
    )
    .await;
    let dm = standin.messages_in(standin.dm_channel_of(river().id));
    assert_eq!(
        dm[0]["mention_everyone"], false,
        "nobody pinged: {:#}",
        dm[0]
    );
    assert_eq!(dm[0]["mentions"], json!([]));

    for n in 3..=50 {
        store
            .add_anchor(river().id, &format!("truth number {n}"))
            .await
            .unwrap()
            .unwrap();
    }
    let full = ask(&standin, add("one more", river())).await;
    assert_eq!(content(&full), m.full.render(&[("max", "50")]));
    assert_eq!(store.anchors(river().id).await.unwrap().len(), 50);

    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_long_list_pages_and_a_starter_set_is_offered() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let w = words();

    let empty = ask(&standin, anchors("list", river())).await;
    assert_eq!(content(&empty), w.messages.none_yet.plain());
    let starter = button_ids(data(&empty)).remove(0);
    let sent = standin.dispatch(InteractionSpec::button(
        &empty_sent(&standin, river()).await,
        &starter,
    ));
    let added = standin.callback(&sent, PATIENCE).await;
    assert_eq!(added.body["type"], 7);
    let count = w.starter.len().to_string();
    assert_eq!(
        content(&added),
        w.messages.starter_added.render(&[("count", &count)])
    );
    let again = ask(&standin, anchors("starter", river())).await;
    assert_eq!(content(&again), w.messages.starter_none.plain());

    let store = Store::open(&bot.database_url()).await.unwrap();
    for n in 0..30 {
        store
            .add_anchor(
                river().id,
                &format!("{n} {}", "a long and gentle truth ".repeat(10)),
            )
            .await
            .unwrap()
            .unwrap();
    }
    let sent = standin.dispatch(anchors("list", river()));
    let first = standin.callback(&sent, PATIENCE).await;
    assert!(content(&first).chars().count() <= 2000);
    let next = button_ids(data(&first));
    assert_eq!(next, [format!("anchors:page:{}:1", river().id)]);
    let press = standin.dispatch(InteractionSpec::button(&sent, &next[0]));
    let second = standin.callback(&press, PATIENCE).await;
    assert_eq!(second.body["type"], 7);
    assert!(content(&second).contains("page 2 of"));
    assert!(button_ids(data(&second))[0].ends_with(":0"), "Previous");

    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// A fresh `/anchors list` by `user` with nothing kept, to press its button.
async fn empty_sent(standin: &StandIn, user: UserSpec) -> standin::Sent {
    let sent = standin.dispatch(anchors("list", user));
    standin.callback(&sent, PATIENCE).await;
    sent
}

#[tokio::test]
async fn the_dm_buttons_breathe_and_bring_another() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, "[breathe]\nlead_in_seconds = 0\n").await;
    ask(&standin, add("first truth", river())).await;
    ask(&standin, add("second truth", river())).await;
    ask_deferred(&standin, anchors("send", river()), PATIENCE).await;
    let dm = standin
        .messages_in(standin.dm_channel_of(river().id))
        .remove(0);
    let id = dm["id"].as_str().unwrap().parse::<u64>().unwrap();

    let another = standin.dispatch(
        InteractionSpec::button(id, &format!("anchors:another:{}:", river().id)).user(river()),
    );
    let next = standin.callback(&another, PATIENCE).await;
    assert_eq!(next.body["type"], 4);
    assert!(
        content(&next).contains("second truth"),
        "not the same twice in a row"
    );

    let breathe = standin.dispatch(
        InteractionSpec::button(id, &format!("breathe:start:{}:0", river().id)).user(river()),
    );
    let first_frame = standin.callback(&breathe, PATIENCE).await;
    assert_eq!(first_frame.body["type"], 4);
    assert!(
        content(&first_frame).contains("Breathe in"),
        "{}",
        content(&first_frame)
    );

    let stranger = standin.dispatch(
        InteractionSpec::button(id, &format!("anchors:another:{}:", river().id)).user(sky()),
    );
    let refused = standin.callback(&stranger, PATIENCE).await;
    assert_eq!(
        content(&refused),
        Catalog::load(None).unwrap().errors.not_yours.plain()
    );

    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn my_anchors_from_an_end_screen_shows_them_privately() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    ask(&standin, add("I can handle uncertainty", river())).await;
    let about = standin.dispatch(InteractionSpec::slash("about").user(river()));
    standin.callback(&about, PATIENCE).await;
    let press = standin.dispatch(InteractionSpec::button(
        &about,
        &format!("anchors:show:{}:", river().id),
    ));
    let shown = standin.callback(&press, PATIENCE).await;
    assert_private(&shown);
    assert_eq!(
        shown.body["type"], 4,
        "a new private message, the end screen stays"
    );
    assert!(content(&shown).contains("1. I can handle uncertainty"));
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn fifty_long_anchors_all_arrive_at_the_pace_of_the_dm_channel() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let texts: Vec<String> = (0..50)
        .map(|n| {
            format!("{n:02} {}", "I can hold this feeling gently. ".repeat(10))[..300].to_owned()
        })
        .collect();
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.add_anchors(river().id, &texts).await.unwrap(), 50);
    // Ten messages, more than the channel takes at once: deferred, paced.
    let answer = ask_deferred(
        &standin,
        anchors("send", river()).option("all", json!(true)),
        PATIENCE * 4,
    )
    .await;
    assert_private_data(&answer.body);
    assert_eq!(answer.body["content"], words().messages.sent.plain());
    let pages = standin.messages_in(standin.dm_channel_of(river().id));
    assert!(pages.len() > 5, "{} pages", pages.len());
    for text in &texts {
        let shown = pages
            .iter()
            .filter(|page| page["content"].as_str().unwrap().contains(text.as_str()))
            .count();
        assert_eq!(shown, 1, "{text:?}");
    }
    assert!(standin.rate_limited().is_empty(), "no 429s");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn asking_for_dms_again_and_again_gets_a_kind_pause() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    ask(&standin, add("I can handle uncertainty", river())).await;
    ask(&standin, add("I can handle uncertainty", sky())).await;
    let m = words().messages;
    for _ in 0..3 {
        let sent = ask_deferred(&standin, anchors("send", river()), PATIENCE).await;
        assert_eq!(said(&sent), m.sent.plain());
    }
    let paused = ask(&standin, anchors("send", river())).await;
    assert_private(&paused);
    let text = content(&paused);
    let errors = Catalog::load(None).unwrap().errors;
    let slow_down = errors.slow_down.render(&[("when", "<t:")]);
    let before_when = slow_down.split("<t:").next().unwrap();
    assert!(
        text.starts_with(before_when) && text.contains(":R>"),
        "{text}"
    );
    let dm = standin.dm_channel_of(river().id);
    assert_eq!(standin.messages_in(dm).len(), 3, "no fourth DM");
    // Someone else is not held up.
    let theirs = ask_deferred(&standin, anchors("send", sky()), PATIENCE).await;
    assert_eq!(said(&theirs), m.sent.plain());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn change_after_change_gets_a_kind_pause_and_keeps_nothing_more() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    // Refused texts are not changes: they never count.
    for _ in 0..40 {
        ask(&standin, add("   ", river())).await;
    }
    let started = std::time::Instant::now();
    for n in 0..30 {
        let kept = ask(&standin, add(&format!("truth {n}"), river())).await;
        let count = (n + 1).to_string();
        assert_eq!(
            content(&kept),
            words().messages.added.render(&[("count", &count)])
        );
    }
    // One more change comes back every 2 s: on a busy machine those 30 can
    // take longer, so count what the clock allowed instead of assuming 0.
    let mut refilled = 0;
    let paused = loop {
        let reply = ask(&standin, add(&format!("refilled {refilled}"), river())).await;
        let count = (31 + refilled).to_string();
        if content(&reply) != words().messages.added.render(&[("count", &count)]) {
            break reply;
        }
        refilled += 1;
    };
    let allowed = started.elapsed().as_secs() / 2;
    assert!(
        refilled <= allowed,
        "{refilled} changes past 30 in {:?}",
        started.elapsed()
    );
    assert_private(&paused);
    let errors = Catalog::load(None).unwrap().errors;
    let said = errors.slow_down_changes.render(&[("when", "<t:")]);
    let before_when = said.split("<t:").next().unwrap();
    assert!(
        content(&paused).starts_with(before_when),
        "{}",
        content(&paused)
    );
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.anchors(river().id).await.unwrap().len();
    assert_eq!(kept, 30 + refilled as usize);
    let theirs = ask(&standin, add("mine", sky())).await;
    assert_eq!(
        content(&theirs),
        words().messages.added.render(&[("count", "1")])
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// The first words of the kind pause on DMs, before its `{when}`.
fn slow_down_start() -> String {
    let errors = Catalog::load(None).unwrap().errors;
    let said = errors.slow_down.render(&[("when", "<t:")]);
    said.split("<t:").next().unwrap().to_owned()
}

#[tokio::test]
async fn a_held_request_moves_no_anchor_and_another_one_is_held_too() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    for text in ["one", "two", "three"] {
        ask(&standin, add(text, river())).await;
    }
    // Three DMs at once: "one" sent, then "two" and "three" by Another one.
    let sent = ask_deferred(&standin, anchors("send", river()), PATIENCE).await;
    assert_eq!(said(&sent), words().messages.sent.plain());
    let dm = standin
        .messages_in(standin.dm_channel_of(river().id))
        .remove(0);
    let id = dm["id"].as_str().unwrap().parse::<u64>().unwrap();
    let another = || {
        let custom_id = format!("anchors:another:{}:", river().id);
        InteractionSpec::button(id, &custom_id).user(river())
    };
    for text in ["two", "three"] {
        let next = ask(&standin, another()).await;
        assert!(content(&next).contains(text), "{}", content(&next));
    }
    // One more of either is held, kindly and privately, and moves nothing.
    let held = ask(&standin, another()).await;
    assert_private(&held);
    assert!(content(&held).starts_with(&slow_down_start()), "{held:?}");
    let held = ask(&standin, anchors("send", river())).await;
    assert_private(&held);
    assert!(content(&held).starts_with(&slow_down_start()), "{held:?}");
    let store = Store::open(&bot.database_url()).await.unwrap();
    let next = store.next_anchor(river().id).await.unwrap().unwrap();
    assert_eq!(
        next.text.as_deref(),
        Some("one"),
        "the rotation is where \"three\" left it"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn autocomplete_offers_at_most_discords_25_choices_first_ones_first() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let texts: Vec<String> = (0..50).map(|n| format!("truth {n:02}")).collect();
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.add_anchors(river().id, &texts).await.unwrap(), 50);
    let sent = standin.dispatch(
        InteractionSpec::autocomplete("anchors")
            .subcommand("remove")
            .user(river())
            .focused("anchor", "truth"),
    );
    let offered = standin.callback(&sent, PATIENCE).await;
    let choices = offered.body["data"]["choices"].as_array().unwrap().clone();
    let names: Vec<&str> = choices
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        texts[..25].iter().map(String::as_str).collect::<Vec<_>>()
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
