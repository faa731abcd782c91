//! Daily check-ins (`steady::store::checkins` says what each means).

use sqlx::{PgConnection, PgPool};

/// A check-in as stored, as `get` returns it.
pub struct Stored {
    pub local_minute: i64,
    pub zone: String,
    pub next_due: Option<i64>,
    pub paused_at: Option<i64>,
    pub paused_why: Option<String>,
}

/// Turn the check-in on (or change it), clearing any pause and failure
/// count, and keep `locale` for the person; their `users` row must exist.
pub async fn set(
    tx: &mut PgConnection,
    user_id: i64,
    local_minute: i64,
    zone: &str,
    next_due: i64,
    now: i64,
    locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO checkins (user_id, local_minute, zone, next_due, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET
             local_minute = excluded.local_minute, zone = excluded.zone,
             next_due = excluded.next_due, failures = 0, paused_at = NULL,
             paused_why = NULL, pause_told = FALSE, updated_at = excluded.updated_at",
        user_id,
        local_minute,
        zone,
        next_due,
        now
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE users SET locale = $1 WHERE user_id = $2",
        locale,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn get(pool: &PgPool, user_id: i64) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as!(
        Stored,
        "SELECT local_minute, zone, next_due, paused_at, paused_why
         FROM checkins WHERE user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await
}

/// Delete the check-in: whether there was one.
pub async fn stop(pool: &PgPool, user_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM checkins WHERE user_id = $1", user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Pause the check-in: whether there was one.
pub async fn pause(
    pool: &PgPool,
    user_id: i64,
    now: i64,
    why: &str,
    told: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE checkins SET next_due = NULL, paused_at = $1, paused_why = $2,
             pause_told = $3, updated_at = $1
         WHERE user_id = $4",
        now,
        why,
        told,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Bring a running check-in forward to `until`: its next instant, if running.
pub async fn snooze(pool: &PgPool, user_id: i64, until: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE checkins SET next_due = LEAST(next_due, $1), updated_at = $1
           WHERE user_id = $2 AND next_due IS NOT NULL
           RETURNING next_due AS "next_due!""#,
        until,
        user_id
    )
    .fetch_optional(pool)
    .await
}

/// The pause not yet told, marked told: (paused_at, paused_why).
pub async fn take_pause_notice(
    pool: &PgPool,
    user_id: i64,
) -> Result<Option<(Option<i64>, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        "UPDATE checkins SET pause_told = TRUE
         WHERE user_id = $1 AND paused_at IS NOT NULL AND NOT pause_told
         RETURNING paused_at, paused_why",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.paused_at, row.paused_why)))
}
