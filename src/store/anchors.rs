//! A person's anchors: kept, listed, found, removed, and sent in rotation.
//! Every query names the user id, so one person can never reach another's.

use super::{db_id, ensure_user, ensure_user_pg, pg, write, write_pg, Db, Store, StoreError};
use crate::anchors::{clean, AnchorError, MAX_ANCHORS};
use sqlx::{PgPool, SqliteConnection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub text: String,
}

impl From<pg::anchors::Anchor> for Anchor {
    fn from(row: pg::anchors::Anchor) -> Anchor {
        Anchor {
            id: row.id,
            text: row.text,
        }
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
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return add_anchor_pg(pool, user, &text).await;
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
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
        if let Err(error) = room_for_one(seen.count, seen.duplicate == 1) {
            return Ok(Err(error));
        }
        insert(&mut tx, user, &text).await?;
        tx.commit().await?;
        Ok(Ok(len(seen.count) + 1))
    }

    /// The person's anchors in their order: at most [`MAX_ANCHORS`] rows,
    /// the most an add lets in, so no read (an autocomplete keystroke among
    /// them) is longer whatever the table holds.
    pub async fn anchors(&self, user: u64) -> Result<Vec<Anchor>, StoreError> {
        let (uid, most) = (db_id(user), i64::try_from(MAX_ANCHORS).unwrap_or(i64::MAX));
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                let rows = pg::anchors::list(pool, uid, most).await?;
                return Ok(rows.into_iter().map(Anchor::from).collect());
            }
        };
        let anchors = sqlx::query_as!(
            Anchor,
            r#"SELECT id AS "id!", text FROM anchors WHERE user_id = ?
               ORDER BY position LIMIT ?"#,
            uid,
            most
        )
        .fetch_all(pool)
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
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::anchors::remove(pool, uid, id).await?),
        };
        let done = sqlx::query!("DELETE FROM anchors WHERE id = ? AND user_id = ?", id, uid)
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The next anchor to send: the one after the last sent, in order,
    /// wrapping to the first, so with two or more it never repeats twice in a
    /// row. Records it as the last sent. None if they have none.
    pub async fn next_anchor(&self, user: u64) -> Result<Option<Anchor>, StoreError> {
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return next_anchor_pg(pool, user).await;
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
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
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return add_anchors_pg(pool, user, texts).await;
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
        ensure_user(&mut tx, user).await?;
        let uid = db_id(user);
        let count = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "count!: i64" FROM anchors WHERE user_id = ?"#,
            uid
        )
        .fetch_one(&mut *tx)
        .await?;
        let mut room = MAX_ANCHORS.saturating_sub(len(count));
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

/// [`Store::add_anchor`] on PostgreSQL: the person's row stays locked from
/// the count to the commit, so adds at once cannot pass the limit.
async fn add_anchor_pg(
    pool: &PgPool,
    user: u64,
    text: &str,
) -> Result<Result<usize, AnchorError>, StoreError> {
    let mut tx = write_pg(pool).await?;
    ensure_user_pg(&mut tx, user).await?;
    let uid = db_id(user);
    let seen = pg::anchors::seen(&mut tx, uid, text).await?;
    if let Err(error) = room_for_one(seen.count, seen.duplicate) {
        return Ok(Err(error));
    }
    let now = chrono::Utc::now().timestamp();
    pg::anchors::insert(&mut tx, uid, text, now).await?;
    tx.commit().await?;
    Ok(Ok(len(seen.count) + 1))
}

/// [`Store::next_anchor`] on PostgreSQL, the person's row locked so two
/// rotations at once do not both send the same anchor.
async fn next_anchor_pg(pool: &PgPool, user: u64) -> Result<Option<Anchor>, StoreError> {
    let mut tx = write_pg(pool).await?;
    let uid = db_id(user);
    // No row, no anchors: nothing is created for a stranger.
    if !pg::anchors::lock_person(&mut tx, uid).await? {
        return Ok(None);
    }
    let next = pg::anchors::next(&mut tx, uid).await?;
    if let Some(anchor) = &next {
        pg::anchors::set_last(&mut tx, uid, anchor.id).await?;
    }
    tx.commit().await?;
    Ok(next.map(Anchor::from))
}

/// [`Store::add_anchors`] on PostgreSQL, the person's row locked throughout.
async fn add_anchors_pg(pool: &PgPool, user: u64, texts: &[String]) -> Result<usize, StoreError> {
    let mut tx = write_pg(pool).await?;
    ensure_user_pg(&mut tx, user).await?;
    let uid = db_id(user);
    let mut room = MAX_ANCHORS.saturating_sub(len(pg::anchors::count(&mut tx, uid).await?));
    let now = chrono::Utc::now().timestamp();
    let mut added = 0;
    for text in texts {
        if room == 0 {
            break;
        }
        if pg::anchors::insert(&mut tx, uid, text, now).await? {
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
