//! /calm end to end through the stand-in: a calm corner anyone can press
//! for their own private flow, the server's own help lines first in its
//! /support (and nowhere else), a daily moment that posts once, survives a
//! restart and counts who joins, and a server's data gone with /calm forget
//! or when steady is removed (never on an outage).

mod harness;
mod standin;

use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use harness::{
    ask, ask_deferred, assert_healthy, assert_private, button_ids, content, database_url,
    half_a_day_away, quick, river, said, sky, Bot, GUILD, PAST_RETRIES, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, Deny, InteractionSpec, Recorded, StandIn, UserSpec};
use std::time::Duration;
use steady::prompts::{Catalog, Catalogs, Locale};
use steady::store::{ServerData, Store};

/// Another server, with none of GUILD's help lines.
const OTHER: u64 = 1_200_000_000_000_000_002;

fn words() -> Catalog {
    Catalog::load(None).unwrap()
}

/// `/calm <sub>` (or `/calm <group> <sub>`) by river, a moderator of GUILD.
fn calm(path: &str) -> InteractionSpec {
    let spec = InteractionSpec::slash("calm")
        .in_guild(GUILD)
        .user(river())
        .moderator();
    match path.split_once(' ') {
        Some((group, sub)) => spec.group(group).subcommand(sub),
        None => spec.subcommand(path),
    }
}

fn add_help(name: &str, text: &str, link: Option<&str>) -> InteractionSpec {
    let spec = calm("help add")
        .option("name", json!(name))
        .option("text", json!(text));
    match link {
        Some(link) => spec.option("link", json!(link)),
        None => spec,
    }
}

/// Wait until `channel` holds `count` messages, and return them.
async fn messages(standin: &StandIn, channel: u64, count: usize) -> Vec<Value> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let all = standin.messages_in(channel);
            if all.len() >= count {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("expected {count} messages in {channel}"))
}

