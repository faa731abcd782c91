//! A person's anchors (`steady::store::anchors` says what each means). Every
//! query names the user id, so one person can never reach another's.

use sqlx::{PgConnection, PgPool};

/// An anchor row: its id and text.
pub struct Anchor {
    pub id: i64,
    pub text: String,
}

/// How many anchors the person has, and whether `text` is one of them.
pub struct Seen {
    pub count: i64,
    pub duplicate: bool,
}

pub async fn seen(tx: &mut PgConnection, user_id: i64, text: &str) -> Result<Seen, sqlx::Error> {
    sqlx::query_as!(
        Seen,
        r#"SELECT COUNT(*) AS "count!", COALESCE(BOOL_OR(text = $1), FALSE) AS "duplicate!"
           FROM anchors WHERE user_id = $2"#,
        text,
        user_id
    )
    .fetch_one(tx)
    .await
}

pub async fn count(tx: &mut PgConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!" FROM anchors WHERE user_id = $1"#,
        user_id
    )
    .fetch_one(tx)
    .await
}

/// Append `text` to the person's list; false if they already have it.
pub async fn insert(
    tx: &mut PgConnection,
    user_id: i64,
    text: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO anchors (user_id, text, position, created_at)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3 FROM anchors WHERE user_id = $1
         ON CONFLICT (user_id, text) DO NOTHING",
        user_id,
        text,
        now
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The person's first `limit` anchors in their order.
pub async fn list(pool: &PgPool, user_id: i64, limit: i64) -> Result<Vec<Anchor>, sqlx::Error> {
    sqlx::query_as!(
        Anchor,
        "SELECT id, text FROM anchors WHERE user_id = $1 ORDER BY position LIMIT $2",
        user_id,
        limit
    )
    .fetch_all(pool)
    .await
}

pub async fn remove(pool: &PgPool, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM anchors WHERE id = $1 AND user_id = $2",
        id,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lock the person's row until the transaction ends, so two rotations at
/// once take turns instead of sending the same anchor; false if steady
/// keeps nothing of them (and so no anchors).
pub async fn lock_person(tx: &mut PgConnection, user_id: i64) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        "SELECT user_id FROM users WHERE user_id = $1 FOR UPDATE",
        user_id
    )
    .fetch_optional(tx)
    .await?;
    Ok(found.is_some())
}

/// The anchor after the last sent, in order, wrapping to the first.
pub async fn next(tx: &mut PgConnection, user_id: i64) -> Result<Option<Anchor>, sqlx::Error> {
    // Anchors after the last sent sort first (false < true), then the
    // wrap-around; a removed last anchor counts as "before the first".
    sqlx::query_as!(
        Anchor,
        "SELECT id, text FROM anchors WHERE user_id = $1
         ORDER BY position <= COALESCE((
             SELECT prev.position FROM users u
             JOIN anchors prev ON prev.id = u.last_anchor_id AND prev.user_id = u.user_id
             WHERE u.user_id = $1
         ), -1), position
         LIMIT 1",
        user_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn set_last(tx: &mut PgConnection, user_id: i64, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET last_anchor_id = $1 WHERE user_id = $2",
        id,
        user_id
    )
    .execute(tx)
    .await?;
    Ok(())
}
