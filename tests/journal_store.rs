//! The journal in the store, with the real migrations, on both backends:
//! each text sealed, pages newest first of kept rows only, rows that
//! expire swept at the instant given, one person never reaching another's.

mod backend;

use backend::{execute, number, Db};
use chrono::{DateTime, TimeDelta, Utc};
use steady::journal::{JournalError, MAX_CHARS};
use steady::store::{JournalEntry, JournalKind, Store};

on_both!(
    an_entry_is_written_and_read_back,
    pages_are_newest_first_and_count_what_is_kept,
    only_kept_rows_are_in_the_journal,
    a_row_kept_stays_past_its_expiry,
    the_sweep_takes_what_expired_at_the_instant_given,
    a_rewrite_replaces_the_words_of_ones_own_row,
    removing_touches_only_ones_own,
    too_long_or_empty_is_refused_and_nothing_written,
    the_words_are_sealed,
    forgetting_a_person_removes_their_journal,
);

const ME: u64 = 1;
/// Above i64::MAX, so the u64 → BIGINT round-trip is exercised too.
const THEM: u64 = u64::MAX - 7;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

async fn write(store: &Store, user: u64, text: &str) -> i64 {
    (store
        .write_journal(user, JournalKind::Entry, Some("needed"), text, None)
        .await)
        .unwrap()
        .unwrap()
}

/// A row that goes at `expires`.
async fn draft(store: &Store, user: u64, text: &str, expires: DateTime<Utc>) -> i64 {
    (store
        .write_journal(user, JournalKind::Draft, None, text, Some(expires))
        .await)
        .unwrap()
        .unwrap()
}

async fn page(store: &Store, user: u64, page: u64, per_page: u64) -> (Vec<String>, u64) {
    let (entries, total) = store.journal_page(user, page, per_page).await.unwrap();
    (texts(&entries), total)
}

fn texts(entries: &[JournalEntry]) -> Vec<String> {
    let text = |entry: &JournalEntry| entry.text.clone().expect("a readable entry");
    entries.iter().map(text).collect()
}

async fn rows(store: &Store) -> i64 {
    number(store, "SELECT COUNT(*) FROM journal").await
}

async fn an_entry_is_written_and_read_back(db: Db) {
    let store = db.open().await;
    let before = store.now().timestamp();
    let id = write(&store, ME, "  I needed quiet.\n\nI took a walk. ").await;
    let after = store.now().timestamp();
    let entry = store.journal_entry(ME, id).await.unwrap().unwrap();
    assert_eq!(entry.id, id);
    assert_eq!(entry.kind, JournalKind::Entry);
    assert_eq!(entry.prompt.as_deref(), Some("needed"));
    assert_eq!(entry.expires_at, None);
    assert_eq!(
        entry.text.as_deref(),
        Some("I needed quiet.\n\nI took a walk."),
        "the lines are kept, the ends trimmed"
    );
    assert!((before..=after).contains(&entry.written_at.timestamp()));
    assert_eq!(store.journal_entry(THEM, id).await.unwrap(), None);
}

async fn pages_are_newest_first_and_count_what_is_kept(db: Db) {
    let store = db.open().await;
    for n in 1..=5 {
        write(&store, ME, &format!("page {n}")).await;
    }
    write(&store, THEM, "theirs").await;
    // Written within one second: the newest is the last written all the same.
    assert_eq!(
        page(&store, ME, 0, 2).await,
        (vec!["page 5".into(), "page 4".into()], 5)
    );
    assert_eq!(
        page(&store, ME, 1, 2).await,
        (vec!["page 3".into(), "page 2".into()], 5)
    );
    assert_eq!(page(&store, ME, 2, 2).await, (vec!["page 1".into()], 5));
    assert_eq!(page(&store, ME, 3, 2).await, (vec![], 5));
    assert_eq!(page(&store, ME, u64::MAX, u64::MAX).await, (vec![], 5));
    assert_eq!(page(&store, THEM, 0, 10).await, (vec!["theirs".into()], 1));
    assert_eq!(page(&store, 5, 0, 10).await, (vec![], 0));

    // Written earlier (an older row, its time set as no Store method
    // would) sorts after, whatever its id.
    let latest = write(&store, ME, "page 6").await;
    execute(
        &store,
        &format!("UPDATE journal SET written_at = written_at - 86400 WHERE id = {latest}"),
    )
    .await;
    let (all, _) = page(&store, ME, 0, 10).await;
    assert_eq!(all.first().map(String::as_str), Some("page 5"));
    assert_eq!(all.last().map(String::as_str), Some("page 6"));
}

