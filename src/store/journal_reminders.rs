//! Evening journal reminders: one gentle DM a day at the person's chosen
//! time, kept exactly as a check-in is (`checkins.rs`): the same next-due
//! maths, and a due row advanced in the transaction that hands it to the
//! scheduler, so it is sent at most once.

use super::{db_id, instant, Store, StoreError};
use crate::daily::due::next_due;
use crate::daily::time::TimeOfDay;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use steady_sql::{DueJournalReminders, JournalReminders, Pool, Users};

/// A person's reminder as they set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalReminder {
    pub time: TimeOfDay,
    pub zone: Tz,
    /// None once refused DMs paused it.
    pub next_due: Option<DateTime<Utc>>,
    pub paused_since: Option<DateTime<Utc>>,
}

/// A reminder handed to the scheduler to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedReminder {
    pub user: u64,
    pub due: DateTime<Utc>,
    /// Where the claim moved it: given back, it returns to `due` only if it
    /// is still here.
    pub next: DateTime<Utc>,
    pub zone: Tz,
    /// The cached DM channel, if known: then sending is one request.
    pub dm_channel: Option<u64>,
    /// Refused DMs in a row before this one.
    pub failures: u32,
    /// The Discord locale the person last used with steady (None: English).
    pub locale: Option<String>,
    /// When an earlier process first tried it in a way Discord may have
    /// acted on (`Claimed::acted` says why).
    pub acted: Option<DateTime<Utc>>,
}

impl Store {
    /// Turn the person's reminder on (or change it) and return when the
    /// next one is due. Clears any pause and failure count. `locale`: the
    /// Discord locale they asked in, which the reminders are written in.
    pub async fn set_journal_reminder(
        &self,
        user: u64,
        time: TimeOfDay,
        zone: Tz,
        locale: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let next = next_due(zone, time, now);
        let (uid, minute) = (db_id(user), i64::from(time.minutes()));
        let (next_at, at) = (next.timestamp(), now.timestamp());
        on_backend!(self, pool: B => set::<B>(pool, uid, minute, zone.name(), locale, next_at, at).await)?;
        Ok(next)
    }

    /// The person's reminder, if they have one.
    pub async fn journal_reminder(&self, user: u64) -> Result<Option<JournalReminder>, StoreError> {
        let uid = db_id(user);
        let row = on_backend!(self, pool: B => {
            B::get_journal_reminder(&mut *pool.acquire().await?, uid).await?
        });
        Ok(row.and_then(|row| {
            Some(JournalReminder {
                time: TimeOfDay::from_minutes(row.local_minute)?,
                zone: row.zone.parse().ok()?,
                next_due: row.next_due.and_then(instant),
                paused_since: row.paused_at.and_then(instant),
            })
        }))
    }

    /// Stop the reminders and forget the chosen time and zone; false if
    /// they were not on.
    pub async fn stop_journal_reminder(&self, user: u64) -> Result<bool, StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => {
            Ok(B::stop_journal_reminder(&mut *pool.acquire().await?, uid).await?)
        })
    }

    /// When the pause the person has not heard about yet began, marking it
    /// heard: so the notice is given exactly once. Read first, as every
    /// command asks (`Store::take_pause_notice` says why).
    pub async fn take_journal_reminder_pause_notice(
        &self,
        user: u64,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let uid = db_id(user);
        let since = on_backend!(self, pool: B => {
            let conn = &mut *pool.acquire().await?;
            match B::journal_reminder_pause_untold(conn, uid).await? {
                true => B::take_journal_reminder_pause_notice(conn, uid).await?,
                false => None,
            }
        });
        Ok(since.and_then(instant))
    }

    /// A reminder reached the person: the refusal count starts again.
    pub async fn journal_reminder_delivered(&self, user: u64) -> Result<(), StoreError> {
        let uid = db_id(user);
        on_backend!(self, pool: B => {
            Ok(B::journal_reminder_delivered(&mut *pool.acquire().await?, uid).await?)
        })
    }

    /// Discord refused the DM. After `max_failures` in a row the reminder
    /// pauses itself rather than knocking forever; true if it paused now.
    pub async fn journal_reminder_refused(
        &self,
        user: u64,
        max_failures: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (uid, at, max) = (db_id(user), now.timestamp(), i64::from(max_failures));
        let paused = on_backend!(self, pool: B => {
            B::journal_reminder_refused(&mut *pool.acquire().await?, uid, max, at).await?
        });
        Ok(paused.unwrap_or(false))
    }
}

/// [`Store::set_journal_reminder`], the person held (their row created if
/// need be) while their reminder and language are written.
async fn set<B: JournalReminders + Users>(
    pool: &Pool<B>,
    uid: i64,
    minute: i64,
    zone: &str,
    locale: &str,
    next: i64,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = B::write(pool).await?;
    // First seen now, whatever instant the reminder was set for.
    B::hold_person(&mut tx, uid, Utc::now().timestamp()).await?;
    B::set_journal_reminder(&mut tx, uid, minute, zone, next, now).await?;
    B::remember_locale(&mut tx, uid, locale).await?;
    tx.commit().await?;
    Ok(())
}
