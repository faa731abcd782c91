//! Everything steady sends on its own clock, and the one task that sends
//! it: daily check-ins, evening journal reminders, the ends of waits,
//! servers' daily posts and the counts of who joined them; and, beside it,
//! the sweep that forgets what was kept only for a while (`sweep.rs`). Each
//! kind is one [`kind::Kind`] implementation in its own file, with its
//! queries in `steady_sql::due`, listed once below in the order a claim
//! takes them. The time of day and next-due maths are in `crate::daily`.
//! Knows nothing of Discord: delivery goes through the [`Courier`] trait.

mod checkin;
mod clock;
mod job;
mod join_count;
mod journal_reminder;
mod kind;
mod ritual_post;
mod scheduler;
mod sweep;
mod wait_end;

pub use clock::{Clock, DatabaseClock, SystemClock};
pub use job::{Courier, Delivery};
pub use scheduler::{in_flight, Policy, Scheduler, IN_FLIGHT};
pub use sweep::SWEEP_EVERY;

use crate::store::{Claimed, ClaimedReminder, RitualCount, RitualPost, WaitEnd};
use steady_sql::{DueCheckins, DueCounts, DueJournalReminders, DuePosts, DueWaits};

kind::kinds! {
    /// A wait's end goes first: someone is sitting with an urge until it
    /// comes.
    Wait(WaitEnd: DueWaits),
    /// Then a server's daily moment: its post says the time.
    Ritual(RitualPost: DuePosts),
    /// Then a check-in, which may be a little late without anyone waiting
    /// on it.
    Checkin(Claimed: DueCheckins),
    /// Then an evening journal reminder: a check-in's twin, as patient.
    JournalReminder(ClaimedReminder: DueJournalReminders),
    /// Last, how many joined a daily moment: an edit of its post.
    Count(RitualCount: DueCounts),
}
