//! `prompts/relax.toml`: the words and timing of /relax.

use super::{Checker, Plural, PromptFile, Text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relax {
    pub lead_in: Text,
    pub frame: Text,
    pub round: Text,
    pub end: Text,
    pub unknown_pace: Text,
    pub too_long: Text,
    pub minutes: Plural,
    pub groups: Vec<Text>,
    pub actions: RelaxActions,
    pub paces: Vec<RelaxPace>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelaxActions {
    pub tense: Text,
    pub release: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelaxPace {
    pub name: String,
    pub tense_seconds: u32,
    pub release_seconds: u32,
}

impl PromptFile for Relax {
    const NAME: &'static str = "relax.toml";

    fn check(&self, c: &mut Checker) {
        c.text("lead_in", &self.lead_in, &["pace", "minutes"]);
        c.text(
            "frame",
            &self.frame,
            &["action", "countdown", "bar", "round"],
        );
        c.text("round", &self.round, &["group", "n", "total"]);
        c.text("end", &self.end, &[]);
        c.text("unknown_pace", &self.unknown_pace, &[]);
        c.text("too_long", &self.too_long, &["length", "longest"]);
        c.plural("minutes", &self.minutes);
        c.text("actions.tense", &self.actions.tense, &["group"]);
        c.text("actions.release", &self.actions.release, &["group"]);
        c.require(
            "groups",
            !self.groups.is_empty(),
            "needs at least one muscle group",
        );
        for (i, group) in self.groups.iter().enumerate() {
            c.text(&format!("groups[{i}]"), group, &[]);
        }
        c.require(
            "paces",
            (1..=25).contains(&self.paces.len()),
            "needs 1 to 25 paces",
        );
        for (i, pace) in self.paces.iter().enumerate() {
            let ok =
                (1..=20).contains(&pace.tense_seconds) && (1..=30).contains(&pace.release_seconds);
            c.require(
                &format!("paces[{i}]"),
                ok && (1..=100).contains(&pace.name.chars().count()),
                "needs a name (1 to 100 characters), tensing 1 to 20 s and releasing 1 to 30 s",
            );
            let total = (pace.tense_seconds + pace.release_seconds) as usize * self.groups.len();
            c.require(
                &format!("paces[{i}]"),
                total <= 12 * 60,
                "a session must stay under 12 minutes (Discord's 15-minute reply window)",
            );
        }
    }
}
