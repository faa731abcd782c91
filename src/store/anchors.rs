//! A person's anchors: kept, listed, found, removed, and sent in rotation.
//! Every query names the user id, so one person can never reach another's.
//! Each is sealed with the person's own key before it is written, and
//! opened after it is read; the database never sees the words.

use super::{db_id, Store, StoreError};
use crate::anchors::{clean, AnchorError, MAX_ANCHORS};
use crate::privacy::seal::{self, Place, Unreadable};
use crate::privacy::PersonKey;
use std::collections::HashMap;
use steady_sql::anchors as rows;
use steady_sql::{Anchors, Pool};

/// Where an anchor's words are kept: bound into every sealed one.
pub(super) const ANCHOR: Place = Place {
    table: "anchors",
    column: "sealed",
};

/// Plain anchors sealed in one transaction by the upgrade.
const SEAL_BATCH: i64 = 1000;

/// One of a person's anchors, opened. Its `Debug` leaves the words out, so
/// no debug line can carry them.
#[derive(Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    /// None when it can no longer be read: its key is gone (a backup
    /// restored after its owner deleted their data) or it was changed.
    pub text: Option<String>,
}

impl std::fmt::Debug for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchor")
            .field("id", &self.id)
            .field("readable", &self.text.is_some())
            .finish_non_exhaustive()
    }
}

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
        let uid = db_id(user);
        let key = self.person_key_or_new(uid).await?;
        let now = self.now().timestamp();
        on_backend!(self, pool: B => add::<B>(pool, uid, &key, &text, now).await)
    }

    /// The person's anchors in their order: at most [`MAX_ANCHORS`] rows,
    /// the most an add lets in, so no read (an autocomplete keystroke among
    /// them) is longer whatever the table holds.
    pub async fn anchors(&self, user: u64) -> Result<Vec<Anchor>, StoreError> {
        let (uid, most) = (db_id(user), i64::try_from(MAX_ANCHORS).unwrap_or(i64::MAX));
        let rows =
            on_backend!(self, pool: B => B::list(&mut *pool.acquire().await?, uid, most).await?);
        let key = self.key_for(&rows, uid).await?;
        Ok(rows
            .into_iter()
            .map(|row| open(key.as_ref(), uid, row))
            .collect())
    }

    /// Anchors whose text contains `needle` ignoring case, in order, at most
    /// `limit`: for autocomplete. One that cannot be read matches only an
    /// empty needle, so it can still be chosen to remove.
    pub async fn find_anchors(
        &self,
        user: u64,
        needle: &str,
        limit: usize,
    ) -> Result<Vec<Anchor>, StoreError> {
        // Matched here, as only here are the words known.
        let needle = needle.to_lowercase();
        let mut anchors = self.anchors(user).await?;
        anchors.retain(|anchor| {
            (anchor.text.as_deref()).map_or(needle.is_empty(), |text| {
                text.to_lowercase().contains(&needle)
            })
        });
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
        let uid = db_id(user);
        let Some(row) = on_backend!(self, pool: B => next::<B>(pool, uid).await?) else {
            return Ok(None);
        };
        let key = self.key_for(std::slice::from_ref(&row), uid).await?;
        Ok(Some(open(key.as_ref(), uid, row)))
    }

    /// Add the given (already clean) starter texts, skipping ones already
    /// present and stopping at MAX_ANCHORS; returns how many were added.
    pub async fn add_anchors(&self, user: u64, texts: &[String]) -> Result<usize, StoreError> {
        if texts.is_empty() {
            return Ok(0);
        }
        let uid = db_id(user);
        let key = self.person_key_or_new(uid).await?;
        let now = self.now().timestamp();
        on_backend!(self, pool: B => add_all::<B>(pool, uid, &key, texts, now).await)
    }

    /// Seal every anchor an older build kept plain, a batch to a
    /// transaction: the first start of this build does it. Safe to stop
    /// and start again: an anchor is sealed only while it is still plain.
    /// How many it sealed.
    pub async fn seal_plain_anchors(&self) -> Result<u64, StoreError> {
        let mut sealed = 0;
        loop {
            let plain = on_backend!(self, pool: B => B::plain(&mut *pool.acquire().await?, SEAL_BATCH).await?);
            if plain.is_empty() {
                break;
            }
            let mut uids: Vec<i64> = plain.iter().map(|row| row.user_id).collect();
            uids.sort_unstable();
            uids.dedup();
            let keys: HashMap<i64, PersonKey> =
                self.person_keys_or_new(&uids).await?.into_iter().collect();
            let batch: Vec<(i64, Vec<u8>)> = plain
                .iter()
                .map(|row| {
                    let key = &keys[&row.user_id];
                    (
                        row.id,
                        seal::seal(key, row.user_id, ANCHOR, row.id, &row.text),
                    )
                })
                .collect();
            sealed += on_backend!(self, pool: B => seal_all::<B>(pool, &batch).await?);
            tracing::info!(sealed, "sealing the anchors an older build kept plain");
        }
        Ok(sealed)
    }

    /// The person's key, if any of `rows` is sealed (plain rows need none).
    async fn key_for(
        &self,
        rows: &[rows::Anchor],
        uid: i64,
    ) -> Result<Option<PersonKey>, StoreError> {
        if rows.iter().all(|row| row.sealed.is_none()) {
            return Ok(None);
        }
        self.person_key(uid).await
    }
}

