//! Checks on loaded prompts: nothing blank, every placeholder one the code
//! fills, nothing Discord would refuse to send.

use super::{Locale, Plural, Text};
use crate::toml_file::TomlProblem;
use std::fmt;

/// Discord refuses message content longer than this.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// Discord refuses button labels longer than this.
const MAX_LABEL_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub key: String,
    pub message: String,
}

impl Problem {
    pub(super) fn new(file: impl fmt::Display, key: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            key: key.to_owned(),
            message: message.into(),
        }
    }

    pub(super) fn from_toml(file: &str, problem: TomlProblem) -> Self {
        let message = match problem.line {
            Some(line) => format!("line {line}: {}", problem.message),
            None => problem.message,
        };
        Self::new(file, &problem.key, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.message)
        }
    }
}

/// Collects the problems of one prompt file.
pub struct Checker {
    file: String,
    locale: Locale,
    checked: usize,
    problems: Vec<Problem>,
}

impl Checker {
    pub(super) fn new(file: &str, locale: Locale) -> Self {
        Self {
            file: file.to_owned(),
            locale,
            checked: 0,
            problems: Vec::new(),
        }
    }

    /// The language whose file this is.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Check one text whose code fills exactly the placeholders `allowed`.
    pub fn text(&mut self, key: &str, text: &Text, allowed: &[&str]) {
        self.checked += 1;
        if text.is_blank() {
            self.problem(key, "is empty");
            return;
        }
        match text.placeholders() {
            Err(message) => self.problem(key, &message),
            Ok(names) => {
                for name in names.iter().filter(|name| !allowed.contains(name)) {
                    let known = if allowed.is_empty() {
                        "this text takes none".to_owned()
                    } else {
                        format!("known here: {{{}}}", allowed.join("}, {"))
                    };
                    self.problem(key, &format!("unknown placeholder {{{name}}} ({known})"));
                }
            }
        }
        if text.plain().chars().count() > MAX_MESSAGE_CHARS {
            self.problem(
                key,
                &format!("is longer than Discord's {MAX_MESSAGE_CHARS} characters"),
            );
        }
    }

    /// Check both forms of a count in words; each fills `{n}`.
    pub fn plural(&mut self, key: &str, plural: &Plural) {
        self.text(&format!("{key}.one"), &plural.one, &["n"]);
        self.text(&format!("{key}.other"), &plural.other, &["n"]);
    }

    /// Check a button label: short, plain, no placeholders.
    pub fn label(&mut self, key: &str, text: &Text) {
        self.text(key, text, &[]);
        self.require(
            key,
            text.plain().chars().count() <= MAX_LABEL_CHARS,
            &format!("is longer than Discord's {MAX_LABEL_CHARS} characters for a button"),
        );
    }

    /// Record a problem at `key` unless `condition` holds.
    pub fn require(&mut self, key: &str, condition: bool, message: &str) {
        if !condition {
            self.problem(key, message);
        }
    }

    fn problem(&mut self, key: &str, message: &str) {
        self.problems.push(Problem::new(&self.file, key, message));
    }

    pub(super) fn checked(&self) -> usize {
        self.checked
    }

    pub(super) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}
