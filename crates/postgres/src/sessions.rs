//! Running exercises (`steady::store::sessions` says what each means).

use sqlx::PgPool;

/// A session row, as `take_unfinished` returns it.
pub struct Unfinished {
    pub interaction_id: i64,
    pub user_id: i64,
    pub application_id: i64,
    pub token: String,
    pub started_at: i64,
    pub locale: String,
}

/// Insert the session unless its person has one on another process (one of
/// `owner`'s own has ended): whether it was written.
#[allow(clippy::too_many_arguments)]
pub async fn begin(
    pool: &PgPool,
    interaction_id: i64,
    user_id: i64,
    application_id: i64,
    token: &str,
    started_at: i64,
    locale: &str,
    owner: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO sessions
             (interaction_id, user_id, application_id, token, started_at, locale, owner, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $5)
         ON CONFLICT (user_id) DO UPDATE SET
             interaction_id = excluded.interaction_id,
             application_id = excluded.application_id, token = excluded.token,
             started_at = excluded.started_at, locale = excluded.locale,
             stop_requested = FALSE, seen_at = excluded.seen_at
         WHERE sessions.owner = excluded.owner",
        interaction_id,
        user_id,
        application_id,
        token,
        started_at,
        locale,
        owner
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn end(pool: &PgPool, interaction_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM sessions WHERE interaction_id = $1",
        interaction_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn request_stop(
    pool: &PgPool,
    user_id: i64,
    interaction_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE sessions SET stop_requested = TRUE
         WHERE user_id = $1 AND ($2::BIGINT IS NULL OR interaction_id = $2)",
        user_id,
        interaction_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// (interaction, stop asked) of each of `owner`'s sessions, marked seen.
pub async fn seen(pool: &PgPool, owner: &str, now: i64) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let rows = sqlx::query!(
        "UPDATE sessions SET seen_at = $1 WHERE owner = $2
         RETURNING interaction_id, stop_requested",
        now,
        owner
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.interaction_id, row.stop_requested))
        .collect())
}

pub async fn take_unfinished(
    pool: &PgPool,
    owner: Option<&str>,
    stale_before: i64,
) -> Result<Vec<Unfinished>, sqlx::Error> {
    sqlx::query_as!(
        Unfinished,
        "DELETE FROM sessions WHERE owner = $1 OR seen_at < $2
         RETURNING interaction_id, user_id, application_id, token, started_at, locale",
        owner,
        stale_before
    )
    .fetch_all(pool)
    .await
}