/// An anchor's words from its row: plain, or opened with `key`. One that
/// does not open is said in the log (never whose, never the words) and
/// reads as None.
pub(super) fn open(key: Option<&PersonKey>, uid: i64, row: rows::Anchor) -> Anchor {
    Anchor {
        id: row.id,
        text: opened(key, uid, row.id, row.text, row.sealed.as_deref()),
    }
}

/// A text kept plain or sealed at ANCHOR.
pub(super) fn opened(
    key: Option<&PersonKey>,
    uid: i64,
    id: i64,
    plain: Option<String>,
    sealed: Option<&[u8]>,
) -> Option<String> {
    if plain.is_some() {
        return plain;
    }
    match seal::open(key, uid, ANCHOR, id, sealed?) {
        Ok(text) => Some(text),
        Err(why) => {
            unreadable(ANCHOR, why);
            None
        }
    }
}

/// Say that a stored text did not open, and why.
pub(super) fn unreadable(place: Place, why: Unreadable) {
    tracing::warn!(
        table = place.table,
        reason = why.as_str(),
        "a stored text could not be read: {why}"
    );
}

/// [`Store::add_anchor`]: the person held from the count to the commit, so
/// adds at once cannot pass the limit or both keep the same words.
async fn add<B: Anchors>(
    pool: &Pool<B>,
    uid: i64,
    key: &PersonKey,
    text: &str,
    now: i64,
) -> Result<Result<usize, AnchorError>, StoreError> {
    let mut tx = B::write(pool).await?;
    B::hold_person(&mut tx, uid, now).await?;
    let count = B::count(&mut tx, uid).await?;
    let kept = kept_texts::<B>(&mut tx, uid, key).await?;
    if let Err(error) = room_for_one(count, kept.iter().any(|kept| kept == text)) {
        return Ok(Err(error));
    }
    keep::<B>(&mut tx, uid, key, text, now).await?;
    tx.commit().await?;
    Ok(Ok(len(count) + 1))
}

/// Append `text` to the person's list, sealed with their key for its row.
async fn keep<B: Anchors>(
    conn: &mut steady_sql::Conn<B>,
    uid: i64,
    key: &PersonKey,
    text: &str,
    now: i64,
) -> Result<(), StoreError> {
    let id = B::insert(conn, uid, now).await?;
    B::fill(conn, id, &seal::seal(key, uid, ANCHOR, id, text)).await?;
    Ok(())
}

/// The words of the person's anchors, as far as they can be read: sealed
/// texts differ even for the same words, so duplicates are found here.
async fn kept_texts<B: Anchors>(
    conn: &mut steady_sql::Conn<B>,
    uid: i64,
    key: &PersonKey,
) -> Result<Vec<String>, StoreError> {
    let most = i64::try_from(MAX_ANCHORS).unwrap_or(i64::MAX);
    let rows = B::list(conn, uid, most).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| open(Some(key), uid, row).text)
        .collect())
}

/// [`Store::next_anchor`], the person held so two rotations at once do not
/// both send the same anchor.
async fn next<B: Anchors>(pool: &Pool<B>, uid: i64) -> Result<Option<rows::Anchor>, StoreError> {
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
    key: &PersonKey,
    texts: &[String],
    now: i64,
) -> Result<usize, StoreError> {
    let mut tx = B::write(pool).await?;
    B::hold_person(&mut tx, uid, now).await?;
    let mut room = MAX_ANCHORS.saturating_sub(len(B::count(&mut tx, uid).await?));
    let mut kept = kept_texts::<B>(&mut tx, uid, key).await?;
    let mut added = 0;
    for text in texts {
        if room == 0 {
            break;
        }
        if kept.contains(text) {
            continue;
        }
        keep::<B>(&mut tx, uid, key, text, now).await?;
        kept.push(text.clone());
        added += 1;
        room -= 1;
    }
    tx.commit().await?;
    Ok(added)
}

/// [`Store::seal_plain_anchors`]'s batch, in one transaction.
async fn seal_all<B: Anchors>(pool: &Pool<B>, batch: &[(i64, Vec<u8>)]) -> Result<u64, StoreError> {
    let mut tx = B::write(pool).await?;
    let mut sealed = 0;
    for (id, text) in batch {
        sealed += u64::from(B::seal(&mut tx, *id, text).await?);
    }
    tx.commit().await?;
    Ok(sealed)
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
