//! The shipped prompt files, compiled in: English from `prompts/`, each
//! further language from its folder, `prompts/<locale>/`.

use super::Locale;

macro_rules! shipped {
    ($($file:literal),* $(,)?) => {
        /// The shipped text of `file` in `locale`; empty for a name steady
        /// does not read (callers only ask for the names in `FILES`).
        pub(super) fn source(locale: Locale, file: &str) -> &'static str {
            match (locale, file) {
                $(
                    (Locale::English, $file) => include_str!(concat!("../../prompts/", $file)),
                    (Locale::Spanish, $file) => include_str!(concat!("../../prompts/es-ES/", $file)),
                    (Locale::Portuguese, $file) => include_str!(concat!("../../prompts/pt-BR/", $file)),
                    (Locale::German, $file) => include_str!(concat!("../../prompts/de/", $file)),
                    (Locale::French, $file) => include_str!(concat!("../../prompts/fr/", $file)),
                )*
                _ => "",
            }
        }
    };
}

shipped!(
    "about.toml",
    "errors.toml",
    "breathing.toml",
    "commands.toml",
    "anchors.toml",
    "support.toml",
    "grounding.toml",
    "soothe.toml",
    "relax.toml",
    "checkin.toml",
    "mydata.toml",
    "wait.toml",
    "calm.toml",
    "journal_remind.toml",
    "journal.toml",
    "reframe.toml",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_ships_every_file() {
        for locale in Locale::ALL {
            for file in super::super::FILES {
                assert!(!source(locale, file).is_empty(), "{locale} {file}");
            }
        }
    }
}
