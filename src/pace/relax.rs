//! Progressive muscle relaxation as a plan: each muscle group tensed, then
//! released, from the toes up. The same plan and runner as breathing.

use super::plan::{bar, countdown, Cadence, Plan, Render, Step};
use crate::prompts::Relax;
use std::time::Duration;

/// One moment of the exercise: which group, tensing or letting go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub group: usize,
    pub tense: bool,
}

/// The chosen pace is not in `prompts/relax.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownPace;

/// The plan for pace `pace` (its position in the list; the first by default).
pub fn plan(
    words: &Relax,
    pace: Option<usize>,
    lead_in: Duration,
    cadence: Cadence,
) -> Result<Plan, UnknownPace> {
    let chosen = words.paces.get(pace.unwrap_or(0)).ok_or(UnknownPace)?;
    let secs = |s: u32| Duration::from_secs(u64::from(s));
    let steps: Vec<Step<Moment>> = (0..words.groups.len())
        .flat_map(|group| {
            let round = group as u32 + 1;
            [
                Step {
                    kind: Moment { group, tense: true },
                    length: secs(chosen.tense_seconds),
                    round,
                },
                Step {
                    kind: Moment {
                        group,
                        tense: false,
                    },
                    length: secs(chosen.release_seconds),
                    round,
                },
            ]
        })
        .collect();
    let total = lead_in + steps.iter().map(|step| step.length).sum::<Duration>();
    let render = Words {
        words,
        pace: &chosen.name,
        minutes: total.as_secs().div_ceil(60).max(1),
    };
    Ok(Plan::new(&steps, lead_in, cadence, &render))
}

struct Words<'a> {
    words: &'a Relax,
    pace: &'a str,
    minutes: u64,
}

impl Render for Words<'_> {
    type Kind = Moment;

    fn lead_in(&self) -> String {
        self.words
            .lead_in
            .render(&[("pace", self.pace), ("minutes", &self.minutes.to_string())])
    }

    fn step(&self, step: &Step<Moment>, remaining: u32, progress: f64) -> String {
        let w = self.words;
        let group = w.groups[step.kind.group].plain();
        let action = if step.kind.tense {
            &w.actions.tense
        } else {
            &w.actions.release
        };
        let round = w.round.render(&[
            ("group", &group),
            ("n", &step.round.to_string()),
            ("total", &w.groups.len().to_string()),
        ]);
        w.frame.render(&[
            ("action", &action.render(&[("group", &group)])),
            ("countdown", &countdown(remaining)),
            ("bar", &bar(progress)),
            ("round", &round),
        ])
    }

    fn end(&self) -> String {
        self.words.end.plain()
    }
}
