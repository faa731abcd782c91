//! `prompts/grounding.toml`: the words of /ground, one step at a time.

use super::{Checker, PromptFile, Text};
use serde::Deserialize;

/// 5-4-3-2-1: one step per sense.
const STEPS: usize = 5;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grounding {
    pub intro: Text,
    pub progress: Text,
    pub steps: Vec<Text>,
    pub closing: Text,
    pub buttons: GroundingButtons,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundingButtons {
    pub next: Text,
    pub breathe: Text,
}

impl PromptFile for Grounding {
    const NAME: &'static str = "grounding.toml";

    fn check(&self, c: &mut Checker) {
        c.text("intro", &self.intro, &[]);
        c.text("progress", &self.progress, &["step", "steps"]);
        c.text("closing", &self.closing, &[]);
        c.require(
            "steps",
            self.steps.len() == STEPS,
            &format!("needs exactly {STEPS} steps, one per sense (5-4-3-2-1)"),
        );
        for (i, step) in self.steps.iter().enumerate() {
            c.text(&format!("steps[{i}]"), step, &[]);
        }
        c.label("buttons.next", &self.buttons.next);
        c.label("buttons.breathe", &self.buttons.breathe);
    }
}
