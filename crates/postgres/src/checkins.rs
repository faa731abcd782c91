//! Daily check-ins (`steady::store::checkins` says what each means).

use crate::Postgres;
use sqlx::{PgConnection, PgPool};
use steady_sql::checkins::{Paused, Stored};
use steady_sql::Checkins;

/// A due check-in and what sending it needs, as `due` returns it.
pub struct DueRow {
    pub user_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub next_due: i64,
    pub failures: i64,
    pub dm_channel_id: Option<i64>,
    pub locale: Option<String>,
}

impl Checkins for Postgres {
    async fn set(
        conn: &mut PgConnection,
        user_id: i64,
        local_minute: i64,
        zone: &str,
        next_due: i64,
        now: i64,
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
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn get(conn: &mut PgConnection, user_id: i64) -> Result<Option<Stored>, sqlx::Error> {
        sqlx::query_as!(
            Stored,
            "SELECT local_minute, zone, next_due, paused_at, paused_why
         FROM checkins WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop(conn: &mut PgConnection, user_id: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!("DELETE FROM checkins WHERE user_id = $1", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn pause(
        conn: &mut PgConnection,
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
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn snooze(
        conn: &mut PgConnection,
        user_id: i64,
        until: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar!(
            r#"UPDATE checkins SET next_due = LEAST(next_due, $1), updated_at = $1
           WHERE user_id = $2 AND next_due IS NOT NULL
           RETURNING next_due AS "next_due!""#,
            until,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn take_pause_notice(
        conn: &mut PgConnection,
        user_id: i64,
    ) -> Result<Option<Paused>, sqlx::Error> {
        sqlx::query_as!(
            Paused,
            "UPDATE checkins SET pause_told = TRUE
         WHERE user_id = $1 AND paused_at IS NOT NULL AND NOT pause_told
         RETURNING paused_at, paused_why",
            user_id
        )
        .fetch_optional(conn)
        .await
    }
}

pub async fn next_due(pool: &PgPool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT next_due AS "next_due!" FROM checkins
           WHERE next_due IS NOT NULL ORDER BY next_due LIMIT 1"#
    )
    .fetch_optional(pool)
    .await
}

/// Move the check-in back to `due` if it is still at `next`: whether it was.
pub async fn unclaim(
    pool: &PgPool,
    user_id: i64,
    due: i64,
    next: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE checkins SET next_due = $1 WHERE user_id = $2 AND next_due = $3",
        due,
        user_id,
        next
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delivered(pool: &PgPool, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE checkins SET failures = 0 WHERE user_id = $1 AND failures > 0",
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Count a refused DM, pausing (`why`, at `now`) at `max` in a row: None
/// without a check-in, else whether it is paused.
pub async fn refused(
    pool: &PgPool,
    user_id: i64,
    max: i64,
    now: i64,
    why: &str,
) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE checkins SET
               failures = failures + 1,
               next_due = CASE WHEN failures + 1 >= $1 THEN NULL ELSE next_due END,
               paused_at = CASE WHEN failures + 1 >= $1 THEN $2 ELSE paused_at END,
               paused_why = CASE WHEN failures + 1 >= $1 THEN $3 ELSE paused_why END,
               pause_told = CASE WHEN failures + 1 >= $1 THEN FALSE ELSE pause_told END
           WHERE user_id = $4
           RETURNING next_due IS NULL AS "paused!""#,
        max,
        now,
        why,
        user_id
    )
    .fetch_optional(pool)
    .await
}

/// Up to `limit` check-ins due at `now`, earliest first, locked until the
/// transaction ends; rows another claimer holds are skipped, not waited for.
pub async fn due(tx: &mut PgConnection, now: i64, limit: i64) -> Result<Vec<DueRow>, sqlx::Error> {
    sqlx::query_as!(
        DueRow,
        r#"SELECT c.user_id, c.local_minute, c.zone, c.next_due AS "next_due!",
                  c.failures, u.dm_channel_id, u.locale
           FROM checkins c JOIN users u ON u.user_id = c.user_id
           WHERE c.next_due <= $1 ORDER BY c.next_due LIMIT $2
           FOR UPDATE OF c SKIP LOCKED"#,
        now,
        limit
    )
    .fetch_all(&mut *tx)
    .await
}

/// Pause a check-in whose row cannot be read (`why`, at `now`).
pub async fn pause_unreadable(
    tx: &mut PgConnection,
    user_id: i64,
    now: i64,
    why: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE checkins SET next_due = NULL, paused_at = $1, paused_why = $2
         WHERE user_id = $3",
        now,
        why,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Move a claimed check-in from `due` to `next`: whether this moved it.
pub async fn advance(
    tx: &mut PgConnection,
    user_id: i64,
    next: i64,
    due: i64,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query_scalar!(
        "UPDATE checkins SET next_due = $1 WHERE user_id = $2 AND next_due = $3
         RETURNING user_id",
        next,
        user_id,
        due
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(moved.is_some())
}
