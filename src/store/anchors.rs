//! A person's anchors: kept, listed, found, removed, and sent in rotation.
//! Every query names the user id, so one person can never reach another's.

use super::{db_id, ensure_user, Store, StoreError};
use crate::anchors::{clean, AnchorError, MAX_ANCHORS};
use sqlx::SqliteConnection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub text: String,
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
        let mut tx = self.write().await?;
        ensure_user(&mut tx, user).await?;
        let uid = db_id(user);
        let seen = sqlx::query!(
            r#"SELECT COUNT(*) AS "count!: i64",
                      COALESCE(MAX(CASE WHEN text = ? THEN 1 ELSE 0 END), 0) AS "duplicate!: i64"
               FROM anchors WHERE user_id = ?"#,
            text,
            uid
        )
        .fetch_one(&mut *tx)
        .await?;
        let count = usize::try_from(seen.count).unwrap_or(usize::MAX);
        if seen.duplicate == 1 {
            return Ok(Err(AnchorError::Duplicate));
        }
        if count >= MAX_ANCHORS {
            return Ok(Err(AnchorError::Full));
        }
        insert(&mut tx, user, &text).await?;
        tx.commit().await?;
        Ok(Ok(count + 1))
    }

    /// The person's anchors in their order.
    pub async fn anchors(&self, user: u64) -> Result<Vec<Anchor>, StoreError> {
        let uid = db_id(user);
        let anchors = sqlx::query_as!(
            Anchor,
            r#"SELECT id AS "id!", text FROM anchors WHERE user_id = ? ORDER BY position"#,
            uid
        )
        .fetch_all(self.pool())
        .await?;
        Ok(anchors)
    }

    /// Anchors whose text contains `needle` ignoring case, in order, at most
    /// `limit`: for autocomplete.
    pub async fn find_anchors(
        &self,
        user: u64,
        needle: &str,
        limit: usize,
    ) -> Result<Vec<Anchor>, StoreError> {
        // Matched here rather than with SQL LIKE: SQLite folds only ASCII case
        // (Postgres none), and a person has at most MAX_ANCHORS to look through.
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
        let done = sqlx::query!("DELETE FROM anchors WHERE id = ? AND user_id = ?", id, uid)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The next anchor to send: the one after the last sent, in order,
    /// wrapping to the first, so with two or more it never repeats twice in a
    /// row. Records it as the last sent. None if they have none.
    pub async fn next_anchor(&self, user: u64) -> Result<Option<Anchor>, StoreError> {
        let mut tx = self.write().await?;
        // Anchors after the last sent sort first (false < true), then the
        // wrap-around; a removed last anchor counts as "before the first".
        let uid = db_id(user);
        let next = sqlx::query_as!(
            Anchor,
            r#"SELECT id AS "id!", text FROM anchors WHERE user_id = ?
               ORDER BY position <= COALESCE((
                   SELECT prev.position FROM users u
                   JOIN anchors prev ON prev.id = u.last_anchor_id AND prev.user_id = u.user_id
                   WHERE u.user_id = ?
               ), -1), position
               LIMIT 1"#,
            uid,
            uid
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(anchor) = &next {
            sqlx::query!(
                "UPDATE users SET last_anchor_id = ? WHERE user_id = ?",
                anchor.id,
                uid
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(next)
    }

    /// Add the given (already clean) starter texts, skipping ones already
    /// present and stopping at MAX_ANCHORS; returns how many were added.
    pub async fn add_anchors(&self, user: u64, texts: &[String]) -> Result<usize, StoreError> {
        if texts.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write().await?;
        ensure_user(&mut tx, user).await?;
        let uid = db_id(user);
        let count = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "count!: i64" FROM anchors WHERE user_id = ?"#,
            uid
        )
        .fetch_one(&mut *tx)
        .await?;
        let mut room = MAX_ANCHORS.saturating_sub(usize::try_from(count).unwrap_or(usize::MAX));
        let mut added = 0;
        for text in texts {
            if room == 0 {
                break;
            }
            if insert(&mut tx, user, text).await? {
                added += 1;
                room -= 1;
            }
        }
        tx.commit().await?;
        Ok(added)
    }
}

/// Append `text` to the person's list; false if they already have it.
async fn insert(tx: &mut SqliteConnection, user: u64, text: &str) -> Result<bool, StoreError> {
    let (uid, now) = (db_id(user), chrono::Utc::now().timestamp());
    let done = sqlx::query!(
        "INSERT INTO anchors (user_id, text, position, created_at)
         SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ? FROM anchors WHERE user_id = ?
         ON CONFLICT (user_id, text) DO NOTHING",
        uid,
        text,
        now,
        uid
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
