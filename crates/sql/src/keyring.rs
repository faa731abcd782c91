//! The key store: person keys, each wrapped by a master key, and a check
//! value for each master key. On SQLite a file of its own, on PostgreSQL
//! the schema `steady_keys`; either way apart from the data's backups.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A person's key as stored: sealed under master key `master`.
#[derive(Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub user_id: i64,
    pub version: i64,
    pub master: i64,
    pub wrapped: Vec<u8>,
}

/// Ids and versions only: a wrapped key is no secret without its master
/// key, but has no place in logs either.
impl std::fmt::Debug for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wrapped")
            .field("user_id", &self.user_id)
            .field("version", &self.version)
            .field("master", &self.master)
            .finish_non_exhaustive()
    }
}

/// A master key the store knows: its id and the value only it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Master {
    pub id: i64,
    pub check_value: Vec<u8>,
}

pub trait Keyring: Backend {
    /// The person's key, if they have one.
    fn key(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Wrapped>>> + Send;

    /// Keep a new key; false if the person already has one.
    fn insert_key(
        conn: &mut Conn<Self>,
        key: &Wrapped,
        now: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Destroy the person's key; false if they had none.
    fn destroy_key(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    fn masters(conn: &mut Conn<Self>) -> impl Future<Output = Result<Vec<Master>>> + Send;

    /// Know a new master key by its check value; its id.
    fn add_master(
        conn: &mut Conn<Self>,
        check_value: &[u8],
        now: i64,
    ) -> impl Future<Output = Result<i64>> + Send;

    /// How many person keys each master key wraps: (master, keys).
    fn wrapped_by(conn: &mut Conn<Self>) -> impl Future<Output = Result<Vec<(i64, i64)>>> + Send;

    /// Up to `limit` keys wrapped by another master key than `master`.
    fn wrapped_by_others(
        conn: &mut Conn<Self>,
        master: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Wrapped>>> + Send;

    /// Replace a key's wrapping, if it is still the one read (same master
    /// and version): false if it changed or went meanwhile.
    fn rewrap(
        conn: &mut Conn<Self>,
        was: &Wrapped,
        master: i64,
        wrapped: &[u8],
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Forget master key `id` if it wraps nothing; false if it does.
    fn forget_master(conn: &mut Conn<Self>, id: i64) -> impl Future<Output = Result<bool>> + Send;
}
