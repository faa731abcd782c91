//! What steady keeps for a server: its panels and its own help lines, by
//! guild id. Nothing here names a person.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A help line as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub name: String,
    pub text: String,
    pub link: Option<String>,
}

/// How many rows a server has in each of its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub panels: i64,
    pub help: i64,
    pub rituals: i64,
}

pub trait Servers: Backend {
    /// Remember a panel; the same message twice is one.
    fn panel_posted(
        conn: &mut Conn<Self>,
        message_id: i64,
        guild_id: i64,
        channel_id: i64,
        at: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Hold the server's help lines until the write transaction ends, so a
    /// count-then-insert cannot race another. Its own method because the
    /// server has no row to lock: SQLite's write lock holds them already,
    /// PostgreSQL takes an advisory lock on the server's id.
    fn lock_help(conn: &mut Conn<Self>, guild_id: i64) -> impl Future<Output = Result<()>> + Send;

    /// Add a line; false when the database's key already holds its name.
    fn insert_help(
        conn: &mut Conn<Self>,
        guild_id: i64,
        name: &str,
        text: &str,
        link: Option<&str>,
        at: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Remove the line called `name` as kept; false if there is none.
    fn remove_help(
        conn: &mut Conn<Self>,
        guild_id: i64,
        name: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The server's lines, oldest first (in the order added within a second).
    fn help_lines(
        conn: &mut Conn<Self>,
        guild_id: i64,
    ) -> impl Future<Output = Result<Vec<HelpLine>>> + Send;

    fn counts(conn: &mut Conn<Self>, guild_id: i64) -> impl Future<Output = Result<Counts>> + Send;

    /// Delete all of the server's rows (joins on its post go with its
    /// moment) and count what was there; run in a write transaction.
    fn forget(conn: &mut Conn<Self>, guild_id: i64) -> impl Future<Output = Result<Counts>> + Send;
}
