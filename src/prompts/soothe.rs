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
    pub not_safe: NotSafe,
    pub buttons: SootheButtons,
}

/// The choice offered after the feelings, whose answer is help straight away.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotSafe {
    pub label: Text,
    /// Said above the support lines.
    pub answer: Text,
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
    pub journal: Text,
    pub reframe: Text,
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
        // The menu holds the feelings and, last, "I don't feel safe".
        let most = MAX_OPTIONS - 1;
        c.require(
            "feelings",
            (2..=most).contains(&self.feelings.len()),
            &format!(
                "needs 2 to {most} feelings (Discord's limit for a menu, less one for `not_safe`)"
            ),
        );
        let labels = self
            .feelings
            .iter()
            .enumerate()
            .map(|(i, feeling)| (format!("feelings[{i}].label"), &feeling.label))
            .chain([("not_safe.label".to_owned(), &self.not_safe.label)]);
        for (key, label) in labels {
            c.text(&key, label, &[]);
            c.require(
                &key,
                label.plain().chars().count() <= MAX_LABEL_CHARS,
                &format!("is longer than Discord's {MAX_LABEL_CHARS} characters"),
            );
        }
        for (i, feeling) in self.feelings.iter().enumerate() {
            c.text(
                &format!("feelings[{i}].validation"),
                &feeling.validation,
                &[],
            );
        }
        c.text("not_safe.answer", &self.not_safe.answer, &[]);
        let b = &self.buttons;
        c.label("buttons.breathe", &b.breathe);
        c.label("buttons.ground", &b.ground);
        c.label("buttons.anchors", &b.anchors);
        c.label("buttons.wait", &b.wait);
        c.label("buttons.support", &b.support);
        c.label("buttons.journal", &b.journal);
        c.label("buttons.reframe", &b.reframe);
    }
}
