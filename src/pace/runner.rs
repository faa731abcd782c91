//! Shows a plan's frames on a screen at `start + offset`, on absolute
//! deadlines, so the time an edit takes never adds up into drift.

use super::plan::{Frame, Plan};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How many times the end frame is tried before giving up on it.
const END_ATTEMPTS: u32 = 5;

/// Where frames appear: a Discord message, or a terminal.
pub trait Screen {
    /// Show one frame. The runner never calls this again before it returns.
    fn show(&mut self, frame: &Frame) -> impl Future<Output = Result<(), ShowError>> + Send;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowError {
    /// Asked to wait this long before the next change.
    RateLimited(Duration),
    /// The screen is gone for good (message deleted, token expired).
    Gone,
    /// This frame failed; later ones may not.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every frame through the end was shown (some maybe skipped).
    Finished,
    /// Stopped from outside before the end.
    Stopped,
    /// The screen went away, or the end frame could not be shown.
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub outcome: Outcome,
    pub shown: usize,
    /// Frames passed over because a newer one was already due.
    pub skipped: usize,
}

/// Show `plan`'s frames after the first (already on screen since `start`).
/// When behind, jump to the newest frame that is due instead of queueing
/// stale ones; the end frame is always attempted.
pub async fn run(
    plan: &Plan,
    start: Instant,
    screen: &mut impl Screen,
    stop: &CancellationToken,
) -> Report {
    let frames = plan.frames();
    let mut report = Report {
        outcome: Outcome::Finished,
        shown: 0,
        skipped: 0,
    };
    let mut next = 1;
    let mut not_before = start;
    let mut end_attempts = 0;
    while next < frames.len() {
        let due = (start + frames[next].at).max(not_before);
        tokio::select! {
            biased; // a stop wins over a deadline that has also passed
            () = stop.cancelled() => {
                report.outcome = Outcome::Stopped;
                return report;
            }
            () = tokio::time::sleep_until(due) => {}
        }
        let now = Instant::now();
        let newest = next
            + frames[next..]
                .partition_point(|f| start + f.at <= now)
                .max(1)
            - 1;
        report.skipped += newest - next;
        let is_end = newest == frames.len() - 1;
        match screen.show(&frames[newest]).await {
            Ok(()) => {
                report.shown += 1;
                next = newest + 1;
            }
            Err(ShowError::Gone) => {
                report.outcome = Outcome::Lost;
                return report;
            }
            Err(error) => {
                if let ShowError::RateLimited(wait) = error {
                    not_before = Instant::now() + wait;
                }
                if is_end {
                    end_attempts += 1;
                    if end_attempts >= END_ATTEMPTS {
                        report.outcome = Outcome::Lost;
                        return report;
                    }
                    not_before = not_before.max(Instant::now() + Duration::from_secs(1));
                    next = newest;
                } else {
                    report.skipped += 1;
                    next = newest + 1;
                }
            }
        }
    }
    report
}
