//! The keys as an operator meets them through the `steady` binary: `check`
//! looks at them without making anything, `keys generate` makes a master
//! key, `keys rotate` rewraps every person key under a new one (resumably),
//! and `backup --keys` copies the key store apart from the data.

#[allow(dead_code)] // a server and its databases, no more
#[path = "harness/postgres.rs"]
mod postgres;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use steady::privacy::{MasterKey, PersonKey, Settings};
use steady::store::{Store, StoreError};

fn steady(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steady"));
    command
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("DATABASE_URL")
        .env_remove("STEADY_MASTER_KEY")
        .env_remove("RUST_LOG");
    command
}

/// Exit code, stdout and stderr of `steady args` in `dir`, with `env`.
fn outcome(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = steady(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A new master key, as `steady keys generate` prints it.
fn generated(dir: &Path) -> String {
    let (code, stdout, stderr) = outcome(dir, &["keys", "generate"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    stdout.trim().to_owned()
}

/// A key file only its owner reads, holding `keys` one a line.
fn key_file(path: &Path, keys: &[&str]) {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).unwrap();
    file.write_all(keys.join("\n").as_bytes()).unwrap();
}

/// The settings of a process whose master keys are in `file`.
fn from_file(file: &Path) -> Settings {
    Settings {
        master_key_file: Some(file.to_owned()),
        ..Settings::default()
    }
}

/// Each of `users` keeps an anchor naming them, under the keys in `file`.
async fn anchors_for(url: &str, file: &Path, users: &[u64]) {
    let store = Store::open_with(url, &from_file(file)).await.unwrap();
    for &user in users {
        store
            .add_anchor(user, &format!("I am enough, {user}"))
            .await
            .unwrap()
            .unwrap();
    }
    store.close().await;
}

/// Each of `users`' anchors, read under the keys in `file`.
/// The old master key alone, once a rotation is done: `check` (given it by
/// `env`) and an open (by `file`) both refuse, naming the `keys` it cannot open.
async fn assert_refused(dir: &Path, url: &str, env: &[(&str, &str)], file: &Path, keys: i64) {
    let (code, _, stderr) = outcome(dir, &["check"], env);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("does not match"), "{stderr}");
    let refused = Store::open_with(url, &from_file(file)).await;
    assert!(
        matches!(refused, Err(StoreError::KeyringMismatch { keys: k, .. }) if k == keys),
        "{refused:?}"
    );
}

async fn assert_readable(url: &str, file: &Path, users: &[u64]) {
    let store = Store::open_with(url, &from_file(file)).await.unwrap();
    for &user in users {
        let anchors = store.anchors(user).await.unwrap();
        let texts: Vec<_> = anchors.into_iter().map(|anchor| anchor.text).collect();
        assert_eq!(texts, [Some(format!("I am enough, {user}"))], "user {user}");
    }
    store.close().await;
}

#[test]
fn generate_prints_a_new_key_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (generated(dir.path()), generated(dir.path()));
    assert_ne!(one, two);
    for key in [&one, &two] {
        assert!(MasterKey::from_base64(key).is_ok(), "{key}");
        assert_eq!(key.len(), 44);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn check_makes_nothing_and_says_where_the_keys_will_be() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("master key: none yet; the first start makes steady-master.key"),
        "{stdout}"
    );
    assert!(
        stdout.contains("key store: steady-keys.db (not created yet"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let (code, _, stderr) = outcome(dir.path(), &["migrate"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let key = std::fs::read_to_string(dir.path().join("steady-master.key")).unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("master key: from steady-master.key"),
        "{stdout}"
    );
    assert!(
        stdout.contains("key store: steady-keys.db (0 person keys)"),
        "{stdout}"
    );
    assert!(!stdout.contains(key.trim()) && !stderr.contains(key.trim()));
    // Looked at, and left as one file, as a stopped steady leaves it.
    for left in ["steady-keys.db-wal", "steady-keys.db-shm"] {
        assert!(!dir.path().join(left).exists(), "{left}");
    }
}

#[test]
fn check_refuses_a_key_file_others_can_read_and_a_key_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("master.key");
    let key = generated(dir.path());
    key_file(&file, &[&key]);
    std::fs::write(
        dir.path().join("steady.toml"),
        "[privacy]\nmaster_key_file = \"master.key\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("master key: from master.key"), "{stdout}");

    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("master.key can be read by others (mode 640)")
            && stderr.contains("chmod 600 master.key"),
        "{stderr}"
    );

    // The variable wins over the file; neither value is ever echoed.
    let short = &key[..20];
    for (value, why) in [
        (short, "it is 15 bytes long, and a master key is 32"),
        ("not a key!", "it is not base64"),
    ] {
        let (code, stdout, stderr) =
            outcome(dir.path(), &["check"], &[("STEADY_MASTER_KEY", value)]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("master key 1 in STEADY_MASTER_KEY is not usable")
                && stderr.contains(why)
                && stderr.contains("steady keys generate"),
            "{stderr}"
        );
        assert!(!stdout.contains(value) && !stderr.contains(value));
    }
    assert!(!dir.path().join("steady.db").exists());
}

#[tokio::test]
async fn check_refuses_a_key_store_the_master_key_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let (mine, other) = (dir.path().join("mine.key"), dir.path().join("other.key"));
    key_file(&mine, &[&generated(dir.path())]);
    key_file(&other, &[&generated(dir.path())]);
    anchors_for(&url, &mine, &[1, 2]).await;

    let config = |file: &Path| format!("[privacy]\nmaster_key_file = {file:?}\n");
    std::fs::write(dir.path().join("steady.toml"), config(&mine)).unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("(2 person keys)"), "{stdout}");

    std::fs::write(dir.path().join("steady.toml"), config(&other)).unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the key store does not match the master key from")
            && stderr.contains("2 person keys are wrapped by a master key it does not hold"),
        "{stderr}"
    );
    // Without any key file, the one a first start would make opens nothing.
    std::fs::remove_file(dir.path().join("steady.toml")).unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("does not match"), "{stderr}");
    assert!(!dir.path().join("steady-master.key").exists());
}

