//! `prompts/journal_remind.toml`: the evening journal reminder's DM and the
//! words of `/journal remind`.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalRemind {
    pub variants: Vec<Text>,
    pub buttons: JournalRemindButtons,
    pub messages: JournalRemindMessages,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalRemindButtons {
    pub write: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalRemindMessages {
    pub on: Text,
    pub needs_zone: Text,
    pub off: Text,
    pub off_already: Text,
    pub notice_dms_closed: Text,
    pub status_on: Text,
    pub status_off: Text,
    pub status_paused: Text,
}

impl PromptFile for JournalRemind {
    const NAME: &'static str = "journal_remind.toml";

    fn check(&self, c: &mut Checker) {
        c.require(
            "variants",
            self.variants.len() >= 2,
            "needs at least 2, so no two evenings running read the same",
        );
        for (i, variant) in self.variants.iter().enumerate() {
            c.text(&format!("variants[{i}]"), variant, &[]);
        }
        c.label("buttons.write", &self.buttons.write);
        let m = &self.messages;
        let next = &["time", "zone", "when", "relative"][..];
        for (key, text, allowed) in [
            ("messages.on", &m.on, next),
            ("messages.needs_zone", &m.needs_zone, &[]),
            ("messages.off", &m.off, &[]),
            ("messages.off_already", &m.off_already, &[]),
            (
                "messages.notice_dms_closed",
                &m.notice_dms_closed,
                &["since"],
            ),
            ("messages.status_on", &m.status_on, next),
            ("messages.status_off", &m.status_off, &[]),
            ("messages.status_paused", &m.status_paused, &["since"]),
        ] {
            c.text(key, text, allowed);
        }
    }
}
