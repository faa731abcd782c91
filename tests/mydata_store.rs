//! "Your data is yours" in the store: the export holds everything steady
//! keeps about a person (anchors, check-in, moods, wait, urge taps, journal
//! entries, reframes and drafts) and
//! nothing of anyone else; forgetting removes all of it, running exercise
//! included, says how much it removed, and leaves everyone else as they
//! were, even while the person keeps adding. On both backends.

mod backend;

use backend::{wait, Db, Writer};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{json, Value};
use std::time::Duration;
use steady::store::{Forgotten, JournalKind, PauseReason, Store, Unfinished};

on_both!(
    the_export_holds_everything_of_a_person_and_nothing_of_anyone_else,
    forgetting_takes_everything_of_theirs_and_nothing_of_anyone_else,
    forgetting_counts_what_it_took_while_anchors_are_being_added,
    forgetting_someone_never_met_leaves_nothing_behind,
    forgetting_waits_for_a_wait_s_end_under_way_and_takes_its_tap,
);

/// The process running the exercises.
const OWNER: &str = "0-0/1";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Someone who keeps a bit of everything; `word` marks their texts.
struct Person {
    id: u64,
    channel: u64,
    word: &'static str,
    /// The mood tapped first (on the later check-in), then the earlier one.
    moods: [u8; 2],
    /// The urge tapped at the start and at the end of their ended wait.
    urges: [u8; 2],
}

// Ids above i64::MAX too, which the store keeps as negative BIGINTs.
const RIVER: Person = Person {
    id: 1_100_000_000_000_000_001,
    channel: 17_000_000_000_000_000_002,
    word: "river",
    moods: [4, 2],
    urges: [5, 2],
};

const SKY: Person = Person {
    id: 10_000_000_000_000_000_003,
    channel: 1_300_000_000_000_000_004,
    word: "sky",
    moods: [1, 5],
    urges: [3, 1],
};

const CHECKIN_SET: &str = "2026-06-01T07:00:00Z";
const PAUSED: &str = "2026-06-01T07:05:00Z";
const EARLIER_MOOD: &str = "2026-06-01T08:30:00Z";
const LATER_MOOD: &str = "2026-06-02T08:30:00Z";
const ENDED_WAIT: &str = "2026-06-02T10:00:00Z";
const RUNNING_WAIT: &str = "2026-06-02T12:00:00Z";
const DRAFT_GOES: &str = "2026-06-03T12:20:00Z";

fn time(text: &str) -> String {
    at(text).to_rfc3339()
}

fn texts(person: &Person) -> [String; 2] {
    [
        format!("{}: I am allowed to rest", person.word),
        format!("{}: this feeling passes", person.word),
    ]
}

fn session(interaction: u64, user: u64) -> Unfinished {
    Unfinished {
        interaction,
        user,
        application: 7,
        token: format!("token-{interaction}"),
        started: at(RUNNING_WAIT),
        locale: "de".to_owned(),
    }
}

/// Keep everything steady can keep about `person`, an exercise running.
async fn keep_everything(store: &Store, person: &Person, interaction: u64) {
    let user = person.id;
    for text in texts(person) {
        store.add_anchor(user, &text).await.unwrap().unwrap();
    }
    store.next_anchor(user).await.unwrap().unwrap();
    let eight_thirty = "08:30".parse().unwrap();
    let zone = chrono_tz::Europe::Berlin;
    let set = at(CHECKIN_SET);
    (store.set_checkin(user, eight_thirty, zone, "de", set).await).unwrap();
    let paused = store.pause_checkin(user, PauseReason::Asked, at(PAUSED));
    assert!(paused.await.unwrap());
    store
        .remember_dm_channel(user, person.channel)
        .await
        .unwrap();
    store.set_mood_history(user, true).await.unwrap();
    let [first, second] = person.moods;
    assert!(store
        .record_mood(user, first, at(LATER_MOOD), 11)
        .await
        .unwrap());
    assert!(store
        .record_mood(user, second, at(EARLIER_MOOD), 12)
        .await
        .unwrap());
    let ended = at(ENDED_WAIT);
    let [before, after] = person.urges;
    store.start_wait(&wait(user, ended, 20)).await.unwrap();
    assert!(store.wait_urge(user, ended, before).await.unwrap());
    assert!(store.end_wait(user, ended).await.unwrap());
    assert!(store.urge_after(user, ended, after).await.unwrap());
    let running = at(RUNNING_WAIT);
    store.start_wait(&wait(user, running, 20)).await.unwrap();
    assert!(store.wait_urge(user, running, 3).await.unwrap());
    let exercise = session(interaction, user);
    assert!(store.session_begin(&exercise, OWNER).await.unwrap());
    for (kind, prompt, text, expires) in journal(person) {
        let expires = expires.map(at);
        (store
            .write_journal(user, kind, prompt, &text, expires)
            .await)
            .unwrap()
            .unwrap();
    }
}