/// Master keys A (old) and B (new) in files of their own and together.
struct Rotation {
    old: PathBuf,
    new: PathBuf,
    both: PathBuf,
    /// "B,A", as STEADY_MASTER_KEY holds them during a rotation.
    variable: String,
}

impl Rotation {
    fn in_dir(dir: &Path) -> Rotation {
        let (a, b) = (generated(dir), generated(dir));
        let rotation = Rotation {
            old: dir.join("old.key"),
            new: dir.join("new.key"),
            both: dir.join("both.key"),
            variable: format!("{b},{a}"),
        };
        key_file(&rotation.old, &[&a]);
        key_file(&rotation.new, &[&b]);
        key_file(&rotation.both, &[&b, &a]);
        rotation
    }
}

#[tokio::test]
async fn rotate_rewraps_every_key_and_then_the_old_master_key_alone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let keys = Rotation::in_dir(dir.path());
    let old = [(
        "STEADY_MASTER_KEY",
        std::fs::read_to_string(&keys.old).unwrap(),
    )];
    let old = [(old[0].0, old[0].1.as_str())];
    let both = [("STEADY_MASTER_KEY", keys.variable.as_str())];
    anchors_for(&url, &keys.old, &[1, 2, 3]).await;

    // One key: nothing to do, said kindly.
    let (code, stdout, stderr) = outcome(dir.path(), &["keys", "rotate"], &old);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("nothing to rotate"), "{stdout}");
    assert!(stdout.contains("steady keys generate"), "{stdout}");

    // A process restarted with "new,old" reads both, and wraps new keys by the new one.
    anchors_for(&url, &keys.both, &[4]).await;
    assert_readable(&url, &keys.both, &[1, 2, 3, 4]).await;
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &both);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("master keys: 2 from STEADY_MASTER_KEY"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 person keys are still wrapped by an older master key"),
        "{stdout}"
    );

    let (code, stdout, stderr) = outcome(dir.path(), &["keys", "rotate", "--batch", "2"], &both);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("rotating: 3 person keys to rewrap")
            && stdout.contains("rewrapped 2 person keys\nrewrapped 3 person keys\n")
            && stdout.contains("done: 3 person keys rewrapped")
            && stdout.contains("may be removed"),
        "{stdout}"
    );
    // A second run finds nothing left.
    let (code, stdout, stderr) = outcome(dir.path(), &["keys", "rotate"], &both);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("nothing to rotate: all 4 person keys are wrapped by the first"),
        "{stdout}"
    );

    // Done: the old key alone no longer opens the store; the new one alone does.
    assert_refused(dir.path(), &url, &old, &keys.old, 4).await;
    let new = std::fs::read_to_string(&keys.new).unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[("STEADY_MASTER_KEY", &new)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("(4 person keys)"), "{stdout}");
    assert_readable(&url, &keys.new, &[1, 2, 3, 4]).await;
}

