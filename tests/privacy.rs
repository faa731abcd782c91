//! Issue #30's promises, on both backends: what people write reaches no
//! file, log or dump in the clear; a backup restored after a delete cannot
//! show the deleted person's words; a changed or moved sealed text does not
//! open; a database made by the release before is sealed on the first
//! start, safely again and again; and a text whose key is gone reads, for
//! its owner, as the kind note, end to end.

// The contract's harness and the bot's each bring the PostgreSQL one;
// only the contract's starts a server here.
#![allow(clippy::duplicate_mod)]

mod backend;
mod harness;
mod standin;

use backend::{execute, number, Db};
use harness::{ask, ask_deferred, assert_healthy, assert_private, assert_private_data, content};
use harness::{quick, river, said, sky, Bot, GUILD, PATIENCE};
use serde_json::json;
use sqlx::migrate::Migrator;
use standin::{InteractionSpec, StandIn, UserSpec};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use steady::privacy::Settings;
use steady::store::{Anchor, Store};

on_both!(
    the_canary_is_in_no_file_or_dump_and_still_reads,
    a_backup_restored_after_a_delete_shows_only_the_others_words,
    a_flipped_byte_does_not_open,
    texts_swapped_between_people_do_not_open,
    a_text_moved_to_another_row_of_its_person_does_not_open,
    plain_anchors_of_the_release_before_are_sealed_on_the_first_start,
    sealing_is_idempotent_and_finishes_what_an_interrupted_start_began,
);

const ME: u64 = 1;
/// Above i64::MAX, so the u64 → BIGINT round-trip is exercised too.
const THEM: u64 = u64::MAX - 7;
/// THEM as the database keeps them.
const THEM_ID: i64 = THEM as i64;

/// The releases before sealing: their newest migration on each backend.
const RELEASE_BEFORE: (i64, i64) = (13, 5);

/// A string found nowhere but where a test put it: a test's own, as the
/// tests of one binary share a PostgreSQL server.
fn canary(test: &str) -> String {
    format!("canary-{test}-{}-q7Zx", std::process::id())
}

/// The settings `db` is opened with: on SQLite the defaults (the key store
/// and master key made beside the database), on PostgreSQL the test
/// server's key file.
fn settings(db: &Db) -> Settings {
    match db.is_postgres() {
        true => backend::postgres::server().expect("a server").privacy(),
        false => Settings::default(),
    }
}

async fn open_url(db: &Db, url: &str) -> Store {
    Store::open_with(url, &settings(db)).await.unwrap()
}

async fn open(db: &Db) -> Store {
    open_url(db, &db.url()).await
}

fn texts(anchors: &[Anchor]) -> Vec<Option<&str>> {
    anchors
        .iter()
        .map(|anchor| anchor.text.as_deref())
        .collect()
}

async fn add(store: &Store, user: u64, text: &str) {
    store.add_anchor(user, text).await.unwrap().unwrap();
}

/// Whether `haystack` holds `canary`'s bytes, as they are or as hex (how
/// `pg_dump` writes a BYTEA, should words ever be kept in one).
fn holds(haystack: &[u8], canary: &str) -> bool {
    let hex: String = canary.bytes().map(|byte| format!("{byte:02x}")).collect();
    [canary.as_bytes(), hex.as_bytes()].iter().any(|needle| {
        haystack
            .windows(needle.len())
            .any(|window| window == *needle)
    })
}

fn assert_not_in_file(path: &Path, canary: &str) {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    assert!(!holds(&bytes, canary), "{} holds the words", path.display());
}

/// `pg_dump` of the database at `url` in plain SQL, with `args`.
fn pg_dump(url: &str, args: &[&str]) -> Vec<u8> {
    let dumped = Command::new(backend::postgres::program("pg_dump"))
        .args(["--no-password", "--dbname", url])
        .args(args)
        .output()
        .unwrap();
    assert!(
        dumped.status.success(),
        "pg_dump {args:?}: {}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    dumped.stdout
}

/// Run the plain SQL `dump` on the database at `url`, as an operator
/// restores one.
fn psql_restore(url: &str, dump: &[u8]) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), dump).unwrap();
    let ran = Command::new(backend::postgres::program("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", url, "-f"])
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "psql -f: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
}

