//! The claim of due wait ends: each is marked sent in the transaction that
//! hands it to the scheduler, so only its claimer sends it.

use super::{instant, keep_first_tap, message_of, pg, StoreError, WaitEnd, KEEP_ENDED};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// Claim up to `limit` wait ends due at `now`, earliest first, within the
/// caller's write transaction ([`Store::claim`]): each is marked sent in it,
/// so only its claimer sends it. Sent waits older than [`KEEP_ENDED`] are
/// deleted here too.
pub(in crate::store) async fn claim_wait_ends(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<WaitEnd>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let stale = (now - KEEP_ENDED).timestamp();
    sqlx::query!(
        "DELETE FROM waits WHERE due IS NULL AND ends_at <= ?",
        stale
    )
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query_as!(
        pg::waits::Due,
        r#"SELECT w.user_id, w.started_at, w.minutes, w.due AS "due!", w.private AS "private: bool",
                  w.locale, w.application_id, w.token, u.dm_channel_id
           FROM waits w LEFT JOIN users u ON u.user_id = w.user_id
           WHERE w.due <= ? ORDER BY w.due LIMIT ?"#,
        at,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        // Only a row this update really moved is ours.
        let moved = sqlx::query!(
            "UPDATE waits SET due = NULL WHERE user_id = ? AND due = ?",
            row.user_id,
            row.due
        )
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            continue;
        }
        keep_first_tap(tx, row.user_id, row.started_at).await?;
        claimed.extend(end_of(row));
    }
    Ok(claimed)
}

/// [`claim_wait_ends`] on PostgreSQL, inside the caller's transaction: the
/// due rows are locked `SKIP LOCKED`, so processes claiming at once take
/// different ends, and a running wait's tap waits for the claim (which
/// ends the wait's taps) instead of being lost.
pub(in crate::store) async fn claim_wait_ends_pg(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<WaitEnd>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    pg::waits::delete_sent(tx, (now - KEEP_ENDED).timestamp()).await?;
    let rows = pg::waits::due(tx, at, limit).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        // Only a row this update really moved is ours.
        let Some(before) = pg::waits::claim(tx, row.user_id, row.due).await? else {
            continue;
        };
        if let Some(before) = before {
            pg::waits::keep_first_tap(tx, row.user_id, row.started_at, before).await?;
        }
        claimed.extend(end_of(row));
    }
    Ok(claimed)
}

/// A claimed row as the scheduler's end; None (claimed, never sent) for
/// instants chrono cannot hold.
fn end_of(row: pg::waits::Due) -> Option<WaitEnd> {
    Some(WaitEnd {
        user: row.user_id as u64,
        due: instant(row.due)?,
        started: instant(row.started_at)?,
        minutes: u32::try_from(row.minutes).unwrap_or(0),
        private: row.private,
        locale: row.locale,
        on_message: message_of(row.application_id, row.token),
        dm_channel: row.dm_channel_id.map(|id| id as u64),
    })
}