async fn only_kept_rows_are_in_the_journal(db: Db) {
    let store = db.open().await;
    let goes = at("2030-01-01T00:00:00Z");
    write(&store, ME, "kept").await;
    let drafted = draft(&store, ME, "a draft", goes).await;
    let reframe = (store
        .write_journal(ME, JournalKind::Reframe, None, "{}", Some(goes))
        .await)
        .unwrap()
        .unwrap();
    assert_eq!(page(&store, ME, 0, 10).await, (vec!["kept".into()], 1));
    // Still there to be shown, kept or removed.
    let shown = store.journal_entry(ME, drafted).await.unwrap().unwrap();
    assert_eq!(shown.kind, JournalKind::Draft);
    assert_eq!(shown.expires_at, Some(goes));
    assert_eq!(shown.text.as_deref(), Some("a draft"));
    let reframed = store.journal_entry(ME, reframe).await.unwrap().unwrap();
    assert_eq!(reframed.kind, JournalKind::Reframe);
}

async fn a_row_kept_stays_past_its_expiry(db: Db) {
    let store = db.open().await;
    let goes = at("2030-01-01T00:00:00Z");
    let drafted = draft(&store, ME, "a draft", goes).await;
    assert!(!store.keep_in_journal(THEM, drafted).await.unwrap());
    assert!(store.keep_in_journal(ME, drafted).await.unwrap());
    assert_eq!(page(&store, ME, 0, 10).await, (vec!["a draft".into()], 1));
    assert_eq!(store.forget_expired_journal(goes).await.unwrap(), 0);
    let kept = store.journal_entry(ME, drafted).await.unwrap().unwrap();
    assert_eq!((kept.kind, kept.expires_at), (JournalKind::Draft, None));

    // And back out of the journal, to go after all.
    assert!(!store.set_journal_expiry(THEM, drafted, goes).await.unwrap());
    assert!(store.set_journal_expiry(ME, drafted, goes).await.unwrap());
    assert_eq!(page(&store, ME, 0, 10).await, (vec![], 0));
    assert_eq!(store.forget_expired_journal(goes).await.unwrap(), 1);
    assert!(!store.keep_in_journal(ME, drafted).await.unwrap());
}

async fn the_sweep_takes_what_expired_at_the_instant_given(db: Db) {
    let store = db.open().await;
    let goes = at("2030-01-01T00:00:00Z");
    let later = goes + TimeDelta::hours(24);
    let mine = draft(&store, ME, "mine", goes).await;
    let theirs = draft(&store, THEM, "theirs", goes).await;
    let tomorrow = draft(&store, ME, "tomorrow", later).await;
    write(&store, ME, "kept").await;

    let just_before = goes - TimeDelta::seconds(1);
    assert_eq!(store.forget_expired_journal(just_before).await.unwrap(), 0);
    assert_eq!(rows(&store).await, 4);
    // Its instant included, whoever's.
    assert_eq!(store.forget_expired_journal(goes).await.unwrap(), 2);
    assert_eq!(store.journal_entry(ME, mine).await.unwrap(), None);
    assert_eq!(store.journal_entry(THEM, theirs).await.unwrap(), None);
    assert!(store.journal_entry(ME, tomorrow).await.unwrap().is_some());
    assert_eq!(store.forget_expired_journal(goes).await.unwrap(), 0);
    assert_eq!(store.forget_expired_journal(later).await.unwrap(), 1);
    assert_eq!(page(&store, ME, 0, 10).await, (vec!["kept".into()], 1));
}

async fn a_rewrite_replaces_the_words_of_ones_own_row(db: Db) {
    let store = db.open().await;
    let goes = at("2030-01-01T00:00:00Z");
    let id = draft(&store, ME, "first words", goes).await;
    let rewrite = |user, text: &'static str, expires| {
        let store = store.clone();
        async move {
            store
                .rewrite_journal(user, id, text, expires)
                .await
                .unwrap()
        }
    };
    assert_eq!(rewrite(THEM, "not theirs", None).await, Ok(false));
    assert_eq!(rewrite(ME, " \n ", None).await, Err(JournalError::Empty));
    let later = goes + TimeDelta::hours(1);
    assert_eq!(rewrite(ME, "better words", Some(later)).await, Ok(true));
    let entry = store.journal_entry(ME, id).await.unwrap().unwrap();
    assert_eq!(entry.text.as_deref(), Some("better words"));
    assert_eq!(entry.expires_at, Some(later));
    assert_eq!(rewrite(ME, "kept now", None).await, Ok(true));
    assert_eq!(page(&store, ME, 0, 10).await, (vec!["kept now".into()], 1));
    assert!(store.remove_journal(ME, id).await.unwrap());
    assert_eq!(rewrite(ME, "gone", None).await, Ok(false));
}

