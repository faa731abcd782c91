//! The ends of waits as the scheduler claims them.

use crate::{Conn, Result, Waits};
use std::future::Future;

/// A wait whose end is due, and what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueWait {
    pub user_id: i64,
    pub started_at: i64,
    pub minutes: i64,
    pub due: i64,
    pub private: bool,
    pub locale: String,
    pub application_id: Option<i64>,
    pub token: Option<String>,
    pub dm_channel_id: Option<i64>,
    /// When a try given back may have been acted on (`Kind::acted`).
    pub acted_at: Option<i64>,
    /// The draft written during the wait, if any (a journal row's id).
    pub draft_id: Option<i64>,
}

/// A wait's end, claimed; keeping its first tap is [`Waits::keep_first_tap`].
pub trait DueWaits: Waits {
    /// Delete the waits whose end was sent and that ended at or before `stale`.
    fn delete_sent_waits(
        conn: &mut Conn<Self>,
        stale: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Up to `limit` ends due at `now`, earliest first.
    fn due_waits(
        conn: &mut Conn<Self>,
        now: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DueWait>>> + Send;

    /// Mark the end due at `due` sent, its `acted_at` cleared: None unless
    /// this moved it, else the wait's first tap.
    fn claim_wait(
        conn: &mut Conn<Self>,
        user_id: i64,
        due: i64,
    ) -> impl Future<Output = Result<Option<Option<i64>>>> + Send;

    /// Make a claimed end due again at its own instant, if the wait is the
    /// one claimed and still unsent, keeping when a try may have been
    /// acted on: whether it was.
    fn unclaim_wait(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        due: i64,
        acted: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Whether a claimed end's wait is still the one claimed and unsent:
    /// not ended ("I'm okay now"), replaced or forgotten since.
    fn wait_still_claimed(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        due: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The earliest instant a wait's end is due, or a sent wait (kept
    /// `keep` seconds after its end) is to go.
    fn next_wait(
        conn: &mut Conn<Self>,
        keep: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;
}
