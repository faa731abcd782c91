//! The processes sharing this database, each one boot of `steady run`:
//! their signs of life, judged only by the database's clock, and the
//! exercises of those that died, taken for a live one to finish kindly.

use super::{Store, StoreError, Unfinished};
use crate::timing::DEAD_AFTER;
use chrono::DateTime;
use std::time::Duration;
use steady_sql::{Pool, Processes, Sessions};

/// [`DEAD_AFTER`] in the database's seconds.
fn dead_after() -> i64 {
    i64::try_from(DEAD_AFTER.as_secs()).unwrap_or(i64::MAX)
}

impl Store {
    /// `owner`, serving `shards`, has started (or was taken for dead and
    /// lives): returns how long ago each other live process serving the same
    /// shards was seen.
    pub async fn process_arrive(
        &self,
        owner: &str,
        shards: &str,
    ) -> Result<Vec<Duration>, StoreError> {
        let ago = on_backend!(self, pool: B => {
            let conn = &mut *pool.acquire().await?;
            B::arrive(conn, owner, shards).await?;
            B::twins(conn, owner, shards, dead_after()).await?
        });
        Ok(ago
            .into_iter()
            .map(|seconds| Duration::from_secs(seconds.max(0).unsigned_abs()))
            .collect())
    }

    /// `owner` is alive. False when another process took it for dead
    /// meanwhile, and with it its exercises: their rows are gone.
    pub async fn process_beat(&self, owner: &str) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => Ok(B::beat(&mut *pool.acquire().await?, owner).await?))
    }

    /// `owner` is stopping: what it leaves is anyone's at once.
    pub async fn process_leave(&self, owner: &str) -> Result<(), StoreError> {
        on_backend!(self, pool: B => Ok(B::leave(&mut *pool.acquire().await?, owner).await?))
    }

    /// Whether some process has died, its exercises not yet taken: a read,
    /// so the look every live process makes takes no write lock.
    pub async fn any_process_dead(&self) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => Ok(B::any_dead(&mut *pool.acquire().await?, dead_after()).await?))
    }

    /// Take (removing them) the exercises of every process that died, for
    /// this one to give their last line. A forgotten person's row, which
    /// kept no token, is removed and not returned.
    pub async fn take_dead_sessions(&self) -> Result<Vec<Unfinished>, StoreError> {
        let rows = on_backend!(self, pool: B => take_dead::<B>(pool).await?);
        Ok(rows
            .into_iter()
            .filter(|row| !row.token.is_empty())
            .filter_map(|row| {
                Some(Unfinished {
                    interaction: row.interaction_id as u64,
                    user: row.user_id as u64,
                    application: row.application_id as u64,
                    token: row.token,
                    started: DateTime::from_timestamp(row.started_at, 0)?,
                    locale: row.locale,
                })
            })
            .collect())
    }
}

/// [`Store::take_dead_sessions`]: the dead processes' rows first (see
/// [`Processes::forget_dead`]), then their exercises, in one transaction.
async fn take_dead<B: Processes + Sessions>(
    pool: &Pool<B>,
) -> Result<Vec<steady_sql::sessions::Unfinished>, StoreError> {
    let mut tx = B::write(pool).await?;
    let dead = B::forget_dead(&mut tx, dead_after()).await?;
    let taken = B::take_dead(&mut tx, &dead, dead_after()).await?;
    tx.commit().await?;
    Ok(taken)
}
