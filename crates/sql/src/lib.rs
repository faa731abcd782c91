//! What steady's store asks of a database. Each trait is one group of
//! tables' queries, the SQL alone, with the rows they return; the store
//! (`steady::store`) writes every operation's rules once over them: what
//! is validated, counted, locked, in which order, and what is returned.
//! SQLite's answers live in steady (`src/store/sqlite/`), PostgreSQL's in
//! `steady-postgres`, each checked by sqlx against its own migrations. Ids
//! and instants are `i64` here, as stored.

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

use std::future::Future;

pub use anchors::Anchors;
pub use checkins::Checkins;
pub use due::{DueCheckins, DueCounts, DuePosts, DueWaits};
pub use journal::Journal;
pub use keyring::Keyring;
pub use moods::Moods;
pub use mydata::Mydata;
pub use processes::Processes;
pub use rituals::Rituals;
pub use servers::Servers;
pub use sessions::Sessions;
pub use users::Users;
pub use waits::Waits;

/// What a query fails with.
pub type Result<T> = std::result::Result<T, sqlx::Error>;
/// A connection of backend `B`: what every query runs on.
pub type Conn<B> = <<B as Backend>::Db as sqlx::Database>::Connection;
/// The pool of backend `B`.
pub type Pool<B> = sqlx::Pool<<B as Backend>::Db>;
/// A transaction of backend `B`.
pub type Tx<B> = sqlx::Transaction<'static, <B as Backend>::Db>;

/// A database steady can keep its rows in. The two backends keep a person's
/// writes from racing in different ways, and this is the one place that
/// says so: SQLite holds the whole database's write lock from a write
/// transaction's start, PostgreSQL locks the rows a write depends on.
///
/// # Lock order
///
/// On PostgreSQL, two transactions that take the same rows in opposite
/// orders can each wait for the other, and one is failed as a deadlock
/// (40P01). So every transaction takes row locks in one order, by table,
/// a person's before a server's:
///
/// 1. `sessions`, then `waits`: a person's rows that stand alone;
/// 2. `users`: the person held ([`Backend::hold_person`],
///    [`Backend::lock_person`], a tap's `FOR SHARE`, a foreign key's check);
/// 3. the rows hanging off it, `anchors`, `checkins`, `moods`, `urges`:
///    written only while the person is held, or alone in one statement, so
///    among themselves they need no order;
/// 4. a server's `panels`, then `server_help` (behind its advisory lock),
///    then `rituals`, then `ritual_joins` (a post held before its joins).
///
/// A transaction may wait only for a lock later in the order than every one
/// it holds. A claim's `FOR UPDATE SKIP LOCKED` never waits, so the rows it
/// picks stand outside the order (the scheduler takes its kinds in its own
/// order); what it does wait for, the person's row to keep a wait's first
/// tap, follows it. Many rows of one table taken in one statement (a
/// post's joins, a person's) come in that statement's own order: should two
/// such ever meet the other way round, PostgreSQL fails one, as it fails a
/// wait for a lock held past `steady::timing::LOCK_TIMEOUT` (55P03), and
/// the caller treats it as any failed write. `tests/lock_order.rs` meets
/// each pair that once took its locks the other way round.
pub trait Backend: Send + Sync + 'static {
    type Db: sqlx::Database;

    /// Begin a transaction in which a read then a write cannot race another
    /// writer: SQLite's `BEGIN IMMEDIATE` (a deferred one would fail with
    /// "busy" on upgrade); PostgreSQL's read committed, with what must not
    /// race locked by [`Backend::hold_person`] or a claim's own row locks.
    fn write(pool: &Pool<Self>) -> impl Future<Output = Result<Tx<Self>>> + Send;

    /// Create the person's `users` row if it is not there yet, and hold it
    /// until the transaction ends, so a count-then-insert for one person
    /// cannot race another.
    fn hold_person(
        conn: &mut Conn<Self>,
        user_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Hold the person's row, if steady keeps one, without creating it;
    /// false if it keeps nothing of them.
    fn lock_person(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The database's clock, in unix milliseconds: the one clock every
    /// process sharing it agrees on, whatever their machines' clocks say.
    fn clock(conn: &mut Conn<Self>) -> impl Future<Output = Result<i64>> + Send;
}
