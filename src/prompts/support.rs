//! `prompts/support.toml`: where to find people who can help.

use super::check::MAX_MESSAGE_CHARS;
use super::{Checker, PromptFile, Text};
use serde::Deserialize;

fn is_discord_locale(code: &str) -> bool {
    super::locale::DISCORD_LOCALES.contains(&code)
}

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
    /// The Discord locales whose readers see this line first; everyone
    /// else never sees it. Empty: a general line, shown after.
    #[serde(default)]
    pub locales: Vec<String>,
    pub place: Text,
    pub text: Text,
}

impl Support {
    /// The whole message for a reader whose Discord locale is `locale`:
    /// intro, the lines for that locale, the general lines, outro.
    pub fn message(&self, locale: &str) -> String {
        format!("{}\n\n{}", self.intro.plain(), self.lines_for(locale))
    }

    /// The message without its intro: the lines for a reader in `locale`,
    /// then the general lines, then the outro.
    pub fn lines_for(&self, locale: &str) -> String {
        let regional = self
            .lines
            .iter()
            .filter(|line| line.locales.iter().any(|code| code == locale));
        let general = self.lines.iter().filter(|line| line.locales.is_empty());
        let lines: Vec<String> = regional
            .chain(general)
            .map(|line| format!("- **{}**: {}", line.place.plain(), line.text.plain()))
            .collect();
        format!("{}\n\n{}", lines.join("\n"), self.outro.plain())
    }
}

impl PromptFile for Support {
    const NAME: &'static str = "support.toml";

    fn check(&self, c: &mut Checker) {
        let general = self.lines.iter().any(|line| line.locales.is_empty());
        c.require(
            "lines",
            general,
            "needs at least one line without `locales`, for everyone",
        );
        c.text("intro", &self.intro, &[]);
        c.text("outro", &self.outro, &[]);
        for (i, line) in self.lines.iter().enumerate() {
            c.text(&format!("lines[{i}].place"), &line.place, &[]);
            c.text(&format!("lines[{i}].text"), &line.text, &[]);
        }
        let mut readers: Vec<&str> = self
            .lines
            .iter()
            .flat_map(|line| line.locales.iter().map(String::as_str))
            .collect();
        readers.push("");
        for (i, line) in self.lines.iter().enumerate() {
            for code in &line.locales {
                c.require(
                    &format!("lines[{i}].locales"),
                    is_discord_locale(code),
                    &format!("`{code}` is not one of Discord's locale codes"),
                );
            }
        }
        for reader in readers {
            c.require(
                "lines",
                self.message(reader).chars().count() <= MAX_MESSAGE_CHARS,
                &format!(
                    "the whole message is longer than Discord's {MAX_MESSAGE_CHARS} characters"
                ),
            );
        }
    }
}
