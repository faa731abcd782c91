//! A server's daily moment and who joined its latest post, by guild id.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A daily moment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub channel_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub pattern: i64,
    pub locale: String,
    pub next_due: Option<i64>,
}

/// What a day's post says, kept with its message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Post<'a> {
    pub message_id: i64,
    pub channel_id: i64,
    pub local_minute: i64,
    pub locale: &'a str,
}

pub trait Rituals: Backend {
    /// Insert or replace the server's moment.
    fn set(
        conn: &mut Conn<Self>,
        guild_id: i64,
        moment: &Moment,
        updated_at: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    fn get(
        conn: &mut Conn<Self>,
        guild_id: i64,
    ) -> impl Future<Output = Result<Option<Moment>>> + Send;

    /// Delete the moment (its joins go with it); false if there was none.
    fn stop(conn: &mut Conn<Self>, guild_id: i64) -> impl Future<Output = Result<bool>> + Send;

    /// The post is up: its count starts at 0, and the joins of the post
    /// before it go. Run in a write transaction.
    fn posted(
        conn: &mut Conn<Self>,
        guild_id: i64,
        post: &Post<'_>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Count `user_id` on the latest post if it is `message_id` and they
    /// are not counted on it yet: whether they were counted now. Run in a
    /// write transaction.
    fn joined(
        conn: &mut Conn<Self>,
        guild_id: i64,
        message_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
}
