//! Everything held about one person, read for `/mydata export` and removed
//! for `/mydata delete`.

use crate::Postgres;
use sqlx::{PgConnection, PgPool};
use steady_sql::journal::Entry;
use steady_sql::moods::Mood;
use steady_sql::mydata::{Anchor, Checkin, Counts, Person, Urge, Wait};
use steady_sql::{Mydata, Result, Tx};

impl Mydata for Postgres {
    async fn snapshot(pool: &PgPool) -> Result<Tx<Self>> {
        pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
    }

    async fn person(conn: &mut PgConnection, user_id: i64) -> Result<Option<Person>> {
        sqlx::query_as!(
            Person,
            "SELECT created_at, dm_channel_id, last_anchor_id, mood_history, locale
         FROM users WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn wait(conn: &mut PgConnection, user_id: i64) -> Result<Option<Wait>> {
        sqlx::query_as!(
            Wait,
            "SELECT started_at, ends_at, due, urge_before FROM waits WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn anchors(conn: &mut PgConnection, user_id: i64) -> Result<Vec<Anchor>> {
        sqlx::query_as!(
            Anchor,
            "SELECT id, text, sealed, created_at FROM anchors WHERE user_id = $1 ORDER BY position",
            user_id
        )
        .fetch_all(conn)
        .await
    }

    async fn checkin(conn: &mut PgConnection, user_id: i64) -> Result<Option<Checkin>> {
        sqlx::query_as!(
            Checkin,
            "SELECT local_minute, zone, next_due, failures, paused_at, paused_why, updated_at
         FROM checkins WHERE user_id = $1",
            user_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn moods(conn: &mut PgConnection, user_id: i64) -> Result<Vec<Mood>> {
        sqlx::query_as!(
            Mood,
            "SELECT at, mood FROM moods WHERE user_id = $1 ORDER BY at",
            user_id
        )
        .fetch_all(conn)
        .await
    }

    async fn urges(conn: &mut PgConnection, user_id: i64) -> Result<Vec<Urge>> {
        sqlx::query_as!(
            Urge,
            "SELECT started_at, before, after FROM urges WHERE user_id = $1 ORDER BY started_at",
            user_id
        )
        .fetch_all(conn)
        .await
    }

    async fn journal(conn: &mut PgConnection, user_id: i64) -> Result<Vec<Entry>> {
        sqlx::query_as!(
            Entry,
            "SELECT id, kind, prompt, written_at, expires_at, sealed
             FROM journal WHERE user_id = $1 ORDER BY written_at, id",
            user_id
        )
        .fetch_all(conn)
        .await
    }

    async fn counts(conn: &mut PgConnection, user_id: i64) -> Result<Counts> {
        sqlx::query_as!(
            Counts,
            r#"SELECT (SELECT COUNT(*) FROM anchors WHERE user_id = $1) AS "anchors!",
                  (SELECT COUNT(*) FROM checkins WHERE user_id = $1) AS "checkins!",
                  (SELECT COUNT(*) FROM moods WHERE user_id = $1) AS "moods!",
                  (SELECT COUNT(*) FROM urges WHERE user_id = $1) AS "urges!",
                  (SELECT COUNT(*) FROM journal WHERE user_id = $1) AS "journal!""#,
            user_id
        )
        .fetch_one(conn)
        .await
    }

    async fn forget_alone(conn: &mut PgConnection, user_id: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE sessions SET user_id = -interaction_id, token = '', locale = '',
                 stop_requested = TRUE
             WHERE user_id = $1",
            user_id
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!("DELETE FROM waits WHERE user_id = $1", user_id)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn forget_person(conn: &mut PgConnection, user_id: i64) -> Result<()> {
        sqlx::query!("DELETE FROM users WHERE user_id = $1", user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query!("DELETE FROM ritual_joins WHERE user_id = $1", user_id)
            .execute(conn)
            .await?;
        Ok(())
    }
}
