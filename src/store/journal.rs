//! A person's journal: entries they write, reframes and wait drafts, each
//! sealed with the person's own key for its row before it is written, and
//! opened after it is read; the database never sees the words. A row with
//! an expiry is not (yet) in their journal, and goes once it passes.

use super::anchors::unreadable;
use super::{db_id, Store, StoreError};
use crate::privacy::seal::{self, Place};
use crate::privacy::PersonKey;
use chrono::{DateTime, Utc};
use steady_sql::journal as rows;
use steady_sql::{Journal, Pool};

pub use crate::journal::JournalError;

/// Where a journal text is kept: bound into every sealed one.
const JOURNAL: Place = Place {
    table: "journal",
    column: "sealed",
};

/// What wrote a journal row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JournalKind {
    /// A page of `/journal write`.
    Entry,
    /// A `/reframe` record, its text a JSON object of the reframe's fields.
    Reframe,
    /// The message a person drafted during a wait instead of sending it.
    Draft,
}

impl JournalKind {
    /// As the `kind` column keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalKind::Entry => "entry",
            JournalKind::Reframe => "reframe",
            JournalKind::Draft => "draft",
        }
    }

    pub fn from_column(kind: &str) -> Option<JournalKind> {
        [JournalKind::Entry, JournalKind::Reframe, JournalKind::Draft]
            .into_iter()
            .find(|known| known.as_str() == kind)
    }
}

/// One journal row, opened. Its `Debug` leaves the words out, so no
/// debug line can carry them.
#[derive(Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: i64,
    pub kind: JournalKind,
    /// The prompt's key (`crate::journal::Prompt`), if one was answered.
    pub prompt: Option<String>,
    pub written_at: DateTime<Utc>,
    /// None once kept in the journal.
    pub expires_at: Option<DateTime<Utc>>,
    /// None when it can no longer be read: its key is gone (a backup
    /// restored after its owner deleted their data) or it was changed.
    pub text: Option<String>,
}

impl std::fmt::Debug for JournalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalEntry")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("prompt", &self.prompt)
            .field("written_at", &self.written_at)
            .field("expires_at", &self.expires_at)
            .field("readable", &self.text.is_some())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Keep `text` (cleaned) as a row of `user`'s journal, written now, and
    /// kept for good (no `expires_at`) or until then. `Ok(Err(..))` says why
    /// nothing was written; `Ok(Ok(id))` is the new row's id.
    pub async fn write_journal(
        &self,
        user: u64,
        kind: JournalKind,
        prompt: Option<&str>,
        text: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<Result<i64, JournalError>, StoreError> {
        let text = match crate::journal::clean(text) {
            Ok(text) => text,
            Err(error) => return Ok(Err(error)),
        };
        let uid = db_id(user);
        let key = self.person_key_or_new(uid).await?;
        let row = Row {
            uid,
            kind,
            prompt,
            now: self.now().timestamp(),
            expires_at: expires_at.map(|at| at.timestamp()),
        };
        let id = on_backend!(self, pool: B => write::<B>(pool, &key, &row, &text).await?);
        Ok(Ok(id))
    }

    /// Replace the text of one of `user`'s rows (cleaned, sealed anew for
    /// the row) and when it expires. `Ok(Ok(false))` if it was not theirs
    /// or is gone. The only path that rewrites a row's words.
    pub async fn rewrite_journal(
        &self,
        user: u64,
        id: i64,
        text: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<Result<bool, JournalError>, StoreError> {
        let text = match crate::journal::clean(text) {
            Ok(text) => text,
            Err(error) => return Ok(Err(error)),
        };
        let uid = db_id(user);
        // No key, no rows: nothing is made for a stranger.
        let Some(key) = self.person_key(uid).await? else {
            return Ok(Ok(false));
        };
        let sealed = seal::seal(&key, uid, JOURNAL, id, &text);
        let expires_at = expires_at.map(|at| at.timestamp());
        let done = on_backend!(self, pool: B =>
            B::rewrite(&mut *pool.acquire().await?, uid, id, &sealed, expires_at).await?);
        Ok(Ok(done))
    }

    /// One of `user`'s rows, of any kind, opened; None if it is not theirs
    /// or is gone.
    pub async fn journal_entry(
        &self,
        user: u64,
        id: i64,
    ) -> Result<Option<JournalEntry>, StoreError> {
        let uid = db_id(user);
        let row =
            on_backend!(self, pool: B => B::entry(&mut *pool.acquire().await?, uid, id).await?);
        let Some(row) = row else {
            return Ok(None);
        };
        let key = self.person_key(uid).await?;
        Ok(Some(open(key.as_ref(), uid, row)))
    }

    /// Page `page` (from 0) of `user`'s journal, `per_page` rows, newest
    /// first: only kept rows. With how many rows they keep in all.
    pub async fn journal_page(
        &self,
        user: u64,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<JournalEntry>, u64), StoreError> {
        let uid = db_id(user);
        let limit = i64::try_from(per_page).unwrap_or(i64::MAX);
        let offset = i64::try_from(page.saturating_mul(per_page)).unwrap_or(i64::MAX);
        let (rows, kept) =
            on_backend!(self, pool: B => read_page::<B>(pool, uid, offset, limit).await?);
        let key = match rows.is_empty() {
            true => None,
            false => self.person_key(uid).await?,
        };
        let entries = rows
            .into_iter()
            .map(|row| open(key.as_ref(), uid, row))
            .collect();
        Ok((entries, u64::try_from(kept).unwrap_or(0)))
    }

    /// Keep one of `user`'s rows in their journal for good; false if it was
    /// not theirs or is gone.
    pub async fn keep_in_journal(&self, user: u64, id: i64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B =>
            Ok(B::set_expiry(&mut *pool.acquire().await?, uid, id, None).await?))
    }

    /// Let one of `user`'s rows go at `at`, leaving their journal until
    /// then; false if it was not theirs or is gone.
    pub async fn set_journal_expiry(
        &self,
        user: u64,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (uid, at) = (db_id(user), Some(at.timestamp()));
        on_backend!(self, pool: B =>
            Ok(B::set_expiry(&mut *pool.acquire().await?, uid, id, at).await?))
    }

    /// Remove one of `user`'s rows; false if it was not theirs or is gone.
    pub async fn remove_journal(&self, user: u64, id: i64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => Ok(B::remove(&mut *pool.acquire().await?, uid, id).await?))
    }

    /// Delete every row, whoever's, whose expiry is at or before `now`;
    /// how many.
    pub async fn forget_expired_journal(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let now = now.timestamp();
        on_backend!(self, pool: B =>
            Ok(B::forget_expired(&mut *pool.acquire().await?, now).await?))
    }
}

