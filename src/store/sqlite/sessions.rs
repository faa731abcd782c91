//! Paced exercises under way, one row per person, each owned by the
//! process running it.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::sessions::Unfinished;
use steady_sql::{Result, Sessions};

impl Sessions for Sqlite {
    async fn begin(
        conn: &mut SqliteConnection,
        interaction_id: i64,
        user_id: i64,
        application_id: i64,
        token: &str,
        started_at: i64,
        locale: &str,
        owner: &str,
        seen_at: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO sessions
                 (interaction_id, user_id, application_id, token, started_at, locale, owner, seen_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
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
            owner,
            seen_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn end(conn: &mut SqliteConnection, interaction_id: i64) -> Result<()> {
        sqlx::query!(
            "DELETE FROM sessions WHERE interaction_id = ?",
            interaction_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn request_stop(
        conn: &mut SqliteConnection,
        user_id: i64,
        interaction_id: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE sessions SET stop_requested = TRUE
             WHERE user_id = ? AND (? IS NULL OR interaction_id = ?)",
            user_id,
            interaction_id,
            interaction_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn stopping(conn: &mut SqliteConnection, owner: &str) -> Result<Vec<i64>> {
        sqlx::query_scalar!(
            r#"SELECT interaction_id AS "interaction_id!" FROM sessions
               WHERE owner = ? AND stop_requested"#,
            owner
        )
        .fetch_all(conn)
        .await
    }

    async fn take_dead(
        conn: &mut SqliteConnection,
        dead: &[String],
        dead_after: i64,
    ) -> Result<Vec<Unfinished>> {
        let dead = serde_json::to_string(dead).unwrap_or_default();
        sqlx::query_as!(
            Unfinished,
            r#"DELETE FROM sessions
               WHERE owner IN (SELECT value FROM json_each(?))
                  OR (owner NOT IN (SELECT owner FROM processes)
                      AND seen_at < unixepoch() - ?)
               RETURNING interaction_id AS "interaction_id!",
                   user_id AS "user_id!", application_id AS "application_id!",
                   token AS "token!", started_at AS "started_at!", locale AS "locale!""#,
            dead,
            dead_after
        )
        .fetch_all(conn)
        .await
    }
}