/// Wait until steady has identified `count` times: a start on a stand-in
/// that saw an earlier one is ready only then.
async fn identified(standin: &StandIn, count: usize) {
    tokio::time::timeout(PATIENCE, async {
        while standin.identify_count() < count {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("identified");
}

fn id_of(message: &Value) -> u64 {
    message["id"].as_str().unwrap().parse().unwrap()
}

/// `who` presses `custom_id` on `message` in GUILD.
async fn press_on(standin: &StandIn, message: &Value, custom_id: &str, who: UserSpec) -> Recorded {
    let spec = InteractionSpec::button(id_of(message), custom_id)
        .in_guild(GUILD)
        .user(who);
    standin.callback(&standin.dispatch(spec), PATIENCE).await
}

#[tokio::test]
async fn calm_outside_a_server_is_refused_kindly() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    // Discord offers /calm only in servers; a client that sends it from a
    // DM anyway hears why.
    let spec = InteractionSpec::slash("calm")
        .subcommand("status")
        .in_dm()
        .user(river());
    let refused = ask(&standin, spec).await;
    assert_private(&refused);
    assert_eq!(content(&refused), words().calm.messages.guild_only.plain());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_panel_press_by_anyone_starts_their_own_private_flow_even_after_a_restart() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, "[breathe]\nlead_in_seconds = 0\n").await;
    let words = words();
    let posted = ask_deferred(&standin, calm("panel"), PATIENCE).await;
    let channel = standin.guild_channel_of(GUILD);
    let expected = words
        .calm
        .messages
        .panel_posted
        .render(&[("channel", &format!("<#{channel}>"))]);
    assert_eq!(said(&posted), expected);
    let panel = messages(&standin, channel, 1)
        .await
        .into_iter()
        .find(|m| m["content"] == json!(words.calm.panel.text.plain()))
        .expect("the panel, in the channel");
    let ids = button_ids(&panel);
    assert_eq!(
        ids,
        ["breathe", "ground", "soothe", "anchors", "support"].map(|a| format!("panel:{a}:0:"))
    );
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.server_data(GUILD).await.unwrap().panels, 1);
    bot.stop().await.unwrap();

    // Nothing the buttons need is kept in memory: a new start answers them.
    let bot = Bot::start_with(&standin, "[breathe]\nlead_in_seconds = 0\n").await;
    // `start_with` saw the first start's READY: wait for this one's.
    identified(&standin, 2).await;
    let someone = sky();
    let breathe = press_on(&standin, &panel, "panel:breathe:0:", someone.clone()).await;
    assert_eq!(breathe.body["type"], 4, "a new message of their own");
    assert_eq!(breathe.body["data"]["flags"], 64, "only they see it");
    let stop = button_ids(&breathe.body["data"]);
    assert!(
        stop[0].starts_with(&format!("pace:stop:{}:", someone.id)),
        "{stop:?}"
    );
    let soothe = press_on(&standin, &panel, "panel:soothe:0:", someone.clone()).await;
    assert_private(&soothe);
    assert_eq!(content(&soothe), words.soothe.question.plain());
    let menu = &soothe.body["data"]["components"][0]["components"][0];
    assert_eq!(
        menu["custom_id"],
        json!(format!("soothe:feel:{}:", someone.id))
    );
    for action in ["ground", "anchors", "support"] {
        let answer = press_on(
            &standin,
            &panel,
            &format!("panel:{action}:0:"),
            someone.clone(),
        )
        .await;
        assert_eq!(answer.body["type"], 4, "{action}");
        assert_eq!(answer.body["data"]["flags"], 64, "{action}: private");
    }
    // The panel itself never changes.
    assert_eq!(
        standin.message(id_of(&panel)).unwrap()["content"],
        panel["content"]
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_panel_where_steady_may_not_post_names_the_permission() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    let here = standin.guild_channel_of(GUILD);
    // Here, Discord's `app_permissions` already says so: no request is tried.
    standin.deny(here, Deny::Send);
    let refused = ask(&standin, calm("panel")).await;
    assert_private(&refused);
    let name = format!("<#{here}>");
    assert_eq!(content(&refused), m.no_send.render(&[("channel", &name)]));

    // Another channel: steady tries, and reads Discord's refusal.
    let hidden = standin.new_channel(GUILD);
    standin.deny(hidden, Deny::View);
    let spec = calm("panel").channel_option("channel", hidden, 0);
    let refused = ask_deferred(&standin, spec, PATIENCE).await;
    let name = format!("<#{hidden}>");
    assert_eq!(said(&refused), m.no_view.render(&[("channel", &name)]));
    let voice = standin.new_channel(GUILD);
    let refused = ask(&standin, calm("panel").channel_option("channel", voice, 2)).await;
    let name = format!("<#{voice}>");
    assert_eq!(content(&refused), m.not_text.render(&[("channel", &name)]));

    // A server where steady's commands are, but not steady itself.
    const ELSEWHERE: u64 = 1_200_000_000_000_000_003;
    standin.not_member(ELSEWHERE);
    let spec = InteractionSpec::slash("calm")
        .subcommand("panel")
        .in_guild(ELSEWHERE)
        .user(river())
        .moderator();
    let refused = ask_deferred(&standin, spec, PATIENCE).await;
    assert_eq!(said(&refused), m.not_member.plain());

    let store = Store::open(&bot.database_url()).await.unwrap();
    for guild in [GUILD, ELSEWHERE] {
        assert!(store.server_data(guild).await.unwrap().is_empty());
    }
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_servers_help_lines_come_first_in_its_support_and_nowhere_else() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = words();
    let m = &words.calm.messages;
    let added = ask(
        &standin,
        add_help("Talk to a mod", "Ask in #talk-to-a-mod, any time", None),
    )
    .await;
    assert_private(&added);
    assert_eq!(
        content(&added),
        m.help_added.render(&[("name", "Talk to a mod")])
    );
    ask(
        &standin,
        add_help(
            "Local line",
            "Call 0800 000 000",
            Some("https://example.org/help"),
        ),
    )
    .await;

    let support = ask(
        &standin,
        InteractionSpec::slash("support")
            .in_guild(GUILD)
            .user(sky()),
    )
    .await;
    assert_private(&support);
    assert_eq!(content(&support), words.support.intro.plain());
    let embeds = support.body["data"]["embeds"].as_array().unwrap();
    assert_eq!(embeds[0]["title"], json!(m.help_heading.plain()));
    assert_eq!(
        embeds[0]["description"],
        json!(
            "- **Talk to a mod**: Ask in #talk-to-a-mod, any time\n\
               - **Local line**: Call 0800 000 000 <https://example.org/help>"
        )
    );
    assert_eq!(
        embeds[1]["description"],
        json!(words.support.lines_for("en-US"))
    );

    // Another server, and a DM, get the general lines alone.
    let general = words.support.message("en-US");
    for spec in [
        InteractionSpec::slash("support")
            .in_guild(OTHER)
            .user(sky()),
        InteractionSpec::slash("support").in_dm().user(sky()),
    ] {
        let answer = ask(&standin, spec).await;
        assert_eq!(content(&answer), general);
        assert!(answer.body["data"]["embeds"]
            .as_array()
            .is_none_or(Vec::is_empty));
    }

    let listed = ask(&standin, calm("help list")).await;
    assert!(
        content(&listed).contains("- **Local line**: Call 0800 000 000 <https://example.org/help>")
    );
    let removed = ask(
        &standin,
        calm("help remove").option("name", json!("local LINE")),
    )
    .await;
    assert_eq!(
        content(&removed),
        m.help_removed.render(&[("name", "local LINE")])
    );
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), 1);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn bad_help_lines_are_refused_kindly_and_change_nothing() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    let long = "a".repeat(101);
    let cases = [
        (
            add_help("Name", &long, None),
            m.text_too_long.render(&[("max", "100"), ("count", "101")]),
        ),
        (
            add_help("Name", "Text", Some("javascript:alert(1)")),
            m.bad_link.plain(),
        ),
        (
            add_help("Name", "Text", Some("http://example.org")),
            m.bad_link.plain(),
        ),
        (
            add_help("@everyone look", "Text", None),
            m.no_mentions.plain(),
        ),
        (
            add_help("Name", "Ping <@&123>", None),
            m.no_mentions.plain(),
        ),
    ];
    for (spec, expected) in cases {
        let refused = ask(&standin, spec).await;
        assert_private(&refused);
        assert_eq!(content(&refused), expected);
    }
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert!(store.help_lines(GUILD).await.unwrap().is_empty());

    for i in 0..10 {
        ask(&standin, add_help(&format!("Line {i}"), "Text", None)).await;
    }
    let same = ask(&standin, add_help("line 3", "Other text", None)).await;
    assert_eq!(content(&same), m.help_exists.render(&[("name", "line 3")]));
    let full = ask(&standin, add_help("Line 11", "Text", None)).await;
    assert_eq!(content(&full), m.help_full.render(&[("max", "10")]));
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), 10);
    let unknown = ask(&standin, calm("help remove").option("name", json!("Nope"))).await;
    assert_eq!(
        content(&unknown),
        m.help_unknown.render(&[("name", "Nope")])
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// Bring the daily moment of `guild` forward to `secs` from now, straight
/// in the database (its own time is half a day away, so only this is due).
async fn ritual_due_in(dir: &std::path::Path, guild: u64, secs: i64) -> chrono::DateTime<Utc> {
    let store = Store::open(&database_url(dir)).await.unwrap();
    let due = Utc::now() + TimeDelta::seconds(secs);
    sqlx::query("UPDATE rituals SET next_due = ? WHERE guild_id = ?")
        .bind(due.timestamp())
        .bind(guild as i64)
        .execute(store.sqlite().unwrap())
        .await
        .unwrap();
    store.close().await;
    chrono::DateTime::from_timestamp(due.timestamp(), 0).unwrap()
}

#[tokio::test]
async fn a_daily_moment_posts_once_after_a_restart_and_counts_who_joins() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let extra = "[breathe]\nlead_in_seconds = 0\n";
    let bot = Bot::start_in(&standin, dir.path(), extra).await;
    let words = words();
    let channel = standin.new_channel(GUILD);
    let at = harness::time_of(half_a_day_away(Tz::UTC));
    let set = ask(
        &standin,
        calm("ritual set")
            .option("time", json!(at.to_string()))
            .option("timezone", json!("UTC"))
            .channel_option("channel", channel, 0)
            .option("pattern", json!(1)),
    )
    .await;
    assert_private(&set);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let ritual = store.ritual(GUILD).await.unwrap().expect("set");
    let next = ritual.next_due.unwrap();
    assert_eq!(
        next,
        steady::daily::due::next_due(Tz::UTC, at, next - TimeDelta::days(1))
    );
    assert!(content(&set).contains(&format!("<t:{}:R>", next.timestamp())));
    store.close().await;
    bot.stop().await.unwrap();

    // Due three seconds ahead; steady stops and starts again before then.
    ritual_due_in(dir.path(), GUILD, 3).await;
    let bot = Bot::start_in(&standin, dir.path(), extra).await;
    identified(&standin, 2).await;
    bot.stop().await.unwrap();
    let bot = Bot::start_in(&standin, dir.path(), extra).await;
    identified(&standin, 3).await;
    let post = messages(&standin, channel, 1).await.remove(0);
    let text = words.calm.ritual.post.render(&[("time", &at.to_string())]);
    assert_eq!(post["content"], json!(text));
    assert_eq!(
        button_ids(&post),
        ["ritual:together:0:1", "ritual:alone:0:1"]
    );
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(standin.messages_in(channel).len(), 1, "once");

    // Anyone joins: together in the channel, or just for them.
    let together = press_on(&standin, &post, "ritual:together:0:1", sky()).await;
    assert_eq!(together.body["type"], 4);
    assert_eq!(
        together.body["data"]["flags"].as_u64().unwrap_or(0) & 64,
        0,
        "shared"
    );
    let stop = button_ids(&together.body["data"]);
    assert!(
        stop[0].starts_with(&format!("pace:stop:{}:", sky().id)),
        "{stop:?}"
    );
    let shown = |n| format!("{text}\n\n{}", words.calm.joined.render(n));
    let counted = tokio::time::timeout(PATIENCE, async {
        loop {
            let now = standin.message(id_of(&post)).unwrap();
            if now["content"] == json!(shown(1)) {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the count shown");
    assert_eq!(button_ids(&counted).len(), 2, "its buttons stay");
    let alone = press_on(&standin, &post, "ritual:alone:0:1", river()).await;
    assert_eq!(alone.body["data"]["flags"], 64, "private");
    // Shown at most once a minute: the second join waits its turn.
    tokio::time::sleep(PAST_RETRIES).await;
    assert_eq!(
        standin.message(id_of(&post)).unwrap()["content"],
        json!(shown(1))
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_daily_moment_with_bad_input_is_refused_kindly() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = words();
    let c = &words.checkin.messages;
    let m = &words.calm.messages;
    let channel = standin.new_channel(GUILD);
    let set = |time: &str, zone: &str, channel: u64| {
        calm("ritual set")
            .option("time", json!(time))
            .option("timezone", json!(zone))
            .channel_option("channel", channel, 0)
    };
    let typo = ask(&standin, set("21:00", "Europe/Berlinn", channel)).await;
    assert_private(&typo);
    let said = content(&typo);
    assert!(said.contains("`Europe/Berlin`"), "{said}");
    assert!(
        said.starts_with(c.bad_zone.plain().split('"').next().unwrap()),
        "{said}"
    );
    let late = ask(&standin, set("25:00", "UTC", channel)).await;
    assert_eq!(content(&late), c.no_such_time.render(&[("typed", "25:00")]));
    let hidden = standin.new_channel(GUILD);
    standin.deny(hidden, Deny::View);
    let unseen = ask(&standin, set("21:00", "UTC", hidden)).await;
    let name = format!("<#{hidden}>");
    assert_eq!(content(&unseen), m.no_view.render(&[("channel", &name)]));
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.ritual(GUILD).await.unwrap(), None);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// Give GUILD a panel, a help line and a daily moment.
async fn set_up_everything(standin: &StandIn) {
    ask_deferred(standin, calm("panel"), PATIENCE).await;
    ask(
        standin,
        add_help("Talk to a mod", "Ask in #talk-to-a-mod", None),
    )
    .await;
    let at = harness::time_of(half_a_day_away(Tz::UTC));
    let channel = standin.guild_channel_of(GUILD);
    ask(
        standin,
        calm("ritual set")
            .option("time", json!(at.to_string()))
            .option("timezone", json!("UTC"))
            .channel_option("channel", channel, 0),
    )
    .await;
}

#[tokio::test]
async fn forget_asks_its_moderator_first_then_leaves_nothing() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    set_up_everything(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.server_data(GUILD).await.unwrap();
    assert_eq!(
        kept,
        ServerData {
            panels: 1,
            help: 1,
            ritual: true
        }
    );
    let status = ask(&standin, calm("status")).await;
    assert!(content(&status).contains(": 1"), "{}", content(&status));

    let asked = standin.dispatch(calm("forget"));
    let confirm = standin.callback(&asked, PATIENCE).await;
    assert_private(&confirm);
    assert_eq!(content(&confirm), m.forget_confirm.plain());
    let ids = button_ids(&confirm.body["data"]);
    // Only the moderator who asked can confirm.
    let theirs = InteractionSpec::button(&asked, &ids[0])
        .in_guild(GUILD)
        .user(sky());
    ask(&standin, theirs).await;
    assert_eq!(store.server_data(GUILD).await.unwrap(), kept);
    let done = ask(
        &standin,
        InteractionSpec::button(&asked, &ids[0])
            .in_guild(GUILD)
            .user(river())
            .moderator(),
    )
    .await;
    assert_eq!(content(&done), m.forget_done.plain());
    assert!(store.server_data(GUILD).await.unwrap().is_empty());
    assert_eq!(store.next_due().await.unwrap(), None);
    let again = ask(&standin, calm("forget")).await;
    assert_eq!(content(&again), m.forget_nothing.plain());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn removal_from_a_server_forgets_it_but_an_outage_keeps_everything() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    set_up_everything(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.server_data(GUILD).await.unwrap();
    assert!(!kept.is_empty());

    // An outage: the server is unavailable, not left.
    let outage = json!({"id": GUILD.to_string(), "unavailable": true});
    assert_eq!(
        standin.dispatch_event("GUILD_DELETE", outage),
        1,
        "steady asked for GUILDS"
    );
    // A command after it is answered in order, so the event was handled.
    ask(&standin, InteractionSpec::slash("about").in_guild(GUILD)).await;
    assert_eq!(store.server_data(GUILD).await.unwrap(), kept);

    // Removed: everything kept for that server goes.
    standin.dispatch_event("GUILD_DELETE", json!({"id": GUILD.to_string()}));
    tokio::time::timeout(PATIENCE, async {
        while !store.server_data(GUILD).await.unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("forgotten");
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn what_the_whole_server_reads_is_in_the_servers_language() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let catalogs = Catalogs::load(None).unwrap();
    let (german, english) = (catalogs.get(Locale::German), catalogs.english());
    // A moderator whose own Discord is in English, in a German server.
    let spec = calm("panel").guild_locale("de").locale("en-US");
    let answer = ask_deferred(&standin, spec, PATIENCE).await;
    let channel = standin.guild_channel_of(GUILD);
    let name = format!("<#{channel}>");
    let posted = english
        .calm
        .messages
        .panel_posted
        .render(&[("channel", &name)]);
    assert_eq!(
        said(&answer),
        posted,
        "the moderator reads their own language"
    );
    let panel = german.calm.panel.text.plain();
    assert_ne!(panel, english.calm.panel.text.plain());
    let all = standin.messages_in(channel);
    assert!(
        all.iter().any(|m| m["content"] == json!(panel)),
        "the panel is German"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// GUILD's daily moment at `at` (UTC) in `channel`, set by a moderator and
/// brought forward: steady started again on `dir`, and the day's post.
async fn posted_today(
    standin: &StandIn,
    dir: &std::path::Path,
    channel: u64,
    at: steady::daily::time::TimeOfDay,
) -> (Bot, Value) {
    let extra = "[breathe]\nlead_in_seconds = 0\n";
    let bot = Bot::start_in(standin, dir, extra).await;
    let set = calm("ritual set")
        .option("time", json!(at.to_string()))
        .option("timezone", json!("UTC"))
        .channel_option("channel", channel, 0)
        .option("pattern", json!(1));
    ask(standin, set).await;
    bot.stop().await.unwrap();
    ritual_due_in(dir, GUILD, 1).await;
    let bot = Bot::start_in(standin, dir, extra).await;
    let post = messages(standin, channel, 1).await.remove(0);
    kept_as_the_post(dir, &post).await;
    (bot, post)
}

/// Wait until steady has kept `post` as its server's day's post. The post
/// is up on Discord a moment before its id is kept, and a press in that
/// moment breathes but is not counted; no person is that quick, but a
/// test on a busy machine was.
async fn kept_as_the_post(dir: &std::path::Path, post: &Value) {
    let store = Store::open(&database_url(dir)).await.unwrap();
    let id = id_of(post) as i64;
    tokio::time::timeout(PATIENCE, async {
        loop {
            let kept: Option<i64> =
                sqlx::query_scalar("SELECT message_id FROM rituals WHERE guild_id = ?")
                    .bind(GUILD as i64)
                    .fetch_one(store.sqlite().unwrap())
                    .await
                    .unwrap();
            if kept == Some(id) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the post's id kept");
    store.close().await;
}

/// Wait until `message` reads other than `before`, and return what it reads.
/// A count is a scheduled edit that a failed try brings again a second,
/// then two, later: the wait runs past those retries. If it never comes,
/// say which edits of the post Discord saw.
async fn edited_from(standin: &StandIn, message: &Value, before: &str) -> String {
    let edited = tokio::time::timeout(PATIENCE + PAST_RETRIES, async {
        loop {
            let now = standin.message(id_of(message)).unwrap();
            let content = now["content"].as_str().unwrap_or("").to_owned();
            if content != before {
                return content;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    edited.unwrap_or_else(|_| {
        let tries: Vec<(u16, Value)> = (standin.requests().into_iter())
            .filter(|r| r.route == route::EDIT_MESSAGE)
            .map(|r| (r.status, r.body))
            .collect();
        panic!("the post was not edited; its edits: {tries:#?}")
    })
}

/// Whether a press on a daily post began a shared exercise (a refusal is
/// private).
fn began_together(press: &Recorded) -> bool {
    press.body["type"] == 4 && press.body["data"]["flags"].as_u64().unwrap_or(0) & 64 == 0
}

#[tokio::test]
async fn one_person_pressing_again_and_again_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let channel = standin.new_channel(GUILD);
    let at = harness::time_of(half_a_day_away(Tz::UTC));
    let (bot, post) = posted_today(&standin, dir.path(), channel, at).await;
    let words = words();
    let text = words.calm.ritual.post.render(&[("time", &at.to_string())]);
    let shown = |n| format!("{text}\n\n{}", words.calm.joined.render(n));

    // sky presses five times: the first begins, the others find it running
    // and count nothing.
    let together = InteractionSpec::button(id_of(&post), "ritual:together:0:1")
        .in_guild(GUILD)
        .user(sky());
    let first = standin.dispatch(together);
    let breathing = standin.callback(&first, PATIENCE).await;
    assert!(began_together(&breathing));
    let running = words.breathing.messages.already_running.plain();
    for _ in 0..4 {
        let again = press_on(&standin, &post, "ritual:together:0:1", sky()).await;
        assert_private(&again);
        assert_eq!(content(&again), running);
    }
    assert_eq!(edited_from(&standin, &post, &text).await, shown(1));
    // Stopped, sky breathes from the post again: still counted once.
    let stop = button_ids(&breathing.body["data"]).remove(0);
    let stop = InteractionSpec::button(&first, &stop)
        .in_guild(GUILD)
        .user(sky());
    ask(&standin, stop).await;
    tokio::time::timeout(PATIENCE, async {
        loop {
            let press = press_on(&standin, &post, "ritual:together:0:1", sky()).await;
            if began_together(&press) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("sky breathes again once the first has ended");

    // Someone breathing on their own already presses: refused, not counted.
    let fern = UserSpec::new(1_100_000_000_000_000_303, "fern");
    let own = InteractionSpec::slash("breathe")
        .in_guild(GUILD)
        .user(fern.clone());
    assert_eq!(ask(&standin, own).await.body["type"], 4);
    let busy = press_on(&standin, &post, "ritual:together:0:1", fern).await;
    assert_eq!(content(&busy), running);

    // Someone else makes two. A count is shown at most once a minute: the
    // last showing is moved a minute back, as if that minute had passed.
    let store = Store::open(&bot.database_url()).await.unwrap();
    sqlx::query("UPDATE rituals SET shown_at = shown_at - 60")
        .execute(store.sqlite().unwrap())
        .await
        .unwrap();
    store.close().await;
    let alone = press_on(&standin, &post, "ritual:alone:0:1", river()).await;
    assert_eq!(alone.body["type"], 4);
    assert_eq!(edited_from(&standin, &post, &shown(1)).await, shown(2));
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_join_after_the_moment_changed_keeps_what_its_post_said() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let channel = standin.new_channel(GUILD);
    let at = harness::time_of(half_a_day_away(Tz::UTC));
    let (bot, post) = posted_today(&standin, dir.path(), channel, at).await;
    let words = words();
    let text = words.calm.ritual.post.render(&[("time", &at.to_string())]);

    // Moved an hour later, to another channel, from a German server.
    let later = harness::time_of(half_a_day_away(Tz::UTC) + TimeDelta::hours(1));
    let elsewhere = standin.new_channel(GUILD);
    let set = calm("ritual set")
        .guild_locale("de")
        .option("time", json!(later.to_string()))
        .option("timezone", json!("UTC"))
        .channel_option("channel", elsewhere, 0)
        .option("pattern", json!(1));
    ask(&standin, set).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let ritual = store.ritual(GUILD).await.unwrap().expect("set");
    assert_eq!(
        (ritual.time, ritual.channel, ritual.locale.as_str()),
        (later, elsewhere, "de"),
        "the moment changed"
    );
    store.close().await;

    // A join on today's post: it still says today's time, in its words.
    let joined = press_on(&standin, &post, "ritual:together:0:1", sky()).await;
    assert!(began_together(&joined));
    let counted = format!("{text}\n\n{}", words.calm.joined.render(1));
    assert_eq!(edited_from(&standin, &post, &text).await, counted);
    assert!(
        standin.messages_in(elsewhere).is_empty(),
        "nothing elsewhere"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
