//! One lock order on PostgreSQL (`steady_sql::Backend`'s doc comment): two
//! of steady's transactions that need the same rows never wait for each
//! other, and a lock held too long fails a statement rather than stall it.
//!
//! Each pair is made to meet at the one moment where taking the locks the
//! other way round would deadlock: another transaction (raw SQL, as an
//! operator's or a slow process's) holds a gate row, so the first of
//! steady's operations stops part way; the second runs meanwhile, and the
//! gate opens. Each step waits until PostgreSQL says who waits for a lock,
//! never for a time. Both outcomes must be right, and neither an error.
//!
//! PostgreSQL only: SQLite's writers take the whole database, one at a time
//! (tests/store.rs).

mod backend;

use backend::{wait, Db, Writer};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;
use steady::daily::time::TimeOfDay;
use steady::schedule::Due;
use steady::store::{Forgotten, Ritual, RitualPost, Store, StoreError, Unfinished, Wait};
use steady::timing::{LOCK_TIMEOUT, STATEMENT_TIMEOUT};
use tokio::task::JoinHandle;

const PERSON: u64 = 1;
const GUILD: u64 = 40;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The person's wait, begun at noon, its end due twenty minutes later.
fn noon_wait() -> Wait {
    wait(PERSON, at("2026-06-02T12:00:00Z"), 20)
}

/// Someone who keeps a mood history, with an exercise running and a wait
/// whose first urge they tapped: everything a forget and a wait's end both
/// touch.
async fn someone_waiting(store: &Store) -> Wait {
    let wait = noon_wait();
    store.set_mood_history(PERSON, true).await.unwrap();
    let session = Unfinished {
        interaction: 9,
        user: PERSON,
        application: 7,
        token: "token-9".to_owned(),
        started: wait.started,
        locale: "de".to_owned(),
    };
    assert!(store.session_begin(&session, "").await.unwrap());
    store.start_wait(&wait).await.unwrap();
    assert!(store.wait_urge(PERSON, wait.started, 4).await.unwrap());
    wait
}