/// What `person` writes: a journal entry, a reframe's record, a reframe
/// kept as plain text (as no reframe writes, but the file must not lose
/// it), and a draft that goes at [`DRAFT_GOES`].
fn journal(
    person: &Person,
) -> [(
    JournalKind,
    Option<&'static str>,
    String,
    Option<&'static str>,
); 4] {
    let word = person.word;
    let record = json!({
        "happened": format!("{word}: no reply for three hours"),
        "story": "they are losing interest",
        "other": "they are at work",
        "kinder": "I can wait and see",
    });
    [
        (
            JournalKind::Entry,
            Some("needed"),
            format!("{word}: I needed rest\nand took some"),
            None,
        ),
        (JournalKind::Reframe, None, record.to_string(), None),
        (JournalKind::Reframe, None, format!("{word}: plain"), None),
        (
            JournalKind::Draft,
            None,
            format!("{word}: why haven't you answered?"),
            Some(DRAFT_GOES),
        ),
    ]
}

/// The export of what [`keep_everything`] kept, its anchors' and journal
/// rows' ids those the store gave; the instants steady chose itself (first
/// seen, each anchor added, each journal row written) read "now".
fn expected(person: &Person, anchor_ids: &[i64], journal_ids: &[i64]) -> Value {
    let [first, second] = texts(person);
    let [entry, _, plain, draft] = journal(person).map(|(_, _, text, _)| text);
    json!({
        "user_id": person.id.to_string(),
        "first_seen": "now",
        "dm_channel_id": person.channel.to_string(),
        "locale": "de",
        "anchors": [
            {"id": anchor_ids[0], "text": first, "added": "now"},
            {"id": anchor_ids[1], "text": second, "added": "now"},
        ],
        "last_anchor_sent": anchor_ids[0],
        "checkin": {
            "time": "08:30",
            "zone": "Europe/Berlin",
            "next_due": null,
            "refused_in_a_row": 0,
            "paused_since": time(PAUSED),
            "paused_why": "asked",
            "changed": time(PAUSED),
        },
        "mood_history": true,
        "moods": [
            {"at": time(EARLIER_MOOD), "mood": person.moods[1]},
            {"at": time(LATER_MOOD), "mood": person.moods[0]},
        ],
        "wait": {
            "started": time(RUNNING_WAIT),
            "ends": (at(RUNNING_WAIT) + TimeDelta::minutes(20)).to_rfc3339(),
            "running": true,
            "urge_at_start": 3,
        },
        "urges": [{
            "wait_started": time(ENDED_WAIT),
            "at_start": person.urges[0],
            "at_end": person.urges[1],
        }],
        "journal": [{
            "id": journal_ids[0], "prompt": "needed", "written": "now", "text": entry,
        }],
        "reframes": [
            {
                "id": journal_ids[1], "written": "now", "expires": null,
                "happened": format!("{}: no reply for three hours", person.word),
                "story": "they are losing interest",
                "other": "they are at work",
                "kinder": "I can wait and see",
                "text": null,
            },
            {
                "id": journal_ids[2], "written": "now", "expires": null,
                "happened": null, "story": null, "other": null, "kinder": null,
                "text": plain,
            },
        ],
        "drafts": [{
            "id": journal_ids[3], "written": "now", "expires": time(DRAFT_GOES), "text": draft,
        }],
        "journal_reminder": null,
    })
}

