//! `steady preview`: an exercise in the terminal, from the same plan and
//! runner Discord gets, redrawn in place (frame after frame when stdout is
//! not a terminal). No Discord account needed.

mod terminal;

use crate::journal::{Prompt, TimeOfDay};
use crate::pace::breathe::{Request, Session};
use crate::pace::plan::Cadence;
use crate::pace::runner;
use crate::prompts::Catalog;
use std::future::Future;
use std::time::Duration;
use terminal::Terminal;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How a preview ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Finished,
    /// Stopped by Ctrl-C; shells expect exit code 130 (128 + SIGINT).
    Interrupted,
}

/// Run a breathing session in the terminal, with the same checks Discord
/// gets, `max` (breathe.max_minutes) included. `pattern` picks a built-in
/// rhythm by number (1-based) or by an unambiguous part of its name.
pub async fn breathe(
    prompts: &Catalog,
    lead_in: Duration,
    max: Duration,
    pattern: Option<&str>,
    cycles: Option<u32>,
    custom: Option<&str>,
) -> Result<Ending, String> {
    let words = &prompts.breathing;
    let pattern = match pattern {
        None => None,
        Some(wanted) => {
            let names: Vec<&str> = words.patterns.iter().map(|p| p.name.as_str()).collect();
            Some(choose(&names, wanted)?)
        }
    };
    let request = Request {
        pattern,
        custom,
        cycles: cycles.map(i64::from),
    };
    let session = Session::from_request(&request, words, lead_in, max)
        .map_err(|refusal| refusal.explain(words))?;
    let plan = session.plan(words, lead_in, Cadence::DISCORD);
    let stop = CancellationToken::new();
    let interrupted = interrupt();
    let stopper = stop.clone();
    tokio::spawn(async move {
        interrupted.await;
        stopper.cancel();
    });
    let mut terminal = Terminal::stdout();
    // Nobody reading (`| head`) is a normal end, not a reason to go on.
    if terminal.draw(&plan.frames()[0].text).is_err() {
        return Ok(Ending::Finished);
    }
    let report = runner::run(&plan, Instant::now(), &mut terminal, &stop).await;
    if report.outcome == runner::Outcome::Stopped {
        // Its last words, if anyone still reads.
        let _ = terminal.draw(&words.messages.stopped.plain());
        return Ok(Ending::Interrupted);
    }
    Ok(Ending::Finished)
}

/// The journal's questions as `steady preview journal` prints them: each
/// name, its whole question, and when it is the day's (the free page is
/// only ever picked).
pub fn journal(prompts: &Catalog) -> String {
    let words = &prompts.journal;
    let mut out = String::new();
    for prompt in Prompt::ALL {
        let prompt_words = words.prompt(prompt);
        let when = match prompt.time_of_day() {
            Some(TimeOfDay::Evening) => "evening",
            Some(TimeOfDay::Day) => "day",
            None => "picked",
        };
        out.push_str(&format!(
            "{} ({}, {when})\n  {}\n\n",
            prompt_words.name.plain(),
            prompt.key(),
            prompt_words.question.plain()
        ));
    }
    out
}

/// Resolves at Ctrl-C. The handler is installed here, before the first
/// frame, not when first polled: an early Ctrl-C still ends gently.
fn interrupt() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    async move {
        #[cfg(unix)]
        match signal {
            Ok(mut signal) => {
                signal.recv().await;
            }
            // Without a handler, Ctrl-C ends the process as it always does.
            Err(_) => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The pattern `wanted` names among `names`: a number is a position
/// (1-based) and must exist; otherwise a name, whole or in part, ignoring
/// case, that fits exactly one pattern.
fn choose(names: &[&str], wanted: &str) -> Result<usize, String> {
    let wanted = wanted.trim();
    let choices = || {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| format!("\n  {}. {name}", i + 1))
            .collect::<String>()
    };
    if let Ok(number) = wanted.parse::<usize>() {
        return number
            .checked_sub(1)
            .filter(|index| *index < names.len())
            .ok_or_else(|| {
                format!(
                    "there is no pattern {number}; choose 1 to {}, or part of a name:{}",
                    names.len(),
                    choices()
                )
            });
    }
    let lower = wanted.to_lowercase();
    if let Some(exact) = names.iter().position(|name| name.to_lowercase() == lower) {
        return Ok(exact);
    }
    let fits: Vec<usize> = (0..names.len())
        .filter(|i| names[*i].to_lowercase().contains(&lower))
        .collect();
    match fits[..] {
        [one] => Ok(one),
        [] => Err(format!(
            "no pattern matches {wanted:?}; there are:{}",
            choices()
        )),
        _ => Err(format!(
            "{wanted:?} fits more than one pattern; choose by number or a longer part of a name:{}",
            choices()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 4] = [
        "4-7-8 (calming)",
        "Box 4-4-4-4",
        "Coherent 5.5-5.5",
        "Physiological sigh",
    ];

    #[test]
    fn a_number_is_a_position_that_must_exist() {
        assert_eq!(choose(&NAMES, "1"), Ok(0));
        assert_eq!(choose(&NAMES, " 4 "), Ok(3));
        for missing in ["0", "5", "99"] {
            let message = choose(&NAMES, missing).unwrap_err();
            assert!(
                message.contains(&format!("there is no pattern {missing}")),
                "{message}"
            );
            assert!(message.contains("choose 1 to 4"), "{message}");
            assert!(message.contains("\n  3. Coherent 5.5-5.5"), "{message}");
        }
    }

    #[test]
    fn a_name_part_must_fit_exactly_one_pattern() {
        assert_eq!(choose(&NAMES, "box"), Ok(1));
        assert_eq!(choose(&NAMES, "SIGH"), Ok(3));
        assert_eq!(choose(&NAMES, "4-7-8"), Ok(0));
        let message = choose(&NAMES, "4-").unwrap_err();
        assert!(
            message.contains("\"4-\" fits more than one pattern"),
            "{message}"
        );
        let message = choose(&NAMES, "square").unwrap_err();
        assert!(
            message.contains("no pattern matches \"square\""),
            "{message}"
        );
        assert!(message.contains("\n  1. 4-7-8 (calming)"), "{message}");
    }

    #[test]
    fn a_whole_name_wins_over_a_longer_one_containing_it() {
        assert_eq!(choose(&["Box", "Box 4-4-4-4"], "box"), Ok(0));
    }
}
