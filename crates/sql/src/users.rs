//! The `users` row every personal row hangs off, and what it caches.

use crate::{Backend, Conn, Result};
use std::future::Future;

pub trait Users: Backend {
    /// The person's cached DM channel id, if known.
    fn dm_channel(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// Whether a `users` row or a wait holds anything of the person.
    fn knows(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<bool>> + Send;

    /// Set the cached DM channel on the person's row, if there is one.
    fn remember_dm_channel(
        conn: &mut Conn<Self>,
        user_id: i64,
        channel: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Whether the person has a row whose language is not `locale`: a read,
    /// so an unchanged language never takes a write lock.
    fn locale_differs(
        conn: &mut Conn<Self>,
        user_id: i64,
        locale: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Set the person's language on their row, if there is one and it differs.
    fn remember_locale(
        conn: &mut Conn<Self>,
        user_id: i64,
        locale: &str,
    ) -> impl Future<Output = Result<()>> + Send;
}
