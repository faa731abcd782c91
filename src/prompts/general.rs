//! Words that belong to no single exercise: what steady is, and what a person
//! reads when something goes wrong.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;

/// `prompts/about.toml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct About {
    pub body: Text,
}

impl PromptFile for About {
    const NAME: &'static str = "about.toml";

    fn check(&self, checker: &mut Checker) {
        checker.text("body", &self.body, &[]);
    }
}

/// `prompts/errors.toml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errors {
    pub unexpected: Text,
    pub unreadable: Text,
    pub not_yours: Text,
    pub slow_down: Text,
    pub slow_down_changes: Text,
    pub expired: Text,
    pub busy: Text,
}

impl PromptFile for Errors {
    const NAME: &'static str = "errors.toml";

    fn check(&self, checker: &mut Checker) {
        checker.text("unexpected", &self.unexpected, &[]);
        checker.text("unreadable", &self.unreadable, &[]);
        checker.text("not_yours", &self.not_yours, &[]);
        checker.text("slow_down", &self.slow_down, &["when"]);
        checker.text("slow_down_changes", &self.slow_down_changes, &["when"]);
        checker.text("expired", &self.expired, &[]);
        checker.text("busy", &self.busy, &[]);
    }
}