/// Person keys for `users`, wrapped by `master` (known to the store as
/// `master_id`), written straight into a SQLite key store: thousands in a
/// moment, so that a rotation takes long enough to be stopped.
async fn many_keys(
    keyring: &Path,
    master: &MasterKey,
    master_id: i64,
    users: std::ops::Range<i64>,
) {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(keyring);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    for user in users {
        let key = PersonKey::new();
        sqlx::query(
            "INSERT INTO person_keys (user_id, version, master, wrapped, made_at) \
             VALUES (?, ?, ?, ?, 0)",
        )
        .bind(user)
        .bind(i64::from(key.version()))
        .bind(master_id)
        .bind(key.wrap(master, user))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    pool.close().await;
}

/// How many person keys each master key wraps: (master id, keys).
async fn wrapped_by(keyring: &Path) -> Vec<(i64, i64)> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(keyring);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let rows =
        sqlx::query_as("SELECT master, COUNT(*) FROM person_keys GROUP BY master ORDER BY master")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_rotation_killed_midway_loses_nothing_and_a_second_run_finishes_it() {
    const MANY: i64 = 5_000;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let keyring = dir.path().join("steady-keys.db");
    let keys = Rotation::in_dir(dir.path());
    // The lowest and the highest ids: the first rewrapped, and the last.
    anchors_for(&url, &keys.old, &[1, 9_000_000]).await;
    let old = MasterKey::from_base64(&std::fs::read_to_string(&keys.old).unwrap()).unwrap();
    let [(old_id, 2)] = wrapped_by(&keyring).await[..] else {
        panic!("one master key wrapping two person keys");
    };
    many_keys(&keyring, &old, old_id, 100..100 + MANY).await;
    let total = MANY + 2;

    let mut rotation = steady(dir.path())
        .args(["keys", "rotate", "--batch", "10"])
        .env("DATABASE_URL", &url)
        .env("STEADY_MASTER_KEY", &keys.variable)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(rotation.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert_eq!(first, format!("rotating: {total} person keys to rewrap under the first master key from STEADY_MASTER_KEY"));
    let progress = lines.next().unwrap().unwrap();
    assert_eq!(progress, "rewrapped 10 person keys");
    rotation.kill().unwrap();
    rotation.wait().unwrap();

    // Stopped midway: some under each master key, none lost.
    let midway = wrapped_by(&keyring).await;
    assert_eq!(midway.iter().map(|(_, keys)| keys).sum::<i64>(), total);
    assert_eq!(
        midway.len(),
        2,
        "the rotation finished before it was stopped: {midway:?}"
    );
    // A process holding "new,old" reads keys wrapped by either.
    assert_readable(&url, &keys.both, &[1, 9_000_000]).await;

    let env = [
        ("DATABASE_URL", url.as_str()),
        ("STEADY_MASTER_KEY", keys.variable.as_str()),
    ];
    let (code, stdout, stderr) = outcome(dir.path(), &["keys", "rotate"], &env);
    assert_eq!(code, Some(0), "{stderr}");
    let left = midway.iter().find(|(id, _)| *id == old_id).unwrap().1;
    assert!(
        stdout.contains(&format!("done: {left} person keys rewrapped")),
        "{stdout}"
    );
    let after = wrapped_by(&keyring).await;
    assert!(
        matches!(after[..], [(id, keys)] if id != old_id && keys == total),
        "{after:?}"
    );
    assert_readable(&url, &keys.new, &[1, 9_000_000]).await;
}

#[tokio::test]
async fn backup_keys_copies_the_key_store_and_the_data_backup_holds_none() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let (code, _, stderr) = outcome(dir.path(), &["backup", "--keys", "keys.db"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("no key store at") && stderr.contains("steady-keys.db yet"),
        "{stderr}"
    );
    let file = dir.path().join("master.key");
    key_file(&file, &[&generated(dir.path())]);
    anchors_for(&url, &file, &[1, 2, 3]).await;

    let (code, stdout, stderr) = outcome(dir.path(), &["backup", "--keys", "keys.db"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("a consistent copy of the key store")
            && stdout.contains("no use without the master key"),
        "{stdout}"
    );
    let copy = dir.path().join("keys.db");
    assert_eq!(
        wrapped_by(&copy)
            .await
            .iter()
            .map(|(_, keys)| keys)
            .sum::<i64>(),
        3
    );
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (code, _, stderr) = outcome(dir.path(), &["backup", "--keys", "keys.db"], &[]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("already exists"), "{stderr}");

    let (code, stdout, stderr) = outcome(dir.path(), &["backup", "data.db"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("it holds no keys"), "{stdout}");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join("data.db"));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(tables.contains(&"anchors".to_owned()), "{tables:?}");
    assert!(
        !tables
            .iter()
            .any(|table| table.contains("key") || table == "masters"),
        "{tables:?}"
    );
    pool.close().await;
}

#[tokio::test]
async fn on_postgres_check_rotate_and_backup_name_the_schema() {
    let Some(server) = postgres::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.database();
    let keys = Rotation::in_dir(dir.path());
    let old_key = std::fs::read_to_string(&keys.old).unwrap();
    let old = [
        ("DATABASE_URL", url.as_str()),
        ("STEADY_MASTER_KEY", old_key.as_str()),
    ];
    let both = [
        ("DATABASE_URL", url.as_str()),
        ("STEADY_MASTER_KEY", keys.variable.as_str()),
    ];

    // No key at all: PostgreSQL makes none, and says how to get one.
    let (code, _, stderr) = outcome(dir.path(), &["check"], &old[..1]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("no master key: set STEADY_MASTER_KEY")
            && stderr.contains("steady keys generate"),
        "{stderr}"
    );
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &old);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("key store: schema steady_keys in the database (not created yet"),
        "{stdout}"
    );
    anchors_for(&url, &keys.old, &[1, 2]).await;
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &old);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("master key: from STEADY_MASTER_KEY")
            && stdout.contains("key store: schema steady_keys in the database (2 person keys)"),
        "{stdout}"
    );

    anchors_for(&url, &keys.both, &[3]).await;
    assert_readable(&url, &keys.both, &[1, 2, 3]).await;
    let (code, stdout, stderr) = outcome(dir.path(), &["keys", "rotate", "--batch", "1"], &both);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("rewrapped 1 person keys\nrewrapped 2 person keys\n")
            && stdout.contains("done: 2 person keys rewrapped"),
        "{stdout}"
    );
    assert_refused(dir.path(), &url, &old, &keys.old, 3).await;
    assert_readable(&url, &keys.new, &[1, 2, 3]).await;

    for args in [&["backup", "--keys", "k.db"][..], &["backup", "d.db"]] {
        let (code, _, stderr) = outcome(dir.path(), args, &both);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("pg_dump") && stderr.contains("--schema=steady_keys"),
            "{stderr}"
        );
    }
}

