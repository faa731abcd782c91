//! A translation has what English has: the same keys, the same placeholders
//! in each text, the same number of items in each list. Compared on the
//! parsed TOML, so it holds for every file alike; what each text may say is
//! then each file's own typed check.

use super::{Locale, Problem, Text};
use toml::Value;

/// What a translation may add: a command's localized `name` and
/// `option_names` (commands.toml), a support line's `locales`.
const MAY_ADD: [(&str, &str); 3] = [
    ("commands.toml", "name"),
    ("commands.toml", "option_names"),
    ("support.toml", "locales"),
];

/// Lists whose length is the translation's own: each region's support lines.
const OWN_LENGTH: [(&str, &str); 1] = [("support.toml", "lines")];

/// Compare `translated` (read from `origin`) with the English `file`.
pub(super) fn compare(
    file: &str,
    locale: Locale,
    english: &str,
    (origin, translated): &(String, String),
    problems: &mut Vec<Problem>,
) {
    // A file that does not parse is reported by its typed load already.
    let (Ok(english), Ok(translated)) = (
        english.parse::<toml::Table>(),
        translated.parse::<toml::Table>(),
    ) else {
        return;
    };
    let mut matcher = Matcher {
        file,
        locale,
        origin,
        problems,
    };
    matcher.tables("", &english, &translated);
}

struct Matcher<'a> {
    file: &'a str,
    locale: Locale,
    origin: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Matcher<'_> {
    fn problem(&mut self, key: &str, message: String) {
        let message = format!("{} ({}): {message}", self.locale, self.file);
        self.problems.push(Problem::new(self.origin, key, message));
    }

    fn tables(&mut self, at: &str, english: &toml::Table, translated: &toml::Table) {
        for (key, value) in english {
            let path = join(at, key);
            match translated.get(key) {
                Some(other) => self.values(&path, value, other),
                None => self.problem(&path, "missing: the English file has it".to_owned()),
            }
        }
        for key in translated.keys().filter(|key| !english.contains_key(*key)) {
            let added = MAY_ADD.contains(&(self.file, key.as_str()));
            if !added {
                let message = "not in the English file, so steady would never show it";
                self.problem(&join(at, key), message.to_owned());
            }
        }
    }

    fn values(&mut self, path: &str, english: &Value, translated: &Value) {
        match (english, translated) {
            (Value::Table(english), Value::Table(translated)) => {
                self.tables(path, english, translated);
            }
            (Value::Array(english), Value::Array(translated)) => {
                let own_length = OWN_LENGTH.contains(&(self.file, path));
                if own_length {
                    return;
                }
                if english.len() != translated.len() {
                    let message = format!(
                        "has {} items; the English file has {}",
                        translated.len(),
                        english.len()
                    );
                    self.problem(path, message);
                    return;
                }
                for (i, (english, translated)) in english.iter().zip(translated).enumerate() {
                    self.values(&format!("{path}[{i}]"), english, translated);
                }
            }
            (Value::String(english), Value::String(translated)) => {
                let (english, translated) = (placeholders(english), placeholders(translated));
                if english != translated {
                    let listed = |names: &[String]| match names {
                        [] => "none".to_owned(),
                        names => format!("{{{}}}", names.join("}, {")),
                    };
                    let message = format!(
                        "has the placeholders {}; the English text has {}",
                        listed(&translated),
                        listed(&english)
                    );
                    self.problem(path, message);
                }
            }
            (english, translated) if english.type_str() != translated.type_str() => {
                let message = format!(
                    "is a {}; in the English file it is a {}",
                    translated.type_str(),
                    english.type_str()
                );
                self.problem(path, message);
            }
            _ => {}
        }
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

/// A text's placeholder names, sorted, each once (a malformed text is the
/// typed check's to report).
fn placeholders(text: &str) -> Vec<String> {
    let text = Text::from(text.to_owned());
    let mut names: Vec<String> = text
        .placeholders()
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(file: &str, english: &str, translated: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let translated = ("de/x.toml".to_owned(), translated.to_owned());
        compare(file, Locale::German, english, &translated, &mut problems);
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_same_shape_passes() {
        let english = "a = \"{n} of {total}\"\nlist = [\"x\", \"y\"]\n[t]\nb = \"hi\"";
        let german = "a = \"{total}: {n}\"\nlist = [\"x\", \"y\"]\n[t]\nb = \"hallo\"";
        assert_eq!(problems("x.toml", english, german), Vec::<String>::new());
    }

    #[test]
    fn missing_extra_placeholder_and_length_are_named() {
        let english = "a = \"{n}\"\nb = \"b\"\nlist = [\"x\", \"y\"]";
        let german = "a = \"{m}\"\nc = \"c\"\nlist = [\"x\"]";
        let found = problems("x.toml", english, german);
        let expect = [
            "de/x.toml: a: de (x.toml): has the placeholders {m}; the English text has {n}",
            "de/x.toml: b: de (x.toml): missing: the English file has it",
            "de/x.toml: list: de (x.toml): has 1 items; the English file has 2",
            "de/x.toml: c: de (x.toml): not in the English file, so steady would never show it",
        ];
        assert_eq!(found, expect);
    }

    #[test]
    fn translations_may_add_names_and_regional_lines() {
        let english = "[breathe]\ndescription = \"d\"";
        let german = "[breathe]\nname = \"atmen\"\ndescription = \"d\"\n[breathe.option_names]\ncycles = \"runden\"";
        assert_eq!(
            problems("commands.toml", english, german),
            Vec::<String>::new()
        );
        let english = "[[lines]]\nplace = \"p\"\ntext = \"t\"";
        let german = "[[lines]]\nlocales = [\"de\"]\nplace = \"p\"\ntext = \"t\"\n[[lines]]\nplace = \"q\"\ntext = \"u\"";
        assert_eq!(
            problems("support.toml", english, german),
            Vec::<String>::new()
        );
    }
}
