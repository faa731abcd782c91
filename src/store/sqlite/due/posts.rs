//! Servers' daily posts as the scheduler claims them.

use super::super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::due::posts::DuePost;
use steady_sql::{DuePosts, Result};

impl DuePosts for Sqlite {
    async fn due_posts(conn: &mut SqliteConnection, now: i64, limit: i64) -> Result<Vec<DuePost>> {
        sqlx::query_as!(
            DuePost,
            r#"SELECT guild_id, channel_id, local_minute, zone, pattern, locale,
                  next_due AS "next_due!", acted_at
           FROM rituals WHERE next_due <= ? ORDER BY next_due LIMIT ?"#,
            now,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn halt_post(conn: &mut SqliteConnection, guild_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE rituals SET next_due = NULL WHERE guild_id = ?",
            guild_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn move_post(
        conn: &mut SqliteConnection,
        guild_id: i64,
        from: i64,
        to: i64,
        acted: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE rituals SET next_due = ?, acted_at = ? WHERE guild_id = ? AND next_due = ?",
            to,
            acted,
            guild_id,
            from
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn post_still_claimed(
        conn: &mut SqliteConnection,
        guild_id: i64,
        next: i64,
    ) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT guild_id FROM rituals WHERE guild_id = ? AND next_due = ?",
            guild_id,
            next
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn next_post(conn: &mut SqliteConnection) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(next_due) AS "at: i64" FROM rituals WHERE next_due IS NOT NULL"#
        )
        .fetch_one(conn)
        .await
    }
}
