//! Daily check-ins: the person's chosen time and zone, when the next one is
//! due, and why it paused if it did. The scheduler's claim
//! (`crate::schedule`) is the heart of "at most once": a due row is advanced
//! to its next instant in the same transaction that hands it over.

use super::{db_id, instant, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use steady_sql::checkins::Paused;
use steady_sql::{Checkins, Pool, Users};

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
    /// When an earlier process first tried it in a way Discord may have
    /// acted on, if it gave it back after such a try: retries end with
    /// Discord's memory of the nonce (`Policy::nonce_window`).
    pub acted: Option<DateTime<Utc>>,
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
        on_backend!(self, pool: B => set::<B>(pool, db_id(user), time, zone, locale, now, next).await)?;
        Ok(next)
    }

    /// The person's check-in, if they have one.
    pub async fn checkin(&self, user: u64) -> Result<Option<Checkin>, StoreError> {
        let uid = db_id(user);
        let row = on_backend!(self, pool: B => B::get(&mut *pool.acquire().await?, uid).await?);
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
        on_backend!(self, pool: B => Ok(B::stop(&mut *pool.acquire().await?, uid).await?))
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
        on_backend!(self, pool: B => Ok(B::pause(&mut *pool.acquire().await?, uid, at, reason, told).await?))
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
        let due =
            on_backend!(self, pool: B => B::snooze(&mut *pool.acquire().await?, uid, at).await?);
        Ok(due.and_then(instant))
    }

    /// The pause the person has not heard about yet, marking it heard: so
    /// the notice is given exactly once.
    pub async fn take_pause_notice(&self, user: u64) -> Result<Option<Pause>, StoreError> {
        let uid = db_id(user);
        let row = on_backend!(self, pool: B => take_pause_notice::<B>(pool, uid).await?);
        Ok(row.and_then(|row| pause(row.paused_at, row.paused_why.as_deref())))
    }
}

/// [`Store::take_pause_notice`], read first: every command asks, and on
/// SQLite even an UPDATE that matches nothing takes the database's write
/// lock. The taking stays conditional, so of two that both read a notice
/// owed, one takes it.
async fn take_pause_notice<B: Checkins>(
    pool: &Pool<B>,
    uid: i64,
) -> Result<Option<Paused>, StoreError> {
    let conn = &mut *pool.acquire().await?;
    if !B::pause_untold(conn, uid).await? {
        return Ok(None);
    }
    Ok(B::take_pause_notice(conn, uid).await?)
}

/// [`Store::set_checkin`], the person held (their row created if need be)
/// while their check-in and language are written.
async fn set<B: Checkins + Users>(
    pool: &Pool<B>,
    uid: i64,
    time: TimeOfDay,
    zone: Tz,
    locale: &str,
    now: DateTime<Utc>,
    next: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (minute, at) = (i64::from(time.minutes()), now.timestamp());
    let mut tx = B::write(pool).await?;
    // First seen now, whatever instant the check-in was set for.
    B::hold_person(&mut tx, uid, Utc::now().timestamp()).await?;
    B::set(&mut tx, uid, minute, zone.name(), next.timestamp(), at).await?;
    B::remember_locale(&mut tx, uid, locale).await?;
    tx.commit().await?;
    Ok(())
}

fn pause(at: Option<i64>, why: Option<&str>) -> Option<Pause> {
    Some(Pause {
        since: instant(at?)?,
        why: PauseReason::parse(why?),
    })
}
