//! `prompts/commands.toml`: what Discord's command picker shows beside each
//! command and option, and (in a translation) the command's and options'
//! names in that language.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Discord's limit for command and option descriptions.
const MAX_DESCRIPTION_CHARS: usize = 100;
/// Discord's limit for command and option names.
const MAX_NAME_CHARS: usize = 32;

#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Commands(BTreeMap<String, CommandWords>);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandWords {
    /// The command's own word in this language (for `anchors add`, the
    /// `add`); None keeps the English name.
    pub name: Option<String>,
    pub description: Text,
    #[serde(default)]
    pub options: BTreeMap<String, Text>,
    /// Options' names in this language, by their English name.
    #[serde(default)]
    pub option_names: BTreeMap<String, String>,
}

impl Commands {
    /// The words for a command, by its name.
    pub fn get(&self, command: &str) -> Option<&CommandWords> {
        self.0.get(command)
    }
}

/// Discord's rule for a slash command's or option's name: 1 to 32 letters,
/// digits, `-` or `_`, none uppercase. (Discord's own pattern is
/// `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`; `char::is_alphanumeric`
/// is letters and numbers, with the marks those scripts write vowels with.)
pub fn is_command_name(name: &str) -> bool {
    let length = name.chars().count();
    (1..=MAX_NAME_CHARS).contains(&length)
        && name
            .chars()
            .all(|c| (c.is_alphanumeric() || c == '-' || c == '_') && !c.is_uppercase())
}

impl PromptFile for Commands {
    const NAME: &'static str = "commands.toml";

    fn check(&self, c: &mut Checker) {
        let describe = |c: &mut Checker, key: String, text: &Text| {
            c.text(&key, text, &[]);
            c.require(
                &key,
                text.plain().chars().count() <= MAX_DESCRIPTION_CHARS,
                &format!("is longer than Discord's {MAX_DESCRIPTION_CHARS} characters"),
            );
        };
        let rule = "is not a name Discord accepts: 1 to 32 lowercase letters, digits, - or _, \
                    no spaces";
        for (command, words) in &self.0 {
            describe(c, format!("{command}.description"), &words.description);
            for (option, text) in &words.options {
                describe(c, format!("{command}.options.{option}"), text);
            }
            if let Some(name) = &words.name {
                c.require(&format!("{command}.name"), is_command_name(name), rule);
            }
            for (option, name) in &words.option_names {
                let key = format!("{command}.option_names.{option}");
                c.require(&key, is_command_name(name), rule);
                c.require(
                    &key,
                    words.options.contains_key(option),
                    "names an option this command does not have",
                );
            }
            let options = words.options.keys().map(|option| {
                let shown = words.option_names.get(option).unwrap_or(option);
                (format!("{command}.option_names.{option}"), shown.clone())
            });
            unique(c, options);
        }
        // Siblings: the top-level commands, and each command's subcommands.
        let parent = |command: &str| {
            command
                .rsplit_once(' ')
                .map(|(parent, _)| parent.to_owned())
        };
        let mut families: BTreeMap<Option<String>, Vec<(String, String)>> = BTreeMap::new();
        for (command, words) in &self.0 {
            let own = command.rsplit(' ').next().unwrap_or(command);
            let shown = words.name.clone().unwrap_or_else(|| own.to_owned());
            families
                .entry(parent(command))
                .or_default()
                .push((format!("{command}.name"), shown));
        }
        for siblings in families.into_values() {
            unique(c, siblings.into_iter());
        }
    }
}

/// Discord refuses two siblings (commands, subcommands of one command, or
/// options of one command) with the same name in one language.
fn unique(c: &mut Checker, named: impl Iterator<Item = (String, String)>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (key, name) in named {
        match seen.get(&name) {
            Some(first) => c.require(
                &key,
                false,
                &format!("`{name}` is already the name at {first}; Discord needs each name once"),
            ),
            None => {
                seen.insert(name, key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discords_name_rule() {
        for good in [
            "atmen", "respirar", "ancres", "no-ar", "x_y", "ñandú", "soupir2",
        ] {
            assert!(is_command_name(good), "{good}");
        }
        for bad in [
            "",
            "Atmen",
            "two words",
            "a.b",
            "x".repeat(33).as_str(),
            "¿qué?",
        ] {
            assert!(!is_command_name(bad), "{bad}");
        }
    }
}
