//! Servers' daily posts as the scheduler claims them.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::due::posts::DuePost;
use steady_sql::{DuePosts, Result};

impl DuePosts for Postgres {
    async fn due_posts(conn: &mut PgConnection, now: i64, limit: i64) -> Result<Vec<DuePost>> {
        sqlx::query_as!(
            DuePost,
            r#"SELECT guild_id, channel_id, local_minute, zone, pattern, locale,
                  next_due AS "next_due!", acted_at
           FROM rituals WHERE next_due <= $1 ORDER BY next_due LIMIT $2
           FOR UPDATE SKIP LOCKED"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn halt_post(conn: &mut PgConnection, guild_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE rituals SET next_due = NULL WHERE guild_id = $1",
            guild_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn move_post(
        conn: &mut PgConnection,
        guild_id: i64,
        from: i64,
        to: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE rituals SET next_due = $1, acted_at = $2 WHERE guild_id = $3 AND next_due = $4",
            to,
            acted,
            guild_id,
            from
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn post_still_claimed(conn: &mut PgConnection, guild_id: i64, next: i64) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT guild_id FROM rituals WHERE guild_id = $1 AND next_due = $2",
            guild_id,
            next
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_post(conn: &mut PgConnection) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(next_due) AS "at" FROM rituals WHERE next_due IS NOT NULL"#
        )
        .fetch_one(conn)
        .await
    }
}
