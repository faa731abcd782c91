//! What steady keeps for a server (/calm): where its calm corner panels
//! are, its own help lines, and (in `rituals.rs`) its daily moment. Keyed
//! by guild id; nothing here names a person.

use super::{db_id, Store, StoreError};
use crate::help_line::{same_name, HelpLine};
use chrono::{DateTime, Utc};
use steady_sql::servers::{self, Counts};
use steady_sql::{Pool, Servers};

/// The most help lines a server keeps.
pub const MAX_HELP_LINES: usize = 10;

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
        on_backend!(self, pool: B => Ok(B::panel_posted(&mut *pool.acquire().await?, message, guild, channel, at).await?))
    }

    /// Add a help line to the server's own, unless one of that name (in
    /// any case, [`same_name`]) is there or the server has
    /// [`MAX_HELP_LINES`].
    pub async fn add_help(
        &self,
        guild: u64,
        line: &HelpLine,
        at: DateTime<Utc>,
    ) -> Result<Added, StoreError> {
        let (gid, at) = (db_id(guild), at.timestamp());
        on_backend!(self, pool: B => add_help::<B>(pool, gid, line, at).await)
    }

    /// Remove the server's help line called `name` (in any case,
    /// [`same_name`]); false if there is none.
    pub async fn remove_help(&self, guild: u64, name: &str) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => remove_help::<B>(pool, db_id(guild), name).await)
    }

    /// The server's own help lines, oldest first.
    pub async fn help_lines(&self, guild: u64) -> Result<Vec<HelpLine>, StoreError> {
        let gid = db_id(guild);
        let rows =
            on_backend!(self, pool: B => B::help_lines(&mut *pool.acquire().await?, gid).await?);
        Ok(rows.into_iter().map(line_of).collect())
    }

    /// How much is kept for the server.
    pub async fn server_data(&self, guild: u64) -> Result<ServerData, StoreError> {
        let gid = db_id(guild);
        let counts =
            on_backend!(self, pool: B => B::counts(&mut *pool.acquire().await?, gid).await?);
        Ok(kept(counts))
    }

    /// Forget the server: its panels, help lines and daily moment (who
    /// joined its post goes with it, by ON DELETE CASCADE), all or none.
    /// Returns what was there.
    pub async fn forget_server(&self, guild: u64) -> Result<ServerData, StoreError> {
        on_backend!(self, pool: B => forget::<B>(pool, db_id(guild)).await)
    }
}

/// [`Store::add_help`]: the server's lines held from the count to the
/// commit, so two moderators adding at once cannot make it eleven.
async fn add_help<B: Servers>(
    pool: &Pool<B>,
    gid: i64,
    line: &HelpLine,
    at: i64,
) -> Result<Added, StoreError> {
    let mut tx = B::write(pool).await?;
    B::lock_help(&mut tx, gid).await?;
    let lines = B::help_lines(&mut tx, gid).await?;
    if let Some(refused) = refused(&lines, &line.name) {
        return Ok(refused);
    }
    let (name, text, link) = (&line.name, &line.text, line.link.as_deref());
    let inserted = B::insert_help(&mut tx, gid, name, text, link, at).await?;
    tx.commit().await?;
    // The database's own key may still find the name taken.
    Ok(if inserted {
        Added::Added
    } else {
        Added::Exists
    })
}

/// [`Store::remove_help`]: the line found by [`same_name`], oldest first,
/// then removed by its name as kept.
async fn remove_help<B: Servers>(pool: &Pool<B>, gid: i64, name: &str) -> Result<bool, StoreError> {
    let conn = &mut *pool.acquire().await?;
    let lines = B::help_lines(conn, gid).await?;
    let Some(kept) = lines.into_iter().find(|kept| same_name(&kept.name, name)) else {
        return Ok(false);
    };
    Ok(B::remove_help(conn, gid, &kept.name).await?)
}

/// [`Store::forget_server`] in one write transaction.
async fn forget<B: Servers>(pool: &Pool<B>, gid: i64) -> Result<ServerData, StoreError> {
    let mut tx = B::write(pool).await?;
    let counts = B::forget(&mut tx, gid).await?;
    tx.commit().await?;
    Ok(kept(counts))
}

/// Why a line called `name` may not join the server's `lines`; None when
/// it may.
fn refused(lines: &[servers::HelpLine], name: &str) -> Option<Added> {
    if lines.iter().any(|kept| same_name(&kept.name, name)) {
        return Some(Added::Exists);
    }
    if lines.len() >= MAX_HELP_LINES {
        return Some(Added::Full);
    }
    None
}

fn line_of(row: servers::HelpLine) -> HelpLine {
    HelpLine {
        name: row.name,
        text: row.text,
        link: row.link,
    }
}

/// What the server's counts of rows say is kept.
fn kept(counts: Counts) -> ServerData {
    ServerData {
        panels: u64::try_from(counts.panels).unwrap_or(0),
        help: u64::try_from(counts.help).unwrap_or(0),
        ritual: counts.rituals > 0,
    }
}
