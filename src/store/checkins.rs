//! Daily check-ins: the person's chosen time and zone, when the next one is
//! due, and why it paused if it did. The scheduler's claim
//! (`crate::schedule`) is the heart of "at most once": a due row is advanced
//! to its next instant in the same transaction that hands it over.

use super::{db_id, ensure_user, ensure_user_pg, instant, pg, write, write_pg};
use super::{Db, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use pg::checkins::Stored;

/// A person's check-in as they set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub time: TimeOfDay,
    pub zone: Tz,
    /// None while paused.
    pub next_due: Option<DateTime<Utc>>,
    pub paused: Option<Pause>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub since: DateTime<Utc>,
    pub why: PauseReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// The person pressed "Pause check-ins".
    Asked,
    /// Discord refused DM after DM (50007/50278), `max_failures` in a row.
    DmsClosed,
    /// The stored row could not be read back: in practice its zone, which
    /// the time zone database may drop or rename between releases.
    Unreadable,
}

impl PauseReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PauseReason::Asked => "asked",
            PauseReason::DmsClosed => "dms_closed",
            // Stored as written before the rename, so old rows read the same.
            PauseReason::Unreadable => "zone_gone",
        }
    }

    fn parse(text: &str) -> PauseReason {
        match text {
            "dms_closed" => PauseReason::DmsClosed,
            "zone_gone" => PauseReason::Unreadable,
            _ => PauseReason::Asked,
        }
    }
}

/// A check-in handed to the scheduler to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub user: u64,
    pub due: DateTime<Utc>,
    /// Where the claim moved the check-in: a claim given back
    /// ([`Store::give_back`]) returns it to `due` only if it is still here.
    pub next: DateTime<Utc>,
    pub zone: Tz,
    /// The cached DM channel, if known: then sending is one request.
    pub dm_channel: Option<u64>,
    /// Refused DMs in a row before this one.
    pub failures: u32,
    /// The Discord locale the person last used with steady (None: English).
    pub locale: Option<String>,
}

impl Store {
    /// Turn the person's check-in on (or change it) and return when the next
    /// one is due. Clears any pause and failure count. `locale`: the Discord
    /// locale they asked in, which later check-ins are written in.
    pub async fn set_checkin(
        &self,
        user: u64,
        time: TimeOfDay,
        zone: Tz,
        locale: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let next = next_due(zone, time, now);
        let (uid, minute, name) = (db_id(user), i64::from(time.minutes()), zone.name());
        let (due, at) = (next.timestamp(), now.timestamp());
        let pool = match &self.db {
            Db::Postgres(pool) => {
                let mut tx = write_pg(pool).await?;
                ensure_user_pg(&mut tx, user).await?;
                pg::checkins::set(&mut tx, uid, minute, name, due, at, locale).await?;
                tx.commit().await?;
                return Ok(next);
            }
            Db::Sqlite(pool) => pool,
        };
        let mut tx = write(pool).await?;
        ensure_user(&mut tx, user).await?;
        sqlx::query!(
            "INSERT INTO checkins (user_id, local_minute, zone, next_due, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET
                 local_minute = excluded.local_minute, zone = excluded.zone,
                 next_due = excluded.next_due, failures = 0, paused_at = NULL,
                 paused_why = NULL, pause_told = FALSE, updated_at = excluded.updated_at",
            uid,
            minute,
            name,
            due,
            at
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("UPDATE users SET locale = ? WHERE user_id = ?", locale, uid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The person's check-in, if they have one.
    pub async fn checkin(&self, user: u64) -> Result<Option<Checkin>, StoreError> {
        let uid = db_id(user);
        let row = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as!(
                    Stored,
                    r#"SELECT local_minute, zone, next_due, paused_at, paused_why
               FROM checkins WHERE user_id = ?"#,
                    uid
                )
                .fetch_optional(pool)
                .await?
            }
            Db::Postgres(pool) => pg::checkins::get(pool, uid).await?,
        };
        Ok(row.and_then(|row| {
            Some(Checkin {
                time: TimeOfDay::from_minutes(row.local_minute)?,
                zone: row.zone.parse().ok()?,
                next_due: row.next_due.and_then(instant),
                paused: pause(row.paused_at, row.paused_why.as_deref()),
            })
        }))
    }

    /// Stop check-ins and forget the chosen time and zone; false if they
    /// were not on.
    pub async fn stop_checkin(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => return Ok(pg::checkins::stop(pool, uid).await?),
        };
        let done = sqlx::query!("DELETE FROM checkins WHERE user_id = ?", uid)
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pause the person's check-in, keeping their time and zone; false if
    /// they have none. A pause they asked for needs no later notice.
    pub async fn pause_checkin(
        &self,
        user: u64,
        why: PauseReason,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (uid, at, reason) = (db_id(user), now.timestamp(), why.as_str());
        let told = why == PauseReason::Asked;
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Postgres(pool) => {
                return Ok(pg::checkins::pause(pool, uid, at, reason, told).await?)
            }
        };
        let done = sqlx::query!(
            "UPDATE checkins SET next_due = NULL, paused_at = ?, paused_why = ?,
                 pause_told = ?, updated_at = ?
             WHERE user_id = ?",
            at,
            reason,
            told,
            at,
            uid
        )
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Bring the next check-in forward to `until` (if it is not sooner
    /// already). None if the person has no running check-in; else when the
    /// next one is now due.
    pub async fn snooze_checkin(
        &self,
        user: u64,
        until: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let (uid, at) = (db_id(user), until.timestamp());
        let due = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar!(
                    r#"UPDATE checkins SET next_due = MIN(next_due, ?), updated_at = ?
               WHERE user_id = ? AND next_due IS NOT NULL
               RETURNING next_due AS "next_due!""#,
                    at,
                    at,
                    uid
                )
                .fetch_optional(pool)
                .await?
            }
            Db::Postgres(pool) => pg::checkins::snooze(pool, uid, at).await?,
        };
        Ok(due.and_then(instant))
    }

    /// The pause the person has not heard about yet, marking it heard: so
    /// the notice is given exactly once.
    pub async fn take_pause_notice(&self, user: u64) -> Result<Option<Pause>, StoreError> {
        let uid = db_id(user);
        let row = match &self.db {
            Db::Sqlite(pool) => sqlx::query!(
                r#"UPDATE checkins SET pause_told = TRUE
               WHERE user_id = ? AND paused_at IS NOT NULL AND NOT pause_told
               RETURNING paused_at, paused_why"#,
                uid
            )
            .fetch_optional(pool)
            .await?
            .map(|row| (row.paused_at, row.paused_why)),
            Db::Postgres(pool) => pg::checkins::take_pause_notice(pool, uid).await?,
        };
        Ok(row.and_then(|(at, why)| pause(at, why.as_deref())))
    }
}

fn pause(at: Option<i64>, why: Option<&str>) -> Option<Pause> {
    Some(Pause {
        since: instant(at?)?,
        why: PauseReason::parse(why?),
    })
}