/// Every file under `dir` that can still be read (the server writes and
/// removes its own while we look).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(entry.path()),
                Ok(kind) if kind.is_file() => found.push(entry.path()),
                _ => {}
            }
        }
    }
    found
}

async fn the_canary_is_in_no_file_or_dump_and_still_reads(db: Db) {
    let canary = canary("files");
    let words = format!("I am worthy of love {canary}");
    let store = open(&db).await;
    add(&store, ME, &words).await;
    add(&store, THEM, "the sea is still there").await;
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), [Some(&*words)]);

    match &db {
        Db::Sqlite(dir) => {
            // Still open: the newest pages are in the logs, not yet folded in.
            let wal = dir.path().join("steady.db-wal");
            assert!(
                std::fs::metadata(&wal).unwrap().len() > 0,
                "written to the log"
            );
            for name in [
                "steady.db",
                "steady.db-wal",
                "steady-keys.db",
                "steady-keys.db-wal",
                "steady-master.key",
            ] {
                assert_not_in_file(&dir.path().join(name), &canary);
            }
            let copy = dir.path().join("backup.db");
            steady::store::backup(&db.url(), &copy).await.unwrap();
            assert_not_in_file(&copy, &canary);
            store.close().await;
            for name in ["steady.db", "steady-keys.db", "backup.db"] {
                assert_not_in_file(&dir.path().join(name), &canary);
            }
            let again = open(&db).await;
            assert_eq!(texts(&again.anchors(ME).await.unwrap()), [Some(&*words)]);
            again.close().await;
        }
        Db::Postgres(url) => {
            let data = pg_dump(url, &["--exclude-schema=steady_keys"]);
            assert!(!holds(&data, &canary), "the data's dump holds the words");
            let data = String::from_utf8(data).unwrap();
            assert!(
                data.contains("COPY public.anchors"),
                "the anchors are dumped"
            );
            assert!(
                !data.contains("steady_keys"),
                "the data's dump holds no key"
            );
            let everything = pg_dump(url, &[]);
            assert!(
                !holds(&everything, &canary),
                "the full dump holds the words"
            );
            assert!(String::from_utf8(everything)
                .unwrap()
                .contains("COPY steady_keys.person_keys"));
            // The words never reach the server: not its tables, its log
            // or its write-ahead log.
            let server = backend::postgres::server().unwrap();
            for file in files_under(server.dir()) {
                if let Ok(bytes) = std::fs::read(&file) {
                    assert!(
                        !holds(&bytes, &canary),
                        "{} holds the words",
                        file.display()
                    );
                }
            }
            assert_eq!(texts(&store.anchors(ME).await.unwrap()), [Some(&*words)]);
            store.close().await;
        }
    }
}

