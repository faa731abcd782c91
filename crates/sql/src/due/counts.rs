//! The counts of who joined a daily post, as the scheduler claims them.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A post whose count of joins was claimed: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCount {
    pub guild_id: i64,
    pub channel_id: i64,
    pub message_id: i64,
    pub joined: i64,
    pub local_minute: i64,
    pub locale: String,
}

pub trait DueCounts: Backend {
    /// Mark up to `limit` counts shown at `now` (changed, last shown at or
    /// before `since`); returns them, each with what its post says (the
    /// moment's own for a post from before that was kept).
    fn claim_counts(
        conn: &mut Conn<Self>,
        now: i64,
        since: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DueCount>>> + Send;

    /// Show the post's count again: whether it is still the latest post.
    fn unclaim_count(
        conn: &mut Conn<Self>,
        guild_id: i64,
        message_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The earliest instant a changed count may be shown, `every` seconds
    /// after it last was.
    fn next_count(
        conn: &mut Conn<Self>,
        every: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;
}
