//! "Wait with me" and its urge taps. SQLite takes no row locks: the write
//! transaction's lock on the whole database keeps a tap and the end of its
//! wait apart.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::waits::{NewWait, Urge, Wait};
use steady_sql::{Result, Waits};

impl Waits for Sqlite {
    async fn start(conn: &mut SqliteConnection, user_id: i64, wait: &NewWait<'_>) -> Result<()> {
        sqlx::query!(
            "INSERT INTO waits (user_id, started_at, minutes, ends_at, due, urge_before,
                                private, locale, application_id, token)
             VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET
                 started_at = excluded.started_at, minutes = excluded.minutes,
                 ends_at = excluded.ends_at, due = excluded.due, urge_before = NULL,
                 private = excluded.private, locale = excluded.locale,
                 application_id = excluded.application_id, token = excluded.token,
                 draft_id = CASE WHEN waits.due IS NOT NULL THEN waits.draft_id END",
            user_id,
            wait.started_at,
            wait.minutes,
            wait.ends_at,
            wait.due,
            wait.private,
            wait.locale,
            wait.application_id,
            wait.token
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn wait(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<Wait>> {
        sqlx::query_as!(
            Wait,
            r#"SELECT started_at, minutes, ends_at, due, urge_before, private AS "private: bool",
                      locale, application_id, token
               FROM waits WHERE user_id = ?"#,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn urge_before(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE waits SET urge_before = ?
             WHERE user_id = ? AND started_at = ? AND due IS NOT NULL",
            urge,
            user_id,
            started_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn end(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
    ) -> Result<Option<Option<i64>>> {
        sqlx::query_scalar!(
            r#"DELETE FROM waits WHERE user_id = ? AND started_at = ?
               RETURNING urge_before AS "urge_before?: i64""#,
            user_id,
            started_at
        )
        .fetch_optional(conn)
        .await
    }

    async fn keep_first_tap(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        before: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO urges (user_id, started_at, before)
             SELECT user_id, ?, ? FROM users WHERE user_id = ? AND mood_history
             ON CONFLICT (user_id, started_at) DO NOTHING",
            started_at,
            before,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn extend(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        minutes: i64,
        until: i64,
        application_id: Option<i64>,
        token: Option<&str>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE waits SET minutes = ?, ends_at = ?, due = ?, application_id = ?, token = ?
             WHERE user_id = ? AND started_at = ?",
            minutes,
            until,
            until,
            application_id,
            token,
            user_id,
            started_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn urge_after(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO urges (user_id, started_at, before, after)
             SELECT u.user_id, ?,
                    (SELECT urge_before FROM waits WHERE user_id = ? AND started_at = ?), ?
             FROM users u WHERE u.user_id = ? AND u.mood_history
             ON CONFLICT (user_id, started_at) DO UPDATE SET after = excluded.after",
            started_at,
            user_id,
            started_at,
            urge,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn draft(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
    ) -> Result<Option<i64>> {
        let draft = sqlx::query_scalar!(
            r#"SELECT w.draft_id AS "draft_id?"
               FROM waits w JOIN journal j ON j.id = w.draft_id AND j.user_id = w.user_id
               WHERE w.user_id = ? AND w.started_at = ? AND w.due IS NOT NULL
                 AND j.kind = 'draft' AND j.expires_at IS NOT NULL"#,
            user_id,
            started_at
        )
        .fetch_optional(conn)
        .await?;
        Ok(draft.flatten())
    }

    async fn set_draft(
        conn: &mut SqliteConnection,
        user_id: i64,
        started_at: i64,
        draft_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE waits SET draft_id = ?
             WHERE user_id = ? AND started_at = ? AND due IS NOT NULL",
            draft_id,
            user_id,
            started_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn draft_ends(
        conn: &mut SqliteConnection,
        user_id: i64,
        draft_id: i64,
        expires_at: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE journal SET expires_at = ?
             WHERE id = ? AND user_id = ? AND kind = 'draft' AND expires_at IS NOT NULL",
            expires_at,
            draft_id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn urges(conn: &mut SqliteConnection, user_id: i64, count: i64) -> Result<Vec<Urge>> {
        sqlx::query_as!(
            Urge,
            "SELECT started_at, before, after FROM urges
             WHERE user_id = ? AND before IS NOT NULL AND after IS NOT NULL
             ORDER BY started_at DESC LIMIT ?",
            user_id,
            count
        )
        .fetch_all(conn)
        .await
    }
}
