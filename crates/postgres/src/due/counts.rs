//! The counts of who joined a daily post, as the scheduler claims them.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::due::counts::DueCount;
use steady_sql::{DueCounts, Result};

impl DueCounts for Postgres {
    async fn claim_counts(
        conn: &mut PgConnection,
        now: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<DueCount>> {
        sqlx::query_as!(
            DueCount,
            r#"UPDATE rituals SET shown = joined, shown_at = $1
           WHERE guild_id IN (
               SELECT guild_id FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
                 AND (shown_at IS NULL OR shown_at <= $2)
               LIMIT $3
               FOR UPDATE SKIP LOCKED)
           RETURNING guild_id, COALESCE(post_channel, channel_id) AS "channel_id!",
                     message_id AS "message_id!", joined,
                     COALESCE(post_minute, local_minute) AS "local_minute!",
                     COALESCE(post_locale, locale) AS "locale!""#,
            now,
            since,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn unclaim_count(
        conn: &mut PgConnection,
        guild_id: i64,
        message_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE rituals SET shown = 0 WHERE guild_id = $1 AND message_id = $2",
            guild_id,
            message_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn next_count(conn: &mut PgConnection, every: i64) -> Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"SELECT MIN(COALESCE(shown_at + $1, 0)) AS "at" FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown"#,
            every
        )
        .fetch_one(conn)
        .await
    }
}
