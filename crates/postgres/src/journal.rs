//! A person's journal. Every query but the sweep names the user id, so one
//! person can never reach another's.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::journal::Entry;
use steady_sql::{Journal, Result};

impl Journal for Postgres {
    async fn insert(
        conn: &mut PgConnection,
        user_id: i64,
        kind: &str,
        prompt: Option<&str>,
        written_at: i64,
        expires_at: Option<i64>,
    ) -> Result<i64> {
        sqlx::query_scalar!(
            r#"INSERT INTO journal (user_id, kind, prompt, written_at, expires_at, sealed)
               VALUES ($1, $2, $3, $4, $5, '')
               RETURNING id"#,
            user_id,
            kind,
            prompt,
            written_at,
            expires_at
        )
        .fetch_one(conn)
        .await
    }

    async fn fill(conn: &mut PgConnection, id: i64, sealed: &[u8]) -> Result<()> {
        sqlx::query!("UPDATE journal SET sealed = $1 WHERE id = $2", sealed, id)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn rewrite(
        conn: &mut PgConnection,
        user_id: i64,
        id: i64,
        sealed: &[u8],
        expires_at: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE journal SET sealed = $1, expires_at = $2 WHERE id = $3 AND user_id = $4",
            sealed,
            expires_at,
            id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn entry(conn: &mut PgConnection, user_id: i64, id: i64) -> Result<Option<Entry>> {
        sqlx::query_as!(
            Entry,
            r#"SELECT id, kind, prompt, written_at, expires_at, sealed
               FROM journal WHERE id = $1 AND user_id = $2"#,
            id,
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn page(
        conn: &mut PgConnection,
        user_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Entry>> {
        sqlx::query_as!(
            Entry,
            r#"SELECT id, kind, prompt, written_at, expires_at, sealed
               FROM journal WHERE user_id = $1 AND expires_at IS NULL
               ORDER BY written_at DESC, id DESC LIMIT $2 OFFSET $3"#,
            user_id,
            limit,
            offset
        )
        .fetch_all(conn)
        .await
    }

    async fn kept(conn: &mut PgConnection, user_id: i64) -> Result<i64> {
        sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "count!" FROM journal
               WHERE user_id = $1 AND expires_at IS NULL"#,
            user_id
        )
        .fetch_one(conn)
        .await
    }

    async fn set_expiry(
        conn: &mut PgConnection,
        user_id: i64,
        id: i64,
        expires_at: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE journal SET expires_at = $1 WHERE id = $2 AND user_id = $3",
            expires_at,
            id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove(conn: &mut PgConnection, user_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM journal WHERE id = $1 AND user_id = $2",
            id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn forget_expired(conn: &mut PgConnection, now: i64) -> Result<u64> {
        let done = sqlx::query!(
            "DELETE FROM journal WHERE expires_at IS NOT NULL AND expires_at <= $1",
            now
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected())
    }
}
