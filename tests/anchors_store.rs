//! Anchors in the store, with the real migrations, on both backends.

mod backend;

use backend::{execute, number, Db};
use steady::anchors::{AnchorError, MAX_ANCHORS};
use steady::store::{Anchor, Store};

on_both!(
    anchors_are_cleaned_and_kept_in_order,
    the_same_text_is_refused,
    the_fiftieth_fits_and_the_fifty_first_does_not,
    concurrent_adds_never_pass_the_limit,
    removing_touches_only_ones_own,
    finding_ignores_case_keeps_order_and_stops_at_the_limit,
    finding_reads_no_more_than_a_person_may_keep,
    rotation_cycles_through_all_and_never_repeats_in_a_row,
    a_single_anchor_is_sent_every_time,
    rotation_is_per_person,
    starters_skip_what_is_present_and_respect_the_limit,
    the_dm_channel_is_remembered_per_person_steady_knows,
    forgetting_a_person_removes_their_anchors,
    reopening_keeps_anchors_and_migrates_nothing_twice,
);

const ME: u64 = 1;
/// Above i64::MAX, so the u64 → BIGINT round-trip is exercised too.
const THEM: u64 = u64::MAX - 7;

fn texts(anchors: &[Anchor]) -> Vec<&str> {
    anchors
        .iter()
        .map(|anchor| anchor.text.as_deref().expect("a readable anchor"))
        .collect()
}

/// Point `user`'s last sent anchor at `anchor`, as no Store method would.
async fn point_last_anchor(db: &Db, store: &Store, user: u64, anchor: i64) {
    let user = user as i64;
    match store.sqlite() {
        Some(pool) => sqlx::query("UPDATE users SET last_anchor_id = ? WHERE user_id = ?")
            .bind(anchor)
            .bind(user)
            .execute(pool)
            .await
            .map(drop),
        None => sqlx::query("UPDATE users SET last_anchor_id = $1 WHERE user_id = $2")
            .bind(anchor)
            .bind(user)
            .execute(&postgres(db).await)
            .await
            .map(drop),
    }
    .unwrap();
}

/// Delete `user`'s row alone, leaving the schema to take what hangs off it.
async fn delete_person(db: &Db, store: &Store, user: u64) {
    let user = user as i64;
    match store.sqlite() {
        Some(pool) => sqlx::query("DELETE FROM users WHERE user_id = ?")
            .bind(user)
            .execute(pool)
            .await
            .map(drop),
        None => sqlx::query("DELETE FROM users WHERE user_id = $1")
            .bind(user)
            .execute(&postgres(db).await)
            .await
            .map(drop),
    }
    .unwrap();
}

/// A connection of the test's own to `db`'s PostgreSQL database.
async fn postgres(db: &Db) -> sqlx::PgPool {
    sqlx::PgPool::connect(&db.url()).await.unwrap()
}

async fn add(store: &Store, user: u64, text: &str) -> Result<usize, AnchorError> {
    store.add_anchor(user, text).await.unwrap()
}

async fn anchors_are_cleaned_and_kept_in_order(db: Db) {
    let store = db.open().await;
    assert_eq!(add(&store, ME, "  I can\nhandle uncertainty ").await, Ok(1));
    assert_eq!(add(&store, ME, "I am safe now").await, Ok(2));
    assert_eq!(add(&store, ME, "Feelings pass").await, Ok(3));
    assert_eq!(
        texts(&store.anchors(ME).await.unwrap()),
        ["I can handle uncertainty", "I am safe now", "Feelings pass"]
    );
    assert_eq!(add(&store, ME, " \u{200B} ").await, Err(AnchorError::Empty));
    assert_eq!(
        add(&store, ME, &"a".repeat(301)).await,
        Err(AnchorError::TooLong)
    );
}

async fn the_same_text_is_refused(db: Db) {
    let store = db.open().await;
    add(&store, ME, "I am safe now").await.unwrap();
    assert_eq!(
        add(&store, ME, "I am safe now").await,
        Err(AnchorError::Duplicate)
    );
    assert_eq!(
        add(&store, ME, " I am\tsafe now").await,
        Err(AnchorError::Duplicate)
    );
    assert_eq!(add(&store, ME, "I am SAFE now").await, Ok(2));
    assert_eq!(store.anchors(ME).await.unwrap().len(), 2);
}

async fn the_fiftieth_fits_and_the_fifty_first_does_not(db: Db) {
    let store = db.open().await;
    for n in 1..MAX_ANCHORS {
        assert_eq!(add(&store, ME, &format!("truth {n}")).await, Ok(n));
    }
    assert_eq!(add(&store, ME, "truth 50").await, Ok(MAX_ANCHORS));
    assert_eq!(add(&store, ME, "truth 51").await, Err(AnchorError::Full));
    assert_eq!(store.anchors(ME).await.unwrap().len(), MAX_ANCHORS);
    assert_eq!(
        add(&store, THEM, "truth 51").await,
        Ok(1),
        "the limit is per person"
    );
}

