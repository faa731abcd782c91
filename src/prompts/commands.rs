//! `prompts/commands.toml`: what Discord's command picker shows beside each
//! command and option.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Discord's limit for command and option descriptions.
const MAX_DESCRIPTION_CHARS: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Commands(BTreeMap<String, CommandWords>);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandWords {
    pub description: Text,
    #[serde(default)]
    pub options: BTreeMap<String, Text>,
}

impl Commands {
    /// The words for a command, by its name.
    pub fn get(&self, command: &str) -> Option<&CommandWords> {
        self.0.get(command)
    }
}

impl PromptFile for Commands {
    const NAME: &'static str = "commands.toml";
    const DEFAULT: &'static str = include_str!("../../prompts/commands.toml");

    fn check(&self, c: &mut Checker) {
        let mut describe = |key: String, text: &Text| {
            c.text(&key, text, &[]);
            c.require(
                &key,
                text.plain().chars().count() <= MAX_DESCRIPTION_CHARS,
                &format!("is longer than Discord's {MAX_DESCRIPTION_CHARS} characters"),
            );
        };
        for (name, words) in &self.0 {
            describe(format!("{name}.description"), &words.description);
            for (option, text) in &words.options {
                describe(format!("{name}.options.{option}"), text);
            }
        }
    }
}
