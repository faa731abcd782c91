//! What /reframe shows: its two forms, and the person's own words inside
//! steady's messages, shown exactly as typed (no markdown of theirs can
//! break the frame, and nothing pings anyone).

use super::super::component::{button, button_id};
use super::super::modal::{Field, Modal};
use super::step::Step;
use crate::help_line::escaped;
use crate::prompts::Reframe;
use crate::reframe::{Record, MAX_HAPPENED, MAX_KINDER, MAX_OTHER, MAX_STORY};
use crate::visible::visible;
use poise::serenity_prelude as serenity;
use serenity::CreateActionRow;

/// The fields' ids in a submit.
pub(super) const HAPPENED: &str = "happened";
pub(super) const STORY: &str = "story";
pub(super) const OTHER: &str = "other";
pub(super) const KINDER: &str = "kinder";

/// The first form: what happened, and the story anxiety tells.
pub(super) fn first_form(words: &Reframe, owner: u64) -> Modal {
    let f = &words.first;
    Modal::new(Step::First.id(owner), f.title.plain())
        .field(
            Field::lines(HAPPENED, f.happened.plain(), most(MAX_HAPPENED))
                .hint(f.happened_placeholder.plain()),
        )
        .field(
            Field::lines(STORY, f.story.plain(), most(MAX_STORY)).hint(f.story_placeholder.plain()),
        )
}

/// The second form, for the record `id`: what else could be true, and a
/// kinder sentence. Opened again, it holds what the person wrote before.
pub(super) fn second_form(words: &Reframe, owner: u64, id: i64, record: &Record) -> Modal {
    let s = &words.second;
    let field = |name, label: String, max, hint: String, before: Option<&str>| {
        let field = Field::lines(name, label, most(max)).hint(hint);
        match before {
            Some(text) => field.holding(text.to_owned()),
            None => field,
        }
    };
    Modal::new(Step::Second(id).id(owner), s.title.plain())
        .field(field(
            OTHER,
            s.other.plain(),
            MAX_OTHER,
            s.other_placeholder.plain(),
            record.other.as_deref(),
        ))
        .field(field(
            KINDER,
            s.kinder.plain(),
            MAX_KINDER,
            s.kinder_placeholder.plain(),
            record.kinder.as_deref(),
        ))
}

/// A box's most, as Discord takes it.
fn most(max: usize) -> u16 {
    u16::try_from(max).unwrap_or(u16::MAX)
}

/// The answer to the first form: the validation, with the person's story
/// in it, and "Keep going".
pub(super) fn validation(
    words: &Reframe,
    owner: u64,
    id: i64,
    record: &Record,
) -> (String, Vec<CreateActionRow>) {
    let content = words
        .messages
        .validation
        .render(&[("story", &in_sentence(&record.story))]);
    let next = button(Step::Next(id).id(owner), &words.buttons.next);
    (content, vec![CreateActionRow::Buttons(vec![next])])
}

/// The end: the kinder sentence shown back, and the ways to go on. A
/// record `kept` in the journal is neither offered nor counted down again.
pub(super) fn end(
    words: &Reframe,
    owner: u64,
    id: i64,
    kinder: &str,
    kept: bool,
) -> (String, Vec<CreateActionRow>) {
    let m = &words.messages;
    let text = if kept { &m.end_kept } else { &m.end };
    let content = text.render(&[("kinder", &shown(kinder))]);
    let b = &words.buttons;
    let keep = (!kept).then(|| button(Step::Keep(id).id(owner), &b.keep));
    let ways = [
        Some(button(Step::Anchor(id).id(owner), &b.anchor)),
        keep,
        Some(button(
            button_id("breathe", "start", owner, "1"),
            &b.breathe,
        )),
        Some(button(button_id("support", "show", owner, ""), &b.support)),
    ];
    let ways = ways.into_iter().flatten().collect();
    (content, vec![CreateActionRow::Buttons(ways)])
}

/// "Try again", which opens the form whose boxes could not be kept: the
/// first (no record yet), or the second for the record `id`.
pub(super) fn again(words: &Reframe, owner: u64, id: Option<i64>) -> Vec<CreateActionRow> {
    let step = id.map_or(Step::Start, Step::Next);
    let again = button(step.id(owner), &words.buttons.again);
    vec![CreateActionRow::Buttons(vec![again])]
}

