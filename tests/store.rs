//! The store on real SQLite files with the real migrations.

use steady::store::{Status, Store};

fn url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("steady.db").display())
}

#[tokio::test]
async fn opening_creates_and_migrates_a_fresh_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Store::status(&url(&dir)).await.unwrap(), Status::Missing);
    let store = Store::open(&url(&dir)).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'",
    )
    .fetch_all(store.sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(tables, ["users"]);
    store.close().await;
    assert!(dir.path().join("steady.db").exists());
    assert!(matches!(
        Store::status(&url(&dir)).await.unwrap(),
        Status::Present { applied, pending: 0, .. } if applied >= 1
    ));
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(&url(&dir)).await.unwrap().close().await;
    let first = Store::status(&url(&dir)).await.unwrap();
    Store::open(&url(&dir)).await.unwrap().close().await;
    assert_eq!(Store::status(&url(&dir)).await.unwrap(), first);
}

#[tokio::test]
async fn connections_use_wal_and_enforce_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(&dir)).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let mut tx = store.sqlite().unwrap().begin().await.unwrap();
    sqlx::query(
        "CREATE TEMP TABLE owned (user_id BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let orphan = sqlx::query("INSERT INTO owned (user_id) VALUES (42)")
        .execute(&mut *tx)
        .await;
    assert!(orphan.is_err(), "a row for an unknown user must be refused");
}

#[tokio::test]
async fn an_unreachable_database_is_reported_with_its_path_and_cause() {
    let error = Store::open("sqlite:///nonexistent-folder/steady.db")
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("/nonexistent-folder/steady.db")
            && message.contains("the folder /nonexistent-folder does not exist"),
        "{message}"
    );
}

/// Another process holding SQLite's write lock makes steady's writes wait
/// (the busy timeout retries them), never fail: the person is never shown
/// an error because two writers met.
#[tokio::test]
async fn writers_wait_for_a_held_lock_and_for_each_other_instead_of_failing() {
    use chrono::Utc;
    use sqlx::Connection;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (
        Store::open(&url(&dir)).await.unwrap(),
        Store::open(&url(&dir)).await.unwrap(),
    );
    let mut other = sqlx::SqliteConnection::connect(&url(&dir)).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let held = Instant::now();
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    });
    let time = "21:30".parse().unwrap();
    let mut writes = Vec::new();
    for n in 0..40u64 {
        let store = if n % 2 == 0 { one.clone() } else { two.clone() };
        writes.push(tokio::spawn(async move {
            let user = 1_000 + n % 8;
            let now = Utc::now();
            store.add_anchor(user, &format!("truth {n}")).await?.ok();
            store
                .set_checkin(user, time, chrono_tz::UTC, "en-US", now)
                .await?;
            store.set_mood_history(user, true).await?;
            store.record_mood(user, 3, now, n).await?;
            store.snooze_checkin(user, now).await?;
            store.claim_due(now, 4).await?;
            if n % 10 == 9 {
                store.forget(user).await?;
            }
            Ok::<_, steady::store::StoreError>(())
        }));
    }
    for write in writes {
        write
            .await
            .unwrap()
            .expect("a write failed instead of waiting");
    }
    release.await.unwrap();
    assert!(
        held.elapsed() >= Duration::from_millis(700),
        "nothing waited"
    );
}

// Threads, so the opens really meet: two switching a new file to WAL at
// once is where SQLite turns one away.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_starting_together_on_a_new_file_take_turns_to_migrate_it() {
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("steady.db").display());
        let opening = (0..4).map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::open(&url).await })
        });
        for opened in futures_util::future::join_all(opening).await {
            opened.unwrap().expect("every one opens the database");
        }
        let status = Store::status(&url).await.unwrap();
        assert!(
            matches!(status, Status::Present { pending: 0, .. }),
            "{status:?}"
        );
    }
}
