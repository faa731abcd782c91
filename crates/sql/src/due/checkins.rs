//! Daily check-ins as the scheduler claims them.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A due check-in and what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCheckin {
    pub user_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub next_due: i64,
    pub failures: i64,
    pub dm_channel_id: Option<i64>,
    pub locale: Option<String>,
    /// When a try given back may have been acted on (`Kind::acted`).
    pub acted_at: Option<i64>,
}

pub trait DueCheckins: Backend {
    /// Up to `limit` check-ins due at `now`, earliest first.
    fn due_checkins(
        conn: &mut Conn<Self>,
        now: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DueCheckin>>> + Send;

    /// Pause a check-in whose row cannot be read (`why`, at `now`).
    fn pause_unreadable(
        conn: &mut Conn<Self>,
        user_id: i64,
        now: i64,
        why: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Move a check-in from `due` to `next`, its `acted_at` cleared:
    /// whether this moved it.
    fn advance_checkin(
        conn: &mut Conn<Self>,
        user_id: i64,
        next: i64,
        due: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Move a check-in back to `due` if it is still at `next`, keeping
    /// when a try may have been acted on: whether it was.
    fn unclaim_checkin(
        conn: &mut Conn<Self>,
        user_id: i64,
        due: i64,
        next: i64,
        acted: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Whether a check-in claimed to `next` is still there: not turned
    /// off, paused, moved or forgotten since.
    fn checkin_still_claimed(
        conn: &mut Conn<Self>,
        user_id: i64,
        next: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The earliest instant any check-in is due.
    fn next_checkin(conn: &mut Conn<Self>) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// The refusal count starts again.
    fn checkin_delivered(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Count a refused DM, pausing (`why`, at `now`) at `max` in a row:
    /// None without a check-in, else whether it is paused.
    fn checkin_refused(
        conn: &mut Conn<Self>,
        user_id: i64,
        max: i64,
        now: i64,
        why: &str,
    ) -> impl Future<Output = Result<Option<bool>>> + Send;
}