/// `person`'s export as JSON, each instant steady chose itself checked to
/// lie in `[since, until]` and then written "now".
async fn export(store: &Store, person: &Person, since: i64, until: i64) -> Value {
    let export = store.export(person.id).await.unwrap().expect("kept");
    let mut file = serde_json::to_value(export).unwrap();
    let now = |value: &mut Value| {
        let instant = DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap();
        let secs = instant.timestamp();
        assert!((since..=until).contains(&secs), "{instant} not now");
        *value = json!("now");
    };
    now(&mut file["first_seen"]);
    for anchor in file["anchors"].as_array_mut().unwrap() {
        now(&mut anchor["added"]);
    }
    for part in ["journal", "reframes", "drafts"] {
        for row in file[part].as_array_mut().unwrap() {
            now(&mut row["written"]);
        }
    }
    file
}

/// The ids of `person`'s journal rows, in the order [`journal`] wrote them,
/// as the export shows them.
fn journal_ids(file: &Value) -> Vec<i64> {
    let ids = |part: &str| {
        let rows = file[part].as_array().unwrap().clone();
        rows.into_iter().map(|row| row["id"].as_i64().unwrap())
    };
    let mut all: Vec<i64> = ids("journal")
        .chain(ids("reframes"))
        .chain(ids("drafts"))
        .collect();
    all.sort_unstable();
    all
}

async fn anchor_ids(store: &Store, person: &Person) -> Vec<i64> {
    let anchors = store.anchors(person.id).await.unwrap();
    anchors.iter().map(|anchor| anchor.id).collect()
}

async fn the_export_holds_everything_of_a_person_and_nothing_of_anyone_else(db: Db) {
    let (store, reader) = (db.open().await, db.open().await);
    let since = Utc::now().timestamp();
    keep_everything(&store, &RIVER, 1).await;
    keep_everything(&store, &SKY, 2).await;
    let until = Utc::now().timestamp();
    for person in [&RIVER, &SKY] {
        let ids = anchor_ids(&store, person).await;
        let file = export(&reader, person, since, until).await;
        let rows = journal_ids(&file);
        assert_eq!(file, expected(person, &ids, &rows), "{}", person.word);
    }
    // Someone steady never met has no file.
    assert_eq!(reader.export(5).await.unwrap(), None);
}

async fn forgetting_takes_everything_of_theirs_and_nothing_of_anyone_else(db: Db) {
    let (store, other) = (db.open().await, db.open().await);
    let since = Utc::now().timestamp();
    keep_everything(&store, &RIVER, 1).await;
    keep_everything(&store, &SKY, 2).await;
    // A third person with only a wait and an exercise running: no users row.
    let only_waiting = 9;
    (store
        .start_wait(&wait(only_waiting, at(RUNNING_WAIT), 20))
        .await)
        .unwrap();
    (store.session_begin(&session(3, only_waiting), OWNER).await).unwrap();
    let until = Utc::now().timestamp();
    let sky_before = export(&store, &SKY, since, until).await;

    // Forgotten on another process than the one that kept it.
    let forgotten = other.forget(RIVER.id).await.unwrap();
    let everything = Forgotten {
        anchors: 2,
        checkin: true,
        moods: 2,
        urges: 1,
        journal: 4,
    };
    assert_eq!(forgotten, everything);
    let river = RIVER.id;
    assert_eq!(store.export(river).await.unwrap(), None);
    assert!(!store.knows(river).await.unwrap());
    assert!(store.anchors(river).await.unwrap().is_empty());
    assert_eq!(store.checkin(river).await.unwrap(), None);
    assert_eq!(store.wait(river).await.unwrap(), None);
    assert!(store.urges(river, 10).await.unwrap().is_empty());
    assert!(!store.mood_history(river).await.unwrap());
    assert_eq!(store.dm_channel(river).await.unwrap(), None);
    // Their exercise is asked to stop, and its row holds nothing of theirs.
    assert_eq!(store.sessions_stopping(OWNER).await.unwrap(), [1]);
    assert!(!store.request_stop(river, None).await.unwrap());

    assert_eq!(export(&store, &SKY, since, until).await, sky_before);
    // Nothing left to forget the second time.
    assert_eq!(other.forget(river).await.unwrap(), Forgotten::default());

    // Someone with only a wait: nothing counted, everything gone.
    assert!(store.knows(only_waiting).await.unwrap());
    let forgotten = other.forget(only_waiting).await.unwrap();
    assert_eq!(forgotten, Forgotten::default());
    assert!(!store.knows(only_waiting).await.unwrap());
    assert_eq!(store.export(only_waiting).await.unwrap(), None);
    let mut stopping = store.sessions_stopping(OWNER).await.unwrap();
    stopping.sort_unstable();
    assert_eq!(stopping, [1, 3]);
    assert!(!store.request_stop(only_waiting, None).await.unwrap());
    assert_eq!(export(&store, &SKY, since, until).await, sky_before);
}

