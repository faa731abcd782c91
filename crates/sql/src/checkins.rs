//! Daily check-ins: the person's chosen time and zone, when the next one is
//! due, and why it paused if it did.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A check-in as stored, as [`Checkins::get`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub local_minute: i64,
    pub zone: String,
    pub next_due: Option<i64>,
    pub paused_at: Option<i64>,
    pub paused_why: Option<String>,
}

/// A pause, as [`Checkins::take_pause_notice`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paused {
    pub paused_at: Option<i64>,
    pub paused_why: Option<String>,
}

pub trait Checkins: Backend {
    /// Turn the check-in on (or change it), clearing any pause and failure
    /// count; the person's `users` row must exist.
    fn set(
        conn: &mut Conn<Self>,
        user_id: i64,
        local_minute: i64,
        zone: &str,
        next_due: i64,
        now: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    fn get(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Stored>>> + Send;

    /// Delete the check-in: whether there was one.
    fn stop(conn: &mut Conn<Self>, user_id: i64) -> impl Future<Output = Result<bool>> + Send;

    /// Pause the check-in (`why`, at `now`; `told`: no notice owed): whether
    /// there was one.
    fn pause(
        conn: &mut Conn<Self>,
        user_id: i64,
        now: i64,
        why: &str,
        told: bool,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Bring a running check-in forward to `until`: its next instant, if running.
    fn snooze(
        conn: &mut Conn<Self>,
        user_id: i64,
        until: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// Whether a pause is not yet told: a read, so a person owed nothing
    /// never takes a write lock.
    fn pause_untold(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The pause not yet told, marked told.
    fn take_pause_notice(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Paused>>> + Send;
}
