//! Mood history in the store: a wait's first tap is kept when the wait
//! ends, whichever way it ends, only if there was one and the person keeps
//! a history; and no tap outlives a history turned off at the moment it is
//! written. On both backends.

mod backend;

use backend::{wait, Db, Writer};
use chrono::{DateTime, Utc};
use std::time::Duration;
use steady::schedule::Due;
use steady::store::Store;

on_both!(
    a_wait_s_first_tap_is_kept_at_its_end_only_if_tapped_and_with_a_history,
    no_tap_outlives_a_history_turned_off_while_it_is_written,
);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

const STARTED: &str = "2026-06-01T10:00:00Z";

/// The taps at the start of `user`'s waits kept in their history.
async fn first_taps(store: &Store, user: u64) -> Vec<Option<i64>> {
    let export = store.export(user).await.unwrap();
    let urges = export.map(|export| export.urges).unwrap_or_default();
    urges.iter().map(|urge| urge.at_start).collect()
}

/// Ended by the person ("I'm okay now") or by the claim of its end, a
/// wait leaves its first tap in the history of someone who keeps one, and
/// nothing for a wait never tapped, for someone without a history, or for
/// someone steady keeps nothing else of.
async fn a_wait_s_first_tap_is_kept_at_its_end_only_if_tapped_and_with_a_history(db: Db) {
    let store = db.open().await;
    let started = at(STARTED);
    // (person, keeps a history, taps, ended by the person).
    let people = [
        (1, true, true, true),
        (2, true, false, true),
        (3, true, true, false),
        (4, true, false, false),
        (5, false, true, true),
        (6, false, true, false),
    ];
    for (user, history, tapped, _) in people {
        if history {
            store.set_mood_history(user, true).await.unwrap();
        } else {
            store.add_anchor(user, "breathe").await.unwrap().unwrap();
        }
        store
            .start_wait(&wait(user, at(STARTED), 20))
            .await
            .unwrap();
        if tapped {
            assert!(store.wait_urge(user, started, 4).await.unwrap());
        }
    }
    // Someone steady keeps nothing else of, their wait tapped.
    let stranger = 7;
    store
        .start_wait(&wait(stranger, at(STARTED), 20))
        .await
        .unwrap();
    assert!(store.wait_urge(stranger, started, 4).await.unwrap());

    for (user, ..) in people.iter().filter(|person| person.3) {
        assert!(store.end_wait(*user, started).await.unwrap());
    }
    let claimed = store
        .claim_due(wait(0, at(STARTED), 20).ends, 10)
        .await
        .unwrap();
    let mut ended: Vec<u64> = claimed
        .iter()
        .map(|due| match due {
            Due::Wait(end) => end.user,
            other => panic!("only wait ends are due: {other:?}"),
        })
        .collect();
    ended.sort_unstable();
    assert_eq!(ended, [3, 4, 6, stranger]);

    for (user, history, tapped, _) in people {
        let kept = if history && tapped {
            vec![Some(4)]
        } else {
            vec![]
        };
        assert_eq!(first_taps(&store, user).await, kept, "person {user}");
    }
    let strangers = "SELECT COUNT(*) FROM users WHERE user_id = 7";
    assert_eq!(backend::number(&store, strangers).await, 0);
}

/// Another process is turning three people's history off (their row
/// updated, their taps deleted, not yet committed) while one's wait is
/// ended by them, the other's by its claim, and the third taps a mood:
/// each write waits for it and then keeps nothing, rather than reading the
/// history still on and keeping a tap past its forgetting.
async fn no_tap_outlives_a_history_turned_off_while_it_is_written(db: Db) {
    let (store, other) = (db.open().await, db.open().await);
    let started = at(STARTED);
    for user in 1..=3 {
        store.set_mood_history(user, true).await.unwrap();
    }
    // Only the second's end is due at the claim.
    for (user, minutes) in [(1, 30), (2, 20)] {
        store
            .start_wait(&wait(user, at(STARTED), minutes))
            .await
            .unwrap();
        assert!(store.wait_urge(user, started, 4).await.unwrap());
    }

    // Turned off as the store does it, all but the commit.
    let mut turning_off = Writer::begin(&store).await;
    (turning_off.execute("UPDATE users SET mood_history = FALSE WHERE user_id IN (1, 2, 3)")).await;
    (turning_off.execute("DELETE FROM urges WHERE user_id IN (1, 2, 3)")).await;
    (turning_off.execute("DELETE FROM moods WHERE user_id IN (1, 2, 3)")).await;
    let writing = tokio::spawn(async move {
        let ends = wait(2, at(STARTED), 20).ends;
        let (ended, claimed, mood) = tokio::join!(
            other.end_wait(1, started),
            other.claim_due(ends, 10),
            other.record_mood(3, 2, ends, 11),
        );
        (ended.unwrap(), claimed.unwrap().len(), mood.unwrap())
    });
    // Time for each write to reach the row being updated.
    tokio::time::sleep(Duration::from_millis(500)).await;
    turning_off.commit().await;

    assert_eq!(writing.await.unwrap(), (true, 1, false));
    for user in 1..=3 {
        assert!(first_taps(&store, user).await.is_empty(), "person {user}");
        let export = store.export(user).await.unwrap().unwrap();
        assert!(
            !export.mood_history && export.moods.is_empty(),
            "person {user}"
        );
    }
}
