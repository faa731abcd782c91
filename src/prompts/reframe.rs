//! `prompts/reframe.toml`: the words of /reframe, a private thought record
//! in two forms with a message between.

use super::{Checker, PromptFile, Text, MAX_MESSAGE_CHARS};
use crate::reframe::{MAX_KINDER, MAX_STORY};
use serde::Deserialize;

/// Discord refuses a form's title, or a box's label, longer than this.
pub const MAX_FORM_TITLE_CHARS: usize = 45;
/// Discord refuses a box's placeholder longer than this.
const MAX_PLACEHOLDER_CHARS: usize = 100;
/// A person's words, shown back, may take up to twice their length: every
/// markdown character in them is escaped.
const ESCAPED: usize = 2;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reframe {
    pub first: FirstForm,
    pub second: SecondForm,
    pub buttons: ReframeButtons,
    pub messages: ReframeMessages,
}

/// What happened, and the story about it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstForm {
    pub title: Text,
    pub happened: Text,
    pub happened_placeholder: Text,
    pub story: Text,
    pub story_placeholder: Text,
}

/// What else could be true, and the kinder sentence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondForm {
    pub title: Text,
    pub other: Text,
    pub other_placeholder: Text,
    pub kinder: Text,
    pub kinder_placeholder: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReframeButtons {
    pub next: Text,
    pub again: Text,
    pub anchor: Text,
    pub keep: Text,
    pub breathe: Text,
    pub support: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReframeMessages {
    pub validation: Text,
    pub end: Text,
    /// The end on a record already in the journal.
    pub end_kept: Text,
    pub empty: Text,
    pub too_long: Text,
    pub gone: Text,
    pub kept: Text,
}

impl PromptFile for Reframe {
    const NAME: &'static str = "reframe.toml";

    fn check(&self, c: &mut Checker) {
        let (f, s) = (&self.first, &self.second);
        for (key, text, max) in [
            ("first.title", &f.title, MAX_FORM_TITLE_CHARS),
            ("first.happened", &f.happened, MAX_FORM_TITLE_CHARS),
            ("first.story", &f.story, MAX_FORM_TITLE_CHARS),
            ("second.title", &s.title, MAX_FORM_TITLE_CHARS),
            ("second.other", &s.other, MAX_FORM_TITLE_CHARS),
            ("second.kinder", &s.kinder, MAX_FORM_TITLE_CHARS),
            (
                "first.happened_placeholder",
                &f.happened_placeholder,
                MAX_PLACEHOLDER_CHARS,
            ),
            (
                "first.story_placeholder",
                &f.story_placeholder,
                MAX_PLACEHOLDER_CHARS,
            ),
            (
                "second.other_placeholder",
                &s.other_placeholder,
                MAX_PLACEHOLDER_CHARS,
            ),
            (
                "second.kinder_placeholder",
                &s.kinder_placeholder,
                MAX_PLACEHOLDER_CHARS,
            ),
        ] {
            c.text(key, text, &[]);
            c.require(
                key,
                text.plain().chars().count() <= max,
                &format!("is longer than Discord's {max} characters for a form"),
            );
        }
        let b = &self.buttons;
        for (key, text) in [
            ("buttons.next", &b.next),
            ("buttons.again", &b.again),
            ("buttons.anchor", &b.anchor),
            ("buttons.keep", &b.keep),
            ("buttons.breathe", &b.breathe),
            ("buttons.support", &b.support),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        for (key, text, allowed) in [
            ("messages.validation", &m.validation, &["story"][..]),
            ("messages.end", &m.end, &["kinder"]),
            ("messages.end_kept", &m.end_kept, &["kinder"]),
            ("messages.empty", &m.empty, &[]),
            ("messages.too_long", &m.too_long, &[]),
            ("messages.gone", &m.gone, &[]),
            ("messages.kept", &m.kept, &[]),
        ] {
            c.text(key, text, allowed);
        }
        // The person's words must always fit beside steady's.
        for (key, text, words) in [
            ("messages.validation", &m.validation, MAX_STORY),
            ("messages.end", &m.end, MAX_KINDER),
            ("messages.end_kept", &m.end_kept, MAX_KINDER),
        ] {
            let room = MAX_MESSAGE_CHARS - ESCAPED * words;
            c.require(
                key,
                text.plain().chars().count() <= room,
                &format!(
                    "leaves too little room for the person's words: keep it to {room} characters"
                ),
            );
        }
    }
}
