//! A person's anchors. Every query names the user id, so one person can
//! never reach another's.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// An anchor row: its id and its text, sealed, or plain until the first
/// start of a build that seals (one of the two).
#[derive(Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub text: Option<String>,
    pub sealed: Option<Vec<u8>>,
}

/// A plain anchor still to seal.
#[derive(Clone, PartialEq, Eq)]
pub struct Plain {
    pub id: i64,
    pub user_id: i64,
    pub text: String,
}

pub trait Anchors: Backend {
    fn count(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<i64>> + Send;

    /// Append a row to the person's list, its words still to come (an
    /// empty `sealed`): their sealing binds the row's id, known only now.
    /// Its id.
    fn insert(
        conn: &mut Conn<Self>,
        user_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<i64>> + Send;

    /// Put the sealed words in the row [`Anchors::insert`] made.
    fn fill(
        conn: &mut Conn<Self>,
        id: i64,
        sealed: &[u8],
    ) -> impl Future<Output = Result<()>> + Send;

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

    /// Up to `limit` plain anchors, oldest first: what the upgrade seals.
    fn plain(conn: &mut Conn<Self>, limit: i64) -> impl Future<Output = Result<Vec<Plain>>> + Send;

    /// Replace a plain anchor's text by its sealed form; false if it was
    /// sealed or removed meanwhile.
    fn seal(
        conn: &mut Conn<Self>,
        id: i64,
        sealed: &[u8],
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Whether any words are sealed: an anchor, or any journal row (a
    /// journal's are sealed from the first).
    fn any_sealed(conn: &mut Conn<Self>) -> impl Future<Output = Result<bool>> + Send;
}
