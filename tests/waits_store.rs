//! Waits in the store, at instants the test chooses: one per person, its
//! end claimed once (ahead of check-ins due with it, whichever process
//! claims) and given back only if unchanged, deleted an hour after it was
//! sent, and urge taps kept only with a mood history, exported and deleted
//! with the rest. On both backends.

mod backend;

use backend::{number, wait, Db};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use std::time::Duration;
use steady::schedule::Due;
use steady::store::{OnMessage, KEEP_ENDED};

on_both!(
    a_wait_s_end_is_claimed_once_ahead_of_check_ins_due_with_it,
    processes_claiming_at_once_take_different_ends,
    a_claimed_end_keeps_the_first_tap_for_someone_with_a_history,
    a_claimed_end_keeps_a_tap_only_where_there_is_one_and_a_history,
    a_claim_is_given_back_only_if_the_wait_is_still_the_same,
    a_sent_wait_is_kept_an_hour_for_its_buttons_then_deleted,
    one_wait_per_person_a_new_one_replaces_it_and_taps_belong_to_theirs,
    urge_taps_are_kept_only_with_a_mood_history_and_go_with_it,
    a_wait_and_its_taps_are_in_the_export_and_gone_after_delete,
    a_tap_racing_the_end_is_kept_exactly_when_it_says_it_landed,
);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Whose a claimed end or check-in is.
fn user(due: &Due) -> u64 {
    match due {
        Due::Wait(end) => end.user,
        Due::Checkin(checkin) => checkin.user,
        other => panic!("expected a wait's end or a check-in, claimed {other:?}"),
    }
}

async fn a_wait_s_end_is_claimed_once_ahead_of_check_ins_due_with_it(db: Db) {
    let store = db.open().await;
    let start = at("2026-03-29T00:30:00Z");
    let ends = start + TimeDelta::minutes(20);
    store.start_wait(&wait(1, start, 20)).await.unwrap();
    let time = "00:50".parse().unwrap();
    store
        .set_checkin(2, time, Tz::UTC, "en-US", start)
        .await
        .unwrap();
    assert_eq!(store.next_due().await.unwrap(), Some(ends));
    assert!(store
        .claim_due(ends - TimeDelta::seconds(1), 4)
        .await
        .unwrap()
        .is_empty());

    // Room for one: the wait's end goes first.
    let first = store.claim_due(ends, 1).await.unwrap();
    let [Due::Wait(end)] = first.as_slice() else {
        panic!("{first:?}")
    };
    assert_eq!((end.user, end.due, end.minutes), (1, ends, 20));
    assert_eq!(end.locale, "de");
    let next = store.claim_due(ends, 4).await.unwrap();
    assert!(matches!(next.as_slice(), [Due::Checkin(c)] if c.user == 2));
    // Claimed once: nothing is due any more, and a second store sharing the
    // database (another process) finds nothing either.
    assert!(store.claim_due(ends, 4).await.unwrap().is_empty());
    let other = db.open().await;
    assert!(other.claim_due(ends, 4).await.unwrap().is_empty());
    assert_eq!(store.wait(1).await.unwrap().unwrap().due, None);
}

async fn processes_claiming_at_once_take_different_ends(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let start = at("2026-03-29T00:30:00Z");
    let ends = start + TimeDelta::minutes(20);
    for user in 1..=8 {
        first.start_wait(&wait(user, start, 20)).await.unwrap();
    }
    let (a, b) = tokio::join!(first.claim_due(ends, 4), second.claim_due(ends, 4));
    let mut owners: Vec<u64> = a.unwrap().iter().chain(&b.unwrap()).map(user).collect();
    owners.sort_unstable();
    assert_eq!(owners, (1..=8).collect::<Vec<_>>(), "each end once");
    assert!(second.claim_due(ends, 4).await.unwrap().is_empty());
}

async fn a_claimed_end_keeps_the_first_tap_for_someone_with_a_history(db: Db) {
    let store = db.open().await;
    let start = at("2026-06-01T10:00:00Z");
    let ends = start + TimeDelta::minutes(20);
    store.set_mood_history(1, true).await.unwrap();
    store.start_wait(&wait(1, start, 20)).await.unwrap();
    assert!(store.wait_urge(1, start, 4).await.unwrap());
    assert_eq!(store.claim_due(ends, 4).await.unwrap().len(), 1);
    // The end was sent: a tap at the start no longer lands.
    assert!(!store.wait_urge(1, start, 2).await.unwrap());
    // The first tap outlives the wait's row, deleted an hour later.
    store.claim_due(ends + KEEP_ENDED, 4).await.unwrap();
    assert_eq!(store.wait(1).await.unwrap(), None);
    assert!(store.urge_after(1, start, 1).await.unwrap());
    let urges = store.urges(1, 10).await.unwrap();
    assert_eq!(urges.len(), 1);
    assert_eq!((urges[0].before, urges[0].after), (Some(4), Some(1)));
}

