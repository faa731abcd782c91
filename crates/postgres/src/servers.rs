//! What steady keeps for a server (`steady::store::servers` says what each
//! means): its panels and its own help lines, by guild id.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::servers::{Counts, HelpLine};
use steady_sql::{Result, Servers};

impl Servers for Postgres {
    async fn panel_posted(
        conn: &mut PgConnection,
        message_id: i64,
        guild_id: i64,
        channel_id: i64,
        at: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO panels (message_id, guild_id, channel_id, posted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id) DO NOTHING",
            message_id,
            guild_id,
            channel_id,
            at
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The server's id is the key of a transaction-level advisory lock
    /// (Discord's ids are unique across kinds; a rare clash only waits).
    async fn lock_help(conn: &mut PgConnection, guild_id: i64) -> Result<()> {
        // The function returns void, which sqlx cannot decode: select a 1.
        sqlx::query!(
            r#"SELECT 1 AS "locked!" FROM pg_advisory_xact_lock($1)"#,
            guild_id
        )
        .fetch_one(conn)
        .await?;
        Ok(())
    }

    async fn insert_help(
        conn: &mut PgConnection,
        guild_id: i64,
        name: &str,
        text: &str,
        link: Option<&str>,
        at: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO server_help (guild_id, name, text, link, added_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (guild_id, lower(name)) DO NOTHING",
            guild_id,
            name,
            text,
            link,
            at
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_help(conn: &mut PgConnection, guild_id: i64, name: &str) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM server_help WHERE guild_id = $1 AND lower(name) = lower($2)",
            guild_id,
            name
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// `id` orders lines added in the same second.
    async fn help_lines(conn: &mut PgConnection, guild_id: i64) -> Result<Vec<HelpLine>> {
        sqlx::query_as!(
            HelpLine,
            "SELECT name, text, link FROM server_help WHERE guild_id = $1 ORDER BY added_at, id",
            guild_id
        )
        .fetch_all(conn)
        .await
    }

    async fn counts(conn: &mut PgConnection, guild_id: i64) -> Result<Counts> {
        sqlx::query_as!(
            Counts,
            r#"SELECT (SELECT COUNT(*) FROM panels WHERE guild_id = $1) AS "panels!",
                  (SELECT COUNT(*) FROM server_help WHERE guild_id = $1) AS "help!",
                  (SELECT COUNT(*) FROM rituals WHERE guild_id = $1) AS "rituals!""#,
            guild_id
        )
        .fetch_one(conn)
        .await
    }

    /// One statement, so all or none.
    async fn forget(conn: &mut PgConnection, guild_id: i64) -> Result<Counts> {
        sqlx::query_as!(
            Counts,
            r#"WITH gone_panels AS (DELETE FROM panels WHERE guild_id = $1 RETURNING 1),
                gone_help AS (DELETE FROM server_help WHERE guild_id = $1 RETURNING 1),
                gone_rituals AS (DELETE FROM rituals WHERE guild_id = $1 RETURNING 1)
           SELECT (SELECT COUNT(*) FROM gone_panels) AS "panels!",
                  (SELECT COUNT(*) FROM gone_help) AS "help!",
                  (SELECT COUNT(*) FROM gone_rituals) AS "rituals!""#,
            guild_id
        )
        .fetch_one(conn)
        .await
    }
}
