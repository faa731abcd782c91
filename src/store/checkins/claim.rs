//! The claim of due check-ins: each due row is moved to its next instant in
//! the transaction that hands it to the scheduler, so only its claimer
//! sends it.

use super::{instant, pg, Claimed, PauseReason, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use pg::checkins::DueRow;
use sqlx::{PgConnection, SqliteConnection};

/// [`Store::claim_due`] within a write transaction the caller holds, so the
/// scheduler claims everything due in one commit.
pub(in crate::store) async fn claim_checkins(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Claimed>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = sqlx::query_as!(
        DueRow,
        r#"SELECT c.user_id, c.local_minute, c.zone, c.next_due AS "next_due!",
                  c.failures, u.dm_channel_id, u.locale
           FROM checkins c JOIN users u ON u.user_id = c.user_id
           WHERE c.next_due <= ? ORDER BY c.next_due LIMIT ?"#,
        at,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let Some((time, zone, due)) = readable(&row) else {
            let why = PauseReason::Unreadable.as_str();
            sqlx::query!(
                "UPDATE checkins SET next_due = NULL, paused_at = ?, paused_why = ?
                 WHERE user_id = ?",
                at,
                why,
                row.user_id
            )
            .execute(&mut *tx)
            .await?;
            continue;
        };
        let next = advanced(zone, time, now, due);
        let at = next.timestamp();
        // Only a row this update really moved is ours: whoever moved it
        // first (another process, on a database without this lock) sends it.
        let moved = sqlx::query_scalar!(
            "UPDATE checkins SET next_due = ? WHERE user_id = ? AND next_due = ?
             RETURNING user_id",
            at,
            row.user_id,
            row.next_due
        )
        .fetch_optional(&mut *tx)
        .await?;
        if moved.is_none() {
            continue;
        }
        claimed.push(claim(row, due, next, zone));
    }
    Ok(claimed)
}

/// [`claim_checkins`] on PostgreSQL, inside the caller's transaction: the
/// due rows are locked with `SKIP LOCKED`, so processes claiming at once
/// take different ones instead of waiting for each other.
pub(in crate::store) async fn claim_checkins_pg(
    tx: &mut PgConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Claimed>, StoreError> {
    let (at, limit) = (now.timestamp(), i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = pg::checkins::due(tx, at, limit).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let Some((time, zone, due)) = readable(&row) else {
            let why = PauseReason::Unreadable.as_str();
            pg::checkins::pause_unreadable(tx, row.user_id, at, why).await?;
            continue;
        };
        let next = advanced(zone, time, now, due);
        // The row is locked, so this moves it; the guard is SQLite's, kept
        // so both claim only what they really moved.
        if !pg::checkins::advance(tx, row.user_id, next.timestamp(), row.next_due).await? {
            continue;
        }
        claimed.push(claim(row, due, next, zone));
    }
    Ok(claimed)
}

/// The due row's time, zone and instant; None (said in the log) for a row
/// that cannot be read, which the claim pauses.
fn readable(row: &DueRow) -> Option<(TimeOfDay, Tz, DateTime<Utc>)> {
    let parsed = TimeOfDay::from_minutes(row.local_minute)
        .zip(row.zone.parse::<Tz>().ok())
        .zip(instant(row.next_due));
    if parsed.is_none() {
        tracing::error!("a check-in that could not be read was paused");
    }
    parsed.map(|((time, zone), due)| (time, zone, due))
}

/// Where a claim moves a check-in: advanced from the later of now and the
/// due instant, so after downtime the next one is still tomorrow's, never
/// a backlog.
fn advanced(zone: Tz, time: TimeOfDay, now: DateTime<Utc>, due: DateTime<Utc>) -> DateTime<Utc> {
    next_due(zone, time, now.max(due))
}

fn claim(row: DueRow, due: DateTime<Utc>, next: DateTime<Utc>, zone: Tz) -> Claimed {
    Claimed {
        user: row.user_id as u64,
        due,
        next,
        zone,
        dm_channel: row.dm_channel_id.map(|id| id as u64),
        failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
        locale: row.locale,
    }
}