/// Anchors added on one process while another forgets the person again and
/// again: each anchor is either counted by exactly one forget or still
/// there at the end, never lost from the count nor counted twice.
async fn forgetting_counts_what_it_took_while_anchors_are_being_added(db: Db) {
    let (adder, forgetter) = (db.open().await, db.open().await);
    let user = RIVER.id;
    let adding = tokio::spawn(async move {
        let mut added = 0;
        for n in 0..100 {
            let text = format!("anchor {n}");
            if adder.add_anchor(user, &text).await.unwrap().is_ok() {
                added += 1;
            }
        }
        added
    });
    let mut counted = 0;
    while !adding.is_finished() {
        counted += forgetter.forget(user).await.unwrap().anchors;
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let added = adding.await.unwrap();
    let left = forgetter.anchors(user).await.unwrap().len() as u64;
    assert_eq!(counted + left, added);
    assert!(counted > 0, "no forget met an anchor");
}

/// Someone steady never met is forgotten: nothing counted, and no row left
/// of them, though the forget holds the person (making their row) to count.
async fn forgetting_someone_never_met_leaves_nothing_behind(db: Db) {
    let store = db.open().await;
    assert_eq!(store.forget(5).await.unwrap(), Forgotten::default());
    assert!(!store.knows(5).await.unwrap());
    assert_eq!(
        backend::number(&store, "SELECT COUNT(*) FROM users").await,
        0
    );
}

/// A wait's end under way on another process (its claim, or "I'm okay
/// now") holds the wait, then the person's row to keep the wait's first
/// tap. A forget meeting it waits, then takes everything, the tap
/// included: were the forget to hold the person's row while it waits for
/// the wait, PostgreSQL would end the two as a deadlock, failing one.
async fn forgetting_waits_for_a_wait_s_end_under_way_and_takes_its_tap(db: Db) {
    let (store, other) = (db.open().await, db.open().await);
    let started = at(RUNNING_WAIT);
    store.set_mood_history(1, true).await.unwrap();
    store.start_wait(&wait(1, started, 20)).await.unwrap();
    assert!(store.wait_urge(1, started, 4).await.unwrap());

    let mut ending = Writer::begin(&store).await;
    (ending.lock("SELECT user_id FROM waits WHERE user_id = 1 FOR UPDATE")).await;
    let forgetting = tokio::spawn(async move { other.forget(1).await });
    // Time for the forget to reach what the end holds.
    tokio::time::sleep(Duration::from_millis(500)).await;
    (ending.lock("SELECT user_id FROM users WHERE user_id = 1 FOR SHARE")).await;
    ending
        .execute(
            "INSERT INTO urges (user_id, started_at, before)
             SELECT user_id, started_at, urge_before FROM waits WHERE user_id = 1",
        )
        .await;
    ending.execute("DELETE FROM waits WHERE user_id = 1").await;
    ending.commit().await;

    let forgotten = forgetting.await.unwrap().unwrap();
    assert_eq!(forgotten.urges, 1);
    assert_eq!(store.export(1).await.unwrap(), None);
    assert!(!store.knows(1).await.unwrap());
}
