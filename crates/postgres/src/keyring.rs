//! The key store in the schema `steady_keys`, checked against
//! `migrations/postgres/`.

use crate::Postgres;
use sqlx::PgConnection;
use steady_sql::keyring::{Master, Wrapped};
use steady_sql::{Keyring, Result};

impl Keyring for Postgres {
    async fn key(conn: &mut PgConnection, user_id: i64) -> Result<Option<Wrapped>> {
        sqlx::query_as!(
            Wrapped,
            "SELECT user_id, version, master, wrapped FROM steady_keys.person_keys WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn insert_key(conn: &mut PgConnection, key: &Wrapped, now: i64) -> Result<bool> {
        let done = sqlx::query!(
            "INSERT INTO steady_keys.person_keys (user_id, version, master, wrapped, made_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING",
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

    async fn destroy_key(conn: &mut PgConnection, user_id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM steady_keys.person_keys WHERE user_id = $1",
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn masters(conn: &mut PgConnection) -> Result<Vec<Master>> {
        sqlx::query_as!(
            Master,
            r#"SELECT id AS "id!", check_value FROM steady_keys.masters ORDER BY id"#
        )
        .fetch_all(conn)
        .await
    }

    async fn add_master(conn: &mut PgConnection, check_value: &[u8], now: i64) -> Result<i64> {
        sqlx::query_scalar!(
            r#"INSERT INTO steady_keys.masters (check_value, added_at) VALUES ($1, $2) RETURNING id AS "id!""#,
            check_value,
            now
        )
        .fetch_one(conn)
        .await
    }

    async fn wrapped_by(conn: &mut PgConnection) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query!(
            r#"SELECT master, COUNT(*) AS "keys!" FROM steady_keys.person_keys GROUP BY master"#
        )
        .fetch_all(conn)
        .await?;
        Ok(rows.into_iter().map(|row| (row.master, row.keys)).collect())
    }

    async fn wrapped_by_others(
        conn: &mut PgConnection,
        master: i64,
        limit: i64,
    ) -> Result<Vec<Wrapped>> {
        sqlx::query_as!(
            Wrapped,
            "SELECT user_id, version, master, wrapped FROM steady_keys.person_keys
             WHERE master <> $1 ORDER BY user_id LIMIT $2",
            master,
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn rewrap(
        conn: &mut PgConnection,
        was: &Wrapped,
        master: i64,
        wrapped: &[u8],
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE steady_keys.person_keys SET master = $1, wrapped = $2
             WHERE user_id = $3 AND master = $4 AND version = $5",
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

    async fn forget_master(conn: &mut PgConnection, id: i64) -> Result<bool> {
        let done = sqlx::query!(
            "DELETE FROM steady_keys.masters WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM steady_keys.person_keys k WHERE k.master = masters.id)",
            id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
