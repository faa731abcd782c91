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
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(tables, ["users"]);
    store.close().await;
    assert!(dir.path().join("steady.db").exists());
    assert!(matches!(
        Store::status(&url(&dir)).await.unwrap(),
        Status::Present { applied, pending: 0 } if applied >= 1
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
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let mut tx = store.pool().begin().await.unwrap();
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
async fn an_unreachable_database_is_reported() {
    let error = Store::open("sqlite:///nonexistent-folder/steady.db")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("cannot open"), "{error}");
}
