//! `steady backup PATH`, the real binary, as an operator runs it beside the
//! live bot: taken in the middle of a check-in fan-out, the copy is a whole,
//! consistent database; and it refuses, naming the path, rather than
//! overwrite a file, write into a missing folder, or copy nothing; on
//! PostgreSQL it points to pg_dump.

mod harness;
mod standin;

use harness::{database_url, fan_out, quick, Bot, PATIENCE};
use sqlx::Connection;
use standin::{route, Fault, FaultKind, StandIn};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use steady::store::{Status, Store};

const FIRST_USER: u64 = 1_100_000_000_000_003_000;
const COUNT: u64 = 120;

fn steady_backup(dir: &Path, database_url: &str, path: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steady"));
    command
        .current_dir(dir)
        .arg("backup")
        .arg(path)
        .env("DATABASE_URL", database_url)
        .env_remove("DISCORD_TOKEN")
        .env_remove("STEADY_DISCORD_API_URL")
        .env_remove("RUST_LOG");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Check-in DMs the stand-in accepted.
fn sent(standin: &StandIn) -> usize {
    (standin.requests().iter())
        .filter(|r| r.route == route::CREATE_MESSAGE && r.status == 200)
        .count()
}

#[tokio::test]
async fn a_backup_taken_mid_fan_out_is_whole_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let live = database_url(dir.path());
    let due = fan_out(&live, FIRST_USER..FIRST_USER + COUNT, 2).await;
    let standin = StandIn::start_with(quick()).await;
    // Slow answers and a small budget: the fan-out takes seconds.
    standin.inject(Fault::new(
        route::CREATE_MESSAGE,
        FaultKind::Latency(Duration::from_millis(40)),
    ));
    let bot = Bot::start_in(
        &standin,
        dir.path(),
        "[discord]\nrequests_per_second = 30\n",
    )
    .await;
    let started = Instant::now();
    while sent(&standin) < COUNT as usize / 4 {
        assert!(started.elapsed() < PATIENCE * 2, "the fan-out never began");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let copy = dir.path().join("backup.db");
    let before = sent(&standin);
    // Another process, as an operator's would be; the bot keeps sending
    // on this runtime meanwhile.
    let mut command = steady_backup(dir.path(), &live, &copy);
    let out = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let after = sent(&standin);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        after < COUNT as usize,
        "backed up too late to prove anything"
    );
    let said = text(&out.stdout);
    let size = std::fs::metadata(&copy).unwrap().len();
    assert_eq!(
        said.trim(),
        format!(
            "backup: wrote {} ({size} bytes), a consistent copy of {}\n\
             it holds no keys: back up the key store with `steady backup --keys`, and the \
             master key, each apart",
            copy.display(),
            dir.path().join("steady.db").display()
        )
    );
    bot.stop().await.unwrap();

    let copy_url = format!("sqlite://{}", copy.display());
    let mut raw = sqlx::SqliteConnection::connect(&copy_url).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let broken_links: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut raw)
        .await
        .unwrap();
    assert!(broken_links.is_empty(), "{broken_links:?}");
    raw.close().await.unwrap();
    assert!(matches!(
        Store::status(&copy_url).await.unwrap(),
        Status::Present { pending: 0, .. }
    ));

    // Every check-in is in the copy, each either still due or claimed
    // (moved on to its next day), and at least those already sent when the
    // backup began are claimed in it.
    let store = Store::open(&copy_url).await.unwrap();
    let mut claimed = 0;
    for user in FIRST_USER..FIRST_USER + COUNT {
        let checkin = store.checkin(user).await.unwrap().expect("in the copy");
        let next = checkin.next_due.expect("not paused");
        assert!(next.timestamp() >= due.timestamp(), "{next} before {due}");
        if next.timestamp() > due.timestamp() {
            claimed += 1;
        }
    }
    store.close().await;
    assert!(
        claimed >= before,
        "{claimed} claimed in the copy, {before} sent before it began"
    );
}

/// Run `steady backup` on a fresh database in `dir`.
fn backup_in(dir: &Path, path: &Path) -> Output {
    steady_backup(dir, &database_url(dir), path)
        .output()
        .unwrap()
}

async fn a_database(dir: &Path) {
    Store::open(&database_url(dir)).await.unwrap().close().await;
}

#[tokio::test]
async fn it_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    a_database(dir.path()).await;
    let earlier = dir.path().join("earlier.db");
    std::fs::write(&earlier, "yesterday's backup").unwrap();
    let out = backup_in(dir.path(), &earlier);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "steady: cannot back up to {}: it already exists, and a backup never \
             replaces a file; choose a new name or move the old one away",
            earlier.display()
        )
    );
    assert_eq!(std::fs::read(&earlier).unwrap(), b"yesterday's backup");
    // Not even an empty one, which SQLite itself would fill.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(backup_in(dir.path(), &empty).status.code(), Some(1));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}

#[tokio::test]
async fn it_names_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    a_database(dir.path()).await;
    let missing = dir.path().join("backups");
    let out = backup_in(dir.path(), Path::new("backups/today.db"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "steady: cannot back up to {}: there is no folder {}; create it first",
            missing.join("today.db").display(),
            missing.display()
        )
    );
    assert!(!missing.exists());
}

#[test]
fn it_says_when_there_is_no_database_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let out = backup_in(dir.path(), &copy);
    assert_eq!(out.status.code(), Some(1));
    let database = dir.path().join("steady.db");
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "steady: nothing to back up: there is no database at {} \
             (database URL \"{}\"); check DATABASE_URL or database.url",
            database.display(),
            database_url(dir.path())
        )
    );
    assert!(!copy.exists());
    assert!(!database.exists(), "backup must not create the database");
}

#[cfg(unix)]
#[tokio::test]
async fn only_its_owner_may_read_the_copy() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    a_database(dir.path()).await;
    let copy = dir.path().join("backup.db");
    assert!(backup_in(dir.path(), &copy).status.success());
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// PostgreSQL is backed up with its own tool: steady says so without trying
/// to connect (nothing listens at this address) and writes nothing.
#[test]
fn on_postgres_it_points_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    let url = "postgres://steady:secret@127.0.0.1:1/steady";
    let out = steady_backup(dir.path(), url, &copy).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "steady: cannot back up a PostgreSQL database: steady backup copies only \
         SQLite files, so use pg_dump instead: pg_dump --exclude-schema=steady_keys for \
         the data, and pg_dump --schema=steady_keys for the keys, kept apart"
    );
    assert!(!copy.exists());
}
