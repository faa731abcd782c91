//! What every interaction asks of the store (the person's language kept,
//! a pause notice taken) writes only when something changes: while another
//! process holds the write lock, an unchanged language, a stranger and a
//! person owed no notice are answered without waiting for it. A change is
//! still written, and a notice still taken once. On both backends.

mod backend;

use backend::{number, Db, Writer};
use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use steady::daily::time::TimeOfDay;
use steady::store::{PauseReason, Store};

on_both!(
    nothing_to_change_waits_for_no_lock,
    a_change_is_written_and_a_notice_taken_once,
);

const RIVER: u64 = 5;
const STRANGER: u64 = 6;

/// A store whose writes give up on a held lock instead of waiting: SQLite's
/// busy timeout does so already; PostgreSQL waits without end unless told.
async fn impatient(db: &Db) -> Store {
    match db {
        Db::Postgres(url) => {
            backend::postgres::open(&format!("{url}?options=-c%20lock_timeout%3D5s"))
                .await
                .unwrap()
        }
        Db::Sqlite(_) => db.open().await,
    }
}

/// Another process's write transaction, holding off every write to the two
/// tables and none of their reads: on PostgreSQL an EXCLUSIVE lock, which
/// an UPDATE waits for even when it matches nothing, as on SQLite.
async fn hold_writes(store: &Store) -> Writer {
    let mut writer = Writer::begin(store).await;
    writer
        .lock("LOCK TABLE users, checkins IN EXCLUSIVE MODE")
        .await;
    writer
}

async fn river_with_a_checkin(store: &Store, locale: &str) {
    let time = TimeOfDay::new(9, 0).unwrap();
    let now = Utc::now();
    store
        .set_checkin(RIVER, time, Tz::UTC, locale, now)
        .await
        .unwrap();
}

async fn nothing_to_change_waits_for_no_lock(db: Db) {
    let store = impatient(&db).await;
    river_with_a_checkin(&store, "de").await;
    // A pause asked for is owed no notice.
    store
        .pause_checkin(RIVER, PauseReason::Asked, Utc::now())
        .await
        .unwrap();
    let writer = hold_writes(&store).await;
    // Each returns while the lock is held: a write would wait for it, then
    // fail when the store gave up (an error, not a slow answer).
    store.remember_locale(RIVER, "de").await.unwrap();
    store.remember_locale(STRANGER, "fr").await.unwrap();
    assert_eq!(store.take_pause_notice(RIVER).await.unwrap(), None);
    assert_eq!(store.take_pause_notice(STRANGER).await.unwrap(), None);
    writer.commit().await;
    assert_eq!(
        number(&store, "SELECT COUNT(*) FROM users").await,
        1,
        "a stranger gets no row"
    );
    assert_eq!(
        number(&store, "SELECT COUNT(*) FROM users WHERE locale = 'de'").await,
        1
    );
}

async fn a_change_is_written_and_a_notice_taken_once(db: Db) {
    let (one, two) = (db.open().await, db.open().await);
    river_with_a_checkin(&one, "de").await;
    let since = Utc::now() - TimeDelta::hours(1);
    one.pause_checkin(RIVER, PauseReason::DmsClosed, since)
        .await
        .unwrap();
    one.remember_locale(RIVER, "fr").await.unwrap();
    assert_eq!(
        number(&one, "SELECT COUNT(*) FROM users WHERE locale = 'fr'").await,
        1
    );
    // Two processes ask at once, with the lock held so both may read the
    // notice owed before either takes it: one of them is told.
    let writer = hold_writes(&one).await;
    let asking = [one.clone(), two.clone()]
        .map(|store| tokio::spawn(async move { store.take_pause_notice(RIVER).await.unwrap() }));
    writer.commit().await;
    let mut told = Vec::new();
    for asked in asking {
        told.extend(asked.await.unwrap());
    }
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].why, PauseReason::DmsClosed);
    assert_eq!(one.take_pause_notice(RIVER).await.unwrap(), None);
}
