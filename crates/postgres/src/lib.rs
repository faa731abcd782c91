//! steady's queries for PostgreSQL: [`Postgres`] answers each of
//! `steady-sql`'s traits, one module per group of tables. The store
//! (`steady::store`) decides what they mean, orchestrates transactions and
//! maps rows into its own types. Ids and instants are `i64` here, as stored.

pub mod anchors;
pub mod checkins;
pub mod due;
pub mod journal;
pub mod keyring;
pub mod moods;
pub mod mydata;
pub mod processes;
pub mod rituals;
pub mod servers;
pub mod sessions;
pub mod users;
pub mod waits;

use sqlx::{PgConnection, PgPool};
use steady_sql::{Backend, Result, Tx};

/// PostgreSQL, as a backend of steady's store.
pub enum Postgres {}

impl Backend for Postgres {
    type Db = sqlx::Postgres;

    /// Read committed: what must not race locks its rows.
    async fn write(pool: &PgPool) -> Result<Tx<Self>> {
        pool.begin().await
    }

    /// One statement: an insert then a `SELECT … FOR UPDATE` would find no
    /// row if a delete of the person committed between them. The no-op
    /// update locks an existing row (keeping its `created_at`), and waits
    /// for a delete under way, then inserts anew.
    async fn hold_person(conn: &mut PgConnection, user_id: i64, now: i64) -> Result<()> {
        sqlx::query!(
            "INSERT INTO users (user_id, created_at) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id",
            user_id,
            now
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn lock_person(conn: &mut PgConnection, user_id: i64) -> Result<bool> {
        let found = sqlx::query_scalar!(
            "SELECT user_id FROM users WHERE user_id = $1 FOR UPDATE",
            user_id
        )
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    async fn clock(conn: &mut PgConnection) -> Result<i64> {
        // The instant of the call, not of the transaction's start.
        sqlx::query_scalar!(
            r#"SELECT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT AS "now!""#
        )
        .fetch_one(conn)
        .await
    }
}

/// The PostgreSQL schema, applied by `Store::open`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
