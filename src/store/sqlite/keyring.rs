//! The key store in its own SQLite file, checked against
//! `migrations/keyring/`.

use super::Sqlite;
use sqlx::SqliteConnection;
use steady_sql::keyring::{Master, Wrapped};
use steady_sql::{Keyring, Result};

impl Keyring for Sqlite {
    async fn key(conn: &mut SqliteConnection, user_id: i64) -> Result<Option<Wrapped>> {
        sqlx::query_as!(
            Wrapped,
            "SELECT user_id, version, master, wrapped FROM person_keys WHERE user_id = ?",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn insert_key(conn: &mut SqliteConnection, key: &Wrapped, now: i64) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO person_keys (user_id, version, master, wrapped, made_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
            key.user_id,
            key.version,
            key.master,
            key.wrapped,
            now
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn destroy_key(conn: &mut SqliteConnection, user_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM person_keys WHERE user_id = ?", user_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn masters(conn: &mut SqliteConnection) -> Result<Vec<Master>> {
        sqlx::query_as!(
            Master,
            r#"SELECT id AS "id!", check_value FROM masters ORDER BY id"#
        )
        .fetch_all(conn)
        .await
    }

    async fn add_master(conn: &mut SqliteConnection, check_value: &[u8], now: i64) -> Result<i64> {
        sqlx::query_scalar!(
            r#"INSERT INTO masters (check_value, added_at) VALUES (?, ?) RETURNING id AS "id!""#,
            check_value,
            now
        )
        .fetch_one(conn)
        .await
    }

    async fn wrapped_by(conn: &mut SqliteConnection) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query!(
            r#"SELECT master, COUNT(*) AS "keys!: i64" FROM person_keys GROUP BY master"#
        )
        .fetch_all(conn)
        .await?;
        Ok(rows.into_iter().map(|row| (row.master, row.keys)).collect())
    }

    async fn wrapped_by_others(
        conn: &mut SqliteConnection,
        master: i64,
        limit: i64,
    ) -> Result<Vec<Wrapped>> {
        sqlx::query_as!(
            Wrapped,
            "SELECT user_id, version, master, wrapped FROM person_keys
             WHERE master <> ? ORDER BY user_id LIMIT ?",
            master,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn rewrap(
        conn: &mut SqliteConnection,
        was: &Wrapped,
        master: i64,
        wrapped: &[u8],
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE person_keys SET master = ?, wrapped = ?
             WHERE user_id = ? AND master = ? AND version = ?",
            master,
            wrapped,
            was.user_id,
            was.master,
            was.version
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn forget_master(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM masters WHERE id = ?
             AND NOT EXISTS (SELECT 1 FROM person_keys k WHERE k.master = masters.id)",
            id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
