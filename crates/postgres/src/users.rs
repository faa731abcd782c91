//! The `users` row every personal row hangs off, and what it caches.

use sqlx::{PgConnection, PgPool};

pub async fn dm_channel(pool: &PgPool, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let channel = sqlx::query_scalar!(
        "SELECT dm_channel_id FROM users WHERE user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(channel.flatten())
}

pub async fn knows(pool: &PgPool, user_id: i64) -> Result<bool, sqlx::Error> {
    let known = sqlx::query_scalar!(
        r#"SELECT 1 AS "known!" FROM users WHERE user_id = $1
           UNION ALL SELECT 1 FROM waits WHERE user_id = $1"#,
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(known.is_some())
}

pub async fn remember_dm_channel(
    pool: &PgPool,
    user_id: i64,
    channel: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET dm_channel_id = $1 WHERE user_id = $2",
        channel,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn remember_locale(pool: &PgPool, user_id: i64, locale: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET locale = $1 WHERE user_id = $2 AND locale IS DISTINCT FROM $1",
        locale,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Create the person's row if it is not there yet, and hold it locked until
/// the transaction ends: PostgreSQL's stand-in for SQLite's `BEGIN
/// IMMEDIATE`, so a count-then-insert for one person cannot race another.
/// One statement: an insert then a `SELECT … FOR UPDATE` would find no row
/// if a delete of the person committed between them. The no-op update
/// locks an existing row (keeping its `created_at`), and waits for a delete
/// under way, then inserts anew.
pub async fn ensure_and_lock(
    tx: &mut PgConnection,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO users (user_id, created_at) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id",
        user_id,
        now
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
