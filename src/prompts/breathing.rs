//! `prompts/breathing.toml`: the words and rhythms of /breathe.

use super::{Checker, Plural, PromptFile, Text};
use crate::pace::pattern::{Pattern, PhaseKind, CYCLES};
use serde::Deserialize;
use std::time::Duration;

/// Discord offers at most 25 choices for one option.
const MAX_PATTERNS: usize = 25;
/// Discord's limit on a choice's name.
const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breathing {
    pub lead_in: Text,
    pub frame: Text,
    pub round: Text,
    pub rounds: Plural,
    pub minutes: Plural,
    /// Under the lead-in of a rhythm that holds the breath.
    pub hold_note: Text,
    pub end: Text,
    pub custom_name: Text,
    pub phases: PhaseWords,
    pub patterns: Vec<NamedPattern>,
    pub buttons: BreathingButtons,
    pub messages: BreathingMessages,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseWords {
    #[serde(rename = "in")]
    pub breathe_in: Text,
    pub in_more: Text,
    pub hold: Text,
    pub out: Text,
    pub rest: Text,
}

impl PhaseWords {
    pub fn word(&self, kind: PhaseKind) -> &Text {
        match kind {
            PhaseKind::In => &self.breathe_in,
            PhaseKind::InMore => &self.in_more,
            PhaseKind::Hold => &self.hold,
            PhaseKind::Out => &self.out,
            PhaseKind::Rest => &self.rest,
        }
    }
}

/// A built-in rhythm, checked while loading.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "PatternSpec")]
pub struct NamedPattern {
    pub name: String,
    pub cycles: u32,
    pub pattern: Pattern,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternSpec {
    name: String,
    cycles: u32,
    phases: Vec<PhaseSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhaseSpec {
    kind: PhaseKind,
    seconds: f64,
}

impl TryFrom<PatternSpec> for NamedPattern {
    type Error = String;

    fn try_from(spec: PatternSpec) -> Result<Self, String> {
        let phases = spec
            .phases
            .iter()
            .map(|phase| {
                Duration::try_from_secs_f64(phase.seconds)
                    .map(|length| crate::pace::pattern::Phase {
                        kind: phase.kind,
                        length,
                    })
                    .map_err(|_| format!("{} seconds is not a length", phase.seconds))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let pattern = Pattern::new(phases).map_err(|_| {
            "needs breathing in and out of 1 to 20 seconds each, and holds of at most 20".to_owned()
        })?;
        Ok(NamedPattern {
            name: spec.name,
            cycles: spec.cycles,
            pattern,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreathingButtons {
    pub stop: Text,
    pub again: Text,
    pub stop_other: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreathingMessages {
    pub unknown_pattern: Text,
    pub custom_format: Text,
    pub custom_range: Text,
    pub cycles_range: Text,
    pub too_long: Text,
    pub already_running: Text,
    pub stopped: Text,
    pub other_stopped: Text,
    pub restarting: Text,
    pub interrupted: Text,
}

impl PromptFile for Breathing {
    const NAME: &'static str = "breathing.toml";

    fn check(&self, c: &mut Checker) {
        c.text("lead_in", &self.lead_in, &["pattern", "rounds", "minutes"]);
        c.text(
            "frame",
            &self.frame,
            &["phase", "countdown", "bar", "round"],
        );
        c.text("round", &self.round, &["n", "total"]);
        c.plural("rounds", &self.rounds);
        c.plural("minutes", &self.minutes);
        c.text("hold_note", &self.hold_note, &[]);
        c.text("end", &self.end, &[]);
        c.text("custom_name", &self.custom_name, &["rhythm"]);
        let p = &self.phases;
        for (key, text) in [
            ("phases.in", &p.breathe_in),
            ("phases.in_more", &p.in_more),
            ("phases.hold", &p.hold),
            ("phases.out", &p.out),
            ("phases.rest", &p.rest),
        ] {
            c.text(key, text, &[]);
        }
        let b = &self.buttons;
        for (key, text) in [
            ("buttons.stop", &b.stop),
            ("buttons.again", &b.again),
            ("buttons.stop_other", &b.stop_other),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        c.text("messages.unknown_pattern", &m.unknown_pattern, &[]);
        c.text("messages.custom_format", &m.custom_format, &[]);
        c.text("messages.custom_range", &m.custom_range, &[]);
        c.text("messages.cycles_range", &m.cycles_range, &["min", "max"]);
        c.text("messages.too_long", &m.too_long, &["length", "longest"]);
        c.text("messages.already_running", &m.already_running, &[]);
        c.text("messages.stopped", &m.stopped, &[]);
        c.text("messages.other_stopped", &m.other_stopped, &[]);
        c.text("messages.restarting", &m.restarting, &[]);
        c.text("messages.interrupted", &m.interrupted, &[]);
        c.require(
            "patterns",
            (1..=MAX_PATTERNS).contains(&self.patterns.len()),
            &format!("needs 1 to {MAX_PATTERNS} patterns (Discord's limit for choices)"),
        );
        for (i, named) in self.patterns.iter().enumerate() {
            let chars = named.name.trim().chars().count();
            c.require(
                &format!("patterns[{i}].name"),
                (1..=MAX_NAME_CHARS).contains(&chars),
                &format!("needs 1 to {MAX_NAME_CHARS} characters"),
            );
            c.require(
                &format!("patterns[{i}].cycles"),
                CYCLES.contains(&named.cycles),
                &format!("must be {} to {}", CYCLES.start(), CYCLES.end()),
            );
        }
    }
}
