//! `prompts/calm.toml`: the words of /calm, for communities: the calm
//! corner panel, the server's own help lines, and the daily moment.

use super::{Checker, Plural, PromptFile, Text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calm {
    pub joined: Plural,
    pub panel: Panel,
    pub ritual: Ritual,
    pub messages: CalmMessages,
    pub buttons: CalmButtons,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub text: Text,
    pub buttons: PanelButtons,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelButtons {
    pub breathe: Text,
    pub ground: Text,
    pub soothe: Text,
    pub anchors: Text,
    pub support: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ritual {
    pub post: Text,
    pub buttons: RitualButtons,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RitualButtons {
    pub together: Text,
    pub alone: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalmButtons {
    pub forget: Text,
    pub keep: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalmMessages {
    pub guild_only: Text,
    pub panel_posted: Text,
    pub no_view: Text,
    pub no_send: Text,
    pub not_member: Text,
    pub not_text: Text,
    pub help_heading: Text,
    pub help_added: Text,
    pub help_full: Text,
    pub help_exists: Text,
    pub help_removed: Text,
    pub help_unknown: Text,
    pub help_none: Text,
    pub help_list: Text,
    pub name_too_long: Text,
    pub text_too_long: Text,
    pub bad_link: Text,
    pub no_mentions: Text,
    pub link_in_words: Text,
    pub moderators_only: Text,
    pub you_cannot_post: Text,
    pub slow_down: Text,
    pub ritual_set: Text,
    pub ritual_off: Text,
    pub ritual_off_already: Text,
    pub ritual_status_on: Text,
    pub ritual_status_off: Text,
    pub status: Text,
    pub forget_confirm: Text,
    pub forget_done: Text,
    pub forget_kept: Text,
    pub forget_nothing: Text,
    pub forget_expired: Text,
}

impl PromptFile for Calm {
    const NAME: &'static str = "calm.toml";

    fn check(&self, c: &mut Checker) {
        c.plural("joined", &self.joined);
        c.text("panel.text", &self.panel.text, &[]);
        let p = &self.panel.buttons;
        for (key, label) in [
            ("panel.buttons.breathe", &p.breathe),
            ("panel.buttons.ground", &p.ground),
            ("panel.buttons.soothe", &p.soothe),
            ("panel.buttons.anchors", &p.anchors),
            ("panel.buttons.support", &p.support),
            ("ritual.buttons.together", &self.ritual.buttons.together),
            ("ritual.buttons.alone", &self.ritual.buttons.alone),
            ("buttons.forget", &self.buttons.forget),
            ("buttons.keep", &self.buttons.keep),
        ] {
            c.label(key, label);
        }
        c.text("ritual.post", &self.ritual.post, &["time"]);
        let m = &self.messages;
        let channel = &["channel"][..];
        let name = &["name"][..];
        let limit = &["max", "count"][..];
        let ritual = &["time", "zone", "channel", "relative"][..];
        for (key, text, allowed) in [
            ("messages.guild_only", &m.guild_only, &[][..]),
            ("messages.panel_posted", &m.panel_posted, channel),
            ("messages.no_view", &m.no_view, channel),
            ("messages.no_send", &m.no_send, channel),
            ("messages.not_member", &m.not_member, &[]),
            ("messages.not_text", &m.not_text, channel),
            ("messages.help_heading", &m.help_heading, &[]),
            ("messages.help_added", &m.help_added, name),
            ("messages.help_full", &m.help_full, &["max"]),
            ("messages.help_exists", &m.help_exists, name),
            ("messages.help_removed", &m.help_removed, name),
            ("messages.help_unknown", &m.help_unknown, name),
            ("messages.help_none", &m.help_none, &[]),
            ("messages.help_list", &m.help_list, &["lines"]),
            ("messages.name_too_long", &m.name_too_long, limit),
            ("messages.text_too_long", &m.text_too_long, limit),
            ("messages.bad_link", &m.bad_link, &[]),
            ("messages.no_mentions", &m.no_mentions, &[]),
            ("messages.link_in_words", &m.link_in_words, &[]),
            ("messages.moderators_only", &m.moderators_only, &[]),
            ("messages.you_cannot_post", &m.you_cannot_post, channel),
            ("messages.slow_down", &m.slow_down, &["when"]),
            ("messages.ritual_set", &m.ritual_set, ritual),
            ("messages.ritual_off", &m.ritual_off, &[]),
            ("messages.ritual_off_already", &m.ritual_off_already, &[]),
            ("messages.ritual_status_on", &m.ritual_status_on, ritual),
            ("messages.ritual_status_off", &m.ritual_status_off, &[]),
            ("messages.status", &m.status, &["panels", "help", "ritual"]),
            ("messages.forget_confirm", &m.forget_confirm, &[]),
            ("messages.forget_done", &m.forget_done, &[]),
            ("messages.forget_kept", &m.forget_kept, &[]),
            ("messages.forget_nothing", &m.forget_nothing, &[]),
            ("messages.forget_expired", &m.forget_expired, &[]),
        ] {
            c.text(key, text, allowed);
        }
    }
}
