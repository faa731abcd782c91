//! Upgrades with several processes (docs/SCALING.md, "Upgrades"): a newer
//! build's migrations, applied with sqlx's own migrator as that build
//! would, and then this build opening the database as `steady run` does,
//! and `steady check` and `steady migrate` saying the same. A newer schema
//! whose changes are additive is used, with a warning; one a contract
//! migration marked is refused, naming both migrations and what to do. On
//! both backends.

mod backend;

use backend::{number, Db};
use sqlx::migrate::{MigrateError, Migrator};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use steady::store::{Fit, Status, Store, StoreError};

on_both!(
    todays_build_starts_on_a_database_it_migrated,
    processes_starting_together_on_a_new_database_take_turns,
    an_older_build_starts_on_a_database_a_newer_one_changed_additively,
    an_older_build_refuses_a_database_a_newer_one_contracted,
    a_changed_migration_of_its_own_is_refused_on_a_newer_database_too,
);

/// A newer build's additive migration: a table and a column this build
/// never reads, the column with a default so this build's inserts need not
/// name it.
const ADDITIVE: &str = "CREATE TABLE later_notes (id BIGINT PRIMARY KEY, note TEXT NOT NULL);
ALTER TABLE anchors ADD COLUMN pinned BIGINT NOT NULL DEFAULT 0;";

/// A newer build's contract migration: it drops a column this build
/// reads, and says so.
fn contract(version: i64) -> String {
    format!(
        "ALTER TABLE waits DROP COLUMN acted_at;\nUPDATE schema_compat SET requires = {version};"
    )
}

async fn todays_build_starts_on_a_database_it_migrated(db: Db) {
    let own = own_migrations(&db);
    db.open().await.close().await;
    let store = db.open().await;
    let applied = usize::try_from(number(&store, APPLIED).await).unwrap();
    assert_eq!(applied, sql_files(&own).len());
    let status = Store::status(&db.url()).await.unwrap();
    assert_eq!(
        status,
        Status::Present {
            applied,
            pending: 0,
            fit: Fit::Own
        }
    );
    let (code, stdout, stderr) = steady(&db, "check");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("newer"), "{stdout}");
}

async fn processes_starting_together_on_a_new_database_take_turns(db: Db) {
    let url = db.url();
    let opening: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { backend::postgres::open(&url).await })
        })
        .collect();
    for open in opening {
        open.await
            .unwrap()
            .expect("each process migrates in its turn");
    }
    let store = db.open().await;
    let applied = usize::try_from(number(&store, APPLIED).await).unwrap();
    assert_eq!(applied, sql_files(&own_migrations(&db)).len());
}

async fn an_older_build_starts_on_a_database_a_newer_one_changed_additively(db: Db) {
    let (newer, newest) = newer_migrations(&db, "later_notes", ADDITIVE);
    migrate_as_newer_build(&db, newer.path()).await;

    // Opening is `Send`, so a process may open its store on any task.
    let url = db.url();
    let store = tokio::spawn(async move { backend::postgres::open(&url).await })
        .await
        .unwrap()
        .expect("an older build uses a schema changed additively");
    store
        .add_anchor(7, "the sea is still there")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.anchors(7).await.unwrap().len(), 1);
    assert_eq!(number(&store, "SELECT COUNT(*) FROM later_notes").await, 0);
    store.close().await;

    let status = Store::status(&db.url()).await.unwrap();
    let Status::Present { pending, fit, .. } = status else {
        panic!("{status:?}");
    };
    assert_eq!(pending, 0);
    assert_eq!(
        fit,
        Fit::Newer {
            database: newest + 1,
            newest
        }
    );
    let (code, stdout, stderr) = steady(&db, "check");
    assert_eq!(code, Some(0), "{stderr}");
    let warning = format!(
        "warning: the database is at migration {}, newer than this build's {newest}: a \
         newer steady migrated it, with additive changes only, so this build can use it",
        newest + 1
    );
    assert!(stdout.contains(&warning), "{stdout}");
    let (code, _, stderr) = steady(&db, "migrate");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("the database was migrated by a newer steady"),
        "{stderr}"
    );
}

