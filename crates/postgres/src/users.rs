//! The `users` row every personal row hangs off, and what it caches.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::{Result, Users};

impl Users for Postgres {
    async fn dm_channel(conn: &mut PgConnection, user_id: i64) -> Result<Option<i64>> {
        let channel = sqlx::query_scalar!(
            "SELECT dm_channel_id FROM users WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(channel.flatten())
    }

    async fn knows(conn: &mut PgConnection, user_id: i64) -> Result<bool> {
        let known = sqlx::query_scalar!(
            r#"SELECT 1 AS "known!" FROM users WHERE user_id = $1
           UNION ALL SELECT 1 FROM waits WHERE user_id = $1"#,
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(known.is_some())
    }

    async fn remember_dm_channel(
        conn: &mut PgConnection,
        user_id: i64,
        channel: i64,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET dm_channel_id = $1 WHERE user_id = $2",
            channel,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn locale_differs(conn: &mut PgConnection, user_id: i64, locale: &str) -> Result<bool> {
        let differs = sqlx::query_scalar!(
            r#"SELECT 1 AS "differs!" FROM users
               WHERE user_id = $1 AND locale IS DISTINCT FROM $2"#,
            user_id,
            locale
        )
        .fetch_optional(conn)
        .await?;
        Ok(differs.is_some())
    }

    async fn remember_locale(conn: &mut PgConnection, user_id: i64, locale: &str) -> Result<()> {
        sqlx::query!(
            "UPDATE users SET locale = $1 WHERE user_id = $2 AND locale IS DISTINCT FROM $1",
            locale,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