/// The person's words in the middle of one of steady's sentences ("the
/// thought that {story}."): as [`shown`], without the marks of their own
/// that would clash with the full stop the sentence brings ("why?." read
/// oddly), Spanish's opening ones included.
fn in_sentence(text: &str) -> String {
    let line = visible(text);
    let trimmed = line
        .trim_end_matches(['.', '?', '!', '…', ' '])
        .trim_start_matches(['¿', '¡', ' ']);
    shown(if trimmed.is_empty() { &line } else { trimmed })
}

/// The person's words, shown exactly as typed, on one line: every
/// character markdown reads in a line is escaped ([`escaped`]), and so is
/// what only the start of a line reads (a heading, a list), since a quote
/// line may begin with them. At most twice as long as the words.
fn shown(text: &str) -> String {
    let line = escaped(&visible(text));
    if line.starts_with(['#', '-', '+']) {
        return format!("\\{line}");
    }
    // "1. " starts a numbered list.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    match line[digits..].starts_with('.') {
        true if digits > 0 => format!("{}\\{}", &line[..digits], &line[digits..]),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::Catalogs;

    #[test]
    fn the_validation_holds_the_persons_story_on_its_quote_line() {
        let catalogs = Catalogs::load(None).unwrap();
        let record = Record::begin("no reply for three hours", "they're losing interest.").unwrap();
        let (text, rows) = validation(&catalogs.english().reframe, 7, 42, &record);
        let quoted = text
            .lines()
            .find(|line| line.starts_with("> "))
            .expect("a quote line");
        assert!(
            quoted.contains(
                "the thought that they're losing interest. That's my anxious attachment talking"
            ),
            "{quoted}"
        );
        let json = serde_json::to_value(&rows).unwrap();
        assert_eq!(json[0]["components"][0]["custom_id"], "reframe:next:7:42");
    }

    #[test]
    fn markdown_and_mentions_show_as_typed() {
        for (typed, seen) in [
            ("**they** hate me", r"\*\*they\*\* hate me"),
            ("<@123> won't answer", r"\<@123\> won't answer"),
            ("||gone|| for `good`", r"\|\|gone\|\| for \`good\`"),
            ("# everyone leaves", r"\# everyone leaves"),
            ("- nobody stays", r"\- nobody stays"),
            ("1. I'm too much", r"1\. I'm too much"),
            ("> a quote\n> and more", r"\> a quote \> and more"),
            (
                "[link](https://example.org)",
                r"\[link\](https://example.org)",
            ),
        ] {
            assert_eq!(shown(typed), seen, "{typed}");
        }
        assert_eq!(
            shown("@everyone is busy"),
            "@everyone is busy",
            "allowed_mentions stops the ping"
        );
    }

    #[test]
    fn a_story_ends_where_the_sentence_does() {
        assert_eq!(in_sentence("they're leaving..."), "they're leaving");
        assert_eq!(in_sentence("they're leaving me?"), "they're leaving me");
        assert_eq!(in_sentence("they hate me!!"), "they hate me");
        assert_eq!(in_sentence("¿me está dejando?"), "me está dejando");
        assert_eq!(in_sentence("no one stays…"), "no one stays");
        assert_eq!(in_sentence("..."), "...");
        assert_eq!(in_sentence("?!"), "?!");
    }

    #[test]
    fn shown_words_are_at_most_twice_as_long() {
        for typed in [
            "*".repeat(MAX_STORY),
            format!("#{}", "_".repeat(MAX_STORY - 1)),
            format!("1.{}", "`".repeat(MAX_STORY - 2)),
        ] {
            assert!(shown(&typed).chars().count() <= 2 * MAX_STORY, "{typed}");
        }
    }

    #[test]
    fn every_language_fits_the_fullest_words() {
        let catalogs = Catalogs::load(None).unwrap();
        let story = "*".repeat(MAX_STORY);
        let kinder = "_".repeat(MAX_KINDER);
        let record = Record::begin("facts", &story).unwrap();
        for locale in crate::prompts::Locale::ALL {
            let words = &catalogs.get(locale).reframe;
            let (text, _) = validation(words, 1, 1, &record);
            assert!(
                text.chars().count() <= crate::prompts::MAX_MESSAGE_CHARS,
                "{locale}"
            );
            for kept in [false, true] {
                let (text, _) = end(words, 1, 1, &kinder, kept);
                assert!(
                    text.chars().count() <= crate::prompts::MAX_MESSAGE_CHARS,
                    "{locale}"
                );
            }
        }
    }
}
