//! Running exercises in the store, as several processes sharing one
//! database file see them (each its own `Store`, as each process has its
//! own pool): one per person whichever process asks, a Stop written by one
//! and read by the one running it, and a dead process's exercises taken by
//! the next to start, at instants the test chooses. On both backends.

mod backend;

use backend::Db;
use chrono::{DateTime, TimeDelta, Utc};
use steady::store::Unfinished;

on_both!(
    a_person_runs_one_exercise_whichever_process_asks,
    a_stop_pressed_on_one_process_reaches_the_one_running_it,
    the_next_process_to_start_takes_its_own_and_the_dead_ones_exercises,
);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Session `interaction` of `user`, begun at `started`.
fn session(interaction: u64, user: u64, started: DateTime<Utc>) -> Unfinished {
    Unfinished {
        interaction,
        user,
        application: 7,
        token: format!("token-{interaction}"),
        started,
        locale: "de".to_owned(),
    }
}

fn sorted(mut seen: Vec<(u64, bool)>) -> Vec<(u64, bool)> {
    seen.sort_unstable();
    seen
}

fn ids(sessions: &[Unfinished]) -> Vec<u64> {
    let mut ids: Vec<u64> = sessions.iter().map(|session| session.interaction).collect();
    ids.sort_unstable();
    ids
}

async fn a_person_runs_one_exercise_whichever_process_asks(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let now = at("2026-11-01T01:30:00Z");
    assert!(first
        .session_begin(&session(1, 10, now), "0-0/2")
        .await
        .unwrap());
    assert!(!second
        .session_begin(&session(2, 10, now), "1-1/2")
        .await
        .unwrap());
    assert!(second
        .session_begin(&session(3, 11, now), "1-1/2")
        .await
        .unwrap());
    // Its own process let them begin again: that one ended, its row not yet
    // gone ("Again" pressed at once). The new one takes its place.
    assert!(second
        .session_begin(&session(5, 11, now), "1-1/2")
        .await
        .unwrap());
    assert!(!first.request_stop(11, Some(3)).await.unwrap());
    assert!(first.request_stop(11, Some(5)).await.unwrap());
    // Ended on the first process, the person may begin on the second.
    first.session_ended(1).await.unwrap();
    assert!(second
        .session_begin(&session(4, 10, now), "1-1/2")
        .await
        .unwrap());
}

async fn a_stop_pressed_on_one_process_reaches_the_one_running_it(db: Db) {
    let (runner, pressed) = (db.open().await, db.open().await);
    let now = at("2026-03-29T00:59:59Z");
    runner
        .session_begin(&session(1, 10, now), "0-0/2")
        .await
        .unwrap();
    runner
        .session_begin(&session(2, 11, now), "0-0/2")
        .await
        .unwrap();
    let seen = runner.sessions_seen("0-0/2", now).await.unwrap();
    assert_eq!(sorted(seen), [(1, false), (2, false)]);
    // Stop of another session of this person, or of someone else's: nothing.
    assert!(!pressed.request_stop(10, Some(2)).await.unwrap());
    assert!(!pressed.request_stop(12, None).await.unwrap());
    assert!(pressed.request_stop(10, Some(1)).await.unwrap());
    let seen = runner.sessions_seen("0-0/2", now).await.unwrap();
    assert_eq!(sorted(seen), [(1, true), (2, false)]);
    // "Stop the other one" names no session.
    assert!(pressed.request_stop(11, None).await.unwrap());
    let seen = runner.sessions_seen("0-0/2", now).await.unwrap();
    assert_eq!(sorted(seen), [(1, true), (2, true)]);
    // Another process's look sees none of them.
    assert!(pressed
        .sessions_seen("1-1/2", now)
        .await
        .unwrap()
        .is_empty());
    // A person's data deleted on another process takes the row: the runner
    // sees it gone.
    pressed.forget(11).await.unwrap();
    let seen = runner.sessions_seen("0-0/2", now).await.unwrap();
    assert_eq!(sorted(seen), [(1, true)]);
}

async fn the_next_process_to_start_takes_its_own_and_the_dead_ones_exercises(db: Db) {
    let store = db.open().await;
    let start = at("2026-10-25T00:59:30Z");
    store
        .session_begin(&session(1, 10, start), "0-0/3")
        .await
        .unwrap();
    store
        .session_begin(&session(2, 11, start), "1-1/3")
        .await
        .unwrap();
    store
        .session_begin(&session(3, 12, start), "2-2/3")
        .await
        .unwrap();
    // Shard 1's process keeps saying it is alive; shard 2's has died.
    let later = start + TimeDelta::seconds(30);
    store.sessions_seen("1-1/3", later).await.unwrap();
    let dead_before = later - TimeDelta::seconds(10);

    // Shard 0's process restarts: its own, and the dead one's.
    let taken = store.take_unfinished_sessions(Some("0-0/3"), dead_before);
    let taken = taken.await.unwrap();
    assert_eq!(ids(&taken), [1, 3]);
    let first = taken
        .iter()
        .find(|session| session.interaction == 1)
        .unwrap();
    assert_eq!(first, &session(1, 10, start));
    // A look for the dead only (a person's begin meeting one): none left.
    assert!(store
        .take_unfinished_sessions(None, dead_before)
        .await
        .unwrap()
        .is_empty());
    // The person whose exercise died may begin again.
    assert!(store
        .session_begin(&session(4, 12, later), "0-0/3")
        .await
        .unwrap());
}