async fn a_backup_restored_after_a_delete_shows_only_the_others_words(db: Db) {
    let store = open(&db).await;
    add(&store, ME, "I can handle uncertainty").await;
    add(&store, ME, "Feelings pass").await;
    add(&store, THEM, "the sea is still there").await;
    add(&store, THEM, "my worth is not a reply time").await;

    // The backup, taken before the delete: of the data alone.
    let restored = match &db {
        Db::Sqlite(dir) => {
            let copy = dir.path().join("backup.db");
            steady::store::backup(&db.url(), &copy).await.unwrap();
            store.forget(THEM).await.unwrap();
            store.close().await;
            // Put back in place of the database; the key store stays as it is now.
            std::fs::copy(&copy, dir.path().join("steady.db")).unwrap();
            db.url()
        }
        Db::Postgres(url) => {
            let data = pg_dump(url, &["--exclude-schema=steady_keys"]);
            store.forget(THEM).await.unwrap();
            store.close().await;
            let keys_now = pg_dump(url, &["--schema=steady_keys"]);
            let restored = backend::postgres::server().unwrap().database();
            psql_restore(&restored, &keys_now);
            psql_restore(&restored, &data);
            restored
        }
    };
    let store = open_url(&db, &restored).await;
    assert_eq!(
        texts(&store.anchors(ME).await.unwrap()),
        [Some("I can handle uncertainty"), Some("Feelings pass")]
    );
    // Theirs are back as rows, and none can be read: no crash, no words.
    assert_eq!(texts(&store.anchors(THEM).await.unwrap()), [None, None]);
    let next = store.next_anchor(THEM).await.unwrap().unwrap();
    assert_eq!(next.text, None);
    assert_eq!(store.find_anchors(THEM, "", 25).await.unwrap().len(), 2);
    assert!(store
        .find_anchors(THEM, "sea", 25)
        .await
        .unwrap()
        .is_empty());
    let export = store.export(THEM).await.unwrap().unwrap();
    assert!(export.anchors.iter().all(|anchor| anchor.text.is_none()));
    let said = serde_json::to_string(&export).unwrap();
    assert!(
        !said.contains("sea") && !said.contains("reply time"),
        "{said}"
    );

    // Back again, they get a new key, which claims none of the old texts.
    add(&store, THEM, "starting over").await;
    assert_eq!(
        texts(&store.anchors(THEM).await.unwrap()),
        [None, None, Some("starting over")]
    );
    assert!(store.remove_anchor(THEM, next.id).await.unwrap());
    store.close().await;
}

