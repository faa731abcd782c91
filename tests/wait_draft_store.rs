//! A wait's draft in the store, and the sweep that forgets it a day after
//! the wait ends, on both backends: explicit instants for the store, and a
//! scheduler whose clock the test moves by hand (no real waiting).

mod backend;

use backend::{wait, Db};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Arc;
use std::time::Duration;
use steady::metrics::Metrics;
use steady::schedule::{Clock, Courier, Delivery, Due, Policy, Scheduler, SWEEP_EVERY};
use steady::store::{DraftError, Drafted, JournalKind, Store, DRAFT_MAX_CHARS, KEEP_DRAFT};
use steady::CancellationToken;
use tokio::sync::watch;

on_both!(
    a_draft_is_kept_with_its_running_wait_and_a_second_replaces_it,
    a_draft_is_refused_empty_too_long_or_once_the_wait_has_ended,
    at_the_end_an_unkept_draft_is_kept_a_day_and_a_kept_one_stays_kept,
    a_new_wait_keeps_the_draft_of_the_one_it_replaces_not_of_one_ended,
    expired_journal_rows_go_at_their_instant_not_a_second_before,
    the_scheduler_sweeps_a_draft_a_day_after_its_wait_and_not_before,
    a_draft_goes_with_the_person_and_their_wait_with_it,
);

const USER: u64 = 41_000_000_000_000_001;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

async fn a_draft_is_kept_with_its_running_wait_and_a_second_replaces_it(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    let running = wait(USER, started, 20);
    store.start_wait(&running).await.unwrap();
    assert_eq!(store.wait_draft(USER, started).await.unwrap(), None);

    let first = store.write_wait_draft(USER, started, "first words").await;
    assert_eq!(first.unwrap(), Ok(Drafted::Written));
    let draft = store.wait_draft(USER, started).await.unwrap().unwrap();
    assert_eq!(draft.kind, JournalKind::Draft);
    assert_eq!(draft.text.as_deref(), Some("first words"));
    assert_eq!(draft.expires_at, Some(running.ends + KEEP_DRAFT));

    let second = store.write_wait_draft(USER, started, "second words").await;
    assert_eq!(second.unwrap(), Ok(Drafted::Replaced));
    let replaced = store.wait_draft(USER, started).await.unwrap().unwrap();
    assert_eq!(replaced.id, draft.id, "one draft per wait");
    assert_eq!(replaced.text.as_deref(), Some("second words"));
    // Never in the journal while it is a draft.
    let (kept, total) = store.journal_page(USER, 0, 10).await.unwrap();
    assert!(kept.is_empty());
    assert_eq!(total, 0);
    store.close().await;
}

async fn a_draft_is_refused_empty_too_long_or_once_the_wait_has_ended(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    store.start_wait(&wait(USER, started, 20)).await.unwrap();
    let empty = store.write_wait_draft(USER, started, " \n ").await.unwrap();
    assert_eq!(empty, Err(DraftError::Empty));
    let long = "a".repeat(DRAFT_MAX_CHARS + 1);
    let long = store.write_wait_draft(USER, started, &long).await.unwrap();
    assert_eq!(long, Err(DraftError::TooLong));
    let most = "é".repeat(DRAFT_MAX_CHARS);
    let most = store.write_wait_draft(USER, started, &most).await.unwrap();
    assert_eq!(most, Ok(Drafted::Written), "a limit in characters");
    // Another wait's name, then the wait ended: nothing kept.
    let other = started - TimeDelta::hours(1);
    let stale = store.write_wait_draft(USER, other, "words").await.unwrap();
    assert_eq!(stale, Ok(Drafted::Ended));
    assert!(store.end_wait(USER, started).await.unwrap());
    let late = store
        .write_wait_draft(USER, started, "words")
        .await
        .unwrap();
    assert_eq!(late, Ok(Drafted::Ended));
    store.close().await;
}

async fn at_the_end_an_unkept_draft_is_kept_a_day_and_a_kept_one_stays_kept(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    store.start_wait(&wait(USER, started, 20)).await.unwrap();
    store
        .write_wait_draft(USER, started, "words")
        .await
        .unwrap()
        .unwrap();
    let id = store.wait_draft(USER, started).await.unwrap().unwrap().id;
    // "I'm okay now" five minutes in: a day from then.
    let ended = started + TimeDelta::minutes(5);
    assert!(store.draft_ends(USER, id, ended).await.unwrap());
    let entry = store.draft(USER, id).await.unwrap().unwrap();
    assert_eq!(entry.expires_at, Some(ended + KEEP_DRAFT));
    // Someone else's id is not theirs.
    assert!(!store.draft_ends(USER + 1, id, ended).await.unwrap());
    assert_eq!(store.draft(USER + 1, id).await.unwrap(), None);
    // Kept in the journal, a later end leaves it kept.
    assert!(store.keep_in_journal(USER, id).await.unwrap());
    assert!(!store.draft_ends(USER, id, ended).await.unwrap());
    let kept = store.draft(USER, id).await.unwrap().unwrap();
    assert_eq!(kept.expires_at, None);
    let (page, _) = store.journal_page(USER, 0, 10).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].text.as_deref(), Some("words"));
    store.close().await;
}

