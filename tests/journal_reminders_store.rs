//! Evening journal reminders in the store, with the real migrations, on
//! both backends: claimed once at their instant and moved on by the
//! product's own maths (a time the clocks skip comes as they resume, one
//! they show twice comes once), given back and no longer wanted once off,
//! paused by refused DMs, and in /mydata's export until a delete.

mod backend;

use backend::Db;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::{Berlin, Lisbon};
use steady::daily::due::next_due;
use steady::daily::time::TimeOfDay;
use steady::schedule::Due;
use steady::store::{ClaimedReminder, Store};

on_both!(
    a_skipped_time_comes_as_the_clocks_resume,
    a_time_shown_twice_comes_once,
    a_claim_given_back_comes_again_unless_turned_off,
    refused_dms_pause_it_at_the_limit_and_on_again_clears_it,
    the_export_holds_it_until_a_delete,
);

/// Above i64::MAX, so the u64 → BIGINT round-trip is exercised too.
const ME: u64 = u64::MAX - 11;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn half_past_two() -> TimeOfDay {
    TimeOfDay::new(2, 30).unwrap()
}

/// Every reminder claimed at `now`.
async fn claimed(store: &Store, now: DateTime<Utc>) -> Vec<ClaimedReminder> {
    let due = store.claim_due(now, 100).await.unwrap();
    due.into_iter()
        .filter_map(|due| match due {
            Due::JournalReminder(reminder) => Some(reminder),
            _ => None,
        })
        .collect()
}

/// 29 March 2026: Berlin's clocks go from 02:00 to 03:00, so 02:30 is not
/// on them; it is due as they resume, 03:00 CEST, then at 02:30 CEST.
async fn a_skipped_time_comes_as_the_clocks_resume(db: Db) {
    let store = db.open().await;
    let set_at = at("2026-03-28T12:00:00Z");
    let due = store
        .set_journal_reminder(ME, half_past_two(), Berlin, "de", set_at)
        .await
        .unwrap();
    assert_eq!(due, next_due(Berlin, half_past_two(), set_at));
    assert_eq!(due, at("2026-03-29T01:00:00Z"));
    assert!(claimed(&store, due - chrono::TimeDelta::seconds(1))
        .await
        .is_empty());
    let sent = claimed(&store, due).await;
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].user, sent[0].due, sent[0].zone), (ME, due, Berlin));
    assert_eq!(sent[0].next, at("2026-03-30T00:30:00Z"));
    assert_eq!(sent[0].next, next_due(Berlin, half_past_two(), due));
    let kept = store.journal_reminder(ME).await.unwrap().unwrap();
    assert_eq!(kept.next_due, Some(sent[0].next));
    store.close().await;
}

/// 25 October 2026: 03:00 CEST goes back to 02:00 CET, so 02:30 is shown
/// twice; the first is due, the second brings nothing.
async fn a_time_shown_twice_comes_once(db: Db) {
    let store = db.open().await;
    let set_at = at("2026-10-24T12:00:00Z");
    let first = store
        .set_journal_reminder(ME, half_past_two(), Berlin, "de", set_at)
        .await
        .unwrap();
    assert_eq!(first, at("2026-10-25T00:30:00Z"));
    let second = at("2026-10-25T01:30:00Z");
    let shown = |t: DateTime<Utc>| t.with_timezone(&Berlin).format("%H:%M").to_string();
    assert_eq!(
        (shown(first), shown(second)),
        ("02:30".into(), "02:30".into())
    );
    let sent = claimed(&store, first).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].next,
        at("2026-10-26T01:30:00Z"),
        "tomorrow's, in CET"
    );
    assert!(
        claimed(&store, first).await.is_empty(),
        "not the first again"
    );
    assert!(
        claimed(&store, second).await.is_empty(),
        "nor the second 02:30"
    );
    store.close().await;
}

async fn a_claim_given_back_comes_again_unless_turned_off(db: Db) {
    let store = db.open().await;
    let set_at = at("2026-06-01T12:00:00Z");
    let time = TimeOfDay::new(21, 0).unwrap();
    let due = store
        .set_journal_reminder(ME, time, Lisbon, "pt-BR", set_at)
        .await
        .unwrap();
    let sent = claimed(&store, due).await;
    let claim = Due::JournalReminder(sent[0].clone());
    assert!(store.still_wanted(&claim).await.unwrap());
    // Given back at a stop, with a try Discord may have acted on: due
    // again at its own instant, the try remembered.
    assert!(store.give_back(&claim, Some(due)).await.unwrap());
    let again = claimed(&store, due).await;
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].due, again[0].acted), (due, Some(due)));
    // Off meanwhile: no longer wanted, and not given back.
    let claim = Due::JournalReminder(again[0].clone());
    assert!(store.stop_journal_reminder(ME).await.unwrap());
    assert!(!store.still_wanted(&claim).await.unwrap());
    assert!(!store.give_back(&claim, None).await.unwrap());
    assert_eq!(store.journal_reminder(ME).await.unwrap(), None);
    store.close().await;
}

async fn refused_dms_pause_it_at_the_limit_and_on_again_clears_it(db: Db) {
    let store = db.open().await;
    let set_at = at("2026-06-01T12:00:00Z");
    let time = TimeOfDay::new(21, 0).unwrap();
    store
        .set_journal_reminder(ME, time, Lisbon, "fr", set_at)
        .await
        .unwrap();
    let refused_at = at("2026-06-01T20:00:01Z");
    assert!(!store
        .journal_reminder_refused(ME, 2, refused_at)
        .await
        .unwrap());
    assert!(store
        .journal_reminder_refused(ME, 2, refused_at)
        .await
        .unwrap());
    let kept = store.journal_reminder(ME).await.unwrap().unwrap();
    assert_eq!((kept.next_due, kept.paused_since), (None, Some(refused_at)));
    // The notice is owed once.
    let notice = store.take_journal_reminder_pause_notice(ME).await.unwrap();
    assert_eq!(notice, Some(refused_at));
    assert_eq!(
        store.take_journal_reminder_pause_notice(ME).await.unwrap(),
        None
    );
    assert!(claimed(&store, at("2026-06-05T00:00:00Z")).await.is_empty());
    let next = store
        .set_journal_reminder(ME, time, Lisbon, "fr", set_at)
        .await
        .unwrap();
    let kept = store.journal_reminder(ME).await.unwrap().unwrap();
    assert_eq!((kept.next_due, kept.paused_since), (Some(next), None));
    assert_eq!(
        store.take_journal_reminder_pause_notice(ME).await.unwrap(),
        None
    );
    store.close().await;
}

async fn the_export_holds_it_until_a_delete(db: Db) {
    let store = db.open().await;
    let time = TimeOfDay::new(21, 15).unwrap();
    let next = store
        .set_journal_reminder(ME, time, Lisbon, "pt-BR", at("2026-06-01T12:00:00Z"))
        .await
        .unwrap();
    let export = store.export(ME).await.unwrap().expect("something held");
    assert_eq!(export.locale.as_deref(), Some("pt-BR"));
    let kept = export.journal_reminder.expect("the reminder exported");
    assert_eq!(
        (kept.time.as_str(), kept.zone.as_str()),
        ("21:15", "Europe/Lisbon")
    );
    assert_eq!(kept.next_due, Some(next.to_rfc3339()));
    assert_eq!((kept.refused_in_a_row, kept.paused_since), (0, None));
    store.forget(ME).await.unwrap();
    assert_eq!(store.journal_reminder(ME).await.unwrap(), None);
    assert_eq!(store.export(ME).await.unwrap(), None);
    store.close().await;
}
