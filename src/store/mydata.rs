//! "Your data is yours": everything steady holds about a person, in one
//! read, and forgetting all of it in one transaction.

use super::{db_id, ensure_user_pg, pg, write, write_pg, Db, Store, StoreError};
use chrono::DateTime;
use serde::Serialize;
use sqlx::{PgPool, SqlitePool};

/// Everything steady holds about one person, as they get it from
/// `/mydata export`. Times are RFC 3339 in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    pub user_id: String,
    pub first_seen: String,
    pub dm_channel_id: Option<String>,
    /// The Discord locale steady writes later messages in (`de`, `pt-BR`).
    pub locale: Option<String>,
    pub anchors: Vec<ExportAnchor>,
    pub last_anchor_sent: Option<i64>,
    pub checkin: Option<ExportCheckin>,
    pub mood_history: bool,
    pub moods: Vec<ExportMood>,
    pub wait: Option<ExportWait>,
    pub urges: Vec<ExportUrge>,
}

impl Export {
    /// The names of the file's fields, each described to the person in
    /// `prompts/mydata.toml`'s `[fields]`.
    pub const FIELDS: [&'static str; 11] = [
        "user_id",
        "first_seen",
        "dm_channel_id",
        "locale",
        "anchors",
        "last_anchor_sent",
        "checkin",
        "mood_history",
        "moods",
        "wait",
        "urges",
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportAnchor {
    pub id: i64,
    pub text: String,
    pub added: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportCheckin {
    /// The chosen local time, `HH:MM`.
    pub time: String,
    pub zone: String,
    pub next_due: Option<String>,
    pub refused_in_a_row: i64,
    pub paused_since: Option<String>,
    pub paused_why: Option<String>,
    pub changed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportMood {
    pub at: String,
    pub mood: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportWait {
    pub started: String,
    pub ends: String,
    /// False once its end was sent.
    pub running: bool,
    pub urge_at_start: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportUrge {
    pub wait_started: String,
    pub at_start: Option<i64>,
    pub at_end: Option<i64>,
}

/// What `/mydata delete` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub anchors: u64,
    pub checkin: bool,
    pub moods: u64,
    pub urges: u64,
}

impl Store {
    /// Everything held about `user`, or None if nothing is.
    pub async fn export(&self, user: u64) -> Result<Option<Export>, StoreError> {
        let uid = db_id(user);
        let held = match &self.db {
            Db::Sqlite(pool) => held_sqlite(pool, uid).await?,
            Db::Postgres(pool) => held_pg(pool, uid).await?,
        };
        Ok(held.into_export(user))
    }

    /// Forget `user` entirely: every row hangs off `users` with ON DELETE
    /// CASCADE, so one DELETE in one transaction removes it all.
    pub async fn forget(&self, user: u64) -> Result<Forgotten, StoreError> {
        let uid = db_id(user);
        let counts = match &self.db {
            Db::Sqlite(pool) => Store::forget_sqlite(pool, uid).await?,
            Db::Postgres(pool) => {
                let mut tx = write_pg(pool).await?;
                // Locked first, so the counts are of what the delete removes.
                // A row made here if there was none: locking nothing would
                // let an add create the person between count and delete,
                // and the delete would take what no count saw.
                ensure_user_pg(&mut tx, user).await?;
                let counts = pg::mydata::counts(&mut tx, uid).await?;
                pg::mydata::delete(&mut tx, uid).await?;
                tx.commit().await?;
                counts
            }
        };
        Ok(Forgotten {
            anchors: u64::try_from(counts.anchors).unwrap_or(0),
            checkin: counts.checkins > 0,
            moods: u64::try_from(counts.moods).unwrap_or(0),
            urges: u64::try_from(counts.urges).unwrap_or(0),
        })
    }

    async fn forget_sqlite(pool: &SqlitePool, uid: i64) -> Result<pg::mydata::Counts, StoreError> {
        let mut tx = write(pool).await?;
        let counts = sqlx::query_as!(
            pg::mydata::Counts,
            r#"SELECT (SELECT COUNT(*) FROM anchors WHERE user_id = ?) AS "anchors!: i64",
                      (SELECT COUNT(*) FROM checkins WHERE user_id = ?) AS "checkins!: i64",
                      (SELECT COUNT(*) FROM moods WHERE user_id = ?) AS "moods!: i64",
                      (SELECT COUNT(*) FROM urges WHERE user_id = ?) AS "urges!: i64""#,
            uid,
            uid,
            uid,
            uid
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM users WHERE user_id = ?", uid)
            .execute(&mut *tx)
            .await?;
        // Running exercises, waits and joins on daily posts stand alone
        // (they need no users row).
        sqlx::query!("DELETE FROM sessions WHERE user_id = ?", uid)
            .execute(&mut *tx)
            .await?;
        sqlx::query!("DELETE FROM waits WHERE user_id = ?", uid)
            .execute(&mut *tx)
            .await?;
        sqlx::query!("DELETE FROM ritual_joins WHERE user_id = ?", uid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// The rows held about one person, as one transaction read them.
struct Held {
    /// A wait stands alone: someone may have one and nothing else.
    wait: Option<pg::mydata::Wait>,
    person: Option<Person>,
}

/// A `users` row and the rows hanging off it.
struct Person {
    row: pg::mydata::Person,
    anchors: Vec<pg::mydata::Anchor>,
    checkin: Option<pg::mydata::Checkin>,
    moods: Vec<pg::mydata::Mood>,
    urges: Vec<pg::mydata::Urge>,
}

/// One read transaction, so the parts agree with each other.
async fn held_sqlite(pool: &SqlitePool, uid: i64) -> Result<Held, StoreError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query_as!(
        pg::mydata::Person,
        "SELECT created_at, dm_channel_id, last_anchor_id, mood_history, locale
         FROM users WHERE user_id = ?",
        uid
    )
    .fetch_optional(&mut *tx)
    .await?;
    let wait = sqlx::query_as!(
        pg::mydata::Wait,
        "SELECT started_at, ends_at, due, urge_before FROM waits WHERE user_id = ?",
        uid
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Held { wait, person: None });
    };
    let anchors = sqlx::query_as!(
        pg::mydata::Anchor,
        r#"SELECT id AS "id!", text, created_at FROM anchors WHERE user_id = ? ORDER BY position"#,
        uid
    )
    .fetch_all(&mut *tx)
    .await?;
    let checkin = sqlx::query_as!(
        pg::mydata::Checkin,
        "SELECT local_minute, zone, next_due, failures, paused_at, paused_why, updated_at
         FROM checkins WHERE user_id = ?",
        uid
    )
    .fetch_optional(&mut *tx)
    .await?;
    let moods = sqlx::query_as!(
        pg::mydata::Mood,
        "SELECT at, mood FROM moods WHERE user_id = ? ORDER BY at",
        uid
    )
    .fetch_all(&mut *tx)
    .await?;
    let urges = sqlx::query_as!(
        pg::mydata::Urge,
        "SELECT started_at, before, after FROM urges WHERE user_id = ? ORDER BY started_at",
        uid
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let person = Person {
        row,
        anchors,
        checkin,
        moods,
        urges,
    };
    Ok(Held {
        wait,
        person: Some(person),
    })
}

/// Repeatable read: every query sees the snapshot the first one took, as in
/// SQLite's read transaction (read committed would give each its own).
async fn held_pg(pool: &PgPool, uid: i64) -> Result<Held, StoreError> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await?;
    let row = pg::mydata::person(&mut tx, uid).await?;
    let wait = pg::mydata::wait(&mut tx, uid).await?;
    let Some(row) = row else {
        return Ok(Held { wait, person: None });
    };
    let person = Person {
        row,
        anchors: pg::mydata::anchors(&mut tx, uid).await?,
        checkin: pg::mydata::checkin(&mut tx, uid).await?,
        moods: pg::mydata::moods(&mut tx, uid).await?,
        urges: pg::mydata::urges(&mut tx, uid).await?,
    };
    tx.commit().await?;
    Ok(Held {
        wait,
        person: Some(person),
    })
}

impl Held {
    fn into_export(self, user: u64) -> Option<Export> {
        let wait = self.wait.map(|w| ExportWait {
            started: time(w.started_at),
            ends: time(w.ends_at),
            running: w.due.is_some(),
            urge_at_start: w.urge_before,
        });
        let Some(person) = self.person else {
            return wait.map(|wait| Export::only_a_wait(user, wait));
        };
        let row = person.row;
        Some(Export {
            user_id: user.to_string(),
            first_seen: time(row.created_at),
            dm_channel_id: row.dm_channel_id.map(|id| (id as u64).to_string()),
            locale: row.locale,
            anchors: person
                .anchors
                .into_iter()
                .map(|a| ExportAnchor {
                    id: a.id,
                    text: a.text,
                    added: time(a.created_at),
                })
                .collect(),
            last_anchor_sent: row.last_anchor_id,
            checkin: person.checkin.map(|c| ExportCheckin {
                time: format!("{:02}:{:02}", c.local_minute / 60, c.local_minute % 60),
                zone: c.zone,
                next_due: c.next_due.map(time),
                refused_in_a_row: c.failures,
                paused_since: c.paused_at.map(time),
                paused_why: c.paused_why,
                changed: time(c.updated_at),
            }),
            mood_history: row.mood_history,
            moods: person
                .moods
                .into_iter()
                .map(|m| ExportMood {
                    at: time(m.at),
                    mood: m.mood,
                })
                .collect(),
            wait,
            urges: person
                .urges
                .into_iter()
                .map(|u| ExportUrge {
                    wait_started: time(u.started_at),
                    at_start: u.before,
                    at_end: u.after,
                })
                .collect(),
        })
    }
}

impl Export {
    /// The file of someone whose only data is a wait.
    fn only_a_wait(user: u64, wait: ExportWait) -> Export {
        Export {
            user_id: user.to_string(),
            first_seen: wait.started.clone(),
            dm_channel_id: None,
            locale: None,
            anchors: Vec::new(),
            last_anchor_sent: None,
            checkin: None,
            mood_history: false,
            moods: Vec::new(),
            wait: Some(wait),
            urges: Vec::new(),
        }
    }
}

fn time(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map_or_else(String::new, |at| at.to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_names_every_field_of_the_file() {
        let export = Export {
            user_id: String::new(),
            first_seen: String::new(),
            dm_channel_id: None,
            locale: None,
            anchors: Vec::new(),
            last_anchor_sent: None,
            checkin: None,
            mood_history: false,
            moods: Vec::new(),
            wait: None,
            urges: Vec::new(),
        };
        let json = serde_json::to_value(&export).unwrap();
        let mut names: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut fields = Export::FIELDS.to_vec();
        names.sort_unstable();
        fields.sort_unstable();
        assert_eq!(names, fields);
    }
}
