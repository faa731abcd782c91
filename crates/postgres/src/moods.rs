//! Mood taps, kept only for people who turned mood history on
//! (`steady::store::moods` says what each means).

use sqlx::{PgConnection, PgPool};

/// A mood row: when, and how (1..=5).
pub struct Mood {
    pub at: i64,
    pub mood: i64,
}

pub async fn history(pool: &PgPool, user_id: i64) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!("SELECT mood_history FROM users WHERE user_id = $1", user_id)
        .fetch_optional(pool)
        .await
}

pub async fn set_history(tx: &mut PgConnection, user_id: i64, on: bool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET mood_history = $1 WHERE user_id = $2",
        on,
        user_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Forget the person's moods and urge taps: how many moods were forgotten.
pub async fn forget(tx: &mut PgConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    sqlx::query!("DELETE FROM urges WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query!("DELETE FROM moods WHERE user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected())
}

/// Whether the person keeps a history (None: steady does not know them),
/// their row locked until the transaction ends, so their taps take turns.
pub async fn lock_history(
    tx: &mut PgConnection,
    user_id: i64,
) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT mood_history FROM users WHERE user_id = $1 FOR NO KEY UPDATE",
        user_id
    )
    .fetch_optional(tx)
    .await
}

/// The person's moods kept after `since`, and whether one is on
/// `checkin_message` already.
pub struct Recent {
    pub count: i64,
    pub again: bool,
}

pub async fn recent(
    tx: &mut PgConnection,
    user_id: i64,
    since: i64,
    checkin_message: i64,
) -> Result<Recent, sqlx::Error> {
    sqlx::query_as!(
        Recent,
        r#"SELECT (SELECT COUNT(*) FROM moods WHERE user_id = $1 AND at > $2) AS "count!",
                  EXISTS (SELECT 1 FROM moods WHERE user_id = $1 AND checkin_message = $3)
                      AS "again!""#,
        user_id,
        since,
        checkin_message
    )
    .fetch_one(tx)
    .await
}

/// Keep the tap if the person keeps a history, replacing an earlier tap on
/// the same check-in: whether it was kept.
pub async fn record<'c, E>(
    executor: E,
    user_id: i64,
    at: i64,
    mood: i64,
    checkin_message: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::PgExecutor<'c>,
{
    // FOR SHARE waits for a history being turned off at this moment and
    // then sees it off, so no tap outlives the forgetting.
    let done = sqlx::query!(
        "INSERT INTO moods (user_id, at, mood, checkin_message)
         SELECT user_id, $1, $2, $3 FROM users WHERE user_id = $4 AND mood_history FOR SHARE
         ON CONFLICT (user_id, checkin_message) DO UPDATE SET
             at = excluded.at, mood = excluded.mood",
        at,
        mood,
        checkin_message,
        user_id
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The person's moods at or after `since`, oldest first.
pub async fn since(pool: &PgPool, user_id: i64, since: i64) -> Result<Vec<Mood>, sqlx::Error> {
    sqlx::query_as!(
        Mood,
        "SELECT at, mood FROM moods WHERE user_id = $1 AND at >= $2 ORDER BY at",
        user_id,
        since
    )
    .fetch_all(pool)
    .await
}