async fn an_older_build_refuses_a_database_a_newer_one_contracted(db: Db) {
    let newest = newest(&own_migrations(&db));
    let (newer, _) = newer_migrations(&db, "contract", &contract(newest + 1));
    migrate_as_newer_build(&db, newer.path()).await;

    let refused = backend::postgres::open(&db.url()).await.unwrap_err();
    let StoreError::TooNew {
        database,
        newest: known,
        requires,
    } = refused
    else {
        panic!("{refused}");
    };
    assert_eq!(
        (database, known, requires),
        (newest + 1, newest, newest + 1)
    );
    let said = format!(
        "the database is at migration {}, and this build knows migrations up to {newest} \
         only: a newer steady changed it in a way this build cannot use (it needs a build \
         that knows migration {}). Run that newer steady, or one newer still; to go back to \
         this build, restore the backup taken before the upgrade (docs/SCALING.md, \
         \"Upgrades\")",
        newest + 1,
        newest + 1
    );
    assert_eq!(refused.to_string(), said);
    let checked = Store::status(&db.url()).await.unwrap_err();
    assert_eq!(checked.to_string(), said);
    for command in ["check", "migrate", "run"] {
        let (code, _, stderr) = steady(&db, command);
        assert_eq!(code, Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("steady: {said}")),
            "{command}: {stderr}"
        );
    }
}

async fn a_changed_migration_of_its_own_is_refused_on_a_newer_database_too(db: Db) {
    let (newer, _) = newer_migrations(&db, "later_notes", ADDITIVE);
    let first = sql_files(newer.path()).remove(0);
    let changed = std::fs::read_to_string(&first).unwrap() + "\n-- changed after release\n";
    std::fs::write(&first, changed).unwrap();
    migrate_as_newer_build(&db, newer.path()).await;

    let refused = backend::postgres::open(&db.url()).await.unwrap_err();
    assert!(
        matches!(
            refused,
            StoreError::Migrate(MigrateError::VersionMismatch(1))
        ),
        "{refused}"
    );
    let (code, _, stderr) = steady(&db, "migrate");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("migration 1 was previously applied"),
        "{stderr}"
    );
}

/// How many migrations a database has applied, on either backend.
const APPLIED: &str = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";

/// This build's migrations for `db`'s backend.
fn own_migrations(db: &Db) -> PathBuf {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    match db.is_postgres() {
        true => own.join("postgres"),
        false => own,
    }
}

/// A newer build's migrations: a copy of this build's, and `sql` as the
/// next one, named `name`; with this build's newest migration.
fn newer_migrations(db: &Db, name: &str, sql: &str) -> (tempfile::TempDir, i64) {
    let own = own_migrations(db);
    let newer = tempfile::tempdir().unwrap();
    for file in sql_files(&own) {
        std::fs::copy(&file, newer.path().join(file.file_name().unwrap())).unwrap();
    }
    let newest = newest(&own);
    let next = newer.path().join(format!("{:04}_{name}.sql", newest + 1));
    std::fs::write(next, sql).unwrap();
    (newer, newest)
}

/// The `.sql` files in `dir`, in order.
fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    files
}

/// The newest migration in `dir`, by its number.
fn newest(dir: &Path) -> i64 {
    sql_files(dir)
        .iter()
        .filter_map(|file| {
            let name = file.file_name()?.to_str()?;
            name.split('_').next()?.parse().ok()
        })
        .max()
        .unwrap()
}

/// Migrate `db` with the migrations in `dir`, as the newer build's sqlx
/// does.
async fn migrate_as_newer_build(db: &Db, dir: &Path) {
    let migrator = Migrator::new(dir).await.unwrap();
    match db {
        Db::Sqlite(_) => {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&db.url())
                .unwrap()
                .create_if_missing(true);
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

/// On PostgreSQL, the master key a steady process there is given.
fn master_key(db: &Db) -> Option<(&'static str, String)> {
    let server = backend::postgres::server().filter(|_| db.is_postgres())?;
    Some(("STEADY_MASTER_KEY", server.master_key()))
}

/// `steady <command>` on `db`, as an operator runs it: its exit code,
/// stdout and stderr.
fn steady(db: &Db, command: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_steady"))
        .arg(command)
        .current_dir(dir.path())
        .env("DATABASE_URL", db.url())
        .envs(master_key(db))
        // `run` opens the database before it needs Discord.
        .env("DISCORD_TOKEN", "upgrade-test-token")
        .env("STEADY_DISCORD_API_URL", "http://127.0.0.1:9")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}
