//! The bad-input catalogue: every command option and button id given
//! something it should refuse (lengths, formats, zones, numbers out of
//! range, unicode oddities, markdown and mentions, forged and stale button
//! ids, buttons from before a restart), one named case at a time, through
//! the stand-in against one bot. Each case must get a clear private answer
//! in steady's own words, ping nobody, send no DM and change nothing in the
//! database. Every case runs; a failure lists each case that failed, by name.

mod harness;
mod standin;

use chrono::Utc;
use harness::{
    assert_healthy, button_ids, database_url, quick, river, sky, Bot, GUILD, PAST_RETRIES, PATIENCE,
};
use serde_json::{json, Value};
use sqlx::SqlitePool;
use standin::{route, InteractionSpec, Recorded, Sent, StandIn, UserSpec};
use std::collections::BTreeMap;
use std::time::Duration;
use steady::config::BreatheConfig;
use steady::pace::breathe::{Request, Session};
use steady::prompts::Catalog;
use steady::store::Store;

/// Nothing stored, ever: /mydata must find nothing and create nothing.
fn fern() -> UserSpec {
    UserSpec::new(1_100_000_000_000_000_303, "fern")
}

/// Nothing stored either: turning mood history off must not create a row.
fn moss() -> UserSpec {
    UserSpec::new(1_100_000_000_000_000_404, "moss")
}

/// River's anchor, kept before the table runs.
const RIVERS_ANCHOR: &str = "I am allowed to rest";

/// One of sky's anchors: long, so that sky's list has two pages.
fn skys_anchor(n: usize) -> String {
    format!("{n} {}", "a long and gentle truth ".repeat(11).trim())
}

// ---------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------

/// What a case does.
enum Act {
    /// A slash command or an autocomplete request, as built.
    Send(InteractionSpec),
    /// A button press (or, with `values`, a menu choice) by `by`, on a fresh
    /// private message the bot has just sent to `host` (their `/anchors list`).
    Press {
        id: String,
        by: UserSpec,
        host: UserSpec,
        values: Option<Vec<String>>,
    },
}

/// What the answer must say.
#[derive(Clone)]
enum Said {
    /// Exactly this (a rendered sentence from `prompts/`).
    Is(String),
    /// Contains this.
    Has(String),
    /// All of these.
    All(Vec<Said>),
    /// An autocomplete answer (type 8) whose choices Discord accepts.
    Choices,
}

struct Case {
    name: &'static str,
    act: Act,
    said: Said,
}

fn case(name: &'static str, act: Act, said: Said) -> Case {
    Case { name, act, said }
}

fn slash(name: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash(name).in_guild(GUILD).user(user)
}

fn breathe(options: &[(&str, Value)]) -> Act {
    let mut spec = slash("breathe", river());
    for (name, value) in options {
        spec = spec.option(name, value.clone());
    }
    Act::Send(spec)
}

fn add(text: &str) -> Act {
    add_as(river(), text)
}

/// `user`'s `/anchors add` of `text`.
fn add_as(user: UserSpec, text: &str) -> Act {
    Act::Send(
        slash("anchors", user)
            .subcommand("add")
            .option("text", json!(text)),
    )
}

fn remove(anchor: &str) -> Act {
    Act::Send(
        slash("anchors", river())
            .subcommand("remove")
            .option("anchor", json!(anchor)),
    )
}

fn checkin_on(time: Option<&str>, zone: Option<&str>) -> Act {
    let mut spec = slash("checkin", river()).subcommand("on");
    if let Some(time) = time {
        spec = spec.option("time", json!(time));
    }
    if let Some(zone) = zone {
        spec = spec.option("timezone", json!(zone));
    }
    Act::Send(spec)
}

fn remind_on(time: Option<&str>, zone: Option<&str>) -> Act {
    let mut spec = slash("journal", river()).group("remind").subcommand("on");
    if let Some(time) = time {
        spec = spec.option("time", json!(time));
    }
    if let Some(zone) = zone {
        spec = spec.option("timezone", json!(zone));
    }
    Act::Send(spec)
}

fn press(id: String) -> Act {
    Act::Press {
        id,
        by: river(),
        host: river(),
        values: None,
    }
}

fn press_as(id: String, by: UserSpec, host: UserSpec) -> Act {
    Act::Press {
        id,
        by,
        host,
        values: None,
    }
}

fn choose(id: String, values: &[&str]) -> Act {
    Act::Press {
        id,
        by: river(),
        host: river(),
        values: Some(values.iter().map(|v| v.to_string()).collect()),
    }
}

fn complete(command: &str, sub: &str, option: &str, partial: &str) -> Act {
    Act::Send(
        InteractionSpec::autocomplete(command)
            .subcommand(sub)
            .in_guild(GUILD)
            .user(river())
            .focused(option, partial),
    )
}

/// What the catalogue needs to know from the setup.
struct Known {
    /// One of sky's anchors, by id.
    skys_anchor: i64,
    /// River's Stop button on an exercise that was running at the restart.
    stale_stop: String,
    /// River's "Stop the other one", offered before the restart.
    stale_stop_other: String,
    /// Sky's "Next" on a list shown before the restart.
    stale_next_page: String,
}

/// The refusal of a typed time, as /checkin words it.
fn time_refused(typed: &str, out_of_range: bool) -> Said {
    let m = Catalog::load(None).unwrap().checkin.messages;
    let text = if out_of_range {
        m.no_such_time
    } else {
        m.bad_time
    };
    Said::Is(text.render(&[("typed", typed)]))
}

