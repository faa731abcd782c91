//! A person's anchors. Every query names the user id, so one person can
//! never reach another's.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// An anchor row: its id and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub text: String,
}

/// How many anchors the person has, and whether a text is one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub count: i64,
    pub duplicate: bool,
}

pub trait Anchors: Backend {
    /// How many anchors the person has, and whether `text` is one of them.
    fn seen(
        conn: &mut Conn<Self>,
        user_id: i64,
        text: &str,
    ) -> impl Future<Output = Result<Seen>> + Send;

    fn count(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<i64>> + Send;

    /// Append `text` to the person's list; false if they already have it.
    fn insert(
        conn: &mut Conn<Self>,
        user_id: i64,
        text: &str,
        now: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The person's first `limit` anchors in their order.
    fn list(
        conn: &mut Conn<Self>,
        user_id: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Anchor>>> + Send;

    /// Remove one of the person's anchors; false if it was not theirs or is gone.
    fn remove(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The anchor after the last sent, in order, wrapping to the first.
    fn next(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Anchor>>> + Send;

    /// Record `id` as the last anchor sent to the person.
    fn set_last(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
}
