//! The `users` row every personal row hangs off, and what it caches.

use super::{Store, StoreError};
use steady_sql::{Pool, Users};

impl Store {
    /// The cached DM channel id for `user`, if known.
    pub async fn dm_channel(&self, user: u64) -> Result<Option<u64>, StoreError> {
        let uid = db_id(user);
        let channel =
            on_backend!(self, pool: B => B::dm_channel(&mut *pool.acquire().await?, uid).await?);
        Ok(channel.map(|id| id as u64))
    }

    /// Whether steady keeps anything about `user`: everything hangs off
    /// their `users` row, but a wait stands alone.
    pub async fn knows(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => Ok(B::knows(&mut *pool.acquire().await?, uid).await?))
    }

    /// Remember `user`'s DM channel, if steady keeps anything of them. It
    /// never creates the person's row: a DM still in flight when they
    /// deleted their data must not bring them back.
    pub async fn remember_dm_channel(&self, user: u64, channel: u64) -> Result<(), StoreError> {
        let (channel, uid) = (db_id(channel), db_id(user));
        on_backend!(self, pool: B => Ok(B::remember_dm_channel(&mut *pool.acquire().await?, uid, channel).await?))
    }

    /// Keep `locale` as the language to write later DMs in, for someone
    /// steady already keeps something for; nobody else gets a row from it.
    pub async fn remember_locale(&self, user: u64, locale: &str) -> Result<(), StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => remember_locale::<B>(pool, uid, locale).await)
    }
}

/// [`Store::remember_locale`], read first: every interaction asks, and on
/// SQLite even an UPDATE that matches nothing takes the database's write
/// lock, so a stranger or an unchanged language must not write. The UPDATE
/// stays conditional, so a change that raced the read is kept, not undone.
async fn remember_locale<B: Users>(
    pool: &Pool<B>,
    uid: i64,
    locale: &str,
) -> Result<(), StoreError> {
    let conn = &mut *pool.acquire().await?;
    if B::locale_differs(conn, uid, locale).await? {
        B::remember_locale(conn, uid, locale).await?;
    }
    Ok(())
}

/// Discord ids are u64 snowflakes; BIGINT is signed. `as i64` (and back with
/// `as u64`) round-trips every value bit for bit.
pub(crate) fn db_id(id: u64) -> i64 {
    id as i64
}
