//! A plan: every frame of an exercise with its offset from the start.
//!
//! Steps (a breath's phases, or a muscle group's tense and release) become
//! frames: one where each step begins, countdown ticks inside long steps, and
//! an end frame. A [`Cadence`] caps how often the one message may change, so
//! ticks are only planned where the budget leaves room.

use std::time::Duration;

/// How often one message may be edited: at most `edits` frames in any
/// `window`. Discord publishes no number; people report 5 edits per 5 s per
/// message, so steady plans one fewer to keep a margin for network jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    pub window: Duration,
    pub edits: usize,
}

impl Cadence {
    pub const DISCORD: Cadence = Cadence {
        window: Duration::from_secs(5),
        edits: 4,
    };

    /// Whole seconds between countdown ticks, so ticks alone stay in budget.
    fn tick_stride(self) -> u64 {
        let gap = self.window.as_millis() as u64 / self.edits.max(1) as u64;
        gap.div_ceil(1000).max(1)
    }
}

/// One stretch of an exercise, shown with a countdown of its seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<K> {
    pub kind: K,
    pub length: Duration,
    /// 1-based round (cycle, or muscle group) this step belongs to.
    pub round: u32,
}

/// Turns moments of an exercise into the text a person sees.
pub trait Render {
    type Kind;
    fn lead_in(&self) -> String;
    /// `remaining`: whole seconds left in the step (at least 1);
    /// `progress`: how far through the whole exercise, 0.0 to 1.0.
    fn step(&self, step: &Step<Self::Kind>, remaining: u32, progress: f64) -> String;
    fn end(&self) -> String;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// When to show it, from the moment the first frame appeared.
    pub at: Duration,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    frames: Vec<Frame>,
}

impl Plan {
    /// Lay out `steps` after a `lead_in`, within `cadence`.
    pub fn new<K>(
        steps: &[Step<K>],
        lead_in: Duration,
        cadence: Cadence,
        render: &impl Render<Kind = K>,
    ) -> Plan {
        let total = lead_in + steps.iter().map(|step| step.length).sum::<Duration>();
        let progress = |at: Duration| at.as_secs_f64() / total.as_secs_f64().max(f64::EPSILON);

        let mut starts = Vec::with_capacity(steps.len() + 1);
        if !lead_in.is_zero() {
            starts.push((Duration::ZERO, render.lead_in()));
        }
        let mut ticks = Vec::new();
        let mut at = lead_in;
        let stride = cadence.tick_stride();
        for step in steps {
            let whole = step.length.as_millis().div_ceil(1000) as u32;
            starts.push((at, render.step(step, whole.max(1), progress(at))));
            // Tick every `stride` seconds from the step's start; each shows
            // exactly the seconds then left.
            for remaining in (1..whole)
                .rev()
                .filter(|r| u64::from(whole - r) % stride == 0)
            {
                let tick = at + step.length - Duration::from_secs(u64::from(remaining));
                ticks.push((tick, render.step(step, remaining, progress(tick))));
            }
            at += step.length;
        }

        let mut kept: Vec<(Duration, String)> = Vec::with_capacity(starts.len() + ticks.len() + 1);
        for (at, text) in starts.into_iter().chain(ticks) {
            if fits(&kept, at, cadence) {
                let index = kept.partition_point(|(t, _)| *t < at);
                kept.insert(index, (at, text));
            }
        }
        // The end always lands: make room for it by dropping what is in its way.
        while !fits(&kept, total, cadence) {
            kept.pop();
        }
        kept.push((total, render.end()));

        Plan {
            frames: kept
                .into_iter()
                .map(|(at, mut text)| {
                    // Rendering leaves slack; many sessions may hold plans.
                    text.shrink_to_fit();
                    Frame { at, text }
                })
                .collect(),
        }
    }

    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// From the first frame to the last.
    pub fn length(&self) -> Duration {
        self.frames.last().map_or(Duration::ZERO, |frame| frame.at)
    }
}

/// Would a frame at `at` keep every run of `edits + 1` consecutive frames
/// spread over at least `window`? (`kept` is sorted by time.)
fn fits(kept: &[(Duration, String)], at: Duration, cadence: Cadence) -> bool {
    let index = kept.partition_point(|(t, _)| *t < at);
    if kept.get(index).is_some_and(|(t, _)| *t == at) {
        return false;
    }
    let time = |i: usize| match i.cmp(&index) {
        std::cmp::Ordering::Less => kept[i].0,
        std::cmp::Ordering::Equal => at,
        std::cmp::Ordering::Greater => kept[i - 1].0,
    };
    let len = kept.len() + 1;
    let n = cadence.edits;
    (index.saturating_sub(n)..=index)
        .filter(|first| first + n < len)
        .all(|first| time(first + n) - time(first) >= cadence.window)
}

/// "4 · 3 · 2 · 1"
pub fn countdown(remaining: u32) -> String {
    (1..=remaining.max(1))
        .rev()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A ten-cell bar filled to `progress` (0.0 to 1.0).
pub fn bar(progress: f64) -> String {
    let filled = (progress.clamp(0.0, 1.0) * 10.0).round() as usize;
    "▰".repeat(filled) + &"▱".repeat(10 - filled)
}
