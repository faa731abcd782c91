//! The processes sharing the database, one row per boot, each its own sign
//! of life. Every instant here is the database's clock: machines' clocks
//! disagree, and liveness must not depend on which one asks.

use crate::{Backend, Conn, Result};
use std::future::Future;

pub trait Processes: Backend {
    /// `owner` (of `shards`) is alive now: its row made, or renewed.
    fn arrive(
        conn: &mut Conn<Self>,
        owner: &str,
        shards: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// `owner` is still alive: false when its row is gone, which means
    /// another process took it for dead (and took its exercises).
    fn beat(conn: &mut Conn<Self>, owner: &str) -> impl Future<Output = Result<bool>> + Send;

    /// How many seconds ago each other process serving `shards` was seen,
    /// of those seen within `dead_after` seconds.
    fn twins(
        conn: &mut Conn<Self>,
        owner: &str,
        shards: &str,
        dead_after: i64,
    ) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// `owner` stops: what it leaves is anyone's at once.
    fn leave(conn: &mut Conn<Self>, owner: &str) -> impl Future<Output = Result<()>> + Send;

    /// Whether any process has not been seen for `dead_after` seconds.
    fn any_dead(
        conn: &mut Conn<Self>,
        dead_after: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Delete and return the processes not seen for `dead_after` seconds.
    /// First of a take: a dead process's row is locked (deleted) before its
    /// exercises are, so one coming back to life meanwhile finds its row
    /// gone ([`Processes::beat`]) rather than its exercises.
    fn forget_dead(
        conn: &mut Conn<Self>,
        dead_after: i64,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
}
