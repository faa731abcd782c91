//! A server's daily moment and who joined its latest post, by guild id.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::rituals::{Moment, Post};
use steady_sql::{Result, Rituals};

impl Rituals for Sqlite {
    async fn set(
        conn: &mut SqliteConnection,
        guild_id: i64,
        moment: &Moment,
        updated_at: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO rituals (guild_id, channel_id, local_minute, zone, pattern, locale,
                                  next_due, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id, local_minute = excluded.local_minute,
                 zone = excluded.zone, pattern = excluded.pattern, locale = excluded.locale,
                 next_due = excluded.next_due, updated_at = excluded.updated_at",
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

    async fn get(conn: &mut SqliteConnection, guild_id: i64) -> Result<Option<Moment>> {
        sqlx::query_as!(
            Moment,
            "SELECT channel_id, local_minute, zone, pattern, locale, next_due
             FROM rituals WHERE guild_id = ?",
            guild_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop(conn: &mut SqliteConnection, guild_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = ?", guild_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn posted(conn: &mut SqliteConnection, guild_id: i64, post: &Post<'_>) -> Result<()> {
        sqlx::query!(
            "UPDATE rituals SET message_id = ?, post_channel = ?, post_minute = ?,
                                post_locale = ?, joined = 0, shown = 0, shown_at = NULL
             WHERE guild_id = ?",
            post.message_id,
            post.channel_id,
            post.local_minute,
            post.locale,
            guild_id
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "DELETE FROM ritual_joins WHERE guild_id = ? AND message_id <> ?",
            guild_id,
            post.message_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn joined(
        conn: &mut SqliteConnection,
        guild_id: i64,
        message_id: i64,
        user_id: i64,
    ) -> Result<bool> {
        let counted = sqlx::query!(
            "INSERT INTO ritual_joins (guild_id, message_id, user_id)
             SELECT guild_id, message_id, ? FROM rituals WHERE guild_id = ? AND message_id = ?
             ON CONFLICT DO NOTHING",
            user_id,
            guild_id,
            message_id
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if counted {
            sqlx::query!(
                "UPDATE rituals SET joined = joined + 1 WHERE guild_id = ?",
                guild_id
            )
            .execute(conn)
            .await?;
        }
        Ok(counted)
    }
}
