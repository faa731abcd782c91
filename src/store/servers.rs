//! What steady keeps for a server (/calm): where its calm corner panels
//! are, its own help lines, and (in `rituals.rs`) its daily moment. Keyed
//! by guild id; nothing here names a person.

use super::{db_id, pg, write, write_pg, Db, Store, StoreError};
use chrono::{DateTime, Utc};

/// The most help lines a server keeps.
pub const MAX_HELP_LINES: usize = 10;

/// One of a server's own help lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub name: String,
    pub text: String,
    pub link: Option<String>,
}

/// What adding a help line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    /// One of that name is there already.
    Exists,
    /// The server has [`MAX_HELP_LINES`] already.
    Full,
}

/// Everything kept for a server, counted, for `/calm status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerData {
    pub panels: u64,
    pub help: u64,
    pub ritual: bool,
}

impl ServerData {
    pub fn is_empty(self) -> bool {
        self == ServerData::default()
    }
}

impl Store {
    /// Remember a calm corner panel posted in `channel` as `message`.
    pub async fn panel_posted(
        &self,
        guild: u64,
        channel: u64,
        message: u64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (guild, channel, message, at) =
            (db_id(guild), db_id(channel), db_id(message), at.timestamp());
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                return Ok(pg::servers::panel_posted(pool, message, guild, channel, at).await?)
            }
        };
        sqlx::query!(
            "INSERT INTO panels (message_id, guild_id, channel_id, posted_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (message_id) DO NOTHING",
            message,
            guild,
            channel,
            at
        )
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Add a help line to the server's own, unless one of that name is
    /// there or the server has [`MAX_HELP_LINES`]. One write transaction,
    /// so two moderators adding at once cannot make it eleven.
    pub async fn add_help(
        &self,
        guild: u64,
        line: &HelpLine,
        at: DateTime<Utc>,
    ) -> Result<Added, StoreError> {
        let (gid, at) = (db_id(guild), at.timestamp());
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return add_help_pg(pool, gid, line, at).await;
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
        let counts = sqlx::query!(
            r#"SELECT COUNT(*) AS "all!: i64", COUNT(*) FILTER (WHERE name = ?) AS "same!: i64"
               FROM server_help WHERE guild_id = ?"#,
            line.name,
            gid
        )
        .fetch_one(&mut *tx)
        .await?;
        if let Some(refused) = refused(counts.all, counts.same) {
            return Ok(refused);
        }
        let done = sqlx::query!(
            "INSERT INTO server_help (guild_id, name, text, link, added_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (guild_id, name) DO NOTHING",
            gid,
            line.name,
            line.text,
            line.link,
            at
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(match done.rows_affected() {
            1 => Added::Added,
            _ => Added::Exists,
        })
    }

    /// Remove the server's help line called `name` (in any case); false if
    /// there is none.
    pub async fn remove_help(&self, guild: u64, name: &str) -> Result<bool, StoreError> {
        let gid = db_id(guild);
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::servers::remove_help(pool, gid, name).await?),
        };
        let done = sqlx::query!(
            "DELETE FROM server_help WHERE guild_id = ? AND name = ?",
            gid,
            name
        )
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The server's own help lines, oldest first.
    pub async fn help_lines(&self, guild: u64) -> Result<Vec<HelpLine>, StoreError> {
        let gid = db_id(guild);
        let rows = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as!(
                    pg::servers::HelpLine,
                    "SELECT name, text, link FROM server_help WHERE guild_id = ? ORDER BY added_at, rowid",
                    gid
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => pg::servers::help_lines(pool, gid).await?,
        };
        Ok(rows
            .into_iter()
            .map(|row| HelpLine {
                name: row.name,
                text: row.text,
                link: row.link,
            })
            .collect())
    }

    /// How much is kept for the server.
    pub async fn server_data(&self, guild: u64) -> Result<ServerData, StoreError> {
        let gid = db_id(guild);
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(kept(pg::servers::counts(pool, gid).await?)),
        };
        let counts = sqlx::query_as!(
            pg::servers::Counts,
            r#"SELECT (SELECT COUNT(*) FROM panels WHERE guild_id = ?) AS "panels!: i64",
                      (SELECT COUNT(*) FROM server_help WHERE guild_id = ?) AS "help!: i64",
                      (SELECT COUNT(*) FROM rituals WHERE guild_id = ?) AS "rituals!: i64""#,
            gid,
            gid,
            gid
        )
        .fetch_one(pool)
        .await?;
        Ok(kept(counts))
    }

    /// Forget the server: its panels, help lines and daily moment (who
    /// joined its post goes with it, by ON DELETE CASCADE), in one
    /// transaction. Returns what was there.
    pub async fn forget_server(&self, guild: u64) -> Result<ServerData, StoreError> {
        let gid = db_id(guild);
        let pool = match &self.db {
            Db::Postgres(pool) => {
                return Ok(kept(pg::servers::forget(pool, gid).await?));
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
        let panels = sqlx::query!("DELETE FROM panels WHERE guild_id = ?", gid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let help = sqlx::query!("DELETE FROM server_help WHERE guild_id = ?", gid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let rituals = sqlx::query!("DELETE FROM rituals WHERE guild_id = ?", gid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(ServerData {
            panels,
            help,
            ritual: rituals > 0,
        })
    }
}

/// [`Store::add_help`] on PostgreSQL: the server's lines are locked while
/// counted, as SQLite's write lock holds them.
async fn add_help_pg(
    pool: &sqlx::PgPool,
    gid: i64,
    line: &HelpLine,
    at: i64,
) -> Result<Added, StoreError> {
    let mut tx = write_pg(pool).await?;
    pg::servers::lock_help(&mut tx, gid).await?;
    let (all, same) = pg::servers::help_counts(&mut tx, gid, &line.name).await?;
    if let Some(refused) = refused(all, same) {
        return Ok(refused);
    }
    let (name, text, link) = (&line.name, &line.text, line.link.as_deref());
    let inserted = pg::servers::insert_help(&mut tx, gid, name, text, link, at).await?;
    tx.commit().await?;
    Ok(if inserted {
        Added::Added
    } else {
        Added::Exists
    })
}

/// Why a line may not be added, given the server's count of lines and of
/// those with its name; None when it may.
fn refused(all: i64, same: i64) -> Option<Added> {
    if same > 0 {
        return Some(Added::Exists);
    }
    if usize::try_from(all).unwrap_or(usize::MAX) >= MAX_HELP_LINES {
        return Some(Added::Full);
    }
    None
}

/// What the server's counts of rows say is kept.
fn kept(counts: pg::servers::Counts) -> ServerData {
    ServerData {
        panels: u64::try_from(counts.panels).unwrap_or(0),
        help: u64::try_from(counts.help).unwrap_or(0),
        ritual: counts.rituals > 0,
    }
}
