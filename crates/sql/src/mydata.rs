//! Everything held about one person, read for `/mydata export` and removed
//! for `/mydata delete`. Every row but a running exercise, a wait and joins
//! on daily posts hangs off the person's `users` row, ON DELETE CASCADE.

use crate::journal::Entry;
use crate::moods::Mood;
use crate::{Backend, Conn, Pool, Result, Tx};
use std::future::Future;

/// The person's `users` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub created_at: i64,
    pub dm_channel_id: Option<i64>,
    pub last_anchor_id: Option<i64>,
    pub mood_history: bool,
    pub locale: Option<String>,
}

/// An anchor, sealed (or still plain), with when it was added.
#[derive(Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub text: Option<String>,
    pub sealed: Option<Vec<u8>>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub local_minute: i64,
    pub zone: String,
    pub next_due: Option<i64>,
    pub failures: i64,
    pub paused_at: Option<i64>,
    pub paused_why: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub started_at: i64,
    pub ends_at: i64,
    pub due: Option<i64>,
    pub urge_before: Option<i64>,
}

/// One wait's taps in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urge {
    pub started_at: i64,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// How many rows of each kind hang off a person's `users` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub anchors: i64,
    pub checkins: i64,
    pub moods: i64,
    pub urges: i64,
    pub journal: i64,
}

pub trait Mydata: Backend {
    /// Begin a read-only transaction whose queries all see one snapshot,
    /// so the parts of an export agree with each other: SQLite's read
    /// transaction does that; PostgreSQL's read committed would give each
    /// query its own, so it asks for repeatable read.
    fn snapshot(pool: &Pool<Self>) -> impl Future<Output = Result<Tx<Self>>> + Send;

    fn person(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Person>>> + Send;

    fn wait(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Wait>>> + Send;

    /// The person's anchors in their order.
    fn anchors(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Vec<Anchor>>> + Send;

    fn checkin(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Checkin>>> + Send;

    /// Every mood kept, oldest first.
    fn moods(conn: &mut Conn<Self>, user_id: i64)
        -> impl Future<Output = Result<Vec<Mood>>> + Send;

    /// Every wait's taps kept, oldest first.
    fn urges(conn: &mut Conn<Self>, user_id: i64)
        -> impl Future<Output = Result<Vec<Urge>>> + Send;

    /// Every journal row, of every kind, oldest first.
    fn journal(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Vec<Entry>>> + Send;

    fn counts(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<Counts>> + Send;

    /// Delete the person's rows that stand alone (they need no `users`
    /// row) and come before it in the lock order ([`Backend`]): a wait,
    /// and a running exercise, whose row loses all that is theirs (their id
    /// becomes the negated interaction's, the token and locale go) and is
    /// marked to stop: the process running it reads that as any Stop, and
    /// removes the row as the exercise ends.
    fn forget_alone(conn: &mut Conn<Self>, user_id: i64)
        -> impl Future<Output = Result<()>> + Send;

    /// Delete the person's `users` row, and by ON DELETE CASCADE every row
    /// hanging off it; then their joins on servers' latest daily posts,
    /// which stand alone too but come after it in the lock order.
    fn forget_person(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
}
