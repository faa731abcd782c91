//! `prompts/checkin.toml`: the daily check-in DM and the words of /checkin.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;

/// Mood taps go from 1 (heaviest) to 5 (lightest).
pub const MOODS: usize = 5;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkin {
    pub variants: Vec<Text>,
    pub buttons: CheckinButtons,
    pub messages: CheckinMessages,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinButtons {
    pub moods: Vec<Text>,
    pub breathe: Text,
    pub anchors: Text,
    pub snooze: Text,
    pub pause: Text,
    pub write: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinMessages {
    pub on: Text,
    pub needs_time: Text,
    pub bad_time: Text,
    pub no_such_time: Text,
    pub bad_zone: Text,
    pub bad_zone_no_idea: Text,
    pub or: Text,
    pub zone_choice: Text,
    pub off: Text,
    pub off_already: Text,
    pub status_on: Text,
    pub status_off: Text,
    pub status_paused_asked: Text,
    pub status_paused_dms_closed: Text,
    pub status_paused_zone_gone: Text,
    pub notice_dms_closed: Text,
    pub notice_zone_gone: Text,
    pub now_sent: Text,
    pub now_dms_closed: Text,
    pub mood_heavy: Text,
    pub mood_middle: Text,
    pub mood_light: Text,
    pub mood_kept: Text,
    pub mood_not_kept: Text,
    pub mood_day_full: Text,
    pub mood_next: Text,
    pub snoozed: Text,
    pub paused: Text,
    pub not_running: Text,
    pub history_on: Text,
    pub history_off: Text,
    pub history_is_off: Text,
    pub history_empty: Text,
    pub history_chart: Text,
    pub history_alt: Text,
}

impl PromptFile for Checkin {
    const NAME: &'static str = "checkin.toml";

    fn check(&self, c: &mut Checker) {
        c.require(
            "variants",
            self.variants.len() >= 2,
            "needs at least 2, so no two days running read the same",
        );
        for (i, variant) in self.variants.iter().enumerate() {
            c.text(&format!("variants[{i}]"), variant, &[]);
        }
        let b = &self.buttons;
        c.require(
            "buttons.moods",
            b.moods.len() == MOODS,
            &format!("needs exactly {MOODS} labels, from heaviest to lightest"),
        );
        for (i, mood) in b.moods.iter().enumerate() {
            c.label(&format!("buttons.moods[{i}]"), mood);
        }
        for (key, text) in [
            ("buttons.breathe", &b.breathe),
            ("buttons.anchors", &b.anchors),
            ("buttons.snooze", &b.snooze),
            ("buttons.pause", &b.pause),
            ("buttons.write", &b.write),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        let next = &["time", "zone", "when", "relative"][..];
        let paused = &["since", "time", "zone"][..];
        for (key, text, allowed) in [
            ("messages.on", &m.on, next),
            ("messages.needs_time", &m.needs_time, &[]),
            ("messages.bad_time", &m.bad_time, &["typed"]),
            ("messages.no_such_time", &m.no_such_time, &["typed"]),
            ("messages.bad_zone", &m.bad_zone, &["typed", "suggestions"]),
            ("messages.bad_zone_no_idea", &m.bad_zone_no_idea, &["typed"]),
            ("messages.zone_choice", &m.zone_choice, &["zone", "time"]),
            ("messages.off", &m.off, &[]),
            ("messages.off_already", &m.off_already, &[]),
            ("messages.status_on", &m.status_on, next),
            ("messages.status_off", &m.status_off, &[]),
            (
                "messages.status_paused_asked",
                &m.status_paused_asked,
                paused,
            ),
            (
                "messages.status_paused_dms_closed",
                &m.status_paused_dms_closed,
                paused,
            ),
            (
                "messages.status_paused_zone_gone",
                &m.status_paused_zone_gone,
                paused,
            ),
            (
                "messages.notice_dms_closed",
                &m.notice_dms_closed,
                &["since"],
            ),
            ("messages.notice_zone_gone", &m.notice_zone_gone, &["since"]),
            ("messages.now_sent", &m.now_sent, &[]),
            ("messages.now_dms_closed", &m.now_dms_closed, &[]),
            ("messages.mood_heavy", &m.mood_heavy, &[]),
            ("messages.mood_middle", &m.mood_middle, &[]),
            ("messages.mood_light", &m.mood_light, &[]),
            ("messages.mood_kept", &m.mood_kept, &[]),
            ("messages.mood_not_kept", &m.mood_not_kept, &[]),
            ("messages.mood_day_full", &m.mood_day_full, &[]),
            ("messages.mood_next", &m.mood_next, &[]),
            ("messages.snoozed", &m.snoozed, &["when", "relative"]),
            ("messages.paused", &m.paused, &[]),
            ("messages.not_running", &m.not_running, &[]),
            ("messages.history_on", &m.history_on, &[]),
            ("messages.history_off", &m.history_off, &["count"]),
            ("messages.history_is_off", &m.history_is_off, &[]),
            ("messages.history_empty", &m.history_empty, &[]),
            ("messages.history_chart", &m.history_chart, &[]),
            ("messages.history_alt", &m.history_alt, &[]),
            ("messages.or", &m.or, &[]),
        ] {
            c.text(key, text, allowed);
        }
    }
}
