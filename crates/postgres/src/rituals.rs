//! A server's daily moment and the count on its post
//! (`steady::store::rituals` says what each means).

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::rituals::{Moment, Post};
use steady_sql::{Result, Rituals};

impl Rituals for Postgres {
    async fn set(
        conn: &mut PgConnection,
        guild_id: i64,
        moment: &Moment,
        updated_at: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO rituals (guild_id, channel_id, local_minute, zone, pattern, locale,
                              next_due, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (guild_id) DO UPDATE SET
             channel_id = EXCLUDED.channel_id, local_minute = EXCLUDED.local_minute,
             zone = EXCLUDED.zone, pattern = EXCLUDED.pattern, locale = EXCLUDED.locale,
             next_due = EXCLUDED.next_due, updated_at = EXCLUDED.updated_at",
            guild_id,
            moment.channel_id,
            moment.local_minute,
            moment.zone,
            moment.pattern,
            moment.locale,
            moment.next_due,
            updated_at
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn get(conn: &mut PgConnection, guild_id: i64) -> Result<Option<Moment>> {
        sqlx::query_as!(
            Moment,
            "SELECT channel_id, local_minute, zone, pattern, locale, next_due
         FROM rituals WHERE guild_id = $1",
            guild_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop(conn: &mut PgConnection, guild_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = $1", guild_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn posted(conn: &mut PgConnection, guild_id: i64, post: &Post<'_>) -> Result<()> {
        sqlx::query!(
            "WITH gone AS (DELETE FROM ritual_joins WHERE guild_id = $1 AND message_id <> $2)
         UPDATE rituals SET message_id = $2, post_channel = $3, post_minute = $4,
                            post_locale = $5, joined = 0, shown = 0, shown_at = NULL
         WHERE guild_id = $1",
            guild_id,
            post.message_id,
            post.channel_id,
            post.local_minute,
            post.locale
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The post's row is held first, before the join is written (the
    /// order of `steady_sql::Backend`): two presses at once take turns,
    /// and the second counts nothing. A post made meanwhile, or the moment
    /// stopped or forgotten, is waited for and then seen, and nothing is
    /// counted.
    async fn joined(
        conn: &mut PgConnection,
        guild_id: i64,
        message_id: i64,
        user_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "WITH post AS (
             SELECT guild_id FROM rituals WHERE guild_id = $1 AND message_id = $2
             FOR NO KEY UPDATE),
         counted AS (
             INSERT INTO ritual_joins (guild_id, message_id, user_id)
             SELECT guild_id, $2, $3 FROM post
             ON CONFLICT DO NOTHING
             RETURNING guild_id)
         UPDATE rituals SET joined = joined + 1
         WHERE guild_id IN (SELECT guild_id FROM counted) AND message_id = $2",
            guild_id,
            message_id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
