//! `steady preview`: an exercise in the terminal, from the same plan and
//! runner Discord gets, redrawn in place. No Discord account needed.

use crate::pace::breathe::{Request, Session};
use crate::pace::plan::{Cadence, Frame};
use crate::pace::runner::{self, Screen, ShowError};
use crate::prompts::Catalog;
use std::io::Write;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Draws frames over each other in a terminal.
struct Terminal {
    lines: usize,
}

impl Terminal {
    fn draw(&mut self, text: &str) {
        let plain = text.replace("## ", "").replace("**", "").replace('`', "");
        let mut out = std::io::stdout().lock();
        if self.lines > 0 {
            // Up to the first line of the last frame, then clear to the end.
            let _ = write!(out, "\x1b[{}F\x1b[J", self.lines);
        }
        let _ = writeln!(out, "{plain}");
        let _ = out.flush();
        self.lines = plain.lines().count();
    }
}

impl Screen for Terminal {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        self.draw(&frame.text);
        Ok(())
    }
}

/// Run a breathing session in the terminal. `pattern` picks a built-in
/// rhythm by number (1-based) or by part of its name.
pub async fn breathe(
    prompts: &Catalog,
    lead_in: Duration,
    pattern: Option<&str>,
    cycles: Option<u32>,
    custom: Option<&str>,
) -> Result<(), String> {
    let words = &prompts.breathing;
    let pattern = match pattern {
        None => None,
        Some(wanted) => Some(find_pattern(prompts, wanted)?),
    };
    let request = Request {
        pattern,
        custom,
        cycles: cycles.map(i64::from),
    };
    let session = Session::from_request(&request, words, lead_in, Duration::MAX)
        .map_err(|refusal| refusal.explain(words))?;
    let plan = session.plan(words, lead_in, Cadence::DISCORD);
    let mut terminal = Terminal { lines: 0 };
    terminal.draw(&plan.frames()[0].text);
    let stop = CancellationToken::new();
    let stopper = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stopper.cancel();
        }
    });
    let report = runner::run(&plan, Instant::now(), &mut terminal, &stop).await;
    if report.outcome == runner::Outcome::Stopped {
        terminal.draw(&words.messages.stopped.plain());
    }
    Ok(())
}

fn find_pattern(prompts: &Catalog, wanted: &str) -> Result<usize, String> {
    let patterns = &prompts.breathing.patterns;
    let by_number = wanted
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|index| *index < patterns.len());
    let wanted_lower = wanted.to_lowercase();
    by_number
        .or_else(|| {
            patterns
                .iter()
                .position(|p| p.name.to_lowercase().contains(&wanted_lower))
        })
        .ok_or_else(|| {
            let names: Vec<String> = patterns
                .iter()
                .enumerate()
                .map(|(i, p)| format!("  {}. {}", i + 1, p.name))
                .collect();
            format!(
                "no pattern matches {wanted:?}; there are:\n{}",
                names.join("\n")
            )
        })
}
