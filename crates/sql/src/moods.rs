//! Mood taps and urge taps, kept only for people whose `users` row says
//! they keep a mood history. Each write of a tap reads that row under a
//! lock that waits for the history being turned off at that moment (an
//! update of the row, then a delete of their taps), so no tap outlives the
//! forgetting.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A mood row: when, and how (1..=5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mood {
    pub at: i64,
    pub mood: i64,
}

/// The person's moods kept after an instant, and whether one is on a given
/// check-in already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recent {
    pub count: i64,
    pub again: bool,
}

pub trait Moods: Backend {
    /// Whether the person keeps a history; None if steady does not know them.
    fn history(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<bool>>> + Send;

    /// [`Moods::history`], the person's row held until the transaction
    /// ends, so their taps take turns.
    fn lock_history(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<bool>>> + Send;

    fn set_history(
        conn: &mut Conn<Self>,
        user_id: i64,
        on: bool,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Delete the person's moods and urge taps: how many moods went.
    fn forget(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<u64>> + Send;

    /// The person's moods kept after `since`, and whether one is on
    /// `checkin_message` already.
    fn recent(
        conn: &mut Conn<Self>,
        user_id: i64,
        since: i64,
        checkin_message: i64,
    ) -> impl Future<Output = Result<Recent>> + Send;

    /// Keep the tap if the person keeps a history, replacing an earlier tap
    /// on the same check-in: whether it was kept.
    fn record(
        conn: &mut Conn<Self>,
        user_id: i64,
        at: i64,
        mood: i64,
        checkin_message: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The person's moods at or after `since`, oldest first.
    fn since(
        conn: &mut Conn<Self>,
        user_id: i64,
        since: i64,
    ) -> impl Future<Output = Result<Vec<Mood>>> + Send;
}
