//! The counts of who joined a daily post, as the scheduler claims them.

use super::super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::due::counts::DueCount;
use steady_sql::{DueCounts, Result};

impl DueCounts for Sqlite {
    async fn claim_counts(
        conn: &mut SqliteConnection,
        now: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<DueCount>> {
        sqlx::query_as!(
            DueCount,
            r#"UPDATE rituals SET shown = joined, shown_at = ?
           WHERE guild_id IN (
               SELECT guild_id FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
                 AND (shown_at IS NULL OR shown_at <= ?)
               LIMIT ?)
           RETURNING guild_id, COALESCE(post_channel, channel_id) AS "channel_id!: i64",
                     message_id AS "message_id!", joined,
                     COALESCE(post_minute, local_minute) AS "local_minute!: i64",
                     COALESCE(post_locale, locale) AS "locale!: String""#,
            now,
            since,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn unclaim_count(
        conn: &mut SqliteConnection,
        guild_id: i64,
        message_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE rituals SET shown = 0 WHERE guild_id = ? AND message_id = ?",
            guild_id,
            message_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn next_count(conn: &mut SqliteConnection, every: i64) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(COALESCE(shown_at + ?, 0)) AS "at: i64" FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown"#,
            every
        )
        .fetch_one(conn)
        .await
    }
}
