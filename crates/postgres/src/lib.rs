//! steady's queries for PostgreSQL, one module per table group, each a
//! plain function over a connection or pool: the store (`steady::store`)
//! decides what they mean, orchestrates transactions and maps rows into its
//! own types. Ids and instants are `i64` here, as stored.

pub mod anchors;
pub mod checkins;
pub mod due;
pub mod moods;
pub mod mydata;
pub mod rituals;
pub mod servers;
pub mod sessions;
pub mod users;
pub mod waits;

/// The PostgreSQL schema, applied by `Store::open`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
