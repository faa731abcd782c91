//! `prompts/support.toml`: where to find people who can help.
//!
//! Whatever a reader's language or region, the emergency line comes first
//! (someone in danger reads it before anything else) and a directory that
//! reaches every country comes last (nobody is left with no line for them).

use super::check::MAX_MESSAGE_CHARS;
use super::{Checker, Locale, PromptFile, Text};
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
    /// The Discord locales whose readers see this line; everyone else
    /// never sees it. Empty: a general line, for every reader.
    #[serde(default)]
    pub locales: Vec<String>,
    #[serde(default)]
    pub kind: LineKind,
    pub place: Text,
    pub text: Text,
}

/// Where a line stands in what a reader sees, first to last.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Emergency numbers: always first.
    Emergency,
    /// A listening or crisis line: the reader's region's, then the general ones.
    #[default]
    Listening,
    /// A directory of lines for every country: always last.
    Directory,
}

impl SupportLine {
    fn serves(&self, locale: &str) -> bool {
        self.locales.iter().any(|code| code == locale)
    }
}

impl Support {
    /// The whole message for a reader whose Discord locale is `locale`:
    /// intro, the lines they see, outro.
    pub fn message(&self, locale: &str) -> String {
        format!("{}\n\n{}", self.intro.plain(), self.lines_for(locale))
    }

    /// The message without its intro: the lines a reader in `locale` sees,
    /// then the outro.
    pub fn lines_for(&self, locale: &str) -> String {
        let lines: Vec<String> = self
            .shown_to(locale)
            .iter()
            .map(|line| format!("- **{}**: {}", line.place.plain(), line.text.plain()))
            .collect();
        format!("{}\n\n{}", lines.join("\n"), self.outro.plain())
    }

    /// The lines a reader in `locale` sees, in order: by kind, and within a
    /// kind their own region's before the general ones, each as the file
    /// lists them.
    pub fn shown_to(&self, locale: &str) -> Vec<&SupportLine> {
        let mut shown: Vec<&SupportLine> = self
            .lines
            .iter()
            .filter(|line| line.locales.is_empty() || line.serves(locale))
            .collect();
        // A stable sort keeps the file's own order within each rank.
        shown.sort_by_key(|line| (line.kind, !line.serves(locale)));
        shown
    }

    /// Every kind of reader of this file: each locale a line is tagged for,
    /// each Discord locale the language is read in, and for English, a
    /// reader whose language steady does not speak (`""`), shown only the
    /// general lines.
    fn readers(&self, language: Locale) -> Vec<&str> {
        let fallback = (language == Locale::English).then_some("");
        let mut readers: Vec<&str> = self
            .lines
            .iter()
            .flat_map(|line| line.locales.iter().map(String::as_str))
            .chain(language.discord_codes().iter().copied())
            .chain(fallback)
            .collect();
        readers.sort_unstable();
        readers.dedup();
        readers
    }
}

impl PromptFile for Support {
    const NAME: &'static str = "support.toml";

