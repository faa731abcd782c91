//! Servers' daily posts as the scheduler claims them.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A daily moment due now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePost {
    pub guild_id: i64,
    pub channel_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub pattern: i64,
    pub locale: String,
    pub next_due: i64,
    /// When a try given back may have been acted on (`Kind::acted`).
    pub acted_at: Option<i64>,
}

pub trait DuePosts: Backend {
    /// Up to `limit` moments due at `now`, earliest first.
    fn due_posts(
        conn: &mut Conn<Self>,
        now: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DuePost>>> + Send;

    /// Stop a moment that cannot be read, so it is not claimed again.
    fn halt_post(conn: &mut Conn<Self>, guild_id: i64) -> impl Future<Output = Result<()>> + Send;

    /// Move the moment from `from` to `to`, unless it is no longer at `from`:
    /// a claim (`acted` None), or a claim given back (with when a try may
    /// have been acted on).
    fn move_post(
        conn: &mut Conn<Self>,
        guild_id: i64,
        from: i64,
        to: i64,
        acted: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Whether a moment claimed to `next` is still there: not stopped,
    /// changed or forgotten since.
    fn post_still_claimed(
        conn: &mut Conn<Self>,
        guild_id: i64,
        next: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The earliest instant any daily moment is due.
    fn next_post(conn: &mut Conn<Self>) -> impl Future<Output = Result<Option<i64>>> + Send;
}