async fn a_new_wait_keeps_the_draft_of_the_one_it_replaces_not_of_one_ended(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    store.start_wait(&wait(USER, started, 20)).await.unwrap();
    store
        .write_wait_draft(USER, started, "words")
        .await
        .unwrap()
        .unwrap();
    let id = store.wait_draft(USER, started).await.unwrap().unwrap().id;
    // "Start a new wait" while it runs: the words go on with the new one.
    let again = started + TimeDelta::minutes(3);
    store.start_wait(&wait(USER, again, 30)).await.unwrap();
    let carried = store.wait_draft(USER, again).await.unwrap().unwrap();
    assert_eq!(carried.id, id);
    // Its end sent (the scheduler claims it): the next wait starts clean.
    let ends = again + TimeDelta::minutes(30);
    let claimed = store.claim_due(ends, 10).await.unwrap();
    match claimed.as_slice() {
        [Due::Wait(end)] => assert_eq!(end.draft, Some(id)),
        other => panic!("expected the wait's end, claimed {other:?}"),
    }
    let later = ends + TimeDelta::minutes(1);
    store.start_wait(&wait(USER, later, 10)).await.unwrap();
    assert_eq!(store.wait_draft(USER, later).await.unwrap(), None);
    store.close().await;
}

async fn expired_journal_rows_go_at_their_instant_not_a_second_before(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    let running = wait(USER, started, 20);
    store.start_wait(&running).await.unwrap();
    store
        .write_wait_draft(USER, started, "words")
        .await
        .unwrap()
        .unwrap();
    let id = store.wait_draft(USER, started).await.unwrap().unwrap().id;
    let gone_at = running.ends + KEEP_DRAFT;
    let just_before = gone_at - TimeDelta::seconds(1);
    assert_eq!(store.forget_expired_journal(just_before).await.unwrap(), 0);
    assert!(store.draft(USER, id).await.unwrap().is_some());
    assert_eq!(store.forget_expired_journal(gone_at).await.unwrap(), 1);
    assert_eq!(store.draft(USER, id).await.unwrap(), None);
    assert_eq!(store.wait_draft(USER, started).await.unwrap(), None);
    store.close().await;
}

/// A clock that stands still until the test moves it.
struct HandClock(watch::Sender<DateTime<Utc>>);

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.borrow()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let mut now = self.0.subscribe();
        let _ = now.wait_for(|now| *now >= deadline).await;
    }
}

/// Nothing but drafts in these tests: nothing is due to send.
struct Nobody;

impl Courier for Nobody {
    async fn deliver(&self, due: &Due, _stop: &CancellationToken) -> Delivery {
        panic!("nothing is due here, yet {due:?} was")
    }
}

/// Patience for what happens as soon as the clock moves.
const SOON: Duration = Duration::from_secs(5);

/// Wait (briefly, really) until `user`'s draft `id` is there or not.
async fn until_draft(store: &Store, user: u64, id: i64, there: bool) {
    tokio::time::timeout(SOON, async {
        while store.draft(user, id).await.unwrap().is_some() != there {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("draft {id} there: {there}, never so"));
}

async fn the_scheduler_sweeps_a_draft_a_day_after_its_wait_and_not_before(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    // A draft whose wait was ended early ("I'm okay now") five minutes in,
    // and, as a witness that a sweep ran, another person's ended a minute
    // earlier: it goes first.
    let ended = started + TimeDelta::minutes(5);
    let witness_user = USER + 1;
    let mut drafts = Vec::new();
    for (user, end) in [(USER, ended), (witness_user, ended - SWEEP_EVERY)] {
        store.start_wait(&wait(user, started, 20)).await.unwrap();
        store
            .write_wait_draft(user, started, "words")
            .await
            .unwrap()
            .unwrap();
        let id = store.wait_draft(user, started).await.unwrap().unwrap().id;
        assert!(store.draft_ends(user, id, end).await.unwrap());
        assert!(store.end_wait(user, started).await.unwrap());
        drafts.push(id);
    }
    let (draft, witness) = (drafts[0], drafts[1]);
    let gone_at = ended + KEEP_DRAFT;

    let clock = Arc::new(HandClock(watch::channel(ended).0));
    let policy = Policy {
        in_flight: 1,
        grace: Duration::from_secs(600),
        max_failures: 3,
        look_again: None,
        nonce_window: Duration::from_secs(60),
    };
    let scheduler = Scheduler::new(
        store.clone(),
        Arc::clone(&clock),
        Arc::new(Nobody),
        policy,
        Arc::new(Metrics::new()),
    );
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(scheduler.run(shutdown.clone()));

    // A second before the day is over: the witness goes (so a sweep ran at
    // this instant), the draft stays.
    clock.0.send_replace(gone_at - TimeDelta::seconds(1));
    until_draft(&store, witness_user, witness, false).await;
    assert!(store.draft(USER, draft).await.unwrap().is_some());
    // Within a sweep of the day's end, it is gone.
    clock
        .0
        .send_replace(gone_at - TimeDelta::seconds(1) + SWEEP_EVERY);
    until_draft(&store, USER, draft, false).await;

    shutdown.cancel();
    task.await.unwrap();
    store.close().await;
}

async fn a_draft_goes_with_the_person_and_their_wait_with_it(db: Db) {
    let store = db.open().await;
    let started = at("2026-06-01T12:00:00Z");
    store.start_wait(&wait(USER, started, 20)).await.unwrap();
    store
        .write_wait_draft(USER, started, "words")
        .await
        .unwrap()
        .unwrap();
    let id = store.wait_draft(USER, started).await.unwrap().unwrap().id;
    // The wait names the draft; that does not hold back a delete.
    store.forget(USER).await.unwrap();
    assert_eq!(store.wait(USER).await.unwrap(), None);
    assert_eq!(store.draft(USER, id).await.unwrap(), None);
    store.close().await;
}
