//! A person's anchors. Every query names the user id, so one person can
//! never reach another's.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::anchors::{Anchor, Plain};
use steady_sql::{Anchors, Result};

impl Anchors for Postgres {
    async fn count(conn: &mut PgConnection, user_id: i64) -> Result<i64> {
        sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "count!" FROM anchors WHERE user_id = $1"#,
            user_id
        )
        .fetch_one(conn)
        .await
    }

    async fn insert(conn: &mut PgConnection, user_id: i64, now: i64) -> Result<i64> {
        sqlx::query_scalar!(
            "INSERT INTO anchors (user_id, sealed, position, created_at)
         SELECT $1, '', COALESCE(MAX(position), 0) + 1, $2 FROM anchors WHERE user_id = $1
         RETURNING id",
            user_id,
            now
        )
        .fetch_one(conn)
        .await
    }

    async fn fill(conn: &mut PgConnection, id: i64, sealed: &[u8]) -> Result<()> {
        sqlx::query!("UPDATE anchors SET sealed = $1 WHERE id = $2", sealed, id)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn list(conn: &mut PgConnection, user_id: i64, limit: i64) -> Result<Vec<Anchor>> {
        sqlx::query_as!(
            Anchor,
            "SELECT id, text, sealed FROM anchors WHERE user_id = $1 ORDER BY position LIMIT $2",
            user_id,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn remove(conn: &mut PgConnection, user_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM anchors WHERE id = $1 AND user_id = $2",
            id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn next(conn: &mut PgConnection, user_id: i64) -> Result<Option<Anchor>> {
        // Anchors after the last sent sort first (false < true), then the
        // wrap-around; a removed last anchor counts as "before the first".
        sqlx::query_as!(
            Anchor,
            "SELECT id, text, sealed FROM anchors WHERE user_id = $1
         ORDER BY position <= COALESCE((
             SELECT prev.position FROM users u
             JOIN anchors prev ON prev.id = u.last_anchor_id AND prev.user_id = u.user_id
             WHERE u.user_id = $1
         ), -1), position
         LIMIT 1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn set_last(conn: &mut PgConnection, user_id: i64, id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET last_anchor_id = $1 WHERE user_id = $2",
            id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn plain(conn: &mut PgConnection, limit: i64) -> Result<Vec<Plain>> {
        sqlx::query_as!(
            Plain,
            r#"SELECT id, user_id, text AS "text!" FROM anchors
               WHERE text IS NOT NULL ORDER BY id LIMIT $1"#,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn seal(conn: &mut PgConnection, id: i64, sealed: &[u8]) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE anchors SET sealed = $1, text = NULL WHERE id = $2 AND text IS NOT NULL",
            sealed,
            id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn any_sealed(conn: &mut PgConnection) -> Result<bool> {
        sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM anchors WHERE sealed IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM journal) AS "any!""#
        )
        .fetch_one(conn)
        .await
    }
}
