//! A server's daily moment and the count on its post
//! (`steady::store::rituals` says what each means).

use sqlx::PgPool;

/// A daily moment as stored.
pub struct Moment {
    pub channel_id: i64,
    pub local_minute: i64,
    pub zone: String,
    pub pattern: i64,
    pub locale: String,
    pub next_due: Option<i64>,
}

/// Insert or replace the server's moment, due first at `next_due`.
pub async fn set(
    pool: &PgPool,
    guild_id: i64,
    moment: &Moment,
    updated_at: i64,
) -> Result<(), sqlx::Error> {
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
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn get(pool: &PgPool, guild_id: i64) -> Result<Option<Moment>, sqlx::Error> {
    sqlx::query_as!(
        Moment,
        "SELECT channel_id, local_minute, zone, pattern, locale, next_due
         FROM rituals WHERE guild_id = $1",
        guild_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn stop(pool: &PgPool, guild_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM rituals WHERE guild_id = $1", guild_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What a day's post says, kept with its message id.
pub struct Post<'a> {
    pub message_id: i64,
    pub channel_id: i64,
    pub local_minute: i64,
    pub locale: &'a str,
}

/// The post is up: its count starts at 0, and the joins of the post
/// before it go.
pub async fn posted(pool: &PgPool, guild_id: i64, post: &Post<'_>) -> Result<(), sqlx::Error> {
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
    .execute(pool)
    .await?;
    Ok(())
}

/// Count `user_id` on the latest post if it is `message_id` and they are
/// not counted yet: whether they were counted now. Two presses at once
/// meet on the key, and the second waits for the first and counts nothing.
pub async fn joined(
    pool: &PgPool,
    guild_id: i64,
    message_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "WITH counted AS (
             INSERT INTO ritual_joins (guild_id, message_id, user_id)
             SELECT guild_id, message_id, $3 FROM rituals
             WHERE guild_id = $1 AND message_id = $2
             ON CONFLICT DO NOTHING
             RETURNING guild_id)
         UPDATE rituals SET joined = joined + 1
         WHERE guild_id IN (SELECT guild_id FROM counted)",
        guild_id,
        message_id,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
