//! A person's journal: entries, reframes and drafts, each sealed. Every
//! query but the sweep names the user id, so one person can never reach
//! another's.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A journal row: its sealed text and what is known of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// `entry`, `reframe` or `draft`.
    pub kind: String,
    pub prompt: Option<String>,
    pub written_at: i64,
    pub expires_at: Option<i64>,
    pub sealed: Vec<u8>,
}

pub trait Journal: Backend {
    /// Add a row for the person, its words still to come (an empty
    /// `sealed`): their sealing binds the row's id, known only now. Its id.
    fn insert(
        conn: &mut Conn<Self>,
        user_id: i64,
        kind: &str,
        prompt: Option<&str>,
        written_at: i64,
        expires_at: Option<i64>,
    ) -> impl Future<Output = Result<i64>> + Send;

    /// Put the sealed words in the row [`Journal::insert`] made.
    fn fill(
        conn: &mut Conn<Self>,
        id: i64,
        sealed: &[u8],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Replace the words of one of the person's rows and when it expires;
    /// false if it was not theirs or is gone.
    fn rewrite(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
        sealed: &[u8],
        expires_at: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// One of the person's rows, whatever its kind.
    fn entry(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<Entry>>> + Send;

    /// The person's kept rows (no `expires_at`), newest first, `limit`
    /// from `offset`.
    fn page(
        conn: &mut Conn<Self>,
        user_id: i64,
        offset: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Entry>>> + Send;

    /// How many rows the person keeps.
    fn kept(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<i64>> + Send;

    /// Set (or clear, with None) when one of the person's rows expires;
    /// false if it was not theirs or is gone.
    fn set_expiry(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
        expires_at: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Remove one of the person's rows; false if it was not theirs or is gone.
    fn remove(
        conn: &mut Conn<Self>,
        user_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Delete every row, whoever's, whose `expires_at` is at or before
    /// `now`; how many.
    fn forget_expired(conn: &mut Conn<Self>, now: i64) -> impl Future<Output = Result<u64>> + Send;
}
