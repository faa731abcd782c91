//! The key store and the master keys, in-process on SQLite files: where
//! the keys are made, which master keys a store accepts, a rotation, and a
//! key store gone missing. (tests/privacy.rs checks what the words look
//! like on disk, on both backends.)

mod harness;
mod standin;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use steady::privacy::{MasterKey, Settings};
use steady::store::{Store, StoreError};

const RIVER: u64 = 41;
const SKY: u64 = 42;

fn url(dir: &Path) -> String {
    harness::database_url(dir)
}

/// A key file of `keys` (first the current one), mode 0600.
fn key_file(dir: &Path, name: &str, keys: &[&MasterKey]) -> PathBuf {
    let path = dir.join(name);
    let text: Vec<String> = keys.iter().map(|key| key.to_base64().to_string()).collect();
    std::fs::write(&path, text.join("\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn with_file(path: &Path) -> Settings {
    Settings {
        master_key_file: Some(path.to_owned()),
        ..Settings::default()
    }
}

async fn add(store: &Store, user: u64, text: &str) {
    store.add_anchor(user, text).await.unwrap().unwrap();
}

async fn words(store: &Store, user: u64) -> Vec<Option<String>> {
    let anchors = store.anchors(user).await.unwrap();
    anchors.into_iter().map(|anchor| anchor.text).collect()
}

#[tokio::test]
async fn a_first_start_makes_a_private_master_key_beside_the_database_and_says_so_once() {
    harness::capture_logs_as_production("info");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    add(&store, RIVER, "I can rest here").await;
    store.close().await;
    let made = dir.path().join("steady-master.key");
    let mode = std::fs::metadata(&made).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the key file is the owner's alone");
    assert!(dir.path().join("steady-keys.db").exists());

    let store = Store::open(&url(dir.path())).await.unwrap();
    assert_eq!(
        words(&store, RIVER).await,
        [Some("I can rest here".to_owned())]
    );
    store.close().await;
    let said = harness::logs()
        .lines()
        .filter(|line| line.contains("made a new master key file"))
        .filter(|line| line.contains(&made.display().to_string()))
        .count();
    assert_eq!(
        said,
        1,
        "said once, at the first start:\n{}",
        harness::logs()
    );
}

#[tokio::test]
async fn a_master_key_file_others_may_read_or_of_the_wrong_length_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(dir.path(), "master.key", &[&MasterKey::new()]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = Store::open_with(&url(dir.path()), &with_file(&path))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("can be read by others") && refused.contains("chmod 600"),
        "{refused}"
    );

    std::fs::write(&path, "c2hvcnQ=\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let refused = Store::open_with(&url(dir.path()), &with_file(&path))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("5 bytes long, and a master key is 32"),
        "{refused}"
    );
    assert!(!dir.path().join("steady.db").exists(), "nothing was made");
}

#[tokio::test]
async fn a_key_store_made_with_another_master_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = key_file(dir.path(), "first.key", &[&MasterKey::new()]);
    let store = Store::open_with(&url(dir.path()), &with_file(&first))
        .await
        .unwrap();
    add(&store, RIVER, "I can rest here").await;
    store.close().await;

    let other = key_file(dir.path(), "other.key", &[&MasterKey::new()]);
    let refused = Store::open_with(&url(dir.path()), &with_file(&other))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::KeyringMismatch { keys: 1, .. }),
        "{refused}"
    );
    let store = Store::open_with(&url(dir.path()), &with_file(&first))
        .await
        .unwrap();
    assert_eq!(
        words(&store, RIVER).await,
        [Some("I can rest here".to_owned())]
    );
    store.close().await;
}

#[tokio::test]
async fn a_rotation_rewraps_every_key_and_the_old_master_key_then_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (MasterKey::new(), MasterKey::new());
    let only_old = key_file(dir.path(), "old.key", &[&old]);
    let store = Store::open_with(&url(dir.path()), &with_file(&only_old))
        .await
        .unwrap();
    for (user, text) in [(RIVER, "I can rest here"), (SKY, "I am allowed to need")] {
        add(&store, user, text).await;
    }
    store.close().await;

    // Mid-rotation: a process holding both reads every key, whichever wraps it.
    let both = key_file(dir.path(), "both.key", &[&new, &old]);
    let store = Store::open_with(&url(dir.path()), &with_file(&both))
        .await
        .unwrap();
    let first = store.rotate_keys(1).await.unwrap();
    assert_eq!((first.rewrapped, first.retired), (2, 1));
    let again = store.rotate_keys(1).await.unwrap();
    assert_eq!(
        (again.rewrapped, again.retired),
        (0, 0),
        "nothing left to do"
    );
    add(&store, SKY, "One step at a time").await;
    store.close().await;

    let only_new = key_file(dir.path(), "new.key", &[&new]);
    let store = Store::open_with(&url(dir.path()), &with_file(&only_new))
        .await
        .unwrap();
    assert_eq!(
        words(&store, RIVER).await,
        [Some("I can rest here".to_owned())]
    );
    assert_eq!(words(&store, SKY).await.len(), 2);
    store.close().await;
    let refused = Store::open_with(&url(dir.path()), &with_file(&only_old))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::KeyringMismatch { keys: 2, .. }),
        "{refused}"
    );
}

#[tokio::test]
async fn a_key_store_gone_missing_is_said_loudly_and_nobody_s_words_are_shown_wrong() {
    harness::capture_logs_as_production("info");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(dir.path())).await.unwrap();
    add(&store, RIVER, "I can rest here").await;
    store.close().await;
    for file in ["steady-keys.db", "steady-keys.db-wal", "steady-keys.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(file));
    }

    let store = Store::open(&url(dir.path())).await.unwrap();
    assert!(
        harness::logs().contains("the database holds sealed words, but the key store holds no key"),
        "{}",
        harness::logs()
    );
    assert_eq!(words(&store, RIVER).await, [None]);
    let export = store.export(RIVER).await.unwrap().unwrap();
    assert_eq!(export.anchors[0].text, None);
    store.close().await;
}

#[tokio::test]
async fn a_rotation_keeps_every_row_of_the_current_master_key() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (MasterKey::new(), MasterKey::new());
    let only_old = key_file(dir.path(), "old.key", &[&old]);
    let store = Store::open_with(&url(dir.path()), &with_file(&only_old))
        .await
        .unwrap();
    add(&store, RIVER, "I can rest here").await;
    store.close().await;

    // Two processes started together on PostgreSQL may each register the
    // new key; each wraps new person keys by its own row.
    let both = key_file(dir.path(), "both.key", &[&new, &old]);
    let store = Store::open_with(&url(dir.path()), &with_file(&both))
        .await
        .unwrap();
    let keyring = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("steady-keys.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("INSERT INTO masters (check_value, added_at) VALUES (?, 0)")
        .bind(new.check())
        .execute(&keyring)
        .await
        .unwrap();
    let rotated = store.rotate_keys(10).await.unwrap();
    assert_eq!(
        (rotated.rewrapped, rotated.retired),
        (1, 1),
        "only the old key's row"
    );
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM masters")
        .fetch_one(&keyring)
        .await
        .unwrap();
    assert_eq!(rows, 2, "both rows of the new key are kept");
    keyring.close().await;
    store.close().await;
}
