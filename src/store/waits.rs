//! "Wait with me": the one wait a person may have running, its end claimed
//! by the scheduler beside the daily check-ins (so it too is sent at most
//! once), and the urge taps kept for people who keep a mood history.

use super::{db_id, instant, Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use steady_sql::waits::NewWait;
use steady_sql::{Pool, Waits};

/// How long a wait whose end was sent is kept, so the end's buttons (ten
/// more minutes, a tap on the urge) still work; then it is deleted.
pub const KEEP_ENDED: TimeDelta = TimeDelta::hours(1);

/// A person's wait, running or just ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    pub user: u64,
    /// Names this wait: its buttons carry it, so a press on an older wait's
    /// buttons is told that wait has ended.
    pub started: DateTime<Utc>,
    pub minutes: u32,
    pub ends: DateTime<Utc>,
    /// When its end is to be sent; None once it has been.
    pub due: Option<DateTime<Utc>>,
    pub urge_before: Option<u8>,
    pub private: bool,
    /// The Discord locale its end is written in.
    pub locale: String,
    /// Set when the wait is kept on its message (DMs closed): the end
    /// replaces that message instead of coming by DM.
    pub on_message: Option<OnMessage>,
}

/// The interaction whose message a wait's end replaces.
#[derive(Clone, PartialEq, Eq)]
pub struct OnMessage {
    pub application: u64,
    /// A credential for 15 minutes: never shown.
    pub token: String,
}

impl std::fmt::Debug for OnMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnMessage")
            .field("application", &self.application)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// A wait's end handed to the scheduler to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitEnd {
    pub user: u64,
    pub due: DateTime<Utc>,
    pub started: DateTime<Utc>,
    pub minutes: u32,
    pub private: bool,
    pub locale: String,
    pub on_message: Option<OnMessage>,
    /// The cached DM channel, if known.
    pub dm_channel: Option<u64>,
    /// When an earlier process first tried it in a way Discord may have
    /// acted on, if it gave it back after such a try: retries end with
    /// Discord's memory of the nonce (`Policy::nonce_window`).
    pub acted: Option<DateTime<Utc>>,
    /// The draft written during the wait (a journal row), if any: its end
    /// offers it back.
    pub draft: Option<i64>,
}

/// One wait's urge taps as kept in the history, either may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urge {
    pub started: DateTime<Utc>,
    pub before: Option<u8>,
    pub after: Option<u8>,
}

impl Store {
    /// Begin `wait`, replacing any wait the person had (one at a time).
    pub async fn start_wait(&self, wait: &Wait) -> Result<(), StoreError> {
        let uid = db_id(wait.user);
        let (application_id, token) = on_message(wait.on_message.as_ref());
        let row = NewWait {
            started_at: wait.started.timestamp(),
            minutes: i64::from(wait.minutes),
            ends_at: wait.ends.timestamp(),
            due: wait.due.map(|due| due.timestamp()),
            private: wait.private,
            locale: &wait.locale,
            application_id,
            token,
        };
        on_backend!(self, pool: B => Ok(B::start(&mut *pool.acquire().await?, uid, &row).await?))
    }

    /// The person's wait, running or just ended, if they have one.
    pub async fn wait(&self, user: u64) -> Result<Option<Wait>, StoreError> {
        let uid = db_id(user);
        let row = on_backend!(self, pool: B => B::wait(&mut *pool.acquire().await?, uid).await?);
        Ok(row.and_then(|row| wait_of(user, row)))
    }

    /// Keep the urge tapped at the start of the wait that began at
    /// `started`, while it runs; false if it is not running.
    pub async fn wait_urge(
        &self,
        user: u64,
        started: DateTime<Utc>,
        urge: u8,
    ) -> Result<bool, StoreError> {
        let (uid, started, urge) = (db_id(user), started.timestamp(), i64::from(urge));
        on_backend!(self, pool: B => Ok(B::urge_before(&mut *pool.acquire().await?, uid, started, urge).await?))
    }

