//! When the scheduler next has anything to do (`steady::store::due`).

use sqlx::PgPool;

/// The earliest instant over every kind of due item; `keep`: how long a
/// sent wait is kept, `every`: how often a count may be shown (seconds).
pub async fn next_due(pool: &PgPool, keep: i64, every: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT MIN(at) AS "at" FROM (
               SELECT MIN(next_due) AS at FROM checkins WHERE next_due IS NOT NULL
               UNION ALL
               SELECT MIN(COALESCE(due, ends_at + $1)) FROM waits
               UNION ALL
               SELECT MIN(next_due) FROM rituals WHERE next_due IS NOT NULL
               UNION ALL
               SELECT MIN(COALESCE(shown_at + $2, 0)) FROM rituals
               WHERE message_id IS NOT NULL AND joined > shown
           ) AS earliest"#,
        keep,
        every
    )
    .fetch_one(pool)
    .await
}
