//! What steady keeps for a server: its panels and its own help lines, by
//! guild id.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::servers::{Counts, HelpLine};
use steady_sql::{Result, Servers};

impl Servers for Sqlite {
    async fn panel_posted(
        conn: &mut SqliteConnection,
        message_id: i64,
        guild_id: i64,
        channel_id: i64,
        at: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO panels (message_id, guild_id, channel_id, posted_at) VALUES (?, ?, ?, ?)
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

    /// The transaction's write lock already holds every row.
    async fn lock_help(_conn: &mut SqliteConnection, _guild_id: i64) -> Result<()> {
        Ok(())
    }

    async fn insert_help(
        conn: &mut SqliteConnection,
        guild_id: i64,
        name: &str,
        text: &str,
        link: Option<&str>,
        at: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO server_help (guild_id, name, text, link, added_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (guild_id, name) DO NOTHING",
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

    async fn remove_help(conn: &mut SqliteConnection, guild_id: i64, name: &str) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM server_help WHERE guild_id = ? AND name = ?",
            guild_id,
            name
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// `rowid` orders lines added in the same second.
    async fn help_lines(conn: &mut SqliteConnection, guild_id: i64) -> Result<Vec<HelpLine>> {
        sqlx::query_as!(
            HelpLine,
            "SELECT name, text, link FROM server_help WHERE guild_id = ? ORDER BY added_at, rowid",
            guild_id
        )
        .fetch_all(conn)
        .await
    }

    async fn counts(conn: &mut SqliteConnection, guild_id: i64) -> Result<Counts> {
        sqlx::query_as!(
            Counts,
            r#"SELECT (SELECT COUNT(*) FROM panels WHERE guild_id = ?) AS "panels!: i64",
                      (SELECT COUNT(*) FROM server_help WHERE guild_id = ?) AS "help!: i64",
                      (SELECT COUNT(*) FROM rituals WHERE guild_id = ?) AS "rituals!: i64""#,
            guild_id,
            guild_id,
            guild_id
        )
        .fetch_one(conn)
        .await
    }

    async fn forget(conn: &mut SqliteConnection, guild_id: i64) -> Result<Counts> {
        let panels = sqlx::query!("DELETE FROM panels WHERE guild_id = ?", guild_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        let help = sqlx::query!("DELETE FROM server_help WHERE guild_id = ?", guild_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        let rituals = sqlx::query!("DELETE FROM rituals WHERE guild_id = ?", guild_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        Ok(Counts {
            panels: count(panels),
            help: count(help),
            rituals: count(rituals),
        })
    }
}

/// Rows affected, as the count a query would read.
fn count(rows: u64) -> i64 {
    i64::try_from(rows).unwrap_or(i64::MAX)
}
