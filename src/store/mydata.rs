//! "Your data is yours": everything steady holds about a person, in one
//! read, and forgetting all of it in one transaction.

use super::anchors::opened;
use super::journal::{self, JournalEntry, JournalKind};
use super::{db_id, Store, StoreError};
use crate::privacy::PersonKey;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use steady_sql::moods::Mood;
use steady_sql::mydata::{self as rows, Counts};
use steady_sql::{Mydata, Pool};

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
    pub journal: Vec<ExportEntry>,
    pub reframes: Vec<ExportReframe>,
    pub drafts: Vec<ExportDraft>,
}

impl Export {
    /// The names of the file's fields, each described to the person in
    /// `prompts/mydata.toml`'s `[fields]`.
    pub const FIELDS: [&'static str; 14] = [
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
        "journal",
        "reframes",
        "drafts",
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportAnchor {
    pub id: i64,
    /// Null when it can no longer be read.
    pub text: Option<String>,
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

/// A page of the person's journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportEntry {
    pub id: i64,
    /// The prompt's key, if one was answered.
    pub prompt: Option<String>,
    pub written: String,
    /// Null when it can no longer be read.
    pub text: Option<String>,
}

/// A `/reframe` record: its parts, as the person wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReframe {
    pub id: i64,
    pub written: String,
    /// Null once kept in the journal; until then, when it goes.
    pub expires: Option<String>,
    pub happened: Option<String>,
    pub story: Option<String>,
    pub other: Option<String>,
    pub kinder: Option<String>,
    /// The record as stored, when it is not the JSON object of its parts;
    /// null when it can no longer be read.
    pub text: Option<String>,
}

/// The JSON object a reframe keeps: its parts, and nothing else, so that
/// no word is left out of the file.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReframeParts {
    happened: Option<String>,
    story: Option<String>,
    other: Option<String>,
    kinder: Option<String>,
}

/// A message drafted during a wait instead of being sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportDraft {
    pub id: i64,
    pub written: String,
    /// Null once kept in the journal; until then, when it goes.
    pub expires: Option<String>,
    /// Null when it can no longer be read.
    pub text: Option<String>,
}

/// What `/mydata delete` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub anchors: u64,
    pub checkin: bool,
    pub moods: u64,
    pub urges: u64,
    /// Journal rows of every kind: entries, reframes, drafts.
    pub journal: u64,
}

impl Store {
    /// Everything held about `user`, or None if nothing is.
    /// Their anchors are opened for them.
    pub async fn export(&self, user: u64) -> Result<Option<Export>, StoreError> {
        let uid = db_id(user);
        let held = on_backend!(self, pool: B => held::<B>(pool, uid).await?);
        let key = self.person_key(uid).await?;
        Ok(held.into_export(user, key.as_ref()))
    }

    /// Forget `user` entirely: their key first, so that what it sealed
    /// stays unreadable even in a backup made before, then every row. Each
    /// row hangs off `users` with ON DELETE CASCADE but those that stand
    /// alone, so a few DELETEs in one transaction remove it all.
    pub async fn forget(&self, user: u64) -> Result<Forgotten, StoreError> {
        let uid = db_id(user);
        self.destroy_key(uid).await?;
        let counts = on_backend!(self, pool: B => forget::<B>(pool, uid).await?);
        Ok(Forgotten {
            anchors: u64::try_from(counts.anchors).unwrap_or(0),
            checkin: counts.checkins > 0,
            moods: u64::try_from(counts.moods).unwrap_or(0),
            urges: u64::try_from(counts.urges).unwrap_or(0),
            journal: u64::try_from(counts.journal).unwrap_or(0),
        })
    }
}