async fn removing_touches_only_ones_own(db: Db) {
    let store = db.open().await;
    let mine = write(&store, ME, "mine").await;
    write(&store, ME, "also mine").await;
    let theirs = write(&store, THEM, "theirs").await;

    assert!(!store.remove_journal(THEM, mine).await.unwrap());
    assert!(!store.remove_journal(ME, theirs).await.unwrap());
    assert_eq!(rows(&store).await, 3);

    assert!(store.remove_journal(ME, mine).await.unwrap());
    assert!(!store.remove_journal(ME, mine).await.unwrap());
    assert_eq!(page(&store, ME, 0, 10).await, (vec!["also mine".into()], 1));
    assert_eq!(page(&store, THEM, 0, 10).await, (vec!["theirs".into()], 1));
}

async fn too_long_or_empty_is_refused_and_nothing_written(db: Db) {
    let store = db.open().await;
    let refused = |text: String| {
        let store = store.clone();
        async move {
            (store
                .write_journal(ME, JournalKind::Entry, None, &text, None)
                .await)
                .unwrap()
                .unwrap_err()
        }
    };
    assert_eq!(refused(String::new()).await, JournalError::Empty);
    assert_eq!(refused(" \n\t\u{200B} ".into()).await, JournalError::Empty);
    assert_eq!(
        refused("é".repeat(MAX_CHARS + 1)).await,
        JournalError::TooLong
    );
    assert_eq!(rows(&store).await, 0);
    assert!(
        !store.knows(ME).await.unwrap(),
        "nobody is made for nothing"
    );

    let full = "é".repeat(MAX_CHARS);
    let id = write(&store, ME, &full).await;
    let entry = store.journal_entry(ME, id).await.unwrap().unwrap();
    assert_eq!(entry.text, Some(full));
}

async fn the_words_are_sealed(db: Db) {
    let store = db.open().await;
    let canary = "journal-canary-7f3a91";
    let id = write(&store, ME, &format!("today {canary} helped")).await;
    let plain =
        format!("SELECT COUNT(*) FROM journal WHERE CAST(sealed AS TEXT) LIKE '%{canary}%'");
    assert_eq!(number(&store, &plain).await, 0);
    assert_eq!(
        number(
            &store,
            &format!("SELECT COUNT(*) FROM journal WHERE id = {id} AND length(sealed) > 0")
        )
        .await,
        1
    );
    // Moved to another row of the same person, it no longer opens.
    let other = write(&store, ME, "another page").await;
    execute(
        &store,
        &format!("UPDATE journal SET sealed = (SELECT sealed FROM journal WHERE id = {id}) WHERE id = {other}"),
    )
    .await;
    let moved = store.journal_entry(ME, other).await.unwrap().unwrap();
    assert_eq!(moved.text, None);
    assert!(store
        .journal_entry(ME, id)
        .await
        .unwrap()
        .unwrap()
        .text
        .is_some());

    // Nowhere in SQLite's files either, the write-ahead log included.
    if let Db::Sqlite(dir) = &db {
        store.close().await;
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes
                .windows(canary.len())
                .any(|window| window == canary.as_bytes());
            assert!(!found, "{} holds the words", path.display());
        }
    }
}

async fn forgetting_a_person_removes_their_journal(db: Db) {
    let store = db.open().await;
    let goes = at("2030-01-01T00:00:00Z");
    write(&store, ME, "mine").await;
    draft(&store, ME, "my draft", goes).await;
    write(&store, THEM, "theirs").await;
    let forgotten = store.forget(ME).await.unwrap();
    assert_eq!(forgotten.journal, 2);
    assert_eq!(page(&store, ME, 0, 10).await, (vec![], 0));
    assert_eq!(rows(&store).await, 1);
    assert_eq!(page(&store, THEM, 0, 10).await, (vec!["theirs".into()], 1));
}
