//! "Wait with me" and its urge taps (`steady::store::waits` says what each
//! means).
//!
//! Urge taps are written only for someone whose `users` row says they keep
//! a mood history; each such write locks that row `FOR SHARE`, so turning
//! the history off (an update of the row, then a delete of their taps)
//! either waits for the tap and deletes it, or is seen and nothing is kept.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::waits::{NewWait, Urge, Wait};
use steady_sql::Waits;

impl Waits for Postgres {
    async fn start(
        conn: &mut PgConnection,
        user_id: i64,
        wait: &NewWait<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "INSERT INTO waits (user_id, started_at, minutes, ends_at, due, urge_before,
                            private, locale, application_id, token)
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9)
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

    async fn wait(conn: &mut PgConnection, user_id: i64) -> Result<Option<Wait>, sqlx::Error> {
        sqlx::query_as!(
            Wait,
            "SELECT started_at, minutes, ends_at, due, urge_before, private,
                locale, application_id, token
         FROM waits WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn urge_before(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            "UPDATE waits SET urge_before = $1
         WHERE user_id = $2 AND started_at = $3 AND due IS NOT NULL",
            urge,
            user_id,
            started_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn end(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
    ) -> Result<Option<Option<i64>>, sqlx::Error> {
        sqlx::query_scalar!(
            "DELETE FROM waits WHERE user_id = $1 AND started_at = $2 RETURNING urge_before",
            user_id,
            started_at
        )
        .fetch_optional(conn)
        .await
    }

    async fn keep_first_tap(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        before: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "INSERT INTO urges (user_id, started_at, before)
         SELECT user_id, $2, $3 FROM users WHERE user_id = $1 AND mood_history
         FOR SHARE
         ON CONFLICT (user_id, started_at) DO NOTHING",
            user_id,
            started_at,
            before
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn extend(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        minutes: i64,
        until: i64,
        application_id: Option<i64>,
        token: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            "UPDATE waits SET minutes = $1, ends_at = $2, due = $2, application_id = $3, token = $4
         WHERE user_id = $5 AND started_at = $6",
            minutes,
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
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            "INSERT INTO urges (user_id, started_at, before, after)
         SELECT u.user_id, $2,
                (SELECT urge_before FROM waits WHERE user_id = $1 AND started_at = $2), $3
         FROM users u WHERE u.user_id = $1 AND u.mood_history
         FOR SHARE
         ON CONFLICT (user_id, started_at) DO UPDATE SET after = excluded.after",
            user_id,
            started_at,
            urge
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn draft(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let draft = sqlx::query_scalar!(
            r#"SELECT w.draft_id AS "draft_id?"
               FROM waits w JOIN journal j ON j.id = w.draft_id AND j.user_id = w.user_id
               WHERE w.user_id = $1 AND w.started_at = $2 AND w.due IS NOT NULL
                 AND j.kind = 'draft' AND j.expires_at IS NOT NULL"#,
            user_id,
            started_at
        )
        .fetch_optional(conn)
        .await?;
        Ok(draft.flatten())
    }

    async fn set_draft(
        conn: &mut PgConnection,
        user_id: i64,
        started_at: i64,
        draft_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            "UPDATE waits SET draft_id = $1
             WHERE user_id = $2 AND started_at = $3 AND due IS NOT NULL",
            draft_id,
            user_id,
            started_at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn draft_ends(
        conn: &mut PgConnection,
        user_id: i64,
        draft_id: i64,
        expires_at: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query!(
            "UPDATE journal SET expires_at = $1
             WHERE id = $2 AND user_id = $3 AND kind = 'draft' AND expires_at IS NOT NULL",
            expires_at,
            draft_id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn urges(
        conn: &mut PgConnection,
        user_id: i64,
        count: i64,
    ) -> Result<Vec<Urge>, sqlx::Error> {
        sqlx::query_as!(
            Urge,
            "SELECT started_at, before, after FROM urges
         WHERE user_id = $1 AND before IS NOT NULL AND after IS NOT NULL
         ORDER BY started_at DESC LIMIT $2",
            user_id,
            count
        )
        .fetch_all(conn)
        .await
    }
}
