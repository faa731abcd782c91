//! Daily check-ins (`steady::store::checkins` says what each means).

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::checkins::{Paused, Stored};
use steady_sql::Checkins;

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

    async fn pause_untold(conn: &mut PgConnection, user_id: i64) -> Result<bool, sqlx::Error> {
        let untold = sqlx::query_scalar!(
            r#"SELECT 1 AS "untold!" FROM checkins
               WHERE user_id = $1 AND paused_at IS NOT NULL AND NOT pause_told"#,
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(untold.is_some())
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
