//! `prompts/anchors.toml`: the words of /anchors and its starter set.

use super::{Checker, PromptFile, Text};
use crate::anchors::{clean, MAX_ANCHORS};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchors {
    pub starter: Vec<String>,
    pub buttons: AnchorButtons,
    pub messages: AnchorMessages,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorButtons {
    pub breathe: Text,
    pub another: Text,
    pub mine: Text,
    pub starter: Text,
    pub previous: Text,
    pub next: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorMessages {
    pub added: Text,
    pub empty_text: Text,
    pub too_long: Text,
    pub duplicate: Text,
    pub full: Text,
    pub list_title: Text,
    pub none_yet: Text,
    pub removed: Text,
    pub already_gone: Text,
    pub unreadable: Text,
    pub sent: Text,
    pub dms_closed: Text,
    pub starter_added: Text,
    pub starter_none: Text,
    pub one: Text,
    pub all_title: Text,
}

impl PromptFile for Anchors {
    const NAME: &'static str = "anchors.toml";

    fn check(&self, c: &mut Checker) {
        let b = &self.buttons;
        for (key, text) in [
            ("buttons.breathe", &b.breathe),
            ("buttons.another", &b.another),
            ("buttons.mine", &b.mine),
            ("buttons.starter", &b.starter),
            ("buttons.previous", &b.previous),
            ("buttons.next", &b.next),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        for (key, text, allowed) in [
            ("messages.added", &m.added, &["count"][..]),
            ("messages.empty_text", &m.empty_text, &[]),
            ("messages.too_long", &m.too_long, &["max"]),
            ("messages.duplicate", &m.duplicate, &[]),
            ("messages.full", &m.full, &["max"]),
            ("messages.list_title", &m.list_title, &["page", "pages"]),
            ("messages.none_yet", &m.none_yet, &[]),
            ("messages.removed", &m.removed, &[]),
            ("messages.already_gone", &m.already_gone, &[]),
            ("messages.unreadable", &m.unreadable, &[]),
            ("messages.sent", &m.sent, &[]),
            ("messages.dms_closed", &m.dms_closed, &[]),
            ("messages.starter_added", &m.starter_added, &["count"]),
            ("messages.starter_none", &m.starter_none, &[]),
            ("messages.one", &m.one, &["anchor"]),
            ("messages.all_title", &m.all_title, &[]),
        ] {
            c.text(key, text, allowed);
        }
        c.require(
            "starter",
            (1..=MAX_ANCHORS).contains(&self.starter.len()),
            &format!("needs 1 to {MAX_ANCHORS} anchors"),
        );
        for (i, anchor) in self.starter.iter().enumerate() {
            c.require(
                &format!("starter[{i}]"),
                clean(anchor).as_deref() == Ok(anchor.as_str()),
                "must be a plain anchor a person could add (not blank, at most 300 characters)",
            );
        }
    }
}