/// Both backends keep a claimed end's first tap by one rule: only a tap
/// there is, only for someone who keeps a history (SQLite once ran the keep
/// for every claimed end, joining the wait's row; PostgreSQL only for a tap).
async fn a_claimed_end_keeps_a_tap_only_where_there_is_one_and_a_history(db: Db) {
    let store = db.open().await;
    let start = at("2026-06-01T10:00:00Z");
    let ends = start + TimeDelta::minutes(20);
    // 1 taps without a history; 2 keeps one but does not tap; 3 does both.
    store.start_wait(&wait(1, start, 20)).await.unwrap();
    assert!(store.wait_urge(1, start, 4).await.unwrap());
    for user in [2, 3] {
        store.set_mood_history(user, true).await.unwrap();
        store.start_wait(&wait(user, start, 20)).await.unwrap();
    }
    assert!(store.wait_urge(3, start, 5).await.unwrap());
    assert_eq!(store.claim_due(ends, 4).await.unwrap().len(), 3);
    let kept = "SELECT COUNT(*) FROM urges";
    assert_eq!(number(&store, kept).await, 1);
    let theirs = "SELECT COUNT(*) FROM urges WHERE user_id = 3 AND before = 5";
    assert_eq!(number(&store, theirs).await, 1);
    // Turning the history on later brings back nothing from before.
    store.set_mood_history(1, true).await.unwrap();
    assert_eq!(number(&store, kept).await, 1);
}

async fn a_claim_is_given_back_only_if_the_wait_is_still_the_same(db: Db) {
    let store = db.open().await;
    let start = at("2026-10-25T00:40:00Z");
    let ends = start + TimeDelta::minutes(10);
    store.start_wait(&wait(1, start, 10)).await.unwrap();
    store.start_wait(&wait(2, start, 10)).await.unwrap();
    store.start_wait(&wait(3, start, 10)).await.unwrap();
    let claimed = store.claim_due(ends, 4).await.unwrap();
    assert_eq!(claimed.len(), 3);
    let by_user = |who: u64| claimed.iter().find(|d| user(d) == who).unwrap();
    // 2 asked for ten more minutes meanwhile; 3 said they were okay.
    let later = ends + TimeDelta::minutes(10);
    assert!(store.extend_wait(2, start, 10, later, None).await.unwrap());
    assert!(store.end_wait(3, start).await.unwrap());

    assert!(store.give_back(by_user(1), None).await.unwrap());
    assert!(!store.give_back(by_user(2), None).await.unwrap());
    assert!(!store.give_back(by_user(3), None).await.unwrap());
    assert_eq!(store.wait(1).await.unwrap().unwrap().due, Some(ends));
    assert_eq!(store.wait(2).await.unwrap().unwrap().due, Some(later));
    assert_eq!(store.wait(3).await.unwrap(), None);
    // Given back, it is claimed (once) again.
    let again = store.claim_due(ends, 4).await.unwrap();
    assert_eq!(again.iter().map(user).collect::<Vec<_>>(), vec![1]);
}

async fn a_sent_wait_is_kept_an_hour_for_its_buttons_then_deleted(db: Db) {
    let store = db.open().await;
    let start = at("2026-06-01T23:30:00Z");
    let ends = start + TimeDelta::minutes(30);
    store.start_wait(&wait(1, start, 30)).await.unwrap();
    assert_eq!(store.claim_due(ends, 4).await.unwrap().len(), 1);
    // The scheduler wakes when the hour is up, and deletes it then.
    assert_eq!(store.next_due().await.unwrap(), Some(ends + KEEP_ENDED));
    store
        .claim_due(ends + KEEP_ENDED - TimeDelta::seconds(1), 4)
        .await
        .unwrap();
    assert!(store.wait(1).await.unwrap().is_some());
    store.claim_due(ends + KEEP_ENDED, 4).await.unwrap();
    assert_eq!(store.wait(1).await.unwrap(), None);
    assert_eq!(store.next_due().await.unwrap(), None);
}

async fn one_wait_per_person_a_new_one_replaces_it_and_taps_belong_to_theirs(db: Db) {
    let store = db.open().await;
    let first = at("2026-06-01T10:00:00Z");
    store.start_wait(&wait(1, first, 20)).await.unwrap();
    assert!(store.wait_urge(1, first, 4).await.unwrap());
    let second = first + TimeDelta::minutes(5);
    let mut replacing = wait(1, second, 60);
    replacing.on_message = Some(OnMessage {
        application: 7,
        token: "a token".to_owned(),
    });
    store.start_wait(&replacing).await.unwrap();
    let kept = store.wait(1).await.unwrap().unwrap();
    assert_eq!(kept, replacing, "the first tap went with the first wait");
    // The first wait's buttons no longer reach anything.
    assert!(!store.wait_urge(1, first, 2).await.unwrap());
    assert!(!store.end_wait(1, first).await.unwrap());
    assert!(!store.extend_wait(1, first, 10, second, None).await.unwrap());
    // The token is never shown, even in a debug print.
    assert!(!format!("{kept:?}").contains("a token"));
}