    /// The person ends the wait that began at `started` (they are okay, or
    /// they choose to send): it is deleted, its first tap kept in the
    /// history if they keep one. False if there was no such wait.
    pub async fn end_wait(&self, user: u64, started: DateTime<Utc>) -> Result<bool, StoreError> {
        on_backend!(self, pool: B => end::<B>(pool, db_id(user), started.timestamp()).await)
    }

    /// "Ten more minutes": the wait that began at `started` now ends at
    /// `until`, its end due then (by DM, or on `on_message`). False if
    /// that wait has ended.
    pub async fn extend_wait(
        &self,
        user: u64,
        started: DateTime<Utc>,
        minutes: u32,
        until: DateTime<Utc>,
        on_message: Option<&OnMessage>,
    ) -> Result<bool, StoreError> {
        let (uid, started, until) = (db_id(user), started.timestamp(), until.timestamp());
        let minutes = i64::from(minutes);
        let (application, token) = self::on_message(on_message);
        on_backend!(self, pool: B => {
            let mut conn = pool.acquire().await?;
            Ok(B::extend(&mut conn, uid, started, minutes, until, application, token).await?)
        })
    }

    /// Keep the urge tapped at the end of the wait that began at `started`,
    /// if the person keeps a mood history; true if kept. A second tap
    /// replaces the first.
    pub async fn urge_after(
        &self,
        user: u64,
        started: DateTime<Utc>,
        urge: u8,
    ) -> Result<bool, StoreError> {
        let (uid, started, urge) = (db_id(user), started.timestamp(), i64::from(urge));
        on_backend!(self, pool: B => Ok(B::urge_after(&mut *pool.acquire().await?, uid, started, urge).await?))
    }

    /// The person's last `count` waits with both taps kept, newest first.
    pub async fn urges(&self, user: u64, count: u32) -> Result<Vec<Urge>, StoreError> {
        let (uid, count) = (db_id(user), i64::from(count));
        let rows =
            on_backend!(self, pool: B => B::urges(&mut *pool.acquire().await?, uid, count).await?);
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Urge {
                    started: instant(row.started_at)?,
                    before: row.before.and_then(tap),
                    after: row.after.and_then(tap),
                })
            })
            .collect())
    }
}

fn on_message(on: Option<&OnMessage>) -> (Option<i64>, Option<&str>) {
    match on {
        Some(on) => (Some(db_id(on.application)), Some(on.token.as_str())),
        None => (None, None),
    }
}

fn message_of(application: Option<i64>, token: Option<String>) -> Option<OnMessage> {
    Some(OnMessage {
        application: application? as u64,
        token: token?,
    })
}

fn wait_of(user: u64, row: steady_sql::waits::Wait) -> Option<Wait> {
    Some(Wait {
        user,
        started: instant(row.started_at)?,
        minutes: u32::try_from(row.minutes).ok()?,
        ends: instant(row.ends_at)?,
        due: row.due.and_then(instant),
        urge_before: row.urge_before.and_then(tap),
        private: row.private,
        locale: row.locale,
        on_message: message_of(row.application_id, row.token),
    })
}

fn tap(value: i64) -> Option<u8> {
    u8::try_from(value).ok()
}

/// [`Store::end_wait`]: the row is deleted first, its tap read in the
/// delete, so a tap racing the end either lands before (and is kept) or
/// finds no wait; and the wait is locked before the person's row, in the
/// one lock order (`steady_sql::Backend`), as the claim of its end and a
/// forget take them.
async fn end<B: Waits>(pool: &Pool<B>, uid: i64, started: i64) -> Result<bool, StoreError> {
    let mut tx = B::write(pool).await?;
    let Some(before) = B::end(&mut tx, uid, started).await? else {
        return Ok(false);
    };
    if let Some(before) = before {
        B::keep_first_tap(&mut tx, uid, started, before).await?;
    }
    tx.commit().await?;
    Ok(true)
}
