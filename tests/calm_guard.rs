//! Only the right people change a server's crisis lines, and nothing in a
//! line smuggles a link or a ping: end to end through the stand-in, which
//! sends each member's permissions as Discord computes them and delivers
//! `/calm` to someone without Manage Server only when the server opened it
//! to them.

mod harness;
mod standin;

use harness::{
    ask, ask_deferred, assert_healthy, assert_private, content, half_a_day_away, river, sky,
    time_of, Bot, GUILD, PATIENCE,
};
use serde_json::json;
use standin::{route, Deny, InteractionSpec, StandIn};
use steady::help_line::HelpLine;
use steady::prompts::{CalmMessages, Catalog};
use steady::store::{ServerData, Store};

fn words() -> Catalog {
    Catalog::load(None).unwrap()
}

/// `/calm <sub>` (or `<group> <sub>`) in GUILD.
fn calm(path: &str) -> InteractionSpec {
    let spec = InteractionSpec::slash("calm").in_guild(GUILD);
    match path.split_once(' ') {
        Some((group, sub)) => spec.group(group).subcommand(sub),
        None => spec.subcommand(path),
    }
}

/// By river, who has Manage Server.
fn moderator(path: &str) -> InteractionSpec {
    calm(path).user(river()).moderator()
}

/// By sky, a "listener" the server opened `/calm` to, without Manage Server.
fn listener(path: &str) -> InteractionSpec {
    calm(path).user(sky()).opened()
}

fn add_help(spec: InteractionSpec, name: &str, text: &str) -> InteractionSpec {
    spec.option("name", json!(name)).option("text", json!(text))
}

fn ritual_set(spec: InteractionSpec, channel: u64) -> InteractionSpec {
    // Half a day away, so no daily post falls due while the test runs.
    let time = time_of(half_a_day_away(chrono_tz::Tz::UTC)).to_string();
    spec.option("time", json!(time))
        .option("timezone", json!("UTC"))
        .channel_option("channel", channel, 0)
}

fn posts(standin: &StandIn) -> usize {
    standin.count(|r| r.route == route::CREATE_MESSAGE)
}

#[tokio::test]
async fn a_member_without_manage_server_changes_nothing_the_server_keeps() {
    let standin = StandIn::start().await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    let corner = standin.new_channel(GUILD);
    ask(
        &standin,
        add_help(moderator("help add"), "Samaritans", "116 123"),
    )
    .await;
    ask(&standin, ritual_set(moderator("ritual set"), corner)).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let kept = store.server_data(GUILD).await.unwrap();
    assert_eq!(
        kept,
        ServerData {
            panels: 0,
            help: 1,
            ritual: true
        }
    );

    for spec in [
        add_help(listener("help add"), "Mine", "Call me"),
        listener("help remove").option("name", json!("Samaritans")),
        ritual_set(listener("ritual set"), corner),
        listener("ritual off"),
        listener("forget"),
    ] {
        let refused = ask(&standin, spec).await;
        assert_private(&refused);
        assert_eq!(content(&refused), m.moderators_only.plain());
    }
    // Discord sent no permissions at all: the same.
    let bare = ask(
        &standin,
        add_help(
            calm("help add").user(sky()).opened().permissions(0),
            "Mine",
            "Call me",
        ),
    )
    .await;
    assert_eq!(content(&bare), m.moderators_only.plain());
    assert_eq!(store.server_data(GUILD).await.unwrap(), kept);
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), 1);

    // What the server opened to them still works: status, the list, a panel.
    let status = ask(&standin, listener("status")).await;
    assert!(content(&status).contains(": 1"), "{}", content(&status));
    let list = ask(&standin, listener("help list")).await;
    assert!(content(&list).contains("Samaritans"), "{}", content(&list));
    let before = posts(&standin);
    let posted = ask_deferred(&standin, listener("panel"), PATIENCE).await;
    let here = format!("<#{}>", standin.guild_channel_of(GUILD));
    assert_eq!(
        posted.body["content"],
        json!(m.panel_posted.render(&[("channel", &here)]))
    );
    assert_eq!(posts(&standin), before + 1);

    // Administrators hold every permission.
    let admin = calm("help add").user(sky()).administrator();
    let added = ask(&standin, add_help(admin, "Listeners", "Ask in #listeners")).await;
    assert_eq!(
        content(&added),
        m.help_added.render(&[("name", "Listeners")])
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn forget_is_confirmed_only_by_a_moderator_who_still_is_one() {
    let standin = StandIn::start().await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    ask(
        &standin,
        add_help(moderator("help add"), "Samaritans", "116 123"),
    )
    .await;
    let asked = standin.dispatch(moderator("forget"));
    let confirm = standin.callback(&asked, PATIENCE).await;
    let ids = harness::button_ids(&confirm.body["data"]);
    // Their Manage Server was taken away before they pressed.
    let press = InteractionSpec::button(&asked, &ids[0])
        .in_guild(GUILD)
        .user(river());
    let refused = ask(&standin, press).await;
    assert_eq!(content(&refused), m.moderators_only.plain());
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), 1);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// What a refusal about `channel` says.
fn about(text: &steady::prompts::Text, channel: u64) -> String {
    text.render(&[("channel", &format!("<#{channel}>"))])
}

