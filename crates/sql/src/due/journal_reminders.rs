//! Evening journal reminders as the scheduler claims them: check-ins'
//! queries (`checkins.rs`), on their own table.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A due reminder and what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueJournalReminder {
    pub user_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub next_due: i64,
    pub failures: i64,
    pub dm_channel_id: Option<i64>,
    pub locale: Option<String>,
    /// When a try given back may have been acted on (`Kind::acted`).
    pub acted_at: Option<i64>,
}

pub trait DueJournalReminders: Backend {
    /// Up to `limit` reminders due at `now`, earliest first.
    fn due_journal_reminders(
        conn: &mut Conn<Self>,
        now: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DueJournalReminder>>> + Send;

    /// Pause a reminder whose row cannot be read, at `now`.
    fn pause_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Move a reminder from `due` to `next`, its `acted_at` cleared:
    /// whether this moved it.
    fn advance_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
        next: i64,
        due: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Move a reminder back to `due` if it is still at `next`, keeping
    /// when a try may have been acted on: whether it was.
    fn unclaim_journal_reminder(
        conn: &mut Conn<Self>,
        user_id: i64,
        due: i64,
        next: i64,
        acted: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Whether a reminder claimed to `next` is still there: not turned
    /// off, changed or forgotten since.
    fn journal_reminder_still_claimed(
        conn: &mut Conn<Self>,
        user_id: i64,
        next: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The earliest instant any reminder is due.
    fn next_journal_reminder(
        conn: &mut Conn<Self>,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// The refusal count starts again.
    fn journal_reminder_delivered(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Count a refused DM, pausing (at `now`) at `max` in a row: None
    /// without a reminder, else whether it is paused.
    fn journal_reminder_refused(
        conn: &mut Conn<Self>,
        user_id: i64,
        max: i64,
        now: i64,
    ) -> impl Future<Output = Result<Option<bool>>> + Send;
}