/// OPERATING.md's steps when the master key is lost, on each backend: a
/// fresh key store and key; what people wrote reads as unreadable and can
/// be removed, and what they write next reads again.
async fn start_over_after_losing_the_master_key(
    url: &str,
    dir: &Path,
    empty_the_store: impl AsyncFnOnce(),
) {
    let (lost, fresh) = (dir.join("lost.key"), dir.join("fresh.key"));
    key_file(&lost, &[&generated(dir)]);
    key_file(&fresh, &[&generated(dir)]);
    anchors_for(url, &lost, &[1]).await;
    assert!(matches!(
        Store::open_with(url, &from_file(&fresh)).await,
        Err(StoreError::KeyringMismatch { keys: 1, .. })
    ));
    empty_the_store().await;

    let store = Store::open_with(url, &from_file(&fresh)).await.unwrap();
    let gone = store.anchors(1).await.unwrap();
    assert!(matches!(&gone[..], [anchor] if anchor.text.is_none()));
    assert!(store.remove_anchor(1, gone[0].id).await.unwrap());
    store.close().await;
    anchors_for(url, &fresh, &[1]).await;
    assert_readable(url, &fresh, &[1]).await;
}

#[tokio::test]
async fn a_lost_master_key_means_a_fresh_key_store_and_the_bot_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steady.db").display());
    let keyring = dir.path().join("steady-keys.db");
    start_over_after_losing_the_master_key(&url, dir.path(), async || {
        std::fs::rename(&keyring, dir.path().join("steady-keys.db.lost")).unwrap();
    })
    .await;

    let Some(server) = postgres::server() else {
        return;
    };
    let url = server.database();
    start_over_after_losing_the_master_key(&url, dir.path(), async || {
        server.psql(
            &url,
            "TRUNCATE steady_keys.person_keys, steady_keys.masters",
        );
    })
    .await;
}