async fn concurrent_adds_never_pass_the_limit(db: Db) {
    // Two stores, as two processes, adding for one person at once.
    let stores = [db.open().await, db.open().await];
    let adds: Vec<_> = (0..60)
        .map(|n| {
            let store = stores[n % 2].clone();
            tokio::spawn(async move { store.add_anchor(ME, &format!("truth {n}")).await })
        })
        .collect();
    let mut kept = 0;
    for add in adds {
        match add.await.unwrap().unwrap() {
            Ok(_) => kept += 1,
            Err(error) => assert_eq!(error, AnchorError::Full),
        }
    }
    assert_eq!(kept, MAX_ANCHORS);
    let anchors = stores[0].anchors(ME).await.unwrap();
    assert_eq!(anchors.len(), MAX_ANCHORS);
}

async fn removing_touches_only_ones_own(db: Db) {
    let store = db.open().await;
    add(&store, ME, "mine").await.unwrap();
    add(&store, ME, "also mine").await.unwrap();
    add(&store, THEM, "theirs").await.unwrap();
    let mine = store.anchors(ME).await.unwrap();
    let theirs = store.anchors(THEM).await.unwrap();

    assert!(!store.remove_anchor(THEM, mine[0].id).await.unwrap());
    assert!(!store.remove_anchor(ME, theirs[0].id).await.unwrap());
    assert_eq!(store.anchors(ME).await.unwrap(), mine);
    assert_eq!(store.anchors(THEM).await.unwrap(), theirs);

    assert!(store.remove_anchor(ME, mine[0].id).await.unwrap());
    assert!(!store.remove_anchor(ME, mine[0].id).await.unwrap());
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), ["also mine"]);
    assert_eq!(store.anchors(THEM).await.unwrap(), theirs);
}

async fn finding_ignores_case_keeps_order_and_stops_at_the_limit(db: Db) {
    let store = db.open().await;
    for text in [
        "I am SAFE",
        "Breathe",
        "Safety first",
        "Ünïcode Safe",
        "safe again",
    ] {
        add(&store, ME, text).await.unwrap();
    }
    add(&store, THEM, "safe but theirs").await.unwrap();
    let found = store.find_anchors(ME, "safe", 10).await.unwrap();
    assert_eq!(
        texts(&found),
        ["I am SAFE", "Safety first", "Ünïcode Safe", "safe again"]
    );
    assert_eq!(
        texts(&store.find_anchors(ME, "SAFE", 2).await.unwrap()),
        ["I am SAFE", "Safety first"]
    );
    assert_eq!(
        texts(&store.find_anchors(ME, "ÜNÏ", 10).await.unwrap()),
        ["Ünïcode Safe"]
    );
    assert_eq!(store.find_anchors(ME, "", 10).await.unwrap().len(), 5);
    assert!(store
        .find_anchors(ME, "theirs", 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store.find_anchors(ME, "%", 10).await.unwrap().is_empty());
}

async fn finding_reads_no_more_than_a_person_may_keep(db: Db) {
    let store = db.open().await;
    add(&store, ME, "anchor 0").await.unwrap();
    // More than any add lets in, as no Store method would: a list, or an
    // autocomplete keystroke, still reads only the first MAX_ANCHORS.
    for n in 1..MAX_ANCHORS + 10 {
        let sql = format!(
            "INSERT INTO anchors (user_id, text, position, created_at)
             VALUES ({ME}, 'anchor {n}', {n} + 1, 0)"
        );
        execute(&store, &sql).await;
    }
    // Opened again, they are sealed, as an older build's plain ones are.
    store.close().await;
    let store = db.open().await;
    let stored = number(
        &store,
        &format!("SELECT COUNT(*) FROM anchors WHERE user_id = {ME}"),
    )
    .await;
    assert_eq!(usize::try_from(stored).unwrap(), MAX_ANCHORS + 10);
    let plain = "SELECT COUNT(*) FROM anchors WHERE text IS NOT NULL";
    assert_eq!(number(&store, plain).await, 0);
    assert_eq!(store.anchors(ME).await.unwrap().len(), MAX_ANCHORS);
    let found = store.find_anchors(ME, "anchor", 100).await.unwrap();
    let first: Vec<String> = (0..MAX_ANCHORS).map(|n| format!("anchor {n}")).collect();
    assert_eq!(texts(&found), first);
}

async fn rotation_cycles_through_all_and_never_repeats_in_a_row(db: Db) {
    let store = db.open().await;
    assert_eq!(store.next_anchor(ME).await.unwrap(), None);
    for text in ["one", "two", "three"] {
        add(&store, ME, text).await.unwrap();
    }
    let mut sent = Vec::new();
    for _ in 0..7 {
        sent.push(store.next_anchor(ME).await.unwrap().unwrap().text.unwrap());
    }
    assert_eq!(sent, ["one", "two", "three", "one", "two", "three", "one"]);

    // Removing the last one sent restarts the cycle without a repeat.
    let anchors = store.anchors(ME).await.unwrap();
    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "two"
    );
    assert!(store.remove_anchor(ME, anchors[1].id).await.unwrap());
    let after = store.next_anchor(ME).await.unwrap().unwrap().text.unwrap();
    assert_eq!(after, "one");
    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "three"
    );
    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "one"
    );
}

