//! The scheduler's side of the store (`crate::schedule` says what each
//! kind claims): every kind claimed in one write transaction, the earliest
//! instant anything is due, a claim given back, and what a check-in's
//! delivery changes.

use super::{db_id, instant, PauseReason, Store, StoreError};
use crate::schedule::{Due, DueSql};
use chrono::{DateTime, Utc};
use steady_sql::{DueCheckins, Pool};

impl Store {
    /// Claim up to `limit` things due at `now`, in one write transaction
    /// (one commit, however many kinds are due), each kind in the order
    /// `crate::schedule` lists them. On PostgreSQL each kind's rows are
    /// locked `SKIP LOCKED`, so processes claiming at once take different
    /// rows instead of waiting.
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Due>, StoreError> {
        on_backend!(self, pool: B => claim::<B>(pool, now, limit).await)
    }

    /// The earliest instant the scheduler has anything to do, each kind
    /// read on the same connection, on the partial indexes, so an idle
    /// wake-up stays cheap.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next = on_backend!(self, pool: B => Due::next::<B>(&mut *pool.acquire().await?).await?);
        Ok(next.and_then(instant))
    }

    /// Whether something claimed is still wanted, before a retry: unchanged
    /// since the claim (not turned off, paused, ended or forgotten).
    pub async fn still_wanted(&self, due: &Due) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => due.wanted::<B>(&mut *pool.acquire().await?).await)
    }

    /// Give back something claimed but not sent (steady is stopping), with
    /// when it was first tried in a way Discord may have acted on, if so.
    pub async fn give_back(
        &self,
        due: &Due,
        acted: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => due.give_back::<B>(&mut *pool.acquire().await?, acted).await)
    }

    /// A check-in reached the person: the refusal count starts again.
    pub async fn checkin_delivered(&self, user: u64) -> Result<(), StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => {
            Ok(B::checkin_delivered(&mut *pool.acquire().await?, uid).await?)
        })
    }

    /// Discord refused the DM. After `max_failures` in a row the check-in
    /// pauses itself rather than knocking forever; true if it paused now.
    pub async fn checkin_refused(
        &self,
        user: u64,
        max_failures: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (uid, at, max) = (db_id(user), now.timestamp(), i64::from(max_failures));
        let why = PauseReason::DmsClosed.as_str();
        let paused = on_backend!(self, pool: B => {
            B::checkin_refused(&mut *pool.acquire().await?, uid, max, at, why).await?
        });
        Ok(paused.unwrap_or(false))
    }
}

/// [`Store::claim_due`]: one transaction, one commit. A failed commit is
/// [`StoreError::Commit`]: if it took effect unseen, the rows it advanced
/// are never sent (at most once), so the scheduler counts it.
async fn claim<B: DueSql>(
    pool: &Pool<B>,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Due>, StoreError> {
    let mut tx = B::write(pool).await?;
    let due = Due::claim::<B>(&mut tx, now, limit).await?;
    tx.commit().await.map_err(StoreError::Commit)?;
    Ok(due)
}
