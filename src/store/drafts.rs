//! "Write it here instead": the message a person drafts during a wait,
//! kept as a journal row of kind draft (sealed like every text they write),
//! named by the wait (`waits.draft_id`) so writing again replaces it and
//! the wait's end offers it back. It is deleted [`KEEP_DRAFT`] after the
//! wait ends unless the person keeps it in their journal.

use super::{db_id, JournalEntry, JournalError, JournalKind, Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use steady_sql::Waits;

/// How long an unkept draft outlives its wait's end.
pub const KEEP_DRAFT: TimeDelta = TimeDelta::hours(24);
/// A draft is a message the person may still send: Discord's limit.
pub const DRAFT_MAX_CHARS: usize = 2000;

/// What keeping a draft did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafted {
    /// The wait's first draft.
    Written,
    /// It replaced the draft written before.
    Replaced,
    /// The wait is no longer running: nothing was kept.
    Ended,
}

/// A draft that cannot be kept as written; nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftError {
    Empty,
    TooLong,
}

impl Store {
    /// The draft written during the person's running wait that began at
    /// `started`, opened, if there is one they have not kept yet.
    pub async fn wait_draft(
        &self,
        user: u64,
        started: DateTime<Utc>,
    ) -> Result<Option<JournalEntry>, StoreError> {
        let (uid, started) = (db_id(user), started.timestamp());
        let id = on_backend!(self, pool: B => B::draft(&mut *pool.acquire().await?, uid, started).await?);
        match id {
            Some(id) => self.draft(user, id).await,
            None => Ok(None),
        }
    }

    /// The person's draft `id`, opened, if it is theirs and a draft (kept
    /// in their journal or not).
    pub async fn draft(&self, user: u64, id: i64) -> Result<Option<JournalEntry>, StoreError> {
        let entry = self.journal_entry(user, id).await?;
        Ok(entry.filter(|entry| entry.kind == JournalKind::Draft))
    }

    /// Keep `text` as the draft of the person's running wait that began at
    /// `started`, replacing the one written before; deleted
    /// [`KEEP_DRAFT`] after the wait's planned end unless kept.
    pub async fn write_wait_draft(
        &self,
        user: u64,
        started: DateTime<Utc>,
        text: &str,
    ) -> Result<Result<Drafted, DraftError>, StoreError> {
        // Cleaned as every journal text is, then held to a message's length.
        let text = match crate::journal::clean(text) {
            Ok(text) if text.chars().count() <= DRAFT_MAX_CHARS => text,
            Err(JournalError::Empty) => return Ok(Err(DraftError::Empty)),
            _ => return Ok(Err(DraftError::TooLong)),
        };
        let wait = self.wait(user).await?;
        let Some(wait) = wait.filter(|wait| wait.started == started && wait.due.is_some()) else {
            return Ok(Ok(Drafted::Ended));
        };
        let expires = Some(wait.ends + KEEP_DRAFT);
        if let Some(before) = self.wait_draft(user, started).await? {
            if let Ok(true) = self
                .rewrite_journal(user, before.id, &text, expires)
                .await?
            {
                return Ok(Ok(Drafted::Replaced));
            }
        }
        let written = self.write_journal(user, JournalKind::Draft, None, &text, expires);
        let Ok(id) = written.await? else {
            // Cleaned above: a journal text cannot be refused here.
            return Ok(Err(DraftError::Empty));
        };
        let (uid, at) = (db_id(user), started.timestamp());
        let named = on_backend!(self, pool: B => B::set_draft(&mut *pool.acquire().await?, uid, at, id).await?);
        if named {
            return Ok(Ok(Drafted::Written));
        }
        // The wait ended between the look and the write: keep nothing.
        self.remove_journal(user, id).await?;
        Ok(Ok(Drafted::Ended))
    }

    /// The wait whose draft is `id` ended at `ended`: the draft, unless the
    /// person kept it, is deleted [`KEEP_DRAFT`] later. Whether there is
    /// such a draft to offer back.
    pub async fn draft_ends(
        &self,
        user: u64,
        id: i64,
        ended: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (uid, expires) = (db_id(user), (ended + KEEP_DRAFT).timestamp());
        on_backend!(self, pool: B => Ok(B::draft_ends(&mut *pool.acquire().await?, uid, id, expires).await?))
    }
}