async fn a_single_anchor_is_sent_every_time(db: Db) {
    let store = db.open().await;
    add(&store, ME, "only").await.unwrap();
    for _ in 0..3 {
        assert_eq!(
            store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
            "only"
        );
    }
    let only = store.anchors(ME).await.unwrap()[0].id;
    store.remove_anchor(ME, only).await.unwrap();
    assert_eq!(store.next_anchor(ME).await.unwrap(), None);
}

async fn rotation_is_per_person(db: Db) {
    let store = db.open().await;
    add(&store, ME, "mine 1").await.unwrap();
    add(&store, ME, "mine 2").await.unwrap();
    assert_eq!(store.next_anchor(THEM).await.unwrap(), None);
    add(&store, THEM, "theirs 1").await.unwrap();
    add(&store, THEM, "theirs 2").await.unwrap();

    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "mine 1"
    );
    assert_eq!(
        store
            .next_anchor(THEM)
            .await
            .unwrap()
            .unwrap()
            .text
            .unwrap(),
        "theirs 1"
    );
    assert_eq!(
        store
            .next_anchor(THEM)
            .await
            .unwrap()
            .unwrap()
            .text
            .unwrap(),
        "theirs 2"
    );
    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "mine 2"
    );

    // A planted cross-user pointer must not leak the other person's anchor.
    let theirs = store.anchors(THEM).await.unwrap()[0].id;
    point_last_anchor(&db, &store, ME, theirs).await;
    assert_eq!(
        store.next_anchor(ME).await.unwrap().unwrap().text.unwrap(),
        "mine 1"
    );
}

async fn starters_skip_what_is_present_and_respect_the_limit(db: Db) {
    let store = db.open().await;
    add(&store, ME, "b").await.unwrap();
    let starters: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    assert_eq!(store.add_anchors(ME, &starters).await.unwrap(), 2);
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), ["b", "a", "c"]);
    assert_eq!(store.add_anchors(ME, &starters).await.unwrap(), 0);
    assert!(store.anchors(THEM).await.unwrap().is_empty());

    let many: Vec<String> = (0..60).map(|n| format!("starter {n}")).collect();
    assert_eq!(store.add_anchors(ME, &many).await.unwrap(), MAX_ANCHORS - 3);
    assert_eq!(store.anchors(ME).await.unwrap().len(), MAX_ANCHORS);
    assert_eq!(store.add_anchors(THEM, &starters).await.unwrap(), 3);
    assert_eq!(store.add_anchors(THEM, &[]).await.unwrap(), 0);
}

async fn the_dm_channel_is_remembered_per_person_steady_knows(db: Db) {
    let store = db.open().await;
    // Someone steady keeps nothing of (or who just deleted it all) is not
    // brought back by a DM that was on its way.
    store.remember_dm_channel(ME, 5).await.unwrap();
    assert!(!store.knows(ME).await.unwrap());
    assert_eq!(store.dm_channel(ME).await.unwrap(), None);

    add(&store, ME, "mine").await.unwrap();
    store.remember_dm_channel(ME, u64::MAX).await.unwrap();
    assert_eq!(store.dm_channel(ME).await.unwrap(), Some(u64::MAX));
    store.remember_dm_channel(ME, 42).await.unwrap();
    assert_eq!(store.dm_channel(ME).await.unwrap(), Some(42));
    assert_eq!(store.dm_channel(THEM).await.unwrap(), None);

    // An existing person (made by adding an anchor) keeps their anchors.
    add(&store, THEM, "theirs").await.unwrap();
    assert_eq!(store.dm_channel(THEM).await.unwrap(), None);
    store.remember_dm_channel(THEM, 7).await.unwrap();
    assert_eq!(store.dm_channel(THEM).await.unwrap(), Some(7));
    assert_eq!(texts(&store.anchors(THEM).await.unwrap()), ["theirs"]);
}

async fn forgetting_a_person_removes_their_anchors(db: Db) {
    let store = db.open().await;
    add(&store, ME, "mine").await.unwrap();
    add(&store, THEM, "theirs").await.unwrap();
    delete_person(&db, &store, ME).await;
    assert!(store.anchors(ME).await.unwrap().is_empty());
    assert_eq!(texts(&store.anchors(THEM).await.unwrap()), ["theirs"]);
}

async fn reopening_keeps_anchors_and_migrates_nothing_twice(db: Db) {
    let url = db.url();
    let store = db.open().await;
    add(&store, ME, "still here").await.unwrap();
    store.close().await;
    let first = Store::status(&url).await.unwrap();
    let store = db.open().await;
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), ["still here"]);
    store.close().await;
    assert_eq!(Store::status(&url).await.unwrap(), first);
}
