//! Breathing patterns: a named rhythm of phases, built in (from
//! `prompts/breathing.toml`) or typed by a person as `IN-HOLD-OUT[-HOLD]`.

use serde::Deserialize;
use std::time::Duration;

/// The shortest in- or out-breath a person may ask for.
pub const MIN_BREATH: Duration = Duration::from_secs(1);
/// The longest any one phase may last.
pub const MAX_PHASE: Duration = Duration::from_secs(20);
/// How many cycles one session may have.
pub const CYCLES: std::ops::RangeInclusive<u32> = 1..=20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    In,
    /// The physiological sigh's second, shorter inhale on top of the first.
    InMore,
    Hold,
    Out,
    /// A hold after breathing out (box breathing's fourth side).
    Rest,
}

impl PhaseKind {
    fn is_breath(self) -> bool {
        matches!(self, Self::In | Self::InMore | Self::Out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    pub kind: PhaseKind,
    pub length: Duration,
}

/// A rhythm of phases, repeated once per cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    phases: Vec<Phase>,
}

/// Why a custom pattern was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternError {
    /// Not three or four numbers separated by `-`.
    Format,
    /// A number outside what a gentle exercise allows.
    Range,
}

impl Pattern {
    /// A pattern from phases, checked: every breath at least [`MIN_BREATH`],
    /// every phase at most [`MAX_PHASE`], some breathing in and out.
    pub fn new(phases: Vec<Phase>) -> Result<Pattern, PatternError> {
        let breathes = |kind| phases.iter().any(|p| p.kind == kind);
        let sane = phases.iter().all(|phase| {
            phase.length <= MAX_PHASE && (!phase.kind.is_breath() || phase.length >= MIN_BREATH)
        });
        if sane && breathes(PhaseKind::In) && breathes(PhaseKind::Out) {
            Ok(Pattern { phases })
        } else {
            Err(PatternError::Range)
        }
    }

    /// Parse `IN-HOLD-OUT` or `IN-HOLD-OUT-HOLD`, in seconds (decimals
    /// allowed): `4-7-8`, `5.5-0-5.5`, `4-4-4-4`. A hold may be 0.
    pub fn custom(text: &str) -> Result<Pattern, PatternError> {
        let kinds = [
            PhaseKind::In,
            PhaseKind::Hold,
            PhaseKind::Out,
            PhaseKind::Rest,
        ];
        let parts: Vec<&str> = text.trim().split('-').map(str::trim).collect();
        if !(3..=4).contains(&parts.len()) {
            return Err(PatternError::Format);
        }
        let mut phases = Vec::with_capacity(parts.len());
        for (part, kind) in parts.into_iter().zip(kinds) {
            // Most of Europe and Brazil write 5,5 for 5.5.
            let part = part.replacen(',', ".", 1);
            let seconds: f64 = part.parse().map_err(|_| PatternError::Format)?;
            if !seconds.is_finite() || part.starts_with(['+', '.']) {
                return Err(PatternError::Format);
            }
            if seconds > MAX_PHASE.as_secs_f64() {
                return Err(PatternError::Range);
            }
            // Whole milliseconds keep plans exact and comparable.
            let length = Duration::from_millis((seconds * 1000.0).round() as u64);
            if !length.is_zero() {
                phases.push(Phase { kind, length });
            } else if kind.is_breath() {
                return Err(PatternError::Range);
            }
        }
        Pattern::new(phases)
    }

    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// Whether the breath is held at any point, after breathing in or out.
    pub fn holds(&self) -> bool {
        self.phases.iter().any(|phase| !phase.kind.is_breath())
    }

    /// How long one cycle takes.
    pub fn cycle_length(&self) -> Duration {
        self.phases.iter().map(|phase| phase.length).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(pattern: &Pattern) -> Vec<(PhaseKind, u64)> {
        pattern
            .phases()
            .iter()
            .map(|p| (p.kind, p.length.as_millis() as u64))
            .collect()
    }

    #[test]
    fn custom_patterns_parse() {
        use PhaseKind::*;
        let p = Pattern::custom("4-7-8").unwrap();
        assert_eq!(lengths(&p), [(In, 4000), (Hold, 7000), (Out, 8000)]);
        let p = Pattern::custom(" 5.5 - 0 - 5.5 ").unwrap();
        assert_eq!(
            lengths(&p),
            [(In, 5500), (Out, 5500)],
            "a zero hold is left out"
        );
        let p = Pattern::custom("4-4-4-4").unwrap();
        assert_eq!(p.cycle_length(), Duration::from_secs(16));
        let p = Pattern::custom("5,5-0-5,5").unwrap();
        assert_eq!(lengths(&p), [(In, 5500), (Out, 5500)], "a decimal comma");
    }

    #[test]
    fn malformed_patterns_are_format_errors() {
        for text in [
            "abc",
            "",
            "4",
            "4-7",
            "4-7-8-1-2",
            "4--8",
            "4-x-8",
            "inf-1-4",
            "NaN-0-4",
            "+4-0-4",
            "4,7,8",
        ] {
            assert_eq!(Pattern::custom(text), Err(PatternError::Format), "{text:?}");
        }
    }

    #[test]
    fn out_of_range_patterns_are_range_errors() {
        for text in [
            "0-0-0", "4-7-99", "0.5-0-4", "4-0-0.9", "21-0-4", "4-20.5-4", "4-1-4-21",
        ] {
            assert_eq!(Pattern::custom(text), Err(PatternError::Range), "{text:?}");
        }
    }
}