/// [`Store::forget`]. The person is held before the count, so the counts
/// are of what the delete removes: their row is made if there was none
/// (and goes with the delete, so nobody is left behind), since holding
/// nothing would let an add create them between count and delete, and the
/// delete take what no count saw. Rows are taken in the one lock order
/// (`steady_sql::Backend`): the running exercise and the wait before the
/// hold, as a wait's end (claimed, or pressed) locks its wait, then the
/// person's row to keep its first tap; the joins on daily posts last.
async fn forget<B: Mydata>(pool: &Pool<B>, uid: i64) -> Result<Counts, StoreError> {
    let mut tx = B::write(pool).await?;
    B::forget_alone(&mut tx, uid).await?;
    B::hold_person(&mut tx, uid, chrono::Utc::now().timestamp()).await?;
    let counts = B::counts(&mut tx, uid).await?;
    B::forget_person(&mut tx, uid).await?;
    tx.commit().await?;
    Ok(counts)
}

/// The rows held about one person, as one transaction read them.
struct Held {
    /// A wait stands alone: someone may have one and nothing else.
    wait: Option<rows::Wait>,
    person: Option<Person>,
}

/// A `users` row and the rows hanging off it.
struct Person {
    row: rows::Person,
    anchors: Vec<rows::Anchor>,
    checkin: Option<rows::Checkin>,
    moods: Vec<Mood>,
    urges: Vec<rows::Urge>,
    journal: Vec<steady_sql::journal::Entry>,
}

/// One snapshot, so the parts agree with each other.
async fn held<B: Mydata>(pool: &Pool<B>, uid: i64) -> Result<Held, StoreError> {
    let mut tx = B::snapshot(pool).await?;
    let row = B::person(&mut tx, uid).await?;
    let wait = B::wait(&mut tx, uid).await?;
    let Some(row) = row else {
        return Ok(Held { wait, person: None });
    };
    let person = Person {
        row,
        anchors: B::anchors(&mut tx, uid).await?,
        checkin: B::checkin(&mut tx, uid).await?,
        moods: B::moods(&mut tx, uid).await?,
        urges: B::urges(&mut tx, uid).await?,
        journal: B::journal(&mut tx, uid).await?,
    };
    tx.commit().await?;
    Ok(Held {
        wait,
        person: Some(person),
    })
}

impl Held {
    fn into_export(self, user: u64, key: Option<&PersonKey>) -> Option<Export> {
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
        let uid = db_id(user);
        let journal: Vec<JournalEntry> = (person.journal.into_iter())
            .map(|entry| journal::open(key, uid, entry))
            .collect();
        let of = |kind: JournalKind| journal.iter().filter(move |entry| entry.kind == kind);
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
                    text: opened(key, db_id(user), a.id, a.text, a.sealed.as_deref()),
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
            journal: of(JournalKind::Entry).map(ExportEntry::of).collect(),
            reframes: of(JournalKind::Reframe).map(ExportReframe::of).collect(),
            drafts: of(JournalKind::Draft).map(ExportDraft::of).collect(),
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
            journal: Vec::new(),
            reframes: Vec::new(),
            drafts: Vec::new(),
        }
    }
}

impl ExportEntry {
    fn of(entry: &JournalEntry) -> ExportEntry {
        ExportEntry {
            id: entry.id,
            prompt: entry.prompt.clone(),
            written: entry.written_at.to_rfc3339(),
            text: entry.text.clone(),
        }
    }
}

impl ExportReframe {
    /// Its parts read from the JSON object the reframe keeps; any other
    /// text as it is, so nothing kept is left out.
    fn of(entry: &JournalEntry) -> ExportReframe {
        let parts = (entry.text.as_deref())
            .and_then(|text| serde_json::from_str::<ReframeParts>(text).ok());
        let text = match parts {
            Some(_) => None,
            None => entry.text.clone(),
        };
        let parts = parts.unwrap_or_default();
        ExportReframe {
            id: entry.id,
            written: entry.written_at.to_rfc3339(),
            expires: entry.expires_at.map(|at| at.to_rfc3339()),
            happened: parts.happened,
            story: parts.story,
            other: parts.other,
            kinder: parts.kinder,
            text,
        }
    }
}

impl ExportDraft {
    fn of(entry: &JournalEntry) -> ExportDraft {
        ExportDraft {
            id: entry.id,
            written: entry.written_at.to_rfc3339(),
            expires: entry.expires_at.map(|at| at.to_rfc3339()),
            text: entry.text.clone(),
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
            journal: Vec::new(),
            reframes: Vec::new(),
            drafts: Vec::new(),
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