async fn urge_taps_are_kept_only_with_a_mood_history_and_go_with_it(db: Db) {
    let store = db.open().await;
    let start = at("2026-06-01T10:00:00Z");
    // Without a history: nothing kept, and nothing about the person at all
    // once the wait has ended.
    store.start_wait(&wait(1, start, 20)).await.unwrap();
    assert!(store.wait_urge(1, start, 5).await.unwrap());
    assert!(!store.urge_after(1, start, 2).await.unwrap());
    assert!(store.end_wait(1, start).await.unwrap());
    assert!(!store.knows(1).await.unwrap());
    assert_eq!(store.export(1).await.unwrap(), None);

    // With one: both taps, even when "I'm okay now" comes between them.
    store.set_mood_history(2, true).await.unwrap();
    store.start_wait(&wait(2, start, 20)).await.unwrap();
    assert!(store.wait_urge(2, start, 5).await.unwrap());
    assert!(store.end_wait(2, start).await.unwrap());
    assert!(store.urge_after(2, start, 2).await.unwrap());
    let urges = store.urges(2, 10).await.unwrap();
    assert_eq!(urges.len(), 1);
    assert_eq!((urges[0].before, urges[0].after), (Some(5), Some(2)));
    // A second tap at the end replaces the first.
    assert!(store.urge_after(2, start, 3).await.unwrap());
    assert_eq!(store.urges(2, 10).await.unwrap()[0].after, Some(3));

    // Turning the history off forgets them.
    store.set_mood_history(2, false).await.unwrap();
    assert!(store.urges(2, 10).await.unwrap().is_empty());
}

async fn a_wait_and_its_taps_are_in_the_export_and_gone_after_delete(db: Db) {
    let store = db.open().await;
    let start = at("2026-06-01T10:00:00Z");
    // Someone whose only data is a running wait can see and delete it.
    store.start_wait(&wait(1, start, 20)).await.unwrap();
    assert!(store.wait_urge(1, start, 4).await.unwrap());
    assert!(store.knows(1).await.unwrap());
    let export = store.export(1).await.unwrap().expect("the wait");
    let kept = export.wait.expect("in the file");
    assert!(kept.running);
    assert_eq!(kept.urge_at_start, Some(4));
    assert_eq!(kept.started, start.to_rfc3339());
    let forgotten = store.forget(1).await.unwrap();
    assert_eq!(forgotten.urges, 0);
    assert_eq!(store.wait(1).await.unwrap(), None);
    assert!(!store.knows(1).await.unwrap());

    store.set_mood_history(2, true).await.unwrap();
    for hour in 0..3 {
        let started = start + TimeDelta::hours(hour);
        store.start_wait(&wait(2, started, 10)).await.unwrap();
        store.wait_urge(2, started, 4).await.unwrap();
        store.urge_after(2, started, 1).await.unwrap();
    }
    let export = store.export(2).await.unwrap().unwrap();
    assert_eq!(export.urges.len(), 3);
    assert_eq!(
        (export.urges[0].at_start, export.urges[0].at_end),
        (Some(4), Some(1))
    );
    assert!(export.wait.is_some());
    let forgotten = store.forget(2).await.unwrap();
    assert_eq!(forgotten.urges, 3);
    assert_eq!(store.export(2).await.unwrap(), None);
    assert_eq!(store.next_due().await.unwrap(), None);
}

/// "I'm okay now" pressed while the tap at the start is landing, from
/// another process: the tap is in the history exactly when it said it
/// landed. The end reads the tap in its delete, on both backends; read
/// before the delete, a tap landing between the two was said kept and lost.
async fn a_tap_racing_the_end_is_kept_exactly_when_it_says_it_landed(db: Db) {
    let (store, other) = (db.open().await, db.open().await);
    store.set_mood_history(1, true).await.unwrap();
    let start = at("2026-06-01T10:00:00Z");
    for round in 0..60 {
        let started = start + TimeDelta::minutes(round);
        store.start_wait(&wait(1, started, 20)).await.unwrap();
        // One sets off a little after the other, the tap first on odd
        // rounds, so they meet at every step of each other.
        let lag = Duration::from_micros(u64::try_from(round % 12).unwrap() * 250);
        let (tap_lag, end_lag) = if round % 2 == 0 {
            (lag, Duration::ZERO)
        } else {
            (Duration::ZERO, lag)
        };
        let tap = async {
            tokio::time::sleep(tap_lag).await;
            store.wait_urge(1, started, 4).await.unwrap()
        };
        let end = async {
            tokio::time::sleep(end_lag).await;
            other.end_wait(1, started).await
        };
        let (landed, ended) = tokio::join!(tap, end);
        assert!(ended.unwrap());
        // A tap at the end lists the wait's taps if the first was kept.
        assert!(store.urge_after(1, started, 1).await.unwrap());
        let newest = store.urges(1, 1).await.unwrap();
        let kept = newest.first().is_some_and(|urge| urge.started == started);
        assert_eq!(kept, landed, "round {round}: kept exactly when it landed");
    }
}
