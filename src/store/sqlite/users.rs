//! The `users` row every personal row hangs off, and what it caches.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::{Result, Users};

impl Users for Sqlite {
    async fn dm_channel(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<i64>> {
        let channel =
            sqlx::query_scalar!("SELECT dm_channel_id FROM users WHERE user_id = ?", user_id)
                .fetch_optional(conn)
                .await?;
        Ok(channel.flatten())
    }

    async fn knows(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let known = sqlx::query_scalar!(
            "SELECT 1 AS \"known!: i64\" FROM users WHERE user_id = ?
             UNION ALL SELECT 1 FROM waits WHERE user_id = ?",
            user_id,
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(known.is_some())
    }

    async fn remember_dm_channel(
        conn: &mut SqliteConnection,
        user_id: i64,
        channel: i64,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET dm_channel_id = ? WHERE user_id = ?",
            channel,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn locale_differs(
        conn: &mut SqliteConnection,
        user_id: i64,
        locale: &str,
    ) -> Result<bool> {
        let differs = sqlx::query_scalar!(
            "SELECT 1 AS \"differs!: i64\" FROM users WHERE user_id = ? AND locale IS NOT ?",
            user_id,
            locale
        )
        .fetch_optional(conn)
        .await?;
        Ok(differs.is_some())
    }

    async fn remember_locale(
        conn: &mut SqliteConnection,
        user_id: i64,
        locale: &str,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET locale = ? WHERE user_id = ? AND locale IS NOT ?",
            locale,
            user_id,
            locale
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
