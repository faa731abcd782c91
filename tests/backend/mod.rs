//! The store's contract: each test written once, as `async fn name(db: Db)`,
//! and run on both backends by [`on_both!`]: on a SQLite file in a new
//! folder, and on a new database in the test binary's throw-away
//! PostgreSQL (skipped, saying so, where PostgreSQL is not installed;
//! `STEADY_TEST_POSTGRES=required` makes that a failure, as in CI).
#![allow(dead_code)] // each test binary uses a part of it

#[path = "../harness/postgres.rs"]
pub mod postgres;

use steady::store::Store;

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
        Store::open(&self.url()).await.unwrap()
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
