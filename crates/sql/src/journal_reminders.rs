//! Evening journal reminders: the person's chosen time and zone, when the
//! next one is due, and whether refused DMs paused it.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A reminder as stored, as [`JournalReminders::get_journal_reminder`]
/// returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub local_minute: i64,
    pub zone: String,
    pub next_due: Option<i64>,
    pub failures: i64,
    pub paused_at: Option<i64>,
    pub updated_at: i64,
}

pub trait JournalReminders: Backend {
    /// Turn the reminder on (or change it), clearing any pause and failure
    /// count; the person's `users` row must exist.
    fn set_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
        local_minute: i64,
        zone: &str,
        next_due: i64,
        now: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    fn get_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Stored>>> + Send;

    /// Whether a pause is not yet told: a read, so a person owed nothing
    /// never takes a write lock.
    fn journal_reminder_pause_untold(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// When the pause not yet told began, marked told.
    fn take_journal_reminder_pause_notice(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// Delete the reminder: whether there was one.
    fn stop_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
}
