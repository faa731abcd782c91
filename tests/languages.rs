//! steady in the person's own language, end to end: each answer, button and
//! later DM in the words of the catalog for their Discord locale (their own
//! over their server's; English when steady has none), and the registered
//! commands localized for every language. Asserted against the product's
//! own catalogs, so the tests hold for any wording of the translations.

mod harness;
mod standin;

use harness::{
    ask, ask_deferred, assert_healthy, button_ids, content, due_in, half_a_day_away, quick, river,
    sky, Bot, GUILD, PATIENCE,
};
use serde_json::{json, Value};
use standin::{route, InteractionSpec, StandIn};
use std::collections::BTreeSet;
use steady::prompts::{is_command_name, Catalog, Catalogs, LineKind, Locale, DISCORD_LOCALES};
use steady::store::Store;

fn catalogs() -> Catalogs {
    Catalogs::load(None).unwrap()
}

/// Every Discord locale steady registers words under.
fn localized_codes() -> BTreeSet<&'static str> {
    Locale::ALL
        .iter()
        .flat_map(|locale| locale.discord_codes().iter().copied())
        .collect()
}

#[tokio::test]
async fn the_same_command_answers_in_the_persons_language() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = catalogs();
    let english = words.english().about.body.plain();
    let cases = [
        ("de", Locale::German),
        ("pt-BR", Locale::Portuguese),
        ("fr", Locale::French),
        ("es-ES", Locale::Spanish),
        ("es-419", Locale::Spanish),
        ("ja", Locale::English),
        ("en-GB", Locale::English),
    ];
    for (code, locale) in cases {
        let answer = ask(&standin, InteractionSpec::slash("about").locale(code)).await;
        let expected = words.get(locale).about.body.plain();
        assert_eq!(content(&answer), expected, "{code}");
        if locale != Locale::English {
            assert_ne!(content(&answer), english, "{code} is not English");
        }
    }
    // In a German server, a person whose own Discord is in English reads English.
    let answer = ask(
        &standin,
        InteractionSpec::slash("about")
            .in_guild(GUILD)
            .guild_locale("de")
            .locale("en-US"),
    )
    .await;
    assert_eq!(content(&answer), english);
    // ...and a German person in an English server reads German.
    let answer = ask(
        &standin,
        InteractionSpec::slash("about")
            .in_guild(GUILD)
            .guild_locale("en-US")
            .locale("de"),
    )
    .await;
    assert_eq!(
        content(&answer),
        words.get(Locale::German).about.body.plain()
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_button_press_answers_in_the_pressers_language() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let all = catalogs();
    let german = &all.get(Locale::German).grounding;
    let sent = standin.dispatch(InteractionSpec::slash("ground").locale("de"));
    let first = standin.callback(&sent, PATIENCE).await;
    assert!(content(&first).starts_with(&german.intro.plain()));
    let labels: Vec<&Value> = first.body["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|button| &button["label"])
        .collect();
    assert_eq!(labels, [&json!(german.buttons.next.plain())]);
    let next = button_ids(&first.body["data"]).remove(0);
    let press = standin.dispatch(InteractionSpec::button(&sent, &next).locale("de"));
    let shown = standin.callback(&press, PATIENCE).await;
    assert!(
        content(&shown).contains(&german.steps[1].plain()),
        "{:#}",
        shown.body
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// The bullets of a /support answer, each as `(place, text)`.
fn bullets(shown: &str) -> Vec<(String, String)> {
    shown
        .lines()
        .filter_map(|line| line.strip_prefix("- **"))
        .filter_map(|line| line.split_once("**: "))
        .map(|(place, text)| (place.to_owned(), text.to_owned()))
        .collect()
}

#[tokio::test]
async fn support_shows_the_emergency_line_first_then_the_readers_region_and_a_directory_last() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = catalogs();
    // Each reader with the places of their own region's lines; `ja` reads
    // English with no line of its own.
    let readers = [
        ("en-US", Locale::English),
        ("ja", Locale::English),
        ("es-ES", Locale::Spanish),
        ("es-419", Locale::Spanish),
        ("pt-BR", Locale::Portuguese),
        ("de", Locale::German),
        ("fr", Locale::French),
    ];
    for (code, locale) in readers {
        let support = &words.get(locale).support;
        let answer = ask(&standin, InteractionSpec::slash("support").locale(code)).await;
        let shown = content(&answer);
        assert_eq!(shown, support.message(code), "{code}");
        let shown = bullets(shown);
        let line = |kind: LineKind| {
            let line = support.lines.iter().find(|line| line.kind == kind).unwrap();
            (line.place.plain(), line.text.plain())
        };
        assert_eq!(shown.first(), Some(&line(LineKind::Emergency)), "{code}");
        assert_eq!(shown.last(), Some(&line(LineKind::Directory)), "{code}");
        let own: Vec<(String, String)> = support
            .lines
            .iter()
            .filter(|line| line.locales.iter().any(|tag| tag == code))
            .map(|line| (line.place.plain(), line.text.plain()))
            .collect();
        let expect_own = !matches!(code, "en-US" | "ja");
        assert_eq!(!own.is_empty(), expect_own, "{code} has lines of its own");
        assert_eq!(
            shown[1..=own.len()],
            own[..],
            "{code}: its region's lines next"
        );
        for line in &support.lines {
            let tagged_elsewhere =
                !line.locales.is_empty() && !line.locales.iter().any(|tag| tag == code);
            let text = line.text.plain();
            assert_eq!(
                shown.iter().any(|(_, shown)| *shown == text),
                !tagged_elsewhere,
                "{code}: {text}"
            );
        }
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_check_in_comes_in_the_language_it_was_turned_on_in() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let time = half_a_day_away(chrono_tz::Europe::Berlin)
        .format("%H:%M")
        .to_string();
    let on = InteractionSpec::slash("checkin")
        .subcommand("on")
        .option("time", json!(time))
        .option("timezone", json!("Europe/Berlin"))
        .user(river())
        .locale("fr");
    let answer = ask(&standin, on).await;
    let french = catalogs().get(Locale::French).checkin.clone();
    let on_words = french.messages.on.plain();
    let before_placeholder = on_words.split('{').next().unwrap();
    assert!(
        content(&answer).starts_with(before_placeholder),
        "{}",
        content(&answer)
    );
    bot.stop().await.unwrap();

    due_in(dir.path(), river().id, 1).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let channel = standin.dm_channel_of(river().id);
    let dm = standin
        .wait_for(PATIENCE * 2, |r| {
            r.route == route::CREATE_MESSAGE && r.path == format!("/channels/{channel}/messages")
        })
        .await;
    let text = dm.body["content"].as_str().unwrap();
    assert!(
        french.variants.iter().any(|v| v.plain() == text),
        "the check-in is in French: {text}"
    );
    let english = catalogs().english().checkin.clone();
    assert!(!english.variants.iter().any(|v| v.plain() == text));
    let labels: Vec<&str> = dm.body["components"][1]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|button| button["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[0], french.buttons.breathe.plain());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// river turns check-ins on from a German client: steady keeps them, in
/// German. Their time is half a day away, so nothing falls due.
async fn river_checks_in_in_german(standin: &StandIn) {
    let time = half_a_day_away(chrono_tz::UTC).format("%H:%M").to_string();
    let on = InteractionSpec::slash("checkin")
        .subcommand("on")
        .option("time", json!(time))
        .option("timezone", json!("UTC"))
        .user(river())
        .locale("de");
    ask(standin, on).await;
}

#[tokio::test]
async fn the_language_last_used_is_kept_for_later_dms_and_nobody_new_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    river_checks_in_in_german(&standin).await;
    let about = |who, code| InteractionSpec::slash("about").user(who).locale(code);
    ask(&standin, about(river(), "fr")).await;
    ask(&standin, about(sky(), "es-ES")).await;
    bot.stop().await.unwrap();

    let store = Store::open(&harness::database_url(dir.path()))
        .await
        .unwrap();
    let river_kept = store.export(river().id).await.unwrap().unwrap();
    assert_eq!(
        river_kept.locale.as_deref(),
        Some("fr"),
        "the last one used"
    );
    assert_eq!(
        store.export(sky().id).await.unwrap(),
        None,
        "sky keeps nothing"
    );
    store.close().await;
    assert_healthy(&standin);
}

/// Every command and press keeps the person's language, but one already
/// kept is not written again, nor is anything for a stranger: while another
/// process holds SQLite's write lock, both are answered (a write would wait
/// for the lock, and this one is only let go once they are). A change is
/// still kept once the lock is free.
#[tokio::test]
async fn an_unchanged_language_writes_nothing_a_changed_one_is_kept() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    river_checks_in_in_german(&standin).await;
    let words = catalogs();
    let german = words.get(Locale::German);
    let store = Store::open(&bot.database_url()).await.unwrap();
    let pool = store.sqlite().unwrap();
    let other_process = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();

    let about = |code| InteractionSpec::slash("about").user(river()).locale(code);
    let sent = standin.dispatch(about("de"));
    let answer = standin.callback(&sent, PATIENCE).await;
    assert_eq!(content(&answer), german.about.body.plain());
    let pause = format!("checkin:pause:{}:", river().id);
    let stranger = InteractionSpec::button(&sent, &pause)
        .user(sky())
        .locale("es-ES");
    let turned_away = ask(&standin, stranger).await;
    assert_eq!(
        content(&turned_away),
        words.get(Locale::Spanish).errors.not_yours.plain()
    );
    other_process.commit().await.unwrap();
    assert!(
        !harness::logs().contains("could not keep the person's language"),
        "a write waited for the lock"
    );

    ask(&standin, about("fr")).await;
    let kept: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE user_id = ?")
        .bind(river().id as i64)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("fr"));
    assert_eq!(
        store.export(sky().id).await.unwrap(),
        None,
        "sky keeps nothing"
    );
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn the_export_holds_the_locale_and_delete_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let time = half_a_day_away(chrono_tz::UTC).format("%H:%M").to_string();
    let slash = |sub: &str| {
        InteractionSpec::slash(if sub == "on" { "checkin" } else { "mydata" })
            .subcommand(sub)
            .user(river())
            .locale("pt-BR")
    };
    ask(
        &standin,
        slash("on")
            .option("time", json!(time))
            .option("timezone", json!("UTC")),
    )
    .await;
    ask_deferred(&standin, slash("export"), PATIENCE).await;
    let dm = standin
        .wait_for(PATIENCE, |r| {
            r.route == route::CREATE_MESSAGE && !r.attachments.is_empty()
        })
        .await;
    let export: Value = serde_json::from_slice(&dm.attachments[0].1).unwrap();
    assert_eq!(export["locale"], "pt-BR");
    let portuguese = catalogs().get(Locale::Portuguese).mydata.clone();
    assert_eq!(dm.body["content"], portuguese.messages.export_note.plain());
    for (field, text) in &portuguese.fields {
        assert_eq!(export["fields"][field], text.plain(), "{field}");
    }
    for field in export
        .as_object()
        .unwrap()
        .keys()
        .filter(|f| *f != "fields")
    {
        assert!(
            portuguese.fields.contains_key(field),
            "{field} is described"
        );
    }

    let store = Store::open(&bot.database_url()).await.unwrap();
    let asked = standin.dispatch(slash("delete"));
    let confirm = standin.callback(&asked, PATIENCE).await;
    assert_eq!(
        content(&confirm),
        portuguese.messages.delete_confirm.plain()
    );
    let delete = button_ids(&confirm.body["data"]).remove(0);
    let press = standin.dispatch(InteractionSpec::button(&asked, &delete).locale("pt-BR"));
    standin.callback(&press, PATIENCE).await;
    assert_eq!(store.export(river().id).await.unwrap(), None);
    store.close().await;
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// A name or description localization map: only the codes steady speaks,
/// each a valid Discord locale; names pass Discord's rule.
fn assert_localized(map: &Value, what: &str, names: bool) {
    let map = map.as_object().unwrap_or_else(|| panic!("{what}: {map}"));
    for (code, text) in map {
        assert!(DISCORD_LOCALES.contains(&code.as_str()), "{what}: {code}");
        let text = text.as_str().unwrap();
        if names {
            assert!(is_command_name(text), "{what} in {code}: {text:?}");
        }
    }
    let codes: BTreeSet<&str> = map.keys().map(String::as_str).collect();
    if !names {
        assert_eq!(codes, localized_codes(), "{what}");
    }
}

fn assert_command_localized(command: &Value, path: &str, words: &Catalogs) {
    assert_localized(&command["description_localizations"], path, false);
    if !command["name_localizations"].is_null() {
        assert_localized(&command["name_localizations"], path, true);
    }
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::English) {
        let translated: &Catalog = words.get(locale);
        let expected = translated.commands.get(path).unwrap().description.plain();
        let code = locale.discord_codes()[0];
        assert_eq!(
            command["description_localizations"][code], expected,
            "/{path} {code}"
        );
    }
    for option in command["options"].as_array().into_iter().flatten() {
        let name = option["name"].as_str().unwrap();
        let full = format!("{path} {name}");
        if option["type"] == 1 || option["type"] == 2 {
            assert_command_localized(option, &full, words);
            continue;
        }
        assert_localized(&option["description_localizations"], &full, false);
        if !option["name_localizations"].is_null() {
            assert_localized(&option["name_localizations"], &full, true);
        }
        for choice in option["choices"].as_array().into_iter().flatten() {
            assert_localized(&choice["name_localizations"], &full, false);
        }
    }
}

#[tokio::test]
async fn the_registered_commands_carry_every_languages_words() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let registered = standin.wait_commands_registered(PATIENCE).await;
    let words = catalogs();
    for command in registered.as_array().unwrap() {
        let name = command["name"].as_str().unwrap();
        assert_command_localized(command, name, &words);
    }
    // A translated command name reaches Discord as that language's name.
    let breathe = registered
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "breathe")
        .unwrap();
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::English) {
        let name = &words.get(locale).commands.get("breathe").unwrap().name;
        for code in locale.discord_codes() {
            match name {
                Some(name) => assert_eq!(breathe["name_localizations"][code], json!(name)),
                None => assert!(breathe["name_localizations"][code].is_null()),
            }
        }
        let pattern = breathe["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "pattern")
            .unwrap();
        let first = &words.get(locale).breathing.patterns[0].name;
        assert_eq!(
            pattern["choices"][0]["name_localizations"][locale.discord_codes()[0]],
            json!(first)
        );
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
