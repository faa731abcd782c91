//! Everything held about one person, read for `/mydata export` and removed
//! for `/mydata delete` (`steady::store::mydata` says what each part means).
//! The rows below are shared with the store's SQLite queries.

use sqlx::PgConnection;

/// The person's `users` row.
pub struct Person {
    pub created_at: i64,
    pub dm_channel_id: Option<i64>,
    pub last_anchor_id: Option<i64>,
    pub mood_history: bool,
    pub locale: Option<String>,
}

pub struct Anchor {
    pub id: i64,
    pub text: String,
    pub created_at: i64,
}

pub struct Checkin {
    pub local_minute: i64,
    pub zone: String,
    pub next_due: Option<i64>,
    pub failures: i64,
    pub paused_at: Option<i64>,
    pub paused_why: Option<String>,
    pub updated_at: i64,
}

pub struct Mood {
    pub at: i64,
    pub mood: i64,
}

pub struct Wait {
    pub started_at: i64,
    pub ends_at: i64,
    pub due: Option<i64>,
    pub urge_before: Option<i64>,
}

pub struct Urge {
    pub started_at: i64,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// How many rows of each kind hang off a person's `users` row.
pub struct Counts {
    pub anchors: i64,
    pub checkins: i64,
    pub moods: i64,
    pub urges: i64,
}

pub async fn person(tx: &mut PgConnection, user_id: i64) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query_as!(
        Person,
        "SELECT created_at, dm_channel_id, last_anchor_id, mood_history, locale
         FROM users WHERE user_id = $1",
        user_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn wait(tx: &mut PgConnection, user_id: i64) -> Result<Option<Wait>, sqlx::Error> {
    sqlx::query_as!(
        Wait,
        "SELECT started_at, ends_at, due, urge_before FROM waits WHERE user_id = $1",
        user_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn anchors(tx: &mut PgConnection, user_id: i64) -> Result<Vec<Anchor>, sqlx::Error> {
    sqlx::query_as!(
        Anchor,
        "SELECT id, text, created_at FROM anchors WHERE user_id = $1 ORDER BY position",
        user_id
    )
    .fetch_all(tx)
    .await
}

pub async fn checkin(tx: &mut PgConnection, user_id: i64) -> Result<Option<Checkin>, sqlx::Error> {
    sqlx::query_as!(
        Checkin,
        "SELECT local_minute, zone, next_due, failures, paused_at, paused_why, updated_at
         FROM checkins WHERE user_id = $1",
        user_id
    )
    .fetch_optional(tx)
    .await
}

pub async fn moods(tx: &mut PgConnection, user_id: i64) -> Result<Vec<Mood>, sqlx::Error> {
    sqlx::query_as!(
        Mood,
        "SELECT at, mood FROM moods WHERE user_id = $1 ORDER BY at",
        user_id
    )
    .fetch_all(tx)
    .await
}

pub async fn urges(tx: &mut PgConnection, user_id: i64) -> Result<Vec<Urge>, sqlx::Error> {
    sqlx::query_as!(
        Urge,
        "SELECT started_at, before, after FROM urges WHERE user_id = $1 ORDER BY started_at",
        user_id
    )
    .fetch_all(tx)
    .await
}

pub async fn counts(tx: &mut PgConnection, user_id: i64) -> Result<Counts, sqlx::Error> {
    sqlx::query_as!(
        Counts,
        r#"SELECT (SELECT COUNT(*) FROM anchors WHERE user_id = $1) AS "anchors!",
                  (SELECT COUNT(*) FROM checkins WHERE user_id = $1) AS "checkins!",
                  (SELECT COUNT(*) FROM moods WHERE user_id = $1) AS "moods!",
                  (SELECT COUNT(*) FROM urges WHERE user_id = $1) AS "urges!""#,
        user_id
    )
    .fetch_one(tx)
    .await
}

/// Delete the person: their `users` row (every row hanging off it goes by
/// ON DELETE CASCADE) and the rows that stand alone, a running exercise, a
/// wait and their joins on servers' latest daily posts.
pub async fn delete(tx: &mut PgConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM users WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM waits WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM ritual_joins WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
