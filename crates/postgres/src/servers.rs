//! What steady keeps for a server (`steady::store::servers` says what each
//! means): its panels and its own help lines, by guild id.

use sqlx::{PgConnection, PgPool};

/// How many rows a server has in each of its tables.
pub struct Counts {
    pub panels: i64,
    pub help: i64,
    pub rituals: i64,
}

/// A help line as stored.
pub struct HelpLine {
    pub name: String,
    pub text: String,
    pub link: Option<String>,
}

pub async fn panel_posted(
    pool: &PgPool,
    message_id: i64,
    guild_id: i64,
    channel_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO panels (message_id, guild_id, channel_id, posted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id) DO NOTHING",
        message_id,
        guild_id,
        channel_id,
        at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Hold the server's help lines until the transaction ends, so a
/// count-then-insert cannot race another: there is no row of the server's
/// to lock, so its id is the key of a transaction-level advisory lock
/// (Discord's ids are unique across kinds; a rare clash only waits).
pub async fn lock_help(tx: &mut PgConnection, guild_id: i64) -> Result<(), sqlx::Error> {
    // The function returns void, which sqlx cannot decode: select a 1.
    sqlx::query!(
        r#"SELECT 1 AS "locked!" FROM pg_advisory_xact_lock($1)"#,
        guild_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(())
}

/// (all the server's lines, those called `name` in any case).
pub async fn help_counts(
    tx: &mut PgConnection,
    guild_id: i64,
    name: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let counts = sqlx::query!(
        r#"SELECT COUNT(*) AS "all!", COUNT(*) FILTER (WHERE lower(name) = lower($1)) AS "same!"
           FROM server_help WHERE guild_id = $2"#,
        name,
        guild_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((counts.all, counts.same))
}

/// Whether the line was inserted (not when one of its name is there).
pub async fn insert_help(
    tx: &mut PgConnection,
    guild_id: i64,
    name: &str,
    text: &str,
    link: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO server_help (guild_id, name, text, link, added_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (guild_id, lower(name)) DO NOTHING",
        guild_id,
        name,
        text,
        link,
        at
    )
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_help(pool: &PgPool, guild_id: i64, name: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM server_help WHERE guild_id = $1 AND lower(name) = lower($2)",
        guild_id,
        name
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Oldest first; `id` orders lines added in the same second.
pub async fn help_lines(pool: &PgPool, guild_id: i64) -> Result<Vec<HelpLine>, sqlx::Error> {
    sqlx::query_as!(
        HelpLine,
        "SELECT name, text, link FROM server_help WHERE guild_id = $1 ORDER BY added_at, id",
        guild_id
    )
    .fetch_all(pool)
    .await
}

pub async fn counts(pool: &PgPool, guild_id: i64) -> Result<Counts, sqlx::Error> {
    sqlx::query_as!(
        Counts,
        r#"SELECT (SELECT COUNT(*) FROM panels WHERE guild_id = $1) AS "panels!",
                  (SELECT COUNT(*) FROM server_help WHERE guild_id = $1) AS "help!",
                  (SELECT COUNT(*) FROM rituals WHERE guild_id = $1) AS "rituals!""#,
        guild_id
    )
    .fetch_one(pool)
    .await
}

/// Delete all of the server's rows in one statement (so all or none), and
/// count what was there.
pub async fn forget(pool: &PgPool, guild_id: i64) -> Result<Counts, sqlx::Error> {
    sqlx::query_as!(
        Counts,
        r#"WITH gone_panels AS (DELETE FROM panels WHERE guild_id = $1 RETURNING 1),
                gone_help AS (DELETE FROM server_help WHERE guild_id = $1 RETURNING 1),
                gone_rituals AS (DELETE FROM rituals WHERE guild_id = $1 RETURNING 1)
           SELECT (SELECT COUNT(*) FROM gone_panels) AS "panels!",
                  (SELECT COUNT(*) FROM gone_help) AS "help!",
                  (SELECT COUNT(*) FROM gone_rituals) AS "rituals!""#,
        guild_id
    )
    .fetch_one(pool)
    .await
}
