//! A person's anchors: kept, listed, found, removed, and sent in rotation.
//! Every query names the user id, so one person can never reach another's.

use super::{db_id, Store, StoreError};
use crate::anchors::{clean, AnchorError, MAX_ANCHORS};
use steady_sql::{Anchors, Pool};

pub use steady_sql::anchors::Anchor;

impl Store {
    /// Keep a cleaned anchor for `user` (creating the users row if needed), at
    /// the end of their list. `Ok(Err(..))` says why it was not kept;
    /// `Ok(Ok(n))` is how many they have now.
    pub async fn add_anchor(
        &self,
        user: u64,
        text: &str,
    ) -> Result<Result<usize, AnchorError>, StoreError> {
        let text = match clean(text) {
            Ok(text) => text,
            Err(error) => return Ok(Err(error)),
        };
        on_backend!(self, pool: B => add::<B>(pool, db_id(user), &text).await)
    }

    /// The person's anchors in their order: at most [`MAX_ANCHORS`] rows,
    /// the most an add lets in, so no read (an autocomplete keystroke among
    /// them) is longer whatever the table holds.
    pub async fn anchors(&self, user: u64) -> Result<Vec<Anchor>, StoreError> {
        let (uid, most) = (db_id(user), i64::try_from(MAX_ANCHORS).unwrap_or(i64::MAX));
        on_backend!(self, pool: B => Ok(B::list(&mut *pool.acquire().await?, uid, most).await?))
    }

    /// Anchors whose text contains `needle` ignoring case, in order, at most
    /// `limit`: for autocomplete.
    pub async fn find_anchors(
        &self,
        user: u64,
        needle: &str,
        limit: usize,
    ) -> Result<Vec<Anchor>, StoreError> {
        // Matched here rather than with SQL LIKE: SQLite folds only ASCII
        // case (Postgres none).
        let needle = needle.to_lowercase();
        let mut anchors = self.anchors(user).await?;
        anchors.retain(|anchor| anchor.text.to_lowercase().contains(&needle));
        anchors.truncate(limit);
        Ok(anchors)
    }

    /// Remove one of the person's anchors; false if it was not theirs or no
    /// longer exists.
    pub async fn remove_anchor(&self, user: u64, id: i64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => Ok(B::remove(&mut *pool.acquire().await?, uid, id).await?))
    }

    /// The next anchor to send: the one after the last sent, in order,
    /// wrapping to the first, so with two or more it never repeats twice in a
    /// row. Records it as the last sent. None if they have none.
    pub async fn next_anchor(&self, user: u64) -> Result<Option<Anchor>, StoreError> {
        on_backend!(self, pool: B => next::<B>(pool, db_id(user)).await)
    }

    /// Add the given (already clean) starter texts, skipping ones already
    /// present and stopping at MAX_ANCHORS; returns how many were added.
    pub async fn add_anchors(&self, user: u64, texts: &[String]) -> Result<usize, StoreError> {
        if texts.is_empty() {
            return Ok(0);
        }
        on_backend!(self, pool: B => add_all::<B>(pool, db_id(user), texts).await)
    }
}

/// [`Store::add_anchor`]: the person held from the count to the commit, so
/// adds at once cannot pass the limit.
async fn add<B: Anchors>(
    pool: &Pool<B>,
    uid: i64,
    text: &str,
) -> Result<Result<usize, AnchorError>, StoreError> {
    let now = chrono::Utc::now().timestamp();
    let mut tx = B::write(pool).await?;
    B::hold_person(&mut tx, uid, now).await?;
    let seen = B::seen(&mut tx, uid, text).await?;
    if let Err(error) = room_for_one(seen.count, seen.duplicate) {
        return Ok(Err(error));
    }
    B::insert(&mut tx, uid, text, now).await?;
    tx.commit().await?;
    Ok(Ok(len(seen.count) + 1))
}

/// [`Store::next_anchor`], the person held so two rotations at once do not
/// both send the same anchor.
async fn next<B: Anchors>(pool: &Pool<B>, uid: i64) -> Result<Option<Anchor>, StoreError> {
    let mut tx = B::write(pool).await?;
    // No row, no anchors: nothing is created for a stranger.
    if !B::lock_person(&mut tx, uid).await? {
        return Ok(None);
    }
    let next = B::next(&mut tx, uid).await?;
    if let Some(anchor) = &next {
        B::set_last(&mut tx, uid, anchor.id).await?;
    }
    tx.commit().await?;
    Ok(next)
}

/// [`Store::add_anchors`], the person held throughout.
async fn add_all<B: Anchors>(
    pool: &Pool<B>,
    uid: i64,
    texts: &[String],
) -> Result<usize, StoreError> {
    let now = chrono::Utc::now().timestamp();
    let mut tx = B::write(pool).await?;
    B::hold_person(&mut tx, uid, now).await?;
    let mut room = MAX_ANCHORS.saturating_sub(len(B::count(&mut tx, uid).await?));
    let mut added = 0;
    for text in texts {
        if room == 0 {
            break;
        }
        if B::insert(&mut tx, uid, text, now).await? {
            added += 1;
            room -= 1;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// Why one more anchor does not fit beside `count` others, if it does not.
fn room_for_one(count: i64, duplicate: bool) -> Result<(), AnchorError> {
    if duplicate {
        return Err(AnchorError::Duplicate);
    }
    if len(count) >= MAX_ANCHORS {
        return Err(AnchorError::Full);
    }
    Ok(())
}

/// A row count as a length.
fn len(rows: i64) -> usize {
    usize::try_from(rows).unwrap_or(usize::MAX)
}
