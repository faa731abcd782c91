//! Running exercises in the store, as several processes sharing one
//! database file see them (each its own `Store`, as each process has its
//! own pool): one per person whichever process asks, a Stop written by one
//! and read by the one running it, and a dead process's exercises taken by
//! a live one. Liveness is the database's clock alone: the test ages a
//! process's last beat in the database itself. On both backends.

mod backend;

use backend::{execute, Db};
use chrono::{DateTime, Utc};
use steady::store::{Store, Unfinished};
use steady::timing::DEAD_AFTER;

on_both!(
    a_person_runs_one_exercise_whichever_process_asks,
    a_second_process_of_the_same_shards_takes_nothing_of_the_first,
    a_stop_pressed_on_one_process_reaches_the_one_running_it,
    a_dead_process_s_exercises_are_taken_once_the_database_has_not_seen_it,
    a_process_taken_for_dead_learns_it_at_its_next_beat,
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

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}

/// `owner` was last seen `seconds` before the database's now.
async fn last_seen(store: &Store, owner: &str, seconds: u64) {
    execute(
        store,
        &format!("UPDATE processes SET seen_at = seen_at - {seconds} WHERE owner = '{owner}'"),
    )
    .await;
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

async fn a_second_process_of_the_same_shards_takes_nothing_of_the_first(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let now = at("2026-11-01T01:30:00Z");
    first.process_arrive("1-1/2#a", "1-1/2").await.unwrap();
    assert!(first
        .session_begin(&session(1, 10, now), "1-1/2#a")
        .await
        .unwrap());
    // A rolling restart starts the new process before stopping the old:
    // it sees the other, and takes none of its exercises.
    let twins = second.process_arrive("1-1/2#b", "1-1/2").await.unwrap();
    assert_eq!(twins.len(), 1);
    assert!(twins[0] < DEAD_AFTER);
    assert!(second.take_dead_sessions().await.unwrap().is_empty());
    // Nor can it run a second exercise for the same person.
    assert!(!second
        .session_begin(&session(2, 10, now), "1-1/2#b")
        .await
        .unwrap());
    // Another shard's process is nobody's twin.
    assert!(first
        .process_arrive("0-0/2#c", "0-0/2")
        .await
        .unwrap()
        .is_empty());
    // The first stops cleanly: the second takes what it left at once.
    first.process_leave("1-1/2#a").await.unwrap();
    let taken = second.take_dead_sessions().await.unwrap();
    assert_eq!(ids(&taken), [1]);
    assert!(second
        .process_arrive("1-1/2#b", "1-1/2")
        .await
        .unwrap()
        .is_empty());
}

async fn a_stop_pressed_on_one_process_reaches_the_one_running_it(db: Db) {
    let (runner, pressed) = (db.open().await, db.open().await);
    let now = at("2026-03-29T00:59:59Z");
    runner
        .session_begin(&session(1, 10, now), "0-0/2#a")
        .await
        .unwrap();
    runner
        .session_begin(&session(2, 11, now), "0-0/2#a")
        .await
        .unwrap();
    assert!(runner
        .sessions_stopping("0-0/2#a")
        .await
        .unwrap()
        .is_empty());
    // Stop of another session of this person, or of someone else's: nothing.
    assert!(!pressed.request_stop(10, Some(2)).await.unwrap());
    assert!(!pressed.request_stop(12, None).await.unwrap());
    assert!(pressed.request_stop(10, Some(1)).await.unwrap());
    assert_eq!(runner.sessions_stopping("0-0/2#a").await.unwrap(), [1]);
    // "Stop the other one" names no session.
    assert!(pressed.request_stop(11, None).await.unwrap());
    let stopping = runner.sessions_stopping("0-0/2#a").await.unwrap();
    assert_eq!(sorted(stopping), [1, 2]);
    // Another process's look sees none of them.
    assert!(pressed
        .sessions_stopping("1-1/2#b")
        .await
        .unwrap()
        .is_empty());
    // A person's data deleted on another process stops their exercise, and
    // leaves nothing of theirs: no row of theirs to stop, their place free.
    runner.session_ended(1).await.unwrap();
    runner.session_ended(2).await.unwrap();
    runner
        .session_begin(&session(3, 11, now), "0-0/2#a")
        .await
        .unwrap();
    pressed.forget(11).await.unwrap();
    assert_eq!(runner.sessions_stopping("0-0/2#a").await.unwrap(), [3]);
    assert!(!pressed.request_stop(11, None).await.unwrap());
    pressed.process_arrive("1-1/2#b", "1-1/2").await.unwrap();
    assert!(pressed
        .session_begin(&session(4, 11, now), "1-1/2#b")
        .await
        .unwrap());
    // Its runner dies before ending it: the row kept no token to finish.
    runner.process_arrive("0-0/2#a", "0-0/2").await.unwrap();
    runner.process_leave("0-0/2#a").await.unwrap();
    assert!(pressed.take_dead_sessions().await.unwrap().is_empty());
    assert!(runner
        .sessions_stopping("0-0/2#a")
        .await
        .unwrap()
        .is_empty());
}

async fn a_dead_process_s_exercises_are_taken_once_the_database_has_not_seen_it(db: Db) {
    let store = db.open().await;
    let start = at("2026-10-25T00:59:30Z");
    for (owner, shards) in [
        ("0-0/3#a", "0-0/3"),
        ("1-1/3#b", "1-1/3"),
        ("2-2/3#c", "2-2/3"),
    ] {
        store.process_arrive(owner, shards).await.unwrap();
    }
    for (id, owner) in [(1, "0-0/3#a"), (2, "1-1/3#b"), (3, "2-2/3#c")] {
        let exercise = session(id, 9 + id, start);
        assert!(store.session_begin(&exercise, owner).await.unwrap());
    }
    // By the database's clock: shard 1's process was seen a moment ago,
    // shard 2's not for longer than DEAD_AFTER, shard 0's just under it.
    let dead = DEAD_AFTER.as_secs();
    last_seen(&store, "1-1/3#b", 1).await;
    last_seen(&store, "2-2/3#c", dead + 1).await;
    last_seen(&store, "0-0/3#a", dead - 2).await;
    assert!(store.any_process_dead().await.unwrap());
    let taken = store.take_dead_sessions().await.unwrap();
    assert_eq!(ids(&taken), [3]);
    assert_eq!(taken[0], session(3, 12, start));
    assert!(!store.any_process_dead().await.unwrap());
    assert!(store.take_dead_sessions().await.unwrap().is_empty());
    // The person whose exercise died may begin again.
    assert!(store
        .session_begin(&session(4, 12, start), "0-0/3#a")
        .await
        .unwrap());
    // A row of a build before `processes` (owned by its shards alone)
    // is judged by its own `seen_at`, on the database's clock too.
    execute(
        &store,
        "UPDATE sessions SET owner = '1-1/3', seen_at = 0 WHERE interaction_id = 2",
    )
    .await;
    let taken = store.take_dead_sessions().await.unwrap();
    assert_eq!(ids(&taken), [2]);
}

async fn a_process_taken_for_dead_learns_it_at_its_next_beat(db: Db) {
    let (sleeper, other) = (db.open().await, db.open().await);
    let start = at("2026-10-25T00:59:30Z");
    sleeper.process_arrive("#a", "").await.unwrap();
    assert!(sleeper.process_beat("#a").await.unwrap());
    sleeper
        .session_begin(&session(1, 10, start), "#a")
        .await
        .unwrap();
    // Its machine slept past DEAD_AFTER; another took its exercise.
    last_seen(&other, "#a", DEAD_AFTER.as_secs() + 1).await;
    assert_eq!(ids(&other.take_dead_sessions().await.unwrap()), [1]);
    // Awake, its beat says so, and it says it is here again.
    assert!(!sleeper.process_beat("#a").await.unwrap());
    sleeper.process_arrive("#a", "").await.unwrap();
    assert!(sleeper.process_beat("#a").await.unwrap());
}
