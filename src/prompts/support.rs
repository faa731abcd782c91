//! `prompts/support.toml`: where to find people who can help.

use super::check::MAX_MESSAGE_CHARS;
use super::{Checker, PromptFile, Text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub intro: Text,
    pub lines: Vec<SupportLine>,
    pub outro: Text,
}

/// One service: where it serves, and how to reach it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportLine {
    pub place: Text,
    pub text: Text,
}

impl Support {
    /// The whole message: intro, one line per service, outro.
    pub fn message(&self) -> String {
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|line| format!("- **{}**: {}", line.place.plain(), line.text.plain()))
            .collect();
        format!(
            "{}\n\n{}\n\n{}",
            self.intro.plain(),
            lines.join("\n"),
            self.outro.plain()
        )
    }
}

impl PromptFile for Support {
    const NAME: &'static str = "support.toml";
    const DEFAULT: &'static str = include_str!("../../prompts/support.toml");

    fn check(&self, c: &mut Checker) {
        c.text("intro", &self.intro, &[]);
        c.text("outro", &self.outro, &[]);
        c.require("lines", !self.lines.is_empty(), "needs at least one line");
        for (i, line) in self.lines.iter().enumerate() {
            c.text(&format!("lines[{i}].place"), &line.place, &[]);
            c.text(&format!("lines[{i}].text"), &line.text, &[]);
        }
        c.require(
            "lines",
            self.message().chars().count() <= MAX_MESSAGE_CHARS,
            &format!("the whole message is longer than Discord's {MAX_MESSAGE_CHARS} characters"),
        );
    }
}
