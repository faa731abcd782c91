//! Paced exercises under way, one row per person, each owned by the
//! process running it.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A session row, as [`Sessions::take_unfinished`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub interaction_id: i64,
    pub user_id: i64,
    pub application_id: i64,
    pub token: String,
    pub started_at: i64,
    pub locale: String,
}

pub trait Sessions: Backend {
    /// Insert the session, seen at its start, unless its person has one on
    /// another process (one of `owner`'s own has ended and is replaced):
    /// whether it was written.
    #[allow(clippy::too_many_arguments)]
    fn begin(
        conn: &mut Conn<Self>,
        interaction_id: i64,
        user_id: i64,
        application_id: i64,
        token: &str,
        started_at: i64,
        locale: &str,
        owner: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    fn end(conn: &mut Conn<Self>, interaction_id: i64) -> impl Future<Output = Result<()>> + Send;

    /// Mark the person's session (only `interaction_id`'s, when given) to
    /// stop: whether there was one.
    fn request_stop(
        conn: &mut Conn<Self>,
        user_id: i64,
        interaction_id: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// (interaction, stop asked) of each of `owner`'s sessions, marked seen.
    fn seen(
        conn: &mut Conn<Self>,
        owner: &str,
        now: i64,
    ) -> impl Future<Output = Result<Vec<(i64, bool)>>> + Send;

    /// Delete and return `owner`'s sessions and those not seen since
    /// `stale_before`.
    fn take_unfinished(
        conn: &mut Conn<Self>,
        owner: Option<&str>,
        stale_before: i64,
    ) -> impl Future<Output = Result<Vec<Unfinished>>> + Send;
}