#[tokio::test]
async fn nobody_makes_steady_post_where_they_could_not_and_steady_checks_its_own_right() {
    let standin = StandIn::start().await;
    let bot = Bot::start(&standin).await;
    let m = words().calm.messages;
    let announcements = standin.new_channel(GUILD);
    let before = posts(&standin);

    // The member may read #announcements but not write there.
    let panel = moderator("panel")
        .channel_option("channel", announcements, 0)
        .member_denied_in_option(Deny::Send);
    let refused = ask(&standin, panel).await;
    assert_private(&refused);
    assert_eq!(content(&refused), about(&m.you_cannot_post, announcements));
    let set =
        ritual_set(moderator("ritual set"), announcements).member_denied_in_option(Deny::View);
    let refused = ask(&standin, set).await;
    assert_eq!(content(&refused), about(&m.you_cannot_post, announcements));
    assert_eq!(posts(&standin), before, "nothing was posted");

    // steady may see a channel but not post in it: known a day before the post.
    let quiet = standin.new_channel(GUILD);
    standin.deny(quiet, Deny::Send);
    let refused = ask(&standin, ritual_set(moderator("ritual set"), quiet)).await;
    assert_eq!(content(&refused), about(&m.no_send, quiet));
    let hidden = standin.new_channel(GUILD);
    standin.deny(hidden, Deny::View);
    let refused = ask(&standin, ritual_set(moderator("ritual set"), hidden)).await;
    assert_eq!(content(&refused), about(&m.no_view, hidden));
    let store = Store::open(&bot.database_url()).await.unwrap();
    assert_eq!(store.ritual(GUILD).await.unwrap(), None);

    // Where both may post, it is set.
    let open = standin.new_channel(GUILD);
    let set = ask(&standin, ritual_set(moderator("ritual set"), open)).await;
    assert!(
        content(&set).contains(&format!("<#{open}>")),
        "{}",
        content(&set)
    );
    assert!(store.ritual(GUILD).await.unwrap().is_some());
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_server_changing_too_fast_waits_and_the_refused_change_is_not_made() {
    let standin = StandIn::start().await;
    let bot = Bot::start(&standin).await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let held_words = words()
        .calm
        .messages
        .slow_down
        .render(&[("when", "{when}")]);
    let held_start = held_words.split("{when}").next().unwrap().to_owned();
    // Its allowance is the server's: two moderators share it.
    let mut held = None;
    for i in 0..40 {
        // river adds a line, sky removes it.
        let spec = if i % 2 == 0 {
            add_help(moderator("help add"), &format!("Line {i}"), "Text")
        } else {
            let name = format!("Line {}", i - 1);
            calm("help remove")
                .user(sky())
                .moderator()
                .option("name", json!(name))
        };
        let answer = ask(&standin, spec).await;
        if content(&answer).starts_with(&held_start) {
            assert_private(&answer);
            held = Some(i);
            break;
        }
    }
    let held = held.expect("the server's changes were held");
    assert!(held >= 15, "fifteen at once are fine, held at {held}");
    // The held one changed nothing: an add held leaves no line, a remove
    // held leaves the line it named.
    let lines = store.help_lines(GUILD).await.unwrap();
    let expected = usize::from(held % 2 == 1);
    assert_eq!(lines.len(), expected, "{lines:?}");
    // Another server has its own allowance.
    let other = InteractionSpec::slash("calm")
        .in_guild(1_200_000_000_000_000_002)
        .user(river())
        .moderator()
        .group("help")
        .subcommand("add");
    let added = ask(&standin, add_help(other, "Elsewhere", "Text")).await;
    assert!(
        !content(&added).starts_with(&held_start),
        "{}",
        content(&added)
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// Refusals for help lines that would smuggle a link, a ping or an
/// invisible twin; each changes nothing.
#[tokio::test]
async fn help_lines_are_plain_text_and_one_https_link() {
    let standin = StandIn::start().await;
    let bot = Bot::start(&standin).await;
    let words = words();
    let m: &CalmMessages = &words.calm.messages;
    let add = |name: &str, text: &str, link: Option<&str>| {
        let spec = add_help(moderator("help add"), name, text);
        match link {
            Some(link) => spec.option("link", json!(link)),
            None => spec,
        }
    };
    let store = Store::open(&bot.database_url()).await.unwrap();
    ask(&standin, add("Samaritans", "Call 116 123", None)).await;
    let cases = [
        (
            add("Crisis", "[Call 988 now](http://evil.example)", None),
            m.link_in_words.plain(),
        ),
        (
            add("[Lifeline](http://x.example)", "Call 988", None),
            m.link_in_words.plain(),
        ),
        (
            add("Crisis", "Go to https://example.org", None),
            m.link_in_words.plain(),
        ),
        (
            add(
                "Crisis",
                "Call 988",
                Some("https://ok.org/>[Crisis line](http://evil.example)"),
            ),
            m.bad_link.plain(),
        ),
        (
            add("\u{FF20}everyone", "Call 988", None),
            m.no_mentions.plain(),
        ),
        (
            add("Sama\u{200B}ritans", "Another", None),
            m.help_exists.render(&[("name", "Samaritans")]),
        ),
        (
            add("SAMA\u{202E}RITANS", "Another", None),
            m.help_exists.render(&[("name", "SAMARITANS")]),
        ),
    ];
    for (spec, expected) in cases {
        let refused = ask(&standin, spec).await;
        assert_private(&refused);
        assert_eq!(content(&refused), expected);
    }
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), 1);

    // Markdown is kept as typed and shown as typed; the link is normalized.
    let added = ask(
        &standin,
        add(
            "**Mods** ||here||",
            "Ask `any` time",
            Some("https://Example.org"),
        ),
    )
    .await;
    assert_eq!(
        content(&added),
        m.help_added
            .render(&[("name", r"\*\*Mods\*\* \|\|here\|\|")])
    );
    let kept = store.help_lines(GUILD).await.unwrap();
    assert_eq!(
        kept[1],
        HelpLine {
            name: "**Mods** ||here||".into(),
            text: "Ask `any` time".into(),
            link: Some("https://example.org/".into()),
        }
    );
    let support = ask(
        &standin,
        InteractionSpec::slash("support")
            .in_guild(GUILD)
            .user(sky()),
    )
    .await;
    let embeds = support.body["data"]["embeds"].as_array().unwrap();
    assert_eq!(
        embeds[0]["description"],
        json!(
            "- **Samaritans**: Call 116 123\n\
             - **\\*\\*Mods\\*\\* \\|\\|here\\|\\|**: Ask \\`any\\` time <https://example.org/>"
        )
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
