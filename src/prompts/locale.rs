//! The languages steady speaks, by Discord's locale codes. English is the
//! source (`prompts/*.toml`); every other language is a folder of the same
//! files named by its code (`prompts/de/`).

use std::fmt;

/// Every locale Discord sends and accepts in localizations (its documented
/// list).
pub const DISCORD_LOCALES: [&str; 32] = [
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// A language steady has words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locale {
    English,
    Spanish,
    Portuguese,
    German,
    French,
}

impl Locale {
    /// Every language, English first.
    pub const ALL: [Locale; 5] = [
        Locale::English,
        Locale::Spanish,
        Locale::Portuguese,
        Locale::German,
        Locale::French,
    ];

    /// The folders of every language but English.
    pub const FOLDERS: [&'static str; 4] = ["es-ES", "pt-BR", "de", "fr"];

    /// The Discord code naming this language's folder (`en-US` for the
    /// English source, which has no folder).
    pub fn code(self) -> &'static str {
        match self {
            Locale::English => "en-US",
            Locale::Spanish => "es-ES",
            Locale::Portuguese => "pt-BR",
            Locale::German => "de",
            Locale::French => "fr",
        }
    }

    /// The folder under `prompts/` holding this language; None for English.
    pub fn folder(self) -> Option<&'static str> {
        (self != Locale::English).then(|| self.code())
    }

    /// Every Discord locale this language serves, for registering commands
    /// (`es-419` reads `es-ES`). English is the default and needs none.
    pub fn discord_codes(self) -> &'static [&'static str] {
        match self {
            Locale::English => &[],
            Locale::Spanish => &["es-ES", "es-419"],
            Locale::Portuguese => &["pt-BR"],
            Locale::German => &["de"],
            Locale::French => &["fr"],
        }
    }

    /// The language for a Discord locale code; None if steady has none for
    /// it. `en-GB` reads the English source, `es-419` reads `es-ES`.
    pub fn parse(code: &str) -> Option<Locale> {
        match code {
            "en-US" | "en-GB" => Some(Locale::English),
            "es-ES" | "es-419" => Some(Locale::Spanish),
            "pt-BR" => Some(Locale::Portuguese),
            "de" => Some(Locale::German),
            "fr" => Some(Locale::French),
            _ => None,
        }
    }

    /// The language for whatever Discord sent: English when steady has none.
    pub fn from_discord(code: &str) -> Locale {
        Locale::parse(code).unwrap_or(Locale::English)
    }

    /// Every code [`Locale::parse`] accepts, for an operator's error message.
    pub fn known_codes() -> String {
        "en-US, en-GB, es-ES, es-419, pt-BR, de, fr".to_owned()
    }
}

/// The Discord locale to answer a person in: their own client's (Discord
/// sends it with every interaction), else their server's.
pub fn chosen<'a>(locale: &'a str, guild_locale: Option<&'a str>) -> &'a str {
    match guild_locale {
        Some(guild) if locale.is_empty() => guild,
        _ => locale,
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_codes_map_to_their_language() {
        assert_eq!(Locale::from_discord("en-US"), Locale::English);
        assert_eq!(Locale::from_discord("en-GB"), Locale::English);
        assert_eq!(Locale::from_discord("es-ES"), Locale::Spanish);
        assert_eq!(Locale::from_discord("es-419"), Locale::Spanish);
        assert_eq!(Locale::from_discord("pt-BR"), Locale::Portuguese);
        assert_eq!(Locale::from_discord("de"), Locale::German);
        assert_eq!(Locale::from_discord("fr"), Locale::French);
    }

    #[test]
    fn anything_else_reads_english() {
        for code in ["ja", "pt-PT", "de-AT", "", "DE", "fr-CA"] {
            assert_eq!(Locale::from_discord(code), Locale::English, "{code}");
            assert_eq!(Locale::parse(code), None, "{code}");
        }
    }

    #[test]
    fn each_language_registers_the_codes_that_read_it() {
        for locale in Locale::ALL {
            for code in locale.discord_codes() {
                assert!(DISCORD_LOCALES.contains(code), "{code}");
                assert_eq!(Locale::parse(code), Some(locale), "{code}");
            }
            assert_eq!(Locale::parse(locale.code()), Some(locale));
        }
        assert_eq!(Locale::English.folder(), None);
        assert_eq!(Locale::German.folder(), Some("de"));
        let folders: Vec<_> = Locale::ALL.iter().filter_map(|l| l.folder()).collect();
        assert_eq!(folders, Locale::FOLDERS);
    }

    #[test]
    fn the_persons_own_locale_wins_over_the_servers() {
        assert_eq!(chosen("en-US", Some("de")), "en-US");
        assert_eq!(chosen("fr", Some("de")), "fr");
        assert_eq!(chosen("ja", Some("de")), "ja");
        assert_eq!(chosen("", Some("de")), "de");
        assert_eq!(chosen("", None), "");
    }
}
