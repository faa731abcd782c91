//! A server's daily moment and the count on its post
//! (`steady::store::rituals` says what each means).

use crate::Postgres;
// sqlx's own Result: the claims below still name its error type.
use sqlx::{PgConnection, PgPool, Result};
use steady_sql::rituals::{Moment, Post};
use steady_sql::Rituals;

impl Rituals for Postgres {
    async fn set(
        conn: &mut PgConnection,
        guild_id: i64,
        moment: &Moment,
        updated_at: i64,
    ) -> Result<()> {
        sqlx::query!(
            "INSERT INTO rituals (guild_id, channel_id, local_minute, zone, pattern, locale,
                              next_due, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (guild_id) DO UPDATE SET
             channel_id = EXCLUDED.channel_id, local_minute = EXCLUDED.local_minute,
             zone = EXCLUDED.zone, pattern = EXCLUDED.pattern, locale = EXCLUDED.locale,
             next_due = EXCLUDED.next_due, updated_at = EXCLUDED.updated_at",
            guild_id,
            moment.channel_id,
            moment.local_minute,
            moment.zone,
            moment.pattern,
            moment.locale,
            moment.next_due,
            updated_at
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    async fn get(conn: &mut PgConnection, guild_id: i64) -> Result<Option<Moment>> {
        sqlx::query_as!(
            Moment,
            "SELECT channel_id, local_minute, zone, pattern, locale, next_due
         FROM rituals WHERE guild_id = $1",
            guild_id
        )
        .fetch_optional(conn)
        .await
    }

    async fn stop(conn: &mut PgConnection, guild_id: i64) -> Result<bool> {
        let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = $1", guild_id)
            .execute(conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn posted(conn: &mut PgConnection, guild_id: i64, post: &Post<'_>) -> Result<()> {
        sqlx::query!(
            "WITH gone AS (DELETE FROM ritual_joins WHERE guild_id = $1 AND message_id <> $2)
         UPDATE rituals SET message_id = $2, post_channel = $3, post_minute = $4,
                            post_locale = $5, joined = 0, shown = 0, shown_at = NULL
         WHERE guild_id = $1",
            guild_id,
            post.message_id,
            post.channel_id,
            post.local_minute,
            post.locale
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Two presses at once meet on the key, and the second waits for the
    /// first and counts nothing. A post made meanwhile is not counted on:
    /// the update, waiting for it, checks the message again.
    async fn joined(
        conn: &mut PgConnection,
        guild_id: i64,
        message_id: i64,
        user_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "WITH counted AS (
             INSERT INTO ritual_joins (guild_id, message_id, user_id)
             SELECT guild_id, message_id, $3 FROM rituals
             WHERE guild_id = $1 AND message_id = $2
             ON CONFLICT DO NOTHING
             RETURNING guild_id)
         UPDATE rituals SET joined = joined + 1
         WHERE guild_id IN (SELECT guild_id FROM counted) AND message_id = $2",
            guild_id,
            message_id,
            user_id
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// A daily moment due now, as `due_posts` returns it.
pub struct DuePost {
    pub guild_id: i64,
    pub channel_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub pattern: i64,
    pub locale: String,
    pub next_due: i64,
}

/// A post whose count of joins was claimed, as `claim_counts` returns it:
/// where it is and what it says.
pub struct Count {
    pub guild_id: i64,
    pub channel_id: i64,
    pub message_id: i64,
    pub joined: i64,
    pub local_minute: i64,
    pub locale: String,
}

/// Move the moment from `from` to `to`, unless it is no longer at `from`.
pub async fn advance<'c, E>(
    executor: E,
    guild_id: i64,
    from: i64,
    to: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::PgExecutor<'c>,
{
    let done = sqlx::query!(
        "UPDATE rituals SET next_due = $1 WHERE guild_id = $2 AND next_due = $3",
        to,
        guild_id,
        from
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unclaim_count(
    pool: &PgPool,
    guild_id: i64,
    message_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE rituals SET shown = 0 WHERE guild_id = $1 AND message_id = $2",
        guild_id,
        message_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Up to `limit` moments due at `at`, earliest first, locked until the
/// transaction ends; those another claimer holds are skipped.
pub async fn due_posts(
    tx: &mut PgConnection,
    at: i64,
    limit: i64,
) -> Result<Vec<DuePost>, sqlx::Error> {
    sqlx::query_as!(
        DuePost,
        r#"SELECT guild_id, channel_id, local_minute, zone, pattern, locale,
                  next_due AS "next_due!"
           FROM rituals WHERE next_due <= $1 ORDER BY next_due LIMIT $2
           FOR UPDATE SKIP LOCKED"#,
        at,
        limit
    )
    .fetch_all(&mut *tx)
    .await
}

/// Stop a moment that cannot be read, so it is not claimed again.
pub async fn halt(tx: &mut PgConnection, guild_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE rituals SET next_due = NULL WHERE guild_id = $1",
        guild_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Mark up to `limit` counts shown at `at` (changed, last shown at or
/// before `since`), the rows locked with `SKIP LOCKED`; returns them, each
/// with what its post says (the moment's own for a post from before that
/// was kept).
pub async fn claim_counts(
    tx: &mut PgConnection,
    at: i64,
    since: i64,
    limit: i64,
) -> Result<Vec<Count>, sqlx::Error> {
    sqlx::query_as!(
        Count,
        r#"UPDATE rituals SET shown = joined, shown_at = $1
           WHERE guild_id IN (
               SELECT guild_id FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
                 AND (shown_at IS NULL OR shown_at <= $2)
               LIMIT $3
               FOR UPDATE SKIP LOCKED)
           RETURNING guild_id, COALESCE(post_channel, channel_id) AS "channel_id!",
                     message_id AS "message_id!", joined,
                     COALESCE(post_minute, local_minute) AS "local_minute!",
                     COALESCE(post_locale, locale) AS "locale!""#,
        at,
        since,
        limit
    )
    .fetch_all(&mut *tx)
    .await
}