    fn check(&self, c: &mut Checker) {
        c.text("intro", &self.intro, &[]);
        c.text("outro", &self.outro, &[]);
        for (i, line) in self.lines.iter().enumerate() {
            c.text(&format!("lines[{i}].place"), &line.place, &[]);
            c.text(&format!("lines[{i}].text"), &line.text, &[]);
            for code in &line.locales {
                c.require(
                    &format!("lines[{i}].locales"),
                    is_discord_locale(code),
                    &format!("`{code}` is not one of Discord's locale codes"),
                );
            }
        }
        // Every Discord locale this language is read in has lines of its own
        // (es-419 reads the Spanish file, and its readers are not in Spain).
        let language = c.locale();
        for code in language.discord_codes() {
            c.require(
                "lines",
                self.lines.iter().any(|line| line.serves(code)),
                &format!(
                    "no line has `locales = [\"{code}\"]`: readers of {language} in `{code}` would \
                     see no line for their own region"
                ),
            );
        }
        for reader in self.readers(language) {
            let who = match reader {
                "" => "a reader whose language steady does not speak".to_owned(),
                code => format!("a reader in `{code}`"),
            };
            let shown = self.shown_to(reader);
            c.require(
                "lines",
                shown
                    .first()
                    .is_some_and(|line| line.kind == LineKind::Emergency),
                &format!("{who} would not see an emergency line (`kind = \"emergency\"`) first"),
            );
            c.require(
                "lines",
                shown.last().is_some_and(|line| line.kind == LineKind::Directory),
                &format!(
                    "{who} would not see a directory for every country (`kind = \"directory\"`) last"
                ),
            );
            c.require(
                "lines",
                self.message(reader).chars().count() <= MAX_MESSAGE_CHARS,
                &format!(
                    "the whole message for {who} is longer than Discord's {MAX_MESSAGE_CHARS} \
                     characters"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(lines: &str) -> Support {
        let file = format!("intro = \"i\"\noutro = \"o\"\n{lines}");
        toml::from_str(&file).unwrap()
    }

    fn places(support: &Support, locale: &str) -> Vec<String> {
        support
            .shown_to(locale)
            .iter()
            .map(|line| line.place.plain())
            .collect()
    }

    fn problems(support: &Support, locale: Locale) -> Vec<String> {
        let mut checker = Checker::new("support.toml", locale);
        support.check(&mut checker);
        checker
            .into_problems()
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    const LINES: &str = r#"
[[lines]]
locales = ["fr"]
place = "France"
text = "t"
[[lines]]
place = "Everywhere else"
kind = "directory"
text = "t"
[[lines]]
locales = ["de"]
place = "Deutschland"
text = "t"
[[lines]]
place = "US"
text = "t"
[[lines]]
place = "Danger"
kind = "emergency"
text = "t"
"#;

    #[test]
    fn emergency_first_own_region_next_directory_last() {
        let support = support(LINES);
        assert_eq!(
            places(&support, "fr"),
            ["Danger", "France", "US", "Everywhere else"]
        );
        assert_eq!(
            places(&support, "de"),
            ["Danger", "Deutschland", "US", "Everywhere else"]
        );
        assert_eq!(places(&support, "ja"), ["Danger", "US", "Everywhere else"]);
        assert_eq!(places(&support, ""), ["Danger", "US", "Everywhere else"]);
    }

    #[test]
    fn a_file_whose_order_is_right_passes() {
        let support = support(LINES);
        assert_eq!(problems(&support, Locale::English), Vec::<String>::new());
        assert_eq!(problems(&support, Locale::French), Vec::<String>::new());
    }

    #[test]
    fn a_language_read_in_a_locale_with_no_line_of_its_own_fails() {
        let found = problems(&support(LINES), Locale::Spanish);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains(r#"`locales = ["es-ES"]`"#), "{found:?}");
        assert!(found[1].contains(r#"`locales = ["es-419"]`"#), "{found:?}");
    }

    #[test]
    fn no_emergency_line_or_no_directory_fails_for_every_reader() {
        let without = LINES.replace("kind = \"emergency\"\n", "");
        let found = problems(&support(&without), Locale::English);
        // Readers: "", de, fr.
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found.iter().all(|p| p.contains("emergency line")),
            "{found:?}"
        );
        let without = LINES.replace("kind = \"directory\"\n", "");
        let found = problems(&support(&without), Locale::English);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|p| p.contains("directory")), "{found:?}");
    }

    #[test]
    fn an_emergency_line_for_one_region_only_leaves_the_others_without() {
        let regional = LINES.replace(
            "kind = \"emergency\"\n",
            "kind = \"emergency\"\nlocales = [\"de\"]\n",
        );
        let found = problems(&support(&regional), Locale::English);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("a reader whose language"), "{found:?}");
        assert!(found[1].contains("`fr`"), "{found:?}");
    }
}
