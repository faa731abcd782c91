//! Anchors in the store, on real SQLite files with the real migrations.

use steady::anchors::{AnchorError, MAX_ANCHORS};
use steady::store::{Anchor, Store};

const ME: u64 = 1;
/// Above i64::MAX, so the u64 → BIGINT round-trip is exercised too.
const THEM: u64 = u64::MAX - 7;

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let store = Store::open(&url).await.unwrap();
    (dir, store)
}

fn texts(anchors: &[Anchor]) -> Vec<&str> {
    anchors.iter().map(|anchor| anchor.text.as_str()).collect()
}

async fn add(store: &Store, user: u64, text: &str) -> Result<usize, AnchorError> {
    store.add_anchor(user, text).await.unwrap()
}

#[tokio::test]
async fn anchors_are_cleaned_and_kept_in_order() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn the_same_text_is_refused() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn the_fiftieth_fits_and_the_fifty_first_does_not() {
    let (_dir, store) = open().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_adds_never_pass_the_limit() {
    let (_dir, store) = open().await;
    let adds: Vec<_> = (0..60)
        .map(|n| {
            let store = store.clone();
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
    assert_eq!(store.anchors(ME).await.unwrap().len(), MAX_ANCHORS);
}

#[tokio::test]
async fn removing_touches_only_ones_own() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn finding_ignores_case_keeps_order_and_stops_at_the_limit() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn rotation_cycles_through_all_and_never_repeats_in_a_row() {
    let (_dir, store) = open().await;
    assert_eq!(store.next_anchor(ME).await.unwrap(), None);
    for text in ["one", "two", "three"] {
        add(&store, ME, text).await.unwrap();
    }
    let mut sent = Vec::new();
    for _ in 0..7 {
        sent.push(store.next_anchor(ME).await.unwrap().unwrap().text);
    }
    assert_eq!(sent, ["one", "two", "three", "one", "two", "three", "one"]);

    // Removing the last one sent restarts the cycle without a repeat.
    let anchors = store.anchors(ME).await.unwrap();
    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "two");
    assert!(store.remove_anchor(ME, anchors[1].id).await.unwrap());
    let after = store.next_anchor(ME).await.unwrap().unwrap().text;
    assert_eq!(after, "one");
    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "three");
    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "one");
}

#[tokio::test]
async fn a_single_anchor_is_sent_every_time() {
    let (_dir, store) = open().await;
    add(&store, ME, "only").await.unwrap();
    for _ in 0..3 {
        assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "only");
    }
    let only = store.anchors(ME).await.unwrap()[0].id;
    store.remove_anchor(ME, only).await.unwrap();
    assert_eq!(store.next_anchor(ME).await.unwrap(), None);
}

#[tokio::test]
async fn rotation_is_per_person() {
    let (_dir, store) = open().await;
    add(&store, ME, "mine 1").await.unwrap();
    add(&store, ME, "mine 2").await.unwrap();
    assert_eq!(store.next_anchor(THEM).await.unwrap(), None);
    add(&store, THEM, "theirs 1").await.unwrap();
    add(&store, THEM, "theirs 2").await.unwrap();

    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "mine 1");
    assert_eq!(
        store.next_anchor(THEM).await.unwrap().unwrap().text,
        "theirs 1"
    );
    assert_eq!(
        store.next_anchor(THEM).await.unwrap().unwrap().text,
        "theirs 2"
    );
    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "mine 2");

    // A planted cross-user pointer must not leak the other person's anchor.
    let theirs = store.anchors(THEM).await.unwrap()[0].id;
    sqlx::query("UPDATE users SET last_anchor_id = ? WHERE user_id = ?")
        .bind(theirs)
        .bind(ME as i64)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.next_anchor(ME).await.unwrap().unwrap().text, "mine 1");
}

#[tokio::test]
async fn starters_skip_what_is_present_and_respect_the_limit() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn the_dm_channel_is_remembered_per_person_steady_knows() {
    let (_dir, store) = open().await;
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

#[tokio::test]
async fn forgetting_a_person_removes_their_anchors() {
    let (_dir, store) = open().await;
    add(&store, ME, "mine").await.unwrap();
    add(&store, THEM, "theirs").await.unwrap();
    sqlx::query("DELETE FROM users WHERE user_id = ?")
        .bind(ME as i64)
        .execute(store.pool())
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM anchors WHERE user_id = ?")
        .bind(ME as i64)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(texts(&store.anchors(THEM).await.unwrap()), ["theirs"]);
}

#[tokio::test]
async fn reopening_keeps_anchors_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let store = Store::open(&url).await.unwrap();
    add(&store, ME, "still here").await.unwrap();
    store.close().await;
    let first = Store::status(&url).await.unwrap();
    let store = Store::open(&url).await.unwrap();
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), ["still here"]);
    store.close().await;
    assert_eq!(Store::status(&url).await.unwrap(), first);
}
