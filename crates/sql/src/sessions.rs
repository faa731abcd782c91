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
    /// Insert the session, unless its person has one on another process
    /// (one of `owner`'s own has ended and is replaced): whether it was
    /// written. `seen_at` is what builds before `processes` read as the
    /// owner's last sign of life (migration 0012 says why it lies ahead).
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
        seen_at: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    fn end(conn: &mut Conn<Self>, interaction_id: i64) -> impl Future<Output = Result<()>> + Send;

    /// Mark the person's session (only `interaction_id`'s, when given) to
    /// stop: whether there was one.
    fn request_stop(
        conn: &mut Conn<Self>,
        user_id: i64,
        interaction_id: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The sessions of `owner`'s someone asked to stop (their person, on
    /// any process, or their person's data deleted).
    fn stopping(
        conn: &mut Conn<Self>,
        owner: &str,
    ) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// Delete and return the sessions of `dead` processes, and those of
    /// builds before `processes` (which name no row there) not seen for
    /// `dead_after` seconds by the database's clock.
    fn take_dead(
        conn: &mut Conn<Self>,
        dead: &[String],
        dead_after: i64,
    ) -> impl Future<Output = Result<Vec<Unfinished>>> + Send;
}