/// How many of the database's statements wait for a lock.
async fn waiting(store: &Store) -> i64 {
    backend::number(
        store,
        "SELECT COUNT(*) FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .await
}

/// Until `count` statements wait for a lock, or `task` has finished (a
/// step that waits for nothing; one that waits too long fails, and
/// finishes, at the lock timeout).
async fn until_waiting<T>(store: &Store, count: i64, task: &JoinHandle<T>) {
    while !task.is_finished() && waiting(store).await < count {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Holds the person's running exercise, the first row a forget deletes.
async fn gate_on_the_session(store: &Store) -> Writer {
    let mut gate = Writer::begin(store).await;
    (gate.lock("SELECT 1 FROM sessions WHERE user_id = 1 FOR UPDATE")).await;
    gate
}

/// Everything of the person is gone, the tap the wait's end kept included
/// (`forgotten`), and nothing of them is left.
async fn all_forgotten(store: &Store, forgotten: Forgotten) {
    assert_eq!(forgotten.urges, 1, "the wait's first tap, kept at its end");
    assert_eq!(store.export(PERSON).await.unwrap(), None);
    assert!(!store.knows(PERSON).await.unwrap());
}

/// `/mydata delete` stopped on the running exercise; meanwhile the wait's
/// end is claimed, which locks the wait, then the person's row to keep
/// the first tap. A forget holding the person's row by then (as it once
/// did, deleting the wait after it) would wait for the claim's wait while
/// the claim waits for its row: 40P01, one of them failed.
#[tokio::test]
async fn a_wait_s_end_claimed_while_the_person_is_forgotten() {
    let Some(db) = Db::postgres() else { return };
    let (store, forgetter, scheduler) = (db.open().await, db.open().await, db.open().await);
    let wait = someone_waiting(&store).await;

    let gate = gate_on_the_session(&store).await;
    let forgetting = tokio::spawn(async move { forgetter.forget(PERSON).await });
    until_waiting(&store, 1, &forgetting).await;
    let ends = wait.ends;
    let claiming = tokio::spawn(async move { scheduler.claim_due(ends, 16).await });
    until_waiting(&store, 2, &claiming).await;
    gate.commit().await;

    let claimed = claiming.await.unwrap().unwrap();
    assert!(
        matches!(&claimed[..], [Due::Wait(end)] if end.user == PERSON && end.due == ends),
        "{claimed:?}"
    );
    all_forgotten(&store, forgetting.await.unwrap().unwrap()).await;
}

/// The same meeting with "I'm okay now" pressed instead: `end_wait` deletes
/// the wait, then holds the person's row to keep its first tap.
#[tokio::test]
async fn a_wait_ended_while_the_person_is_forgotten() {
    let Some(db) = Db::postgres() else { return };
    let (store, forgetter, presser) = (db.open().await, db.open().await, db.open().await);
    let wait = someone_waiting(&store).await;

    let gate = gate_on_the_session(&store).await;
    let forgetting = tokio::spawn(async move { forgetter.forget(PERSON).await });
    until_waiting(&store, 1, &forgetting).await;
    let started = wait.started;
    let ending = tokio::spawn(async move { presser.end_wait(PERSON, started).await });
    until_waiting(&store, 2, &ending).await;
    gate.commit().await;

    assert!(ending.await.unwrap().unwrap(), "the wait was there to end");
    all_forgotten(&store, forgetting.await.unwrap().unwrap()).await;
}

/// The other way round: the claim stopped at the person's row (someone's
/// check-in being set holds it), holding the wait; the forget comes, and
/// waits for the wait, holding nothing the claim needs.
#[tokio::test]
async fn a_person_forgotten_while_their_wait_s_end_is_claimed() {
    let Some(db) = Db::postgres() else { return };
    let (store, forgetter, scheduler) = (db.open().await, db.open().await, db.open().await);
    let wait = someone_waiting(&store).await;

    let mut gate = Writer::begin(&store).await;
    (gate.lock("SELECT 1 FROM users WHERE user_id = 1 FOR UPDATE")).await;
    let ends = wait.ends;
    let claiming = tokio::spawn(async move { scheduler.claim_due(ends, 16).await });
    until_waiting(&store, 1, &claiming).await;
    let forgetting = tokio::spawn(async move { forgetter.forget(PERSON).await });
    until_waiting(&store, 2, &forgetting).await;
    gate.commit().await;

    assert_eq!(claiming.await.unwrap().unwrap().len(), 1);
    all_forgotten(&store, forgetting.await.unwrap().unwrap()).await;
}

/// A server forgotten (its moment, and by cascade who joined its post)
/// while someone presses to join the post: the press waits for the post's
/// row, then finds it gone and counts nothing. Written join first, then
/// post (the order a forget and a new post take), it failed on the
/// post's foreign key instead, and the person was told something went
/// wrong.
#[tokio::test]
async fn a_join_pressed_while_the_server_is_forgotten() {
    let Some(db) = Db::postgres() else { return };
    let (store, forgetter, presser) = (db.open().await, db.open().await, db.open().await);
    let moment = Ritual {
        guild: GUILD,
        channel: 30,
        time: TimeOfDay::new(9, 0).unwrap(),
        zone: chrono_tz::Europe::Berlin,
        pattern: 1,
        locale: "de".to_owned(),
        next_due: None,
    };
    let due = store
        .set_ritual(&moment, at("2027-03-27T00:00:00Z"))
        .await
        .unwrap();
    let post = RitualPost {
        guild: GUILD,
        channel: 30,
        due,
        next: due + TimeDelta::days(1),
        time: moment.time,
        pattern: 1,
        locale: "de".to_owned(),
        acted: None,
    };
    store.ritual_posted(&post, 500).await.unwrap();
    assert!(store.ritual_joined(GUILD, 500, 8).await.unwrap());

    // Someone else's join held: the forget stops at its joins.
    let mut gate = Writer::begin(&store).await;
    (gate.lock("SELECT 1 FROM ritual_joins WHERE user_id = 8 FOR UPDATE")).await;
    let forgetting = tokio::spawn(async move { forgetter.forget_server(GUILD).await });
    until_waiting(&store, 1, &forgetting).await;
    let pressing = tokio::spawn(async move { presser.ritual_joined(GUILD, 500, 7).await });
    until_waiting(&store, 2, &pressing).await;
    gate.commit().await;

    assert!(
        !pressing.await.unwrap().unwrap(),
        "counted on a forgotten post"
    );
    assert!(forgetting.await.unwrap().unwrap().ritual);
    let joins = backend::number(&store, "SELECT COUNT(*) FROM ritual_joins").await;
    assert_eq!(joins, 0);
}

/// Every connection of a store fails a statement waiting for a lock
/// longer than `LOCK_TIMEOUT`, or running longer than `STATEMENT_TIMEOUT`.
#[tokio::test]
async fn every_connection_is_bounded_by_the_timeouts() {
    let Some(db) = Db::postgres() else { return };
    let store = db.open().await;
    for (name, limit) in [
        ("lock_timeout", LOCK_TIMEOUT),
        ("statement_timeout", STATEMENT_TIMEOUT),
    ] {
        let sql = format!("SELECT setting::BIGINT FROM pg_settings WHERE name = '{name}'");
        let millis = backend::number(&store, &sql).await;
        assert_eq!(u128::try_from(millis).unwrap(), limit.as_millis(), "{name}");
    }
}

/// Whether `result` failed waiting for a lock past the lock timeout.
fn timed_out<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    match result {
        Err(StoreError::Query(sqlx::Error::Database(error))) => {
            error.code().as_deref() == Some("55P03")
        }
        other => panic!("expected a lock timeout, got {other:?}"),
    }
}

/// A row held by a transaction that never ends (a stalled process, an
/// operator's open `psql`): a person's write and the scheduler's claim each
/// fail at the lock timeout instead of waiting for ever, and having changed
/// nothing, work once the row is free: the wait's end is still due.
#[tokio::test]
async fn a_lock_held_past_the_timeout_fails_the_write_and_loses_nothing() {
    let Some(db) = Db::postgres() else { return };
    let store = db.open().await;
    let wait = someone_waiting(&store).await;

    let mut stuck = Writer::begin(&store).await;
    (stuck.lock("SELECT 1 FROM users WHERE user_id = 1 FOR UPDATE")).await;
    assert!(timed_out(store.add_anchor(PERSON, "breathe out").await));
    assert!(timed_out(store.claim_due(wait.ends, 16).await));
    stuck.commit().await;

    assert!(store.anchors(PERSON).await.unwrap().is_empty());
    assert_eq!(
        store.add_anchor(PERSON, "breathe out").await.unwrap(),
        Ok(1)
    );
    let claimed = store.claim_due(wait.ends, 16).await.unwrap();
    assert!(
        matches!(&claimed[..], [Due::Wait(end)] if end.due == wait.ends),
        "{claimed:?}"
    );
}