/// What a new row says of itself, its text aside.
struct Row<'a> {
    uid: i64,
    kind: JournalKind,
    prompt: Option<&'a str>,
    now: i64,
    expires_at: Option<i64>,
}

/// [`Store::write_journal`]: the person held (and made, if new) while the
/// row is added and its words sealed for its id, in one transaction.
async fn write<B: Journal>(
    pool: &Pool<B>,
    key: &PersonKey,
    row: &Row<'_>,
    text: &str,
) -> Result<i64, StoreError> {
    let mut tx = B::write(pool).await?;
    B::hold_person(&mut tx, row.uid, row.now).await?;
    let kind = row.kind.as_str();
    let id = B::insert(&mut tx, row.uid, kind, row.prompt, row.now, row.expires_at).await?;
    B::fill(&mut tx, id, &seal::seal(key, row.uid, JOURNAL, id, text)).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`Store::journal_page`]'s rows and count, as one read saw them.
async fn read_page<B: Journal>(
    pool: &Pool<B>,
    uid: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<rows::Entry>, i64), StoreError> {
    let mut tx = pool.begin().await?;
    let rows = B::page(&mut tx, uid, offset, limit).await?;
    let kept = B::kept(&mut tx, uid).await?;
    tx.commit().await?;
    Ok((rows, kept))
}

/// A journal row opened with `key`. One that does not open is said in the
/// log (never whose, never the words) and reads as None.
pub(super) fn open(key: Option<&PersonKey>, uid: i64, row: rows::Entry) -> JournalEntry {
    let text = match seal::open(key, uid, JOURNAL, row.id, &row.sealed) {
        Ok(text) => Some(text),
        Err(why) => {
            unreadable(JOURNAL, why);
            None
        }
    };
    JournalEntry {
        id: row.id,
        // The column's CHECK allows no other.
        kind: JournalKind::from_column(&row.kind).unwrap_or(JournalKind::Entry),
        prompt: row.prompt,
        written_at: instant(row.written_at),
        expires_at: row.expires_at.map(instant),
        text,
    }
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}
