//! `prompts/soothe.toml`: the words of the self-compassion flow.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;

/// Discord's limits for a select menu: options, and an option's label.
const MAX_OPTIONS: usize = 25;
const MAX_LABEL_CHARS: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Soothe {
    pub question: Text,
    pub placeholder: Text,
    pub compassion: Text,
    pub secure_base: Text,
    pub feelings: Vec<Feeling>,
    pub buttons: SootheButtons,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeling {
    pub label: Text,
    pub validation: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SootheButtons {
    pub breathe: Text,
    pub ground: Text,
    pub anchors: Text,
    pub wait: Text,
    pub support: Text,
}

impl PromptFile for Soothe {
    const NAME: &'static str = "soothe.toml";

    fn check(&self, c: &mut Checker) {
        c.text("question", &self.question, &[]);
        c.text("compassion", &self.compassion, &[]);
        c.text("secure_base", &self.secure_base, &[]);
        c.require(
            "placeholder",
            self.placeholder.plain().chars().count() <= 150,
            "is longer than Discord's 150 characters for a placeholder",
        );
        c.text("placeholder", &self.placeholder, &[]);
        c.require(
            "feelings",
            (2..=MAX_OPTIONS).contains(&self.feelings.len()),
            &format!("needs 2 to {MAX_OPTIONS} feelings (Discord's limit for a menu)"),
        );
        for (i, feeling) in self.feelings.iter().enumerate() {
            let key = format!("feelings[{i}].label");
            c.text(&key, &feeling.label, &[]);
            c.require(
                &key,
                feeling.label.plain().chars().count() <= MAX_LABEL_CHARS,
                &format!("is longer than Discord's {MAX_LABEL_CHARS} characters"),
            );
            c.text(
                &format!("feelings[{i}].validation"),
                &feeling.validation,
                &[],
            );
        }
        let b = &self.buttons;
        c.label("buttons.breathe", &b.breathe);
        c.label("buttons.ground", &b.ground);
        c.label("buttons.anchors", &b.anchors);
        c.label("buttons.wait", &b.wait);
        c.label("buttons.support", &b.support);
    }
}
