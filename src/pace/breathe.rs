//! A breathing session: what a person asked for, checked, and laid out as a
//! plan in the words of `prompts/breathing.toml`.

use super::pattern::{Pattern, PatternError, PhaseKind, CYCLES};
use super::plan::{bar, countdown, Cadence, Plan, Render, Step};
use crate::prompts::Breathing;
use std::time::Duration;

/// A checked request: which rhythm, how many rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    pub pattern: Pattern,
    pub cycles: u32,
}

/// Why a request was refused; each has its own kind message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// A pattern number the catalog does not have.
    UnknownPattern,
    CustomFormat,
    CustomRange,
    Cycles,
    TooLong {
        minutes: u32,
        max: u32,
    },
}

impl RequestError {
    /// The kind words that say what is allowed.
    pub fn explain(self, words: &Breathing) -> String {
        let m = &words.messages;
        match self {
            RequestError::UnknownPattern => m.unknown_pattern.plain(),
            RequestError::CustomFormat => m.custom_format.plain(),
            RequestError::CustomRange => m.custom_range.plain(),
            RequestError::Cycles => m.cycles_range.render(&[
                ("min", &CYCLES.start().to_string()),
                ("max", &CYCLES.end().to_string()),
            ]),
            RequestError::TooLong { minutes, max } => m.too_long.render(&[
                ("length", &words.minutes.render(minutes)),
                ("longest", &words.minutes.render(max)),
            ]),
        }
    }
}

/// What a person asked for: a built-in pattern (by its position in the
/// catalog), or their own rhythm, which wins; and optionally how many rounds.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub pattern: Option<usize>,
    pub custom: Option<&'a str>,
    pub cycles: Option<i64>,
}

impl Session {
    /// Check a request against the rules and the longest session allowed.
    pub fn from_request(
        request: &Request<'_>,
        words: &Breathing,
        lead_in: Duration,
        max: Duration,
    ) -> Result<Session, RequestError> {
        let (name, pattern, default_cycles) = match request.custom {
            Some(custom) => {
                let pattern = Pattern::custom(custom).map_err(|error| match error {
                    PatternError::Format => RequestError::CustomFormat,
                    PatternError::Range => RequestError::CustomRange,
                })?;
                let name = words.custom_name.render(&[("rhythm", custom.trim())]);
                (name, pattern, 4)
            }
            None => {
                let named = words
                    .patterns
                    .get(request.pattern.unwrap_or(0))
                    .ok_or(RequestError::UnknownPattern)?;
                (named.name.clone(), named.pattern.clone(), named.cycles)
            }
        };
        let cycles = match request.cycles {
            None => default_cycles,
            Some(cycles) => u32::try_from(cycles)
                .ok()
                .filter(|cycles| CYCLES.contains(cycles))
                .ok_or(RequestError::Cycles)?,
        };
        let session = Session {
            name,
            pattern,
            cycles,
        };
        let length = lead_in + session.active_length();
        if length > max {
            return Err(RequestError::TooLong {
                minutes: length.as_secs().div_ceil(60) as u32,
                max: (max.as_secs() / 60) as u32,
            });
        }
        Ok(session)
    }

    /// Breathing time, without the lead-in.
    fn active_length(&self) -> Duration {
        self.pattern.cycle_length() * self.cycles
    }

    pub fn plan(&self, words: &Breathing, lead_in: Duration, cadence: Cadence) -> Plan {
        let steps: Vec<Step<PhaseKind>> = (1..=self.cycles)
            .flat_map(|round| {
                self.pattern.phases().iter().map(move |phase| Step {
                    kind: phase.kind,
                    length: phase.length,
                    round,
                })
            })
            .collect();
        let render = Words {
            words,
            session: self,
            minutes: (lead_in + self.active_length())
                .as_secs()
                .div_ceil(60)
                .max(1),
        };
        Plan::new(&steps, lead_in, cadence, &render)
    }
}

struct Words<'a> {
    words: &'a Breathing,
    session: &'a Session,
    minutes: u64,
}

impl Render for Words<'_> {
    type Kind = PhaseKind;

    fn lead_in(&self) -> String {
        let lead_in = self.words.lead_in.render(&[
            ("pattern", &self.session.name),
            ("rounds", &self.words.rounds.render(self.session.cycles)),
            ("minutes", &self.minutes.to_string()),
        ]);
        match self.session.pattern.holds() {
            true => format!("{lead_in}\n{}", self.words.hold_note.plain()),
            false => lead_in,
        }
    }

    fn step(&self, step: &Step<PhaseKind>, remaining: u32, progress: f64) -> String {
        let round = self.words.round.render(&[
            ("n", &step.round.to_string()),
            ("total", &self.session.cycles.to_string()),
        ]);
        self.words.frame.render(&[
            ("phase", &self.words.phases.word(step.kind).plain()),
            ("countdown", &countdown(remaining)),
            ("bar", &bar(progress)),
            ("round", &round),
        ])
    }

    fn end(&self) -> String {
        self.words.end.plain()
    }
}
