//! The store's contract: each test written once, as `async fn name(db: Db)`,
//! and run on both backends by [`on_both!`]: on a SQLite file in a new
//! folder, and on a new database in the test binary's throw-away
//! PostgreSQL (skipped, saying so, where PostgreSQL is not installed;
//! `STEADY_TEST_POSTGRES=required` makes that a failure, as in CI).
#![allow(dead_code)] // each test binary uses a part of it

#[path = "../harness/postgres.rs"]
pub mod postgres;

use chrono::{DateTime, TimeDelta, Utc};
use steady::store::{Store, Wait};

/// `user`'s private wait of `minutes`, begun at `started`, its end due.
pub fn wait(user: u64, started: DateTime<Utc>, minutes: u32) -> Wait {
    let ends = started + TimeDelta::minutes(minutes.into());
    Wait {
        user,
        started,
        minutes,
        ends,
        due: Some(ends),
        urge_before: None,
        private: true,
        locale: "de".to_owned(),
        on_message: None,
    }
}

/// One database for one test, on one backend.
pub enum Db {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Db {
    pub fn sqlite() -> Db {
        Db::Sqlite(tempfile::tempdir().unwrap())
    }

    /// None (the skip already said) when PostgreSQL is not installed.
    pub fn postgres() -> Option<Db> {
        postgres::server().map(|server| Db::Postgres(server.database()))
    }

    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(dir) => format!("sqlite://{}", dir.path().join("steady.db").display()),
            Db::Postgres(url) => url.clone(),
        }
    }

    /// A store on it: each call a pool of its own, as each process has.
    pub async fn open(&self) -> Store {
        postgres::open(&self.url()).await.unwrap()
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }
}

/// Run `sql`, written the same for both backends, on the store's database:
/// to reach what the store's API does not show or make.
pub async fn execute(store: &Store, sql: &str) {
    let sql = || sqlx::AssertSqlSafe(sql.to_owned());
    match (store.sqlite(), store.postgres()) {
        (Some(pool), _) => drop(sqlx::query(sql()).execute(pool).await.unwrap()),
        (_, Some(pool)) => drop(sqlx::query(sql()).execute(pool).await.unwrap()),
        _ => unreachable!("a store is on one backend"),
    }
}

/// The number `sql` (a `SELECT COUNT(*) …`) reads from the store's database.
pub async fn number(store: &Store, sql: &str) -> i64 {
    let sql = || sqlx::AssertSqlSafe(sql.to_owned());
    match (store.sqlite(), store.postgres()) {
        (Some(pool), _) => sqlx::query_scalar(sql()).fetch_one(pool).await.unwrap(),
        (_, Some(pool)) => sqlx::query_scalar(sql()).fetch_one(pool).await.unwrap(),
        _ => unreachable!("a store is on one backend"),
    }
}

/// Another process's write transaction on the store's database, held open
/// to meet steady's own at a moment the test chooses: on SQLite it holds
/// the whole database from its start, as steady's writes do; on PostgreSQL
/// it holds the rows its statements lock.
pub enum Writer {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Writer {
    pub async fn begin(store: &Store) -> Writer {
        match (store.sqlite(), store.postgres()) {
            (Some(pool), _) => Writer::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await.unwrap()),
            (_, Some(pool)) => Writer::Postgres(pool.begin().await.unwrap()),
            _ => unreachable!("a store is on one backend"),
        }
    }

    /// Run `sql`, written the same for both backends.
    pub async fn execute(&mut self, sql: &'static str) {
        match self {
            Writer::Sqlite(tx) => drop(sqlx::query(sql).execute(&mut **tx).await.unwrap()),
            Writer::Postgres(tx) => drop(sqlx::query(sql).execute(&mut **tx).await.unwrap()),
        }
    }

    /// Take the locks PostgreSQL's `sql` (a `SELECT … FOR …` or a `LOCK
    /// TABLE`) takes; a SQLite writer holds them all already.
    pub async fn lock(&mut self, sql: &'static str) {
        if let Writer::Postgres(tx) = self {
            sqlx::query(sql).execute(&mut **tx).await.unwrap();
        }
    }

    pub async fn commit(self) {
        match self {
            Writer::Sqlite(tx) => tx.commit().await.unwrap(),
            Writer::Postgres(tx) => tx.commit().await.unwrap(),
        }
    }
}

/// `#[tokio::test]`s `sqlite::name` and `postgres::name` for each
/// `async fn name(db: Db)` listed.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::backend::Db::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(db) = $crate::backend::Db::postgres() {
                        super::$name(db).await;
                    }
                }
            )*
        }
    };
}