/// The refusal of a typed zone, echoed at most 60 characters, with the
/// zones it probably meant joined as prompts/checkin.toml's `or` says
/// (" or "); `meant`: a zone that must be among them.
fn zone_refused(typed: &str, meant: Option<&str>) -> Said {
    let m = Catalog::load(None).unwrap().checkin.messages;
    let echo: String = typed
        .chars()
        .filter(|c| !matches!(c, '`' | '\n' | '\r'))
        .take(60)
        .collect();
    let suggestions = steady::checkin::zone::suggest(typed, 3);
    let text = if suggestions.is_empty() {
        m.bad_zone_no_idea.render(&[("typed", &echo)])
    } else {
        let listed = suggestions
            .iter()
            .map(|zone| format!("`{zone}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        m.bad_zone
            .render(&[("typed", &echo), ("suggestions", &listed)])
    };
    match meant {
        Some(zone) => Said::All(vec![Said::Is(text), Said::Has(format!("`{zone}`"))]),
        None => Said::Is(text),
    }
}

fn table(known: &Known) -> Vec<Case> {
    let w = Catalog::load(None).unwrap();
    let b = &w.breathing.messages;
    let a = &w.anchors.messages;
    let c = &w.checkin.messages;
    let d = &w.mydata.messages;
    let j = &w.journal.messages;
    let jr = &w.journal_remind.messages;
    let e = &w.errors;
    let r = &w.reframe.messages;
    let u = river().id;
    let other = sky().id;
    let cycles_range = Said::Is(b.cycles_range.render(&[("min", "1"), ("max", "20")]));
    let too_long_anchor = || Said::Is(a.too_long.render(&[("max", "300")]));
    let expired = || Said::Is(e.expired.plain());
    let breathe_too_long = {
        let request = Request {
            custom: Some("20-20-20-20"),
            cycles: Some(20),
            ..Request::default()
        };
        let config = BreatheConfig::default();
        let refusal = Session::from_request(
            &request,
            &w.breathing,
            config.lead_in(),
            config.max_length(),
        )
        .expect_err("too long for the default settings");
        Said::Is(refusal.explain(&w.breathing))
    };
    let past = (Utc::now().timestamp() - 3600).to_string();
    let in_a_while = (Utc::now().timestamp() + 3600).to_string();
    let list_of_one = Said::All(vec![
        Said::Has(a.list_title.render(&[("page", "1"), ("pages", "1")])),
        Said::Has(format!("1. {RIVERS_ANCHOR}")),
    ]);
    let junk_zone = "Zz9/".repeat(16);
    assert_eq!(junk_zone.chars().count(), 64);

    vec![
        // ---- /breathe: pattern, cycles, custom -------------------------------
        case(
            "breathe: pattern 99, past the end of its choices",
            breathe(&[("pattern", json!(99))]),
            Said::Is(b.unknown_pattern.plain()),
        ),
        case(
            "breathe: cycles 0",
            breathe(&[("cycles", json!(0))]),
            cycles_range.clone(),
        ),
        case(
            "breathe: cycles 21",
            breathe(&[("cycles", json!(21))]),
            cycles_range.clone(),
        ),
        case(
            "breathe: cycles -5",
            breathe(&[("cycles", json!(-5))]),
            cycles_range.clone(),
        ),
        case(
            "breathe: cycles i64::MAX",
            breathe(&[("cycles", json!(i64::MAX))]),
            cycles_range.clone(),
        ),
        case(
            "breathe: cycles sent as text (an outdated command list)",
            breathe(&[("cycles", json!("five"))]),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "breathe: custom 0-0-0",
            breathe(&[("custom", json!("0-0-0"))]),
            Said::Is(b.custom_range.plain()),
        ),
        case(
            "breathe: custom 4-7 (two numbers)",
            breathe(&[("custom", json!("4-7"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom abc",
            breathe(&[("custom", json!("abc"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom 99-99-99",
            breathe(&[("custom", json!("99-99-99"))]),
            Said::Is(b.custom_range.plain()),
        ),
        case(
            "breathe: custom 4-7-8-9-10 (five numbers)",
            breathe(&[("custom", json!("4-7-8-9-10"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom -4-7-8 (a negative number)",
            breathe(&[("custom", json!("-4-7-8"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom **4-7-8** (markdown)",
            breathe(&[("custom", json!("**4-7-8**"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom @everyone",
            breathe(&[("custom", json!("@everyone"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom emoji 🫁-🫁-🫁",
            breathe(&[("custom", json!("🫁-🫁-🫁"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom fullwidth digits ４-７-８",
            breathe(&[("custom", json!("４-７-８"))]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: custom of 45 characters (max_length is 40)",
            breathe(&[(
                "custom",
                json!("4-7-8, but slower please, and then a bit more"),
            )]),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "breathe: 20-20-20-20 for 20 rounds, longer than allowed",
            breathe(&[("custom", json!("20-20-20-20")), ("cycles", json!(20))]),
            breathe_too_long,
        ),
        // Discord only ever sends one of an option's integer choices, and
        // only whole numbers for an integer: these can come only from an
        // outdated command list, which is what `errors.unreadable` says.
        case(
            "breathe: pattern -1",
            breathe(&[("pattern", json!(-1))]),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "breathe: pattern 2^32 (past u32)",
            breathe(&[("pattern", json!(4_294_967_296u64))]),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "breathe: cycles 4.5 (a fraction)",
            breathe(&[("cycles", json!(4.5))]),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "breathe: private sent as text",
            breathe(&[("private", json!("yes"))]),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "breathe: custom empty",
            breathe(&[("custom", json!(""))]),
            Said::Is(b.custom_format.plain()),
        ),
        // ---- /relax: pace ---------------------------------------------------
        case(
            "relax: pace -1",
            Act::Send(slash("relax", river()).option("pace", json!(-1))),
            Said::Is(e.unreadable.plain()),
        ),
        case(
            "relax: pace 99, past the end of its choices",
            Act::Send(slash("relax", river()).option("pace", json!(99))),
            Said::Is(w.relax.unknown_pace.plain()),
        ),
        // ---- /anchors add: text ---------------------------------------------
        case(
            "anchors add: empty",
            add(""),
            Said::Is(a.empty_text.plain()),
        ),
        case(
            "anchors add: whitespace only",
            add("   \n\t  "),
            Said::Is(a.empty_text.plain()),
        ),
        case(
            "anchors add: zero-width and word-joiner characters only",
            add("\u{200B}\u{2060}"),
            Said::Is(a.empty_text.plain()),
        ),
        case(
            "anchors add: format characters and a lone zero-width joiner",
            add("\u{200B}\u{200D}\u{FEFF}\u{202E}"),
            Said::Is(a.empty_text.plain()),
        ),
        case(
            "anchors add: 301 characters",
            add(&"a".repeat(301)),
            too_long_anchor(),
        ),
        case(
            "anchors add: 3000 characters",
            add(&"steady ".repeat(429)[..3000]),
            too_long_anchor(),
        ),
        case(
            "anchors add: 301 emoji",
            add(&"🌊".repeat(301)),
            too_long_anchor(),
        ),
        case(
            "anchors add: a duplicate of one already kept",
            add(RIVERS_ANCHOR),
            Said::Is(a.duplicate.plain()),
        ),
        case(
            "anchors add: a duplicate hidden by zero-width and extra spaces",
            add("  I am\u{200B} allowed \n to   rest\u{2060} "),
            Said::Is(a.duplicate.plain()),
        ),
        // Refused before anything is kept for them: no key is made either.
        case(
            "anchors add: empty, by someone with nothing kept (no key made)",
            add_as(fern(), ""),
            Said::Is(a.empty_text.plain()),
        ),
        case(
            "anchors add: 301 characters, by someone with nothing kept (no key made)",
            add_as(fern(), &"a".repeat(301)),
            too_long_anchor(),
        ),
        // ---- /anchors remove: anchor ----------------------------------------
        case(
            "anchors remove: the id of someone else's anchor",
            remove(&known.skys_anchor.to_string()),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: a number too big for any id",
            remove("99999999999999999999999999"),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: -1",
            remove("-1"),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: @here",
            remove("@here"),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: text that is none of theirs",
            remove("a truth I never kept"),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: someone else's anchor by its text",
            remove(&skys_anchor(0)),
            Said::Is(a.already_gone.plain()),
        ),
        case(
            "anchors remove: SQL-looking text",
            remove("1 OR 1=1; DROP TABLE anchors; --"),
            Said::Is(a.already_gone.plain()),
        ),
        // ---- /anchors send with nothing kept --------------------------------
        case(
            "anchors send: nothing kept (no DM, no row)",
            Act::Send(
                slash("anchors", fern())
                    .subcommand("send")
                    .option("all", json!(true)),
            ),
            Said::Is(a.none_yet.plain()),
        ),
        // ---- /checkin on: time ----------------------------------------------
        case(
            "checkin on: time 25:00",
            checkin_on(Some("25:00"), Some("Europe/Berlin")),
            time_refused("25:00", true),
        ),
        case(
            "checkin on: time 9:61",
            checkin_on(Some("9:61"), Some("Europe/Berlin")),
            time_refused("9:61", true),
        ),
        case(
            "checkin on: time noon-ish",
            checkin_on(Some("noon-ish"), Some("Europe/Berlin")),
            time_refused("noon-ish", false),
        ),
        case(
            "checkin on: time of spaces only",
            checkin_on(Some("   "), Some("Europe/Berlin")),
            time_refused("   ", false),
        ),
        case(
            "checkin on: time @everyone (echoed, pinging nobody)",
            checkin_on(Some("@everyone"), Some("Europe/Berlin")),
            time_refused("@everyone", false),
        ),
        case(
            "checkin on: time in fullwidth digits ２１：３０",
            checkin_on(Some("２１：３０"), Some("Europe/Berlin")),
            time_refused("２１：３０", false),
        ),
        case(
            "checkin on: time with seconds 21:30:00",
            checkin_on(Some("21:30:00"), Some("Europe/Berlin")),
            time_refused("21:30:00", false),
        ),
        case(
            "checkin on: time -1:00",
            checkin_on(Some("-1:00"), Some("Europe/Berlin")),
            time_refused("-1:00", false),
        ),
        case(
            "checkin on: time 9pmm",
            checkin_on(Some("9pmm"), Some("Europe/Berlin")),
            time_refused("9pmm", false),
        ),
        case(
            "checkin on: time 13pm",
            checkin_on(Some("13pm"), Some("Europe/Berlin")),
            time_refused("13pm", true),
        ),
        case(
            "checkin on: time `21:30` in backticks (echo stays in one piece)",
            checkin_on(Some("`21:30`x"), Some("Europe/Berlin")),
            time_refused("21:30x", false),
        ),
        case(
            "checkin on: time of 30 characters (max_length is 20)",
            checkin_on(
                Some("half past nine in the evening!"),
                Some("Europe/Berlin"),
            ),
            time_refused("half past nine in the evening!", false),
        ),
        case(
            "checkin on: time empty",
            checkin_on(Some(""), Some("Europe/Berlin")),
            time_refused("", false),
        ),
        // ---- /checkin on: timezone ------------------------------------------
        case(
            "checkin on: zone empty",
            checkin_on(Some("21:30"), Some("")),
            zone_refused("", None),
        ),
        case(
            "checkin on: zone Europe/Berln",
            checkin_on(Some("21:30"), Some("Europe/Berln")),
            zone_refused("Europe/Berln", Some("Europe/Berlin")),
        ),
        // Several suggestions are joined with spaces around the word.
        case(
            "checkin on: zone EST",
            checkin_on(Some("21:30"), Some("EST")),
            zone_refused("EST", Some("America/New_York")),
        ),
        case(
            "checkin on: zone Mars/Olympus",
            checkin_on(Some("21:30"), Some("Mars/Olympus")),
            zone_refused("Mars/Olympus", None),
        ),
        case(
            "checkin on: zone <@123> (a mention)",
            checkin_on(Some("21:30"), Some("<@123>")),
            zone_refused("<@123>", None),
        ),
        case(
            "checkin on: zone ../../etc/passwd",
            checkin_on(Some("21:30"), Some("../../etc/passwd")),
            zone_refused("../../etc/passwd", None),
        ),
        case(
            "checkin on: zone Etc/GMT+5 (sign backwards)",
            checkin_on(Some("21:30"), Some("Etc/GMT+5")),
            zone_refused("Etc/GMT+5", None),
        ),
        case(
            "checkin on: zone of 64 junk characters",
            checkin_on(Some("21:30"), Some(&junk_zone)),
            zone_refused(&junk_zone, None),
        ),
        case(
            "checkin on: zone Europe/Berlin with a right-to-left mark",
            checkin_on(Some("21:30"), Some("Europe/Berlin\u{200F}")),
            zone_refused("Europe/Berlin\u{200F}", None),
        ),
        // ---- /checkin on: missing options, nothing stored -------------------
        case(
            "checkin on: no options, nothing stored",
            checkin_on(None, None),
            Said::Is(c.needs_time.plain()),
        ),
        case(
            "checkin on: a time but no zone, nothing stored",
            checkin_on(Some("21:30"), None),
            Said::Is(c.needs_time.plain()),
        ),
        case(
            "checkin on: a zone but no time, nothing stored",
            checkin_on(None, Some("Europe/Berlin")),
            Said::Is(c.needs_time.plain()),
        ),
        // ---- /checkin off and history, when off -----------------------------
        case(
            "checkin off: already off",
            Act::Send(slash("checkin", river()).subcommand("off")),
            Said::Is(c.off_already.plain()),
        ),
        case(
            "checkin history show: history off",
            Act::Send(
                slash("checkin", river())
                    .group("history")
                    .subcommand("show"),
            ),
            Said::Is(c.history_is_off.plain()),
        ),
        // Turning history off must not create a `users` row for a stranger.
        case(
            "checkin history off: nothing stored (must create nothing)",
            Act::Send(slash("checkin", moss()).group("history").subcommand("off")),
            Said::Is(c.history_off.render(&[("count", "0")])),
        ),
        // ---- /mydata with nothing stored ------------------------------------
        case(
            "mydata export: nothing stored",
            Act::Send(slash("mydata", fern()).subcommand("export")),
            Said::Is(d.export_nothing.plain()),
        ),
        case(
            "mydata delete: nothing stored",
            Act::Send(slash("mydata", fern()).subcommand("delete")),
            Said::Is(d.delete_nothing.plain()),
        ),
        // ---- autocomplete oddities ------------------------------------------
        case(
            "autocomplete timezone: zero-width only",
            complete("checkin", "on", "timezone", "\u{200B}"),
            Said::Choices,
        ),
        case(
            "autocomplete timezone: 200 characters",
            complete("checkin", "on", "timezone", &"berlin".repeat(34)[..200]),
            Said::Choices,
        ),
        case(
            "autocomplete anchor: SQL LIKE wildcards",
            complete("anchors", "remove", "anchor", "%_%"),
            Said::Choices,
        ),
        // ---- buttons: check-in ----------------------------------------------
        case(
            "button checkin:mood:9 (no such mood)",
            press(format!("checkin:mood:{u}:9")),
            expired(),
        ),
        case(
            "button checkin:mood:0",
            press(format!("checkin:mood:{u}:0")),
            expired(),
        ),
        case(
            "button checkin:mood:x",
            press(format!("checkin:mood:{u}:x")),
            expired(),
        ),
        case(
            "button checkin:mood:256 (past u8)",
            press(format!("checkin:mood:{u}:256")),
            expired(),
        ),
        case(
            "button checkin:mood with no mood at all",
            press(format!("checkin:mood:{u}")),
            expired(),
        ),
        case(
            "button checkin:snooze with no check-in",
            press(format!("checkin:snooze:{u}:")),
            Said::Is(c.not_running.plain()),
        ),
        case(
            "button checkin:pause with no check-in",
            press(format!("checkin:pause:{u}:")),
            Said::Is(c.not_running.plain()),
        ),
        case(
            "button checkin:nap (no such action)",
            press(format!("checkin:nap:{u}:")),
            expired(),
        ),
        // ---- buttons: mydata ------------------------------------------------
        case(
            "button mydata:delete:notanumber",
            press(format!("mydata:delete:{u}:notanumber")),
            Said::Is(d.delete_expired.plain()),
        ),
        case(
            "button mydata:delete with an expiry an hour ago",
            press(format!("mydata:delete:{u}:{past}")),
            Said::Is(d.delete_expired.plain()),
        ),
        case(
            "button mydata:delete with no expiry",
            press(format!("mydata:delete:{u}:")),
            Said::Is(d.delete_expired.plain()),
        ),
        case(
            "button mydata:erase (no such action)",
            press(format!("mydata:erase:{u}:")),
            expired(),
        ),
        // ---- buttons: anchors -----------------------------------------------
        case(
            "button anchors:page:99999999999999999999",
            press(format!("anchors:page:{u}:99999999999999999999")),
            list_of_one.clone(),
        ),
        case(
            "button anchors:page:-1",
            press(format!("anchors:page:{u}:-1")),
            list_of_one.clone(),
        ),
        case(
            "button anchors:page:7 (past the last page)",
            press(format!("anchors:page:{u}:7")),
            list_of_one,
        ),
        case(
            "button anchors:shred (no such action)",
            press(format!("anchors:shred:{u}:")),
            expired(),
        ),
        // ---- /journal --------------------------------------------------------
        case(
            "journal write: a question steady does not know",
            Act::Send(
                slash("journal", river())
                    .subcommand("write")
                    .option("prompt", json!("<@123> **tomorrow**")),
            ),
            Said::Is(j.unknown_prompt.plain()),
        ),
        case(
            "journal remind on: time 25:00",
            remind_on(Some("25:00"), Some("Europe/Berlin")),
            time_refused("25:00", true),
        ),
        case(
            "journal remind on: time noon-ish",
            remind_on(Some("noon-ish"), None),
            time_refused("noon-ish", false),
        ),
        case(
            "journal remind on: zone Europe/Berln",
            remind_on(None, Some("Europe/Berln")),
            zone_refused("Europe/Berln", Some("Europe/Berlin")),
        ),
        case(
            "journal remind on: no zone, none kept, no check-in",
            remind_on(Some("21:30"), None),
            Said::Is(jr.needs_zone.plain()),
        ),
        case(
            "journal remind off: already off",
            Act::Send(slash("journal", river()).group("remind").subcommand("off")),
            Said::Is(jr.off_already.plain()),
        ),
        case(
            "journal read: nothing written",
            Act::Send(slash("journal", river()).subcommand("read")),
            Said::Is(j.none.plain()),
        ),
        case(
            "autocomplete journal prompt: 200 characters",
            complete("journal", "write", "prompt", &"secure".repeat(34)[..200]),
            Said::Choices,
        ),
        case(
            "button journal:write:tomorrow (no such question)",
            press(format!("journal:write:{u}:tomorrow")),
            expired(),
        ),
        case(
            "button journal:page:x",
            press(format!("journal:page:{u}:x")),
            expired(),
        ),
        case(
            "button journal:page:99999999999999999999 (past u64)",
            press(format!("journal:page:{u}:99999999999999999999")),
            expired(),
        ),
        case(
            "button journal:page at u64's last (no pages)",
            press(format!("journal:page:{u}:{}", u64::MAX)),
            Said::Is(j.none.plain()),
        ),
        case(
            "button journal:delete of a page that is not there",
            press(format!("journal:delete:{u}:42.0")),
            Said::All(vec![Said::Has(j.gone.plain()), Said::Has(j.none.plain())]),
        ),
        case(
            "button journal:confirm with an expiry an hour ago",
            press(format!("journal:confirm:{u}:42.0.{past}")),
            Said::Has(j.delete_expired.plain()),
        ),
        case(
            "button journal:confirm with an expiry an hour away (forged)",
            press(format!("journal:confirm:{u}:42.0.{in_a_while}")),
            Said::Has(j.delete_expired.plain()),
        ),
        case(
            "button journal:confirm with no expiry",
            press(format!("journal:confirm:{u}:42.0")),
            expired(),
        ),
        case(
            "button journal:shred (no such action)",
            press(format!("journal:shred:{u}:")),
            expired(),
        ),
        // ---- buttons: paced exercises ---------------------------------------
        case(
            "button pace:stop:123 (no such session)",
            press(format!("pace:stop:{u}:123")),
            Said::Is(b.stopped.plain()),
        ),
        case(
            "button pace:stop:notanid",
            press(format!("pace:stop:{u}:notanid")),
            Said::Is(b.stopped.plain()),
        ),
        case(
            "button pace:rewind (no such action)",
            press(format!("pace:rewind:{u}:")),
            expired(),
        ),
        case(
            "button breathe:again:zzz",
            press(format!("breathe:again:{u}:zzz")),
            expired(),
        ),
        case(
            "button breathe:again with 99 rounds",
            press(format!("breathe:again:{u}:1:99:p0")),
            cycles_range.clone(),
        ),
        case(
            "button breathe:again with pattern 99",
            press(format!("breathe:again:{u}:1:4:p99")),
            Said::Is(b.unknown_pattern.plain()),
        ),
        case(
            "button breathe:again with rhythm 0-0-0",
            press(format!("breathe:again:{u}:1:4:c0-0-0")),
            Said::Is(b.custom_range.plain()),
        ),
        case(
            "button breathe:again with rhythm @everyone",
            press(format!("breathe:again:{u}:1:4:c@everyone")),
            Said::Is(b.custom_format.plain()),
        ),
        case(
            "button breathe:inhale (no such action)",
            press(format!("breathe:inhale:{u}:")),
            expired(),
        ),
        case(
            "button relax:again with pace 99",
            press(format!("relax:again:{u}:1:99")),
            Said::Is(w.relax.unknown_pace.plain()),
        ),
        case(
            "button relax:again with nothing after it",
            press(format!("relax:again:{u}:")),
            expired(),
        ),
        case(
            "button ground:next:99 (past the last step)",
            press(format!("ground:next:{u}:99:1")),
            expired(),
        ),
        case(
            "button ground:next:x",
            press(format!("ground:next:{u}:x:1")),
            expired(),
        ),
        case(
            "button support:call (no such action)",
            press(format!("support:call:{u}:")),
            expired(),
        ),
        // ---- menus: soothe --------------------------------------------------
        case(
            "menu soothe:feel with feeling 99",
            choose(format!("soothe:feel:{u}:"), &["99"]),
            expired(),
        ),
        case(
            "menu soothe:feel with feeling -1",
            choose(format!("soothe:feel:{u}:"), &["-1"]),
            expired(),
        ),
        case(
            "menu soothe:feel with no choice at all",
            choose(format!("soothe:feel:{u}:"), &[]),
            expired(),
        ),
        case(
            "button soothe:feel pressed as a button (no values)",
            press(format!("soothe:feel:{u}:")),
            expired(),
        ),
        case(
            "menu soothe:dread (no such menu) with feeling 0",
            choose(format!("soothe:dread:{u}:"), &["0"]),
            expired(),
        ),
        // ---- buttons: ids that are not steady's -----------------------------
        case(
            "button unknown:thing",
            press(format!("unknown:thing:{u}:")),
            expired(),
        ),
        case("button nonsense", press("nonsense".to_owned()), expired()),
        case(
            "button a:b:notanumber:c",
            press("a:b:notanumber:c".to_owned()),
            expired(),
        ),
        case("button :::", press(":::".to_owned()), expired()),
        case(
            "button with a 100-character id",
            press(format!("checkin:mood:{u}:{}", "9".repeat(100 - 33))),
            expired(),
        ),
        case(
            "button with a 100-character id of junk",
            press("x".repeat(100)),
            expired(),
        ),
        case(
            "button with an owner past u64",
            press("anchors:page:99999999999999999999999:0".to_owned()),
            expired(),
        ),
        case(
            "button reframe:next naming no record",
            press(format!("reframe:next:{u}:")),
            expired(),
        ),
        case(
            "button reframe:keep naming an unreadable record",
            press(format!("reframe:keep:{u}:x")),
            expired(),
        ),
        case(
            "button reframe:anchor of a record never written",
            press(format!("reframe:anchor:{u}:987654321")),
            Said::Is(r.gone.plain()),
        ),
        case(
            "button reframe:keep of a record never written",
            press(format!("reframe:keep:{u}:987654321")),
            Said::Is(r.gone.plain()),
        ),
        // ---- buttons: someone else's ----------------------------------------
        case(
            "button reframe:keep of someone else's record",
            press_as(format!("reframe:keep:{other}:1"), river(), sky()),
            Said::Is(e.not_yours.plain()),
        ),
        case(
            "button anchors:page of someone else's list",
            press_as(format!("anchors:page:{other}:0"), river(), sky()),
            Said::Is(e.not_yours.plain()),
        ),
        case(
            "button mydata:delete of someone else, still in time",
            press_as(
                format!("mydata:delete:{other}:{in_a_while}"),
                river(),
                sky(),
            ),
            Said::Is(e.not_yours.plain()),
        ),
        case(
            "button checkin:pause of someone else",
            press_as(format!("checkin:pause:{other}:"), river(), sky()),
            Said::Is(e.not_yours.plain()),
        ),
        case(
            "button with owner 0",
            press("anchors:page:0:0".to_owned()),
            Said::Is(e.not_yours.plain()),
        ),
        // ---- buttons from before a restart ----------------------------------
        case(
            "stale: a mood tap on a check-in from before /mydata delete",
            press_as(format!("checkin:mood:{}:3", fern().id), fern(), fern()),
            Said::Has(c.mood_not_kept.plain()),
        ),
        case(
            "stale: snooze on a check-in from before /mydata delete",
            press_as(format!("checkin:snooze:{}:", fern().id), fern(), fern()),
            Said::Is(c.not_running.plain()),
        ),
        case(
            "stale: Stop on an exercise that was running at the restart",
            press(known.stale_stop.clone()),
            Said::Is(b.stopped.plain()),
        ),
        case(
            "stale: Stop the other one, offered before the restart",
            press(known.stale_stop_other.clone()),
            Said::Is(b.other_stopped.plain()),
        ),
        case(
            "stale: Next on a list shown before the restart",
            press_as(known.stale_next_page.clone(), sky(), sky()),
            Said::Has(a.list_title.render(&[("page", "2"), ("pages", "2")])),
        ),
        // ---- forged Again with unreadable numbers ---------------------------
        // Last: were one to start an exercise, `Run::stop_exercises` stops
        // it again before the next case.
        //
        // Unreadable rounds or pattern index: not steady's, so expired (it
        // once started the default exercise publicly).
        case(
            "button breathe:again with unreadable rounds and pattern",
            press(format!("breathe:again:{u}:0:x:pzz")),
            expired(),
        ),
        // An unreadable pace: expired, not the usual pace.
        case(
            "button relax:again with pace zzz",
            press(format!("relax:again:{u}:0:zzz")),
            expired(),
        ),
    ]
}

// ---------------------------------------------------------------------------
// The database, as text
// ---------------------------------------------------------------------------

/// Every table (but SQLite's and sqlx's own, and `processes`, where the
/// bot says it is alive every 2 s whatever it is asked) as sorted rows of
/// `column=value` text; the key store's tables named `keys.<table>`.
type Snapshot = BTreeMap<String, Vec<String>>;

/// The bot's database and its key store, a file of its own beside it: bad
/// input must not make a person's key either.
struct Files {
    db: SqlitePool,
    keys: SqlitePool,
}

impl Files {
    async fn open(store: &Store, dir: &std::path::Path) -> Files {
        let keys = format!("sqlite://{}", dir.join("steady-keys.db").display());
        Files {
            db: store.sqlite().unwrap().clone(),
            keys: SqlitePool::connect(&keys).await.unwrap(),
        }
    }
}

async fn snapshot(files: &Files) -> Snapshot {
    let mut all = tables(&files.db).await;
    for (table, rows) in tables(&files.keys).await {
        all.insert(format!("keys.{table}"), rows);
    }
    all
}

async fn tables(pool: &SqlitePool) -> Snapshot {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table'
         AND name NOT LIKE 'sqlite%' AND name NOT IN ('_sqlx_migrations', 'processes')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut all = Snapshot::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let row = columns
            .iter()
            .map(|column| format!("'{column}=' || quote(\"{column}\")"))
            .collect::<Vec<_>>()
            .join(" || ' ' || ");
        // Table and column names come from the schema itself.
        let sql = format!("SELECT {row} FROM \"{table}\"");
        let mut rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await
            .unwrap();
        rows.sort();
        all.insert(table, rows);
    }
    all
}

/// What changed, table by table.
fn changes(before: &Snapshot, after: &Snapshot) -> String {
    let mut said = Vec::new();
    let tables: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for table in tables {
        let (old, new) = (before.get(table), after.get(table));
        if old == new {
            continue;
        }
        let (old, new) = (
            old.cloned().unwrap_or_default(),
            new.cloned().unwrap_or_default(),
        );
        let gone: Vec<&String> = old.iter().filter(|r| !new.contains(r)).collect();
        let came: Vec<&String> = new.iter().filter(|r| !old.contains(r)).collect();
        said.push(format!("{table}: removed {gone:?}, added {came:?}"));
    }
    said.join("; ")
}

// ---------------------------------------------------------------------------
// Running the catalogue
// ---------------------------------------------------------------------------

struct Run<'a> {
    standin: &'a StandIn,
    files: &'a Files,
    words: Catalog,
    /// Each problem, with the name of its case.
    failures: Vec<(&'static str, String)>,
    /// The database as the last case left it.
    db: Snapshot,
    /// Requests recorded when the last case was answered.
    seen: usize,
    last: &'static str,
}

impl Run<'_> {
    fn fail(&mut self, name: &'static str, problem: String) {
        self.failures.push((name, problem));
    }

    /// Anything that arrived since the last case was answered is its doing.
    async fn nothing_late(&mut self) {
        let late: Vec<String> = self.standin.requests()[self.seen..]
            .iter()
            .map(Recorded::summary)
            .collect();
        if !late.is_empty() {
            let last = self.last;
            self.fail(last, format!("more requests after its answer: {late:?}"));
        }
        let now = snapshot(self.files).await;
        if now != self.db {
            let (last, changed) = (self.last, changes(&self.db, &now));
            self.fail(
                last,
                format!("the database changed after its answer: {changed}"),
            );
            self.db = now;
        }
        // An exercise records itself just after its first frame.
        if !self.db["sessions"].is_empty() {
            self.stop_exercises().await;
        }
    }

    async fn run(&mut self, case: Case) {
        self.nothing_late().await;
        let name = case.name;
        let (spec, host) = match case.act {
            Act::Send(spec) => (spec, None),
            Act::Press {
                id,
                by,
                host,
                values,
            } => {
                let host = self.host(host).await;
                let spec = match values {
                    Some(values) => {
                        let values: Vec<&str> = values.iter().map(String::as_str).collect();
                        InteractionSpec::select(&host, &id, &values)
                    }
                    None => InteractionSpec::button(&host, &id),
                };
                (spec.user(by), Some(host))
            }
        };
        let before = snapshot(self.files).await;
        let mark = self.standin.requests().len();
        let sent = self.standin.dispatch(spec);
        let answered =
            tokio::time::timeout(PATIENCE, self.standin.callback(&sent, PATIENCE * 2)).await;
        let after = snapshot(self.files).await;
        let requests = self.standin.requests();
        self.seen = requests.len();
        self.last = name;
        if after != before {
            self.fail(
                name,
                format!("changed the database: {}", changes(&before, &after)),
            );
        }
        self.db = after;
        let Ok(answer) = answered else {
            self.fail(name, "no answer at all".to_owned());
            return;
        };
        let others: Vec<String> = requests[mark..]
            .iter()
            .filter(|r| r.path != answer.path)
            .map(Recorded::summary)
            .collect();
        if !others.is_empty() {
            self.fail(name, format!("more than one answer: {others:?}"));
        }
        if requests[mark..]
            .iter()
            .any(|r| r.route == route::CREATE_DM || r.route == route::CREATE_MESSAGE)
        {
            self.fail(name, "sent a DM".to_owned());
        }
        if let Err(problem) = self.judge(&answer, host.as_ref(), &case.said) {
            self.fail(name, problem);
        }
        if !self.db["sessions"].is_empty() {
            self.stop_exercises().await;
        }
    }

    /// A case started an exercise (a failure already noted): stop it, so
    /// the cases after it are judged on their own.
    async fn stop_exercises(&mut self) {
        let host = self.host(river()).await;
        let stop = format!("pace:stopother:{}:", river().id);
        let sent = self
            .standin
            .dispatch(InteractionSpec::button(&host, &stop).user(river()));
        self.standin.callback(&sent, PATIENCE).await;
        tokio::time::timeout(PATIENCE, async {
            while !snapshot(self.files).await["sessions"].is_empty() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the exercise a case started never stopped");
        // Its last words, then quiet.
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.seen = self.standin.requests().len();
        self.db = snapshot(self.files).await;
    }

    /// A fresh private message from the bot to `user`, to press buttons on.
    async fn host(&mut self, user: UserSpec) -> Sent {
        let sent = self
            .standin
            .dispatch(slash("anchors", user).subcommand("list"));
        let shown = self.standin.callback(&sent, PATIENCE).await;
        assert!(
            is_private(&shown.body["data"]),
            "the host message is private"
        );
        self.seen = self.standin.requests().len();
        sent
    }

    fn judge(&self, answer: &Recorded, host: Option<&Sent>, said: &Said) -> Result<(), String> {
        let body = &answer.body;
        if answer.status != 204 {
            return Err(format!(
                "the stand-in refused the answer ({}): {:#}",
                answer.status, answer.response
            ));
        }
        let data = &body["data"];
        match (body["type"].as_u64(), said) {
            (Some(8), Said::Choices) => return Ok(()),
            (kind, Said::Choices) => return Err(format!("not autocomplete choices: {kind:?}")),
            (Some(4), _) if is_private(data) => {}
            (Some(4), _) => return Err(format!("answered for everyone to see: {data}")),
            (Some(7), _) => {
                let host = host.ok_or("updated a message, but it was a command")?;
                let shown = self.standin.original(host).unwrap_or_default();
                if !is_private(&shown) {
                    return Err(format!("updated a message everyone sees: {shown}"));
                }
            }
            (kind, _) => return Err(format!("answered with callback type {kind:?}: {body:#}")),
        }
        if data["allowed_mentions"]["parse"] != json!([]) {
            return Err(format!("could ping someone: {data:#}"));
        }
        let content = data["content"].as_str().unwrap_or("");
        if content.trim().is_empty() {
            return Err(format!("an empty answer: {data:#}"));
        }
        let unexpected = self.words.errors.unexpected.plain();
        if content == unexpected && !said.allows(&unexpected) {
            return Err("the generic \"something went wrong\" answer".to_owned());
        }
        said.check(content)
    }
}

impl Said {
    fn check(&self, content: &str) -> Result<(), String> {
        match self {
            Said::Is(text) if content == text => Ok(()),
            Said::Is(text) => Err(format!("said {content:?}, expected {text:?}")),
            Said::Has(text) if content.contains(text.as_str()) => Ok(()),
            Said::Has(text) => Err(format!("said {content:?}, expected it to hold {text:?}")),
            Said::All(all) => all.iter().try_for_each(|said| said.check(content)),
            Said::Choices => Err(format!("said {content:?}, expected choices")),
        }
    }

    fn allows(&self, content: &str) -> bool {
        self.check(content).is_ok()
    }
}

fn is_private(message: &Value) -> bool {
    message["flags"].as_u64().unwrap_or(0) & 64 == 64
}

fn id_starting(ids: &[String], prefix: &str) -> String {
    ids.iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}… among {ids:?}"))
        .clone()
}

/// Before the restart: a running exercise's Stop, "Stop the other one", and
/// the Next of sky's two-page list, from a first bot on `dir`'s database.
async fn buttons_before_a_restart(dir: &std::path::Path) -> (String, String, String) {
    let before = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&before, dir, "").await;
    let breathing = slash("breathe", river()).option("private", json!(true));
    let first = before.dispatch(breathing.clone());
    let frame = before.callback(&first, PATIENCE).await;
    let stop = id_starting(&button_ids(&frame.body["data"]), "pace:stop:");
    let second = before.dispatch(breathing);
    let busy = before.callback(&second, PATIENCE).await;
    let stop_other = id_starting(&button_ids(&busy.body["data"]), "pace:stopother:");
    let list = before.dispatch(slash("anchors", sky()).subcommand("list"));
    let shown = before.callback(&list, PATIENCE).await;
    let next = id_starting(&button_ids(&shown.body["data"]), "anchors:page:");
    assert!(next.ends_with(":1"), "{next}");
    // Stopped with the exercise still running: it says so and is forgotten.
    bot.stop().await.unwrap();
    assert_healthy(&before);
    (stop, stop_other, next)
}

#[tokio::test]
async fn every_bad_input_gets_a_kind_private_answer_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path());
    let store = Store::open(&url).await.unwrap();
    store
        .add_anchor(river().id, RIVERS_ANCHOR)
        .await
        .unwrap()
        .unwrap();
    for n in 0..8 {
        store
            .add_anchor(sky().id, &skys_anchor(n))
            .await
            .unwrap()
            .unwrap();
    }
    let skys_anchor = store.anchors(sky().id).await.unwrap()[0].id;
    store.close().await;

    let (stale_stop, stale_stop_other, stale_next_page) =
        buttons_before_a_restart(dir.path()).await;
    let known = Known {
        skys_anchor,
        stale_stop,
        stale_stop_other,
        stale_next_page,
    };

    // After the restart: a new bot on the same database, a new stand-in.
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let store = Store::open(&bot.database_url()).await.unwrap();
    let files = Files::open(&store, dir.path()).await;
    // The exercise stopped at the restart is forgotten; none runs now, so
    // `sessions` is compared like every other table.
    let mut db = snapshot(&files).await;
    tokio::time::timeout(PATIENCE, async {
        while !db["sessions"].is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            db = snapshot(&files).await;
        }
    })
    .await
    .expect("an exercise still recorded as running");
    for table in [
        "users",
        "anchors",
        "checkins",
        "moods",
        "sessions",
        "keys.person_keys",
    ] {
        assert!(db.contains_key(table), "no table {table}");
    }

    let cases = table(&known);
    assert!(cases.len() >= 45, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");

    let mut run = Run {
        standin: &standin,
        files: &files,
        words: Catalog::load(None).unwrap(),
        failures: Vec::new(),
        db,
        seen: standin.requests().len(),
        last: "(the setup)",
    };
    let total = cases.len();
    for case in cases {
        run.run(case).await;
    }
    // Time for anything the last case would still send or write, retried.
    tokio::time::sleep(PAST_RETRIES).await;
    run.nothing_late().await;
    let failures = std::mem::take(&mut run.failures);
    store.close().await;
    bot.stop().await.unwrap();
    let mut failed: Vec<&str> = failures.iter().map(|(name, _)| *name).collect();
    failed.dedup();
    let said: Vec<String> = failures
        .iter()
        .map(|(name, problem)| format!("{name}: {problem}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {total} bad-input cases failed:\n{}",
        failed.len(),
        said.join("\n")
    );
    assert_healthy(&standin);
}
