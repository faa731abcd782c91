//! `prompts/wait.toml`: the words of "wait with me", staying with the urge
//! to text again until it eases.

use super::{Checker, Plural, PromptFile, Text};
use serde::Deserialize;

/// Urge taps go from 1 (faint) to 5 (very strong).
pub const URGES: usize = 5;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    pub minutes: Plural,
    pub buttons: WaitButtons,
    pub messages: WaitMessages,
    pub draft: WaitDraft,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitButtons {
    pub urges: Vec<Text>,
    pub breathe: Text,
    pub ground: Text,
    pub anchors: Text,
    pub okay: Text,
    pub send: Text,
    pub more: Text,
    pub replace: Text,
    pub keep: Text,
    pub here: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitMessages {
    pub start: Text,
    pub start_dm: Text,
    pub urge_question: Text,
    pub urge_noted: Text,
    pub history: Text,
    pub dms_closed: Text,
    pub here: Text,
    pub already: Text,
    pub kept: Text,
    pub end: Text,
    pub urge_now: Text,
    pub okay: Text,
    pub send: Text,
    pub more: Text,
    pub urge_after: Text,
    pub urge_kept: Text,
    pub urge_not_kept: Text,
    pub finished: Text,
    pub bad_minutes: Text,
}

/// "Write it here instead": the draft a person writes during a wait.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitDraft {
    pub button: Text,
    /// The writing window's title and its field's label.
    pub title: Text,
    pub label: Text,
    pub placeholder: Text,
    pub kept: Text,
    pub empty: Text,
    pub too_long: Text,
    pub offer: Text,
    pub show: Text,
    pub journal: Text,
    pub delete: Text,
    pub shown: Text,
    pub journaled: Text,
    pub deleted: Text,
    pub gone: Text,
}

/// Discord refuses a modal whose title or field label is longer.
pub const MAX_MODAL_TITLE_CHARS: usize = 45;
/// Discord refuses a text field's placeholder longer than this.
pub const MAX_PLACEHOLDER_CHARS: usize = 100;

impl PromptFile for Wait {
    const NAME: &'static str = "wait.toml";

    fn check(&self, c: &mut Checker) {
        c.plural("minutes", &self.minutes);
        let b = &self.buttons;
        c.require(
            "buttons.urges",
            b.urges.len() == URGES,
            &format!("needs exactly {URGES} labels, from faint to very strong"),
        );
        for (i, urge) in b.urges.iter().enumerate() {
            c.label(&format!("buttons.urges[{i}]"), urge);
        }
        for (key, text) in [
            ("buttons.breathe", &b.breathe),
            ("buttons.ground", &b.ground),
            ("buttons.anchors", &b.anchors),
            ("buttons.okay", &b.okay),
            ("buttons.send", &b.send),
            ("buttons.more", &b.more),
            ("buttons.replace", &b.replace),
            ("buttons.keep", &b.keep),
            ("buttons.here", &b.here),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        let ends = &["minutes", "relative", "time"][..];
        for (key, text, allowed) in [
            ("messages.start", &m.start, ends),
            ("messages.start_dm", &m.start_dm, &["relative", "time"][..]),
            ("messages.urge_question", &m.urge_question, &[]),
            ("messages.urge_noted", &m.urge_noted, &["relative"]),
            (
                "messages.history",
                &m.history,
                &["count", "before", "after"],
            ),
            ("messages.dms_closed", &m.dms_closed, &[]),
            ("messages.here", &m.here, ends),
            ("messages.already", &m.already, &["relative"]),
            ("messages.kept", &m.kept, &["relative"]),
            ("messages.end", &m.end, &["minutes"]),
            ("messages.urge_now", &m.urge_now, &[]),
            ("messages.okay", &m.okay, &[]),
            ("messages.send", &m.send, &[]),
            ("messages.more", &m.more, &["relative", "time"]),
            ("messages.urge_after", &m.urge_after, &["kept"]),
            ("messages.urge_kept", &m.urge_kept, &[]),
            ("messages.urge_not_kept", &m.urge_not_kept, &[]),
            ("messages.finished", &m.finished, &[]),
            ("messages.bad_minutes", &m.bad_minutes, &[]),
        ] {
            c.text(key, text, allowed);
        }
        check_draft(&self.draft, c);
    }
}

fn check_draft(d: &WaitDraft, c: &mut Checker) {
    for (key, text) in [
        ("draft.button", &d.button),
        ("draft.show", &d.show),
        ("draft.journal", &d.journal),
        ("draft.delete", &d.delete),
    ] {
        c.label(key, text);
    }
    for (key, text, most) in [
        ("draft.title", &d.title, MAX_MODAL_TITLE_CHARS),
        ("draft.label", &d.label, MAX_MODAL_TITLE_CHARS),
        ("draft.placeholder", &d.placeholder, MAX_PLACEHOLDER_CHARS),
    ] {
        c.text(key, text, &[]);
        c.require(
            key,
            text.plain().chars().count() <= most,
            &format!("is longer than Discord's {most} characters here"),
        );
    }
    for (key, text, allowed) in [
        ("draft.kept", &d.kept, &[][..]),
        ("draft.empty", &d.empty, &[]),
        ("draft.too_long", &d.too_long, &["max"]),
        ("draft.offer", &d.offer, &[]),
        ("draft.shown", &d.shown, &[]),
        ("draft.journaled", &d.journaled, &[]),
        ("draft.deleted", &d.deleted, &[]),
        ("draft.gone", &d.gone, &[]),
    ] {
        c.text(key, text, allowed);
    }
}