/// The sealed text of anchor `id`, read raw.
async fn sealed(store: &Store, id: i64) -> Vec<u8> {
    match (store.sqlite(), store.postgres()) {
        (Some(pool), _) => sqlx::query_scalar("SELECT sealed FROM anchors WHERE id = ?")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap(),
        (_, Some(pool)) => sqlx::query_scalar("SELECT sealed FROM anchors WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap(),
        _ => unreachable!("a store is on one backend"),
    }
}

/// Write `sealed` into anchor `id`, as someone with the database might.
async fn set_sealed(store: &Store, id: i64, sealed: &[u8]) {
    match (store.sqlite(), store.postgres()) {
        (Some(pool), _) => sqlx::query("UPDATE anchors SET sealed = ? WHERE id = ?")
            .bind(sealed)
            .bind(id)
            .execute(pool)
            .await
            .map(drop),
        (_, Some(pool)) => sqlx::query("UPDATE anchors SET sealed = $1 WHERE id = $2")
            .bind(sealed)
            .bind(id)
            .execute(pool)
            .await
            .map(drop),
        _ => unreachable!("a store is on one backend"),
    }
    .unwrap();
}

async fn a_flipped_byte_does_not_open(db: Db) {
    let store = open(&db).await;
    add(&store, ME, "I am safe now").await;
    add(&store, ME, "Feelings pass").await;
    let id = store.anchors(ME).await.unwrap()[0].id;
    let original = sealed(&store, id).await;
    // Every byte: the format, the key version, the nonce, the text, the tag.
    for at in 0..original.len() {
        let mut changed = original.clone();
        changed[at] ^= 0x01;
        set_sealed(&store, id, &changed).await;
        assert_eq!(
            texts(&store.anchors(ME).await.unwrap()),
            [None, Some("Feelings pass")],
            "byte {at} flipped"
        );
    }
    // Cut short, or lengthened: neither opens.
    for changed in [
        &original[..original.len() - 1],
        &[&original[..], &[0]].concat(),
    ] {
        set_sealed(&store, id, changed).await;
        assert_eq!(store.anchors(ME).await.unwrap()[0].text, None);
    }
    set_sealed(&store, id, &original).await;
    assert_eq!(
        texts(&store.anchors(ME).await.unwrap()),
        [Some("I am safe now"), Some("Feelings pass")]
    );
    store.close().await;
}

async fn texts_swapped_between_people_do_not_open(db: Db) {
    let store = open(&db).await;
    add(&store, ME, "mine alone").await;
    add(&store, THEM, "theirs alone").await;
    let mine = store.anchors(ME).await.unwrap()[0].id;
    let theirs = store.anchors(THEM).await.unwrap()[0].id;
    let (my_sealed, their_sealed) = (sealed(&store, mine).await, sealed(&store, theirs).await);
    set_sealed(&store, mine, &their_sealed).await;
    set_sealed(&store, theirs, &my_sealed).await;
    assert_eq!(texts(&store.anchors(ME).await.unwrap()), [None]);
    assert_eq!(texts(&store.anchors(THEM).await.unwrap()), [None]);
    // Nor does a row moved whole to the other person.
    set_sealed(&store, mine, &my_sealed).await;
    set_sealed(&store, theirs, &their_sealed).await;
    let moved = format!("UPDATE anchors SET user_id = {THEM_ID} WHERE id = {mine}");
    execute(&store, &moved).await;
    let theirs_now = store.anchors(THEM).await.unwrap();
    let text_of = |id| {
        theirs_now
            .iter()
            .find(|anchor| anchor.id == id)
            .unwrap()
            .text
            .as_deref()
    };
    assert_eq!(
        (text_of(theirs), text_of(mine)),
        (Some("theirs alone"), None)
    );
    store.close().await;
}

async fn a_text_moved_to_another_row_of_its_person_does_not_open(db: Db) {
    let store = open(&db).await;
    add(&store, ME, "first truth").await;
    add(&store, ME, "second truth").await;
    let anchors = store.anchors(ME).await.unwrap();
    let first = sealed(&store, anchors[0].id).await;
    set_sealed(&store, anchors[1].id, &first).await;
    assert_eq!(
        texts(&store.anchors(ME).await.unwrap()),
        [Some("first truth"), None],
        "a sealed text is bound to its row"
    );
    store.close().await;
}

/// A database as the release before left it: migrated by its migrations
/// only, so `anchors.text` is plain and NOT NULL.
async fn made_by_the_release_before(db: &Db) {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let (own, newest) = match db.is_postgres() {
        true => (own.join("postgres"), RELEASE_BEFORE.1),
        false => (own, RELEASE_BEFORE.0),
    };
    let before = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&own).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let number: Option<i64> = name.split('_').next().and_then(|n| n.parse().ok());
        if name.ends_with(".sql") && number.is_some_and(|n| n <= newest) {
            std::fs::copy(&path, before.path().join(&name)).unwrap();
        }
    }
    let migrator = Migrator::new(before.path()).await.unwrap();
    match db {
        Db::Sqlite(_) => {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&db.url())
                .unwrap()
                .create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
        Db::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

/// Run `sql` on `db` with a pool of the test's own, no store open.
async fn raw(db: &Db, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db {
        Db::Sqlite(_) => {
            let pool = sqlx::SqlitePool::connect(&db.url()).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Db::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

/// Plain anchors as the release before wrote them: `texts[i]` at position
/// `first + i` for `user`.
fn plain_anchors(user: i64, first: usize, texts: &[String]) -> String {
    texts
        .iter()
        .enumerate()
        .map(|(at, text)| {
            format!(
                "INSERT INTO anchors (user_id, text, position, created_at) \
                 VALUES ({user}, '{text}', {}, 1700000000);\n",
                first + at
            )
        })
        .collect()
}

fn numbered(canary: &str, who: &str, range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("{who} truth {n} {canary}")).collect()
}

/// ME and THEM, as the release before kept them.
fn people() -> String {
    format!("INSERT INTO users (user_id, created_at) VALUES (1, 1700000000), ({THEM_ID}, 1700000000);\n")
}

/// What `texts` read as, all readable.
fn readable(texts: &[String]) -> Vec<Option<&str>> {
    texts.iter().map(|text| Some(text.as_str())).collect()
}

async fn plain_anchors_of_the_release_before_are_sealed_on_the_first_start(db: Db) {
    let canary = canary("upgrade");
    made_by_the_release_before(&db).await;
    let (mine, theirs) = (
        numbered(&canary, "my", 0..3),
        numbered(&canary, "their", 0..2),
    );
    raw(
        &db,
        &format!(
            "{}{}{}",
            people(),
            plain_anchors(1, 1, &mine),
            plain_anchors(THEM_ID, 1, &theirs)
        ),
    )
    .await;

    let store = open(&db).await;
    let read = store.anchors(ME).await.unwrap();
    assert_eq!(texts(&read), readable(&mine));
    assert_eq!(
        texts(&store.anchors(THEM).await.unwrap()),
        readable(&theirs)
    );
    assert_eq!(
        number(
            &store,
            "SELECT COUNT(*) FROM anchors WHERE text IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        number(
            &store,
            "SELECT COUNT(*) FROM anchors WHERE sealed IS NOT NULL"
        )
        .await,
        5
    );
    assert_eq!(store.person_keys().await.unwrap(), 2);
    // Their words still come and go as before.
    add(&store, ME, "a new one").await;
    assert_eq!(store.anchors(ME).await.unwrap().len(), 4);
    assert_eq!(
        store.add_anchor(ME, &mine[0]).await.unwrap(),
        Err(steady::anchors::AnchorError::Duplicate)
    );
    match &db {
        Db::Sqlite(dir) => {
            store.close().await;
            assert!(!dir.path().join("steady.db-wal").exists());
            assert_not_in_file(&dir.path().join("steady.db"), &canary);
        }
        Db::Postgres(url) => {
            assert!(
                !holds(&pg_dump(url, &[]), &canary),
                "the dump holds old words"
            );
            store.close().await;
        }
    }
}

async fn sealing_is_idempotent_and_finishes_what_an_interrupted_start_began(db: Db) {
    let canary = canary("again");
    made_by_the_release_before(&db).await;
    let first = numbered(&canary, "my", 0..4);
    raw(&db, &format!("{}{}", people(), plain_anchors(1, 1, &first))).await;
    let store = open(&db).await;
    let sealed_once = store.anchors(ME).await.unwrap();
    let keys = store.person_keys().await.unwrap();
    store.close().await;

    // Opened again: nothing left to seal, nothing changed, no new key.
    let store = open(&db).await;
    assert_eq!(store.seal_plain_anchors().await.unwrap(), 0);
    assert_eq!(store.anchors(ME).await.unwrap(), sealed_once);
    assert_eq!(store.person_keys().await.unwrap(), keys);
    // A start stopped half-way leaves some rows plain beside sealed ones:
    // as if these were written by the release before after it.
    let rest = numbered(&canary, "my", 4..8);
    let theirs = numbered(&canary, "their", 0..3);
    store.close().await;
    raw(
        &db,
        &format!(
            "{}{}",
            plain_anchors(1, 5, &rest),
            plain_anchors(THEM_ID, 1, &theirs)
        ),
    )
    .await;

    let store = open(&db).await;
    assert_eq!(
        number(
            &store,
            "SELECT COUNT(*) FROM anchors WHERE text IS NOT NULL"
        )
        .await,
        0
    );
    let all: Vec<String> = first.iter().chain(&rest).cloned().collect();
    let read = store.anchors(ME).await.unwrap();
    assert_eq!(texts(&read), readable(&all));
    assert_eq!(read[..4], sealed_once[..], "the sealed ones kept their ids");
    assert_eq!(
        texts(&store.anchors(THEM).await.unwrap()),
        readable(&theirs)
    );
    assert_eq!(
        store.person_keys().await.unwrap(),
        2,
        "my key is the one I had"
    );
    store.close().await;
}

// End to end: the real bot, against the stand-in.

fn anchors(sub: &str, user: UserSpec) -> InteractionSpec {
    InteractionSpec::slash("anchors")
        .subcommand(sub)
        .in_guild(GUILD)
        .user(user)
}

#[tokio::test]
async fn a_text_whose_key_is_gone_or_was_changed_reads_as_the_kind_note_for_its_owner() {
    let standin = StandIn::start_with(quick()).await;
    let dir = tempfile::tempdir().unwrap();
    let bot = Bot::start_in(&standin, dir.path(), "").await;
    let m = steady::prompts::Catalog::load(None)
        .unwrap()
        .anchors
        .messages;
    let canary = canary("end-to-end");
    let words = format!("I am worthy of love {canary}");
    ask(
        &standin,
        anchors("add", river()).option("text", json!(words)),
    )
    .await;
    let list = ask(&standin, anchors("list", river())).await;
    assert!(content(&list).contains(&words));

    // Their key destroyed behind the bot's back; the row stays.
    let keys = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("steady-keys.db").display()
    ))
    .await
    .unwrap();
    let gone = sqlx::query("DELETE FROM person_keys WHERE user_id = ?")
        .bind(i64::try_from(river().id).unwrap())
        .execute(&keys)
        .await
        .unwrap();
    assert_eq!(gone.rows_affected(), 1);
    keys.close().await;

    let list = ask(&standin, anchors("list", river())).await;
    assert_private(&list);
    assert!(
        content(&list).contains(&m.unreadable.plain()),
        "{}",
        content(&list)
    );
    assert!(!content(&list).contains(&canary));
    let sent = ask_deferred(&standin, anchors("send", river()), PATIENCE).await;
    assert_private_data(&sent.body);
    assert_eq!(said(&sent), m.sent.plain());
    let dms = standin.messages_in(standin.dm_channel_of(river().id));
    assert_eq!(dms.len(), 1);
    let dm = dms[0]["content"].as_str().unwrap();
    assert!(dm.contains(&m.unreadable.plain()), "{dm}");
    assert!(!dm.contains(&canary));

    // Another's text changed behind the bot's back: unreadable too, and
    // said so in the log as changed.
    let theirs = format!("the sea is still there {canary}");
    ask(
        &standin,
        anchors("add", sky()).option("text", json!(theirs)),
    )
    .await;
    let data = sqlx::SqlitePool::connect(&harness::database_url(dir.path()))
        .await
        .unwrap();
    let sky_id = i64::try_from(sky().id).unwrap();
    let mut sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM anchors WHERE user_id = ?")
        .bind(sky_id)
        .fetch_one(&data)
        .await
        .unwrap();
    *sealed.last_mut().unwrap() ^= 0x80;
    sqlx::query("UPDATE anchors SET sealed = ? WHERE user_id = ?")
        .bind(sealed)
        .bind(sky_id)
        .execute(&data)
        .await
        .unwrap();
    data.close().await;
    let list = ask(&standin, anchors("list", sky())).await;
    assert_private(&list);
    assert!(content(&list).contains(&m.unreadable.plain()));
    assert!(!content(&list).contains(&canary));

    bot.stop().await.unwrap();
    assert_healthy(&standin);
    let logs = harness::logs();
    let warned: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("a stored text could not be read"))
        .collect();
    assert!(
        warned
            .iter()
            .any(|line| line.contains("WARN") && line.contains("key_gone")),
        "{logs}"
    );
    assert!(
        warned.iter().any(|line| line.contains("tampered")),
        "{logs}"
    );
    let ids = [river().id.to_string(), sky().id.to_string()];
    for line in &warned {
        assert!(line.contains("anchors"), "{line}");
        assert!(
            ids.iter().all(|id| !line.contains(id)),
            "the warning names whose: {line}"
        );
        assert!(
            !line.contains(&canary),
            "the warning holds the words: {line}"
        );
    }
    // serenity logs whole events at debug; steady's own lines never hold the words.
    let ours = logs.lines().filter(|line| line.contains(" steady::"));
    assert!(ours.clone().all(|line| !line.contains(&canary)), "{logs}");
}

#[test]
fn no_opened_words_show_in_debug_output() {
    use steady::reframe::Record;
    use steady::store::{JournalEntry, JournalKind};
    let canary = "cnry-Db9g";
    let anchor = Anchor {
        id: 1,
        text: Some(canary.to_owned()),
    };
    let entry = JournalEntry {
        id: 2,
        kind: JournalKind::Entry,
        prompt: None,
        written_at: chrono::DateTime::UNIX_EPOCH,
        expires_at: None,
        text: Some(canary.to_owned()),
    };
    let record = Record::begin(canary, canary)
        .unwrap()
        .finish(canary, canary)
        .unwrap();
    for shown in [
        format!("{anchor:?}"),
        format!("{entry:?}"),
        format!("{record:?}"),
    ] {
        assert!(!shown.contains("cnry"), "{shown}");
    }
}
