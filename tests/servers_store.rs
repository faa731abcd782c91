//! What the store keeps for a server, at instants the test chooses: its
//! own help lines (up to the limit, each name once in any case of any
//! alphabet, in the order added), its panels, all of it listed and forgotten; its daily
//! moment set, changed and stopped, each day's post claimed once at its
//! local time across a DST change and given back only if unchanged; and
//! the joins on the latest post counted, each person once and forgotten
//! with the post, a count claimed at most once a minute in the words of its
//! post. On both backends, several processes sharing one database.

mod backend;

use backend::{execute, number, Db};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use steady::daily::time::TimeOfDay;
use steady::help_line::HelpLine;
use steady::schedule::Due;
use steady::store::{Added, Ritual, RitualCount, RitualPost, ServerData, MAX_HELP_LINES};

on_both!(
    help_lines_keep_their_order_up_to_the_limit_each_name_once_in_any_case,
    a_help_lines_name_is_one_in_any_case_of_any_alphabet,
    two_moderators_adding_at_once_cannot_pass_the_limit,
    a_servers_data_is_listed_and_forgotten_and_no_other_servers,
    a_daily_moment_is_set_changed_and_stopped,
    each_days_post_is_claimed_once_at_its_local_time_across_a_dst_change,
    a_time_the_clocks_skip_is_posted_when_they_skip_it,
    processes_claiming_at_once_take_a_post_once,
    a_claimed_post_is_given_back_only_if_the_moment_is_unchanged,
    joins_on_the_latest_post_are_counted_and_shown_at_most_once_a_minute,
    each_person_is_counted_once_a_post_and_forgotten_with_it,
    a_count_keeps_what_its_post_said_after_the_moment_changes,
    a_join_meeting_the_next_post_is_counted_on_neither,
);

const GUILD: u64 = 1_000_000_000_000_000_001;
/// Another server, whose data must never change with GUILD's.
const OTHER: u64 = 2;
const BERLIN: Tz = chrono_tz::Europe::Berlin;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn line(name: &str) -> HelpLine {
    HelpLine {
        name: name.to_owned(),
        text: format!("Ask {name}"),
        link: Some("https://example.org/help".to_owned()),
    }
}

fn names(lines: &[HelpLine]) -> Vec<&str> {
    lines.iter().map(|line| line.name.as_str()).collect()
}

/// `guild`'s daily moment at `hour:minute` in Berlin.
fn moment(guild: u64, hour: u32, minute: u32) -> Ritual {
    Ritual {
        guild,
        channel: 30,
        time: TimeOfDay::new(hour, minute).unwrap(),
        zone: BERLIN,
        pattern: 1,
        locale: "de".to_owned(),
        next_due: None,
    }
}

/// Whose a claimed post or count is.
fn guild(due: &Due) -> u64 {
    match due {
        Due::Ritual(post) => post.guild,
        Due::Count(count) => count.guild,
        other => panic!("expected a daily post or a count, claimed {other:?}"),
    }
}

/// The daily posts claimed at `now`; nothing else is due in these tests.
async fn posts(store: &steady::store::Store, now: DateTime<Utc>) -> Vec<RitualPost> {
    let due = store.claim_due(now, 10).await.unwrap();
    due.into_iter()
        .map(|due| match due {
            Due::Ritual(post) => post,
            other => panic!("expected a daily post, claimed {other:?}"),
        })
        .collect()
}

/// The counts claimed at `now`; nothing else is due in these tests.
async fn counts(store: &steady::store::Store, now: DateTime<Utc>) -> Vec<RitualCount> {
    let due = store.claim_due(now, 10).await.unwrap();
    due.into_iter()
        .map(|due| match due {
            Due::Count(count) => count,
            other => panic!("expected a count, claimed {other:?}"),
        })
        .collect()
}

async fn help_lines_keep_their_order_up_to_the_limit_each_name_once_in_any_case(db: Db) {
    let store = db.open().await;
    let now = at("2027-03-28T00:30:00Z");
    let add = |name: &'static str, when: DateTime<Utc>| {
        let store = store.clone();
        async move { store.add_help(GUILD, &line(name), when).await.unwrap() }
    };
    assert_eq!(add("Talk to a mod", now).await, Added::Added);
    assert_eq!(add("TALK TO A MOD", now).await, Added::Exists);
    assert_eq!(add("talk to a Mod", now).await, Added::Exists);
    // Several in the same second keep the order they were added in.
    let rest = [
        "Zeta", "Alpha", "Mid", "beta", "Omega", "Gamma", "Delta", "Eta",
    ];
    for name in rest {
        assert_eq!(add(name, now + TimeDelta::seconds(1)).await, Added::Added);
    }
    assert_eq!(add("Last", now + TimeDelta::seconds(2)).await, Added::Added);
    let mut order = vec!["Talk to a mod"];
    order.extend(rest);
    order.push("Last");
    assert_eq!(order.len(), MAX_HELP_LINES);
    assert_eq!(add("One more", now).await, Added::Full);
    // A name already there is said to be there, even when full.
    assert_eq!(add("ALPHA", now).await, Added::Exists);
    let lines = store.help_lines(GUILD).await.unwrap();
    assert_eq!(names(&lines), order);
    assert_eq!(lines[0], line("Talk to a mod"));

    // Removed by its name in any case; the rest keep their order.
    assert!(store.remove_help(GUILD, "tALK TO A mOD").await.unwrap());
    assert!(!store.remove_help(GUILD, "Talk to a mod").await.unwrap());
    assert!(!store.remove_help(GUILD, "Nope").await.unwrap());
    assert_eq!(
        add("talk to a mod", now + TimeDelta::seconds(3)).await,
        Added::Added
    );
    order.remove(0);
    order.push("talk to a mod");
    assert_eq!(names(&store.help_lines(GUILD).await.unwrap()), order);

    // Another server has none of them, and may use the same names.
    assert!(store.help_lines(OTHER).await.unwrap().is_empty());
    assert!(!store.remove_help(OTHER, "Alpha").await.unwrap());
    let other = store.add_help(OTHER, &line("alpha"), now).await.unwrap();
    assert_eq!(other, Added::Added);
    assert_eq!(store.help_lines(GUILD).await.unwrap().len(), MAX_HELP_LINES);
}

/// Both backends fold a name's case the same, beyond ASCII: SQLite's
/// `COLLATE NOCASE` folds only ASCII letters, PostgreSQL's `lower()` as
/// its database's locale says.
async fn a_help_lines_name_is_one_in_any_case_of_any_alphabet(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let now = at("2027-03-28T00:30:00Z");
    for (kept, same) in [("Écoute", "écoute"), ("ΣΟΣ", "σοσ"), ("Доверие", "ДОВЕРИЕ")]
    {
        assert_eq!(
            store.add_help(GUILD, &line(kept), now).await.unwrap(),
            Added::Added
        );
        let again = elsewhere.add_help(GUILD, &line(same), now).await.unwrap();
        assert_eq!(again, Added::Exists, "{same}");
    }
    // Not a case of it: another letter.
    let other = store.add_help(GUILD, &line("Ecoute"), now).await.unwrap();
    assert_eq!(other, Added::Added);

    assert!(elsewhere.remove_help(GUILD, "ÉCOUTE").await.unwrap());
    assert!(!store.remove_help(GUILD, "écoute").await.unwrap());
    assert!(store.remove_help(GUILD, "Σοσ").await.unwrap());
    let lines = store.help_lines(GUILD).await.unwrap();
    assert_eq!(names(&lines), ["Доверие", "Ecoute"]);
}

async fn two_moderators_adding_at_once_cannot_pass_the_limit(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let now = at("2027-03-28T00:30:00Z");
    for i in 1..MAX_HELP_LINES {
        let numbered = line(&format!("Line {i}"));
        let added = first.add_help(GUILD, &numbered, now).await.unwrap();
        assert_eq!(added, Added::Added);
    }
    let (last, eleventh) = (line("Last"), line("Eleventh"));
    let (a, b) = tokio::join!(
        first.add_help(GUILD, &last, now),
        second.add_help(GUILD, &eleventh, now)
    );
    let mut added = [a.unwrap(), b.unwrap()];
    added.sort_by_key(|added| *added as u8);
    assert_eq!(added, [Added::Added, Added::Full]);
    assert_eq!(
        second.help_lines(GUILD).await.unwrap().len(),
        MAX_HELP_LINES
    );
    // The same name from both at once is added once.
    first.remove_help(GUILD, "Line 1").await.unwrap();
    let (same, shouted) = (line("Same"), line("SAME"));
    let (a, b) = tokio::join!(
        first.add_help(GUILD, &same, now),
        second.add_help(GUILD, &shouted, now)
    );
    let mut added = [a.unwrap(), b.unwrap()];
    added.sort_by_key(|added| *added as u8);
    assert_eq!(added, [Added::Added, Added::Exists]);
}

async fn a_servers_data_is_listed_and_forgotten_and_no_other_servers(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let now = at("2027-03-27T12:00:00Z");
    assert!(store.server_data(GUILD).await.unwrap().is_empty());
    store.panel_posted(GUILD, 30, 500, now).await.unwrap();
    // The same panel remembered twice is one.
    store.panel_posted(GUILD, 30, 500, now).await.unwrap();
    store.panel_posted(GUILD, 31, 501, now).await.unwrap();
    store.add_help(GUILD, &line("Mod"), now).await.unwrap();
    store.set_ritual(&moment(GUILD, 9, 0), now).await.unwrap();
    store.panel_posted(OTHER, 40, 600, now).await.unwrap();
    store.add_help(OTHER, &line("Mod"), now).await.unwrap();
    store.set_ritual(&moment(OTHER, 9, 0), now).await.unwrap();
    let kept = ServerData {
        panels: 2,
        help: 1,
        ritual: true,
    };
    assert_eq!(elsewhere.server_data(GUILD).await.unwrap(), kept);

    assert_eq!(elsewhere.forget_server(GUILD).await.unwrap(), kept);
    assert!(store.server_data(GUILD).await.unwrap().is_empty());
    assert!(store.help_lines(GUILD).await.unwrap().is_empty());
    assert_eq!(store.ritual(GUILD).await.unwrap(), None);
    assert!(store.forget_server(GUILD).await.unwrap().is_empty());
    let other = ServerData {
        panels: 1,
        help: 1,
        ritual: true,
    };
    assert_eq!(store.server_data(OTHER).await.unwrap(), other);
}

async fn a_daily_moment_is_set_changed_and_stopped(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    assert_eq!(store.ritual(GUILD).await.unwrap(), None);
    // Saturday noon UTC: 09:00 in Berlin has passed, so Sunday's, which
    // is already summer time.
    let now = at("2027-03-27T12:00:00Z");
    let set = moment(GUILD, 9, 0);
    let next = store.set_ritual(&set, now).await.unwrap();
    assert_eq!(next, at("2027-03-28T07:00:00Z"));
    let kept = elsewhere.ritual(GUILD).await.unwrap();
    assert_eq!(
        kept,
        Some(Ritual {
            next_due: Some(next),
            ..set
        })
    );
    assert_eq!(store.next_due().await.unwrap(), Some(next));

    let changed = Ritual {
        channel: 31,
        time: TimeOfDay::new(21, 30).unwrap(),
        zone: chrono_tz::America::New_York,
        pattern: 2,
        locale: "en-US".to_owned(),
        ..moment(GUILD, 0, 0)
    };
    let next = elsewhere.set_ritual(&changed, now).await.unwrap();
    // 21:30 in New York, already on summer time (since 14 March).
    assert_eq!(next, at("2027-03-28T01:30:00Z"));
    assert_eq!(
        store.ritual(GUILD).await.unwrap(),
        Some(Ritual {
            next_due: Some(next),
            ..changed
        })
    );

    assert!(store.stop_ritual(GUILD).await.unwrap());
    assert!(!elsewhere.stop_ritual(GUILD).await.unwrap());
    assert_eq!(elsewhere.ritual(GUILD).await.unwrap(), None);
    assert_eq!(store.next_due().await.unwrap(), None);
}

async fn each_days_post_is_claimed_once_at_its_local_time_across_a_dst_change(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let set = moment(GUILD, 9, 0);
    // Saturday 09:00 in Berlin is still winter time: 08:00 UTC.
    let saturday = at("2027-03-27T08:00:00Z");
    let first = store
        .set_ritual(&set, at("2027-03-27T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(first, saturday);
    assert!(posts(&store, saturday - TimeDelta::seconds(1))
        .await
        .is_empty());

    let claimed = posts(&store, saturday).await;
    // Sunday's 09:00 is summer time: 23 hours later.
    let sunday = at("2027-03-28T07:00:00Z");
    let post = RitualPost {
        guild: GUILD,
        channel: 30,
        due: saturday,
        next: sunday,
        time: set.time,
        pattern: 1,
        locale: "de".to_owned(),
        acted: None,
    };
    assert_eq!(claimed, [post]);
    // Claimed once, whichever process asks.
    assert!(elsewhere.claim_due(saturday, 10).await.unwrap().is_empty());
    assert!(store
        .claim_due(sunday - TimeDelta::seconds(1), 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.next_due().await.unwrap(), Some(sunday));

    let claimed = posts(&elsewhere, sunday).await;
    assert_eq!(claimed.len(), 1);
    let monday = at("2027-03-29T07:00:00Z");
    assert_eq!((claimed[0].due, claimed[0].next), (sunday, monday));

    // Claimed late (steady was down for days): the next is from now, no
    // backlog of the days missed.
    let late = at("2027-04-02T10:00:00Z");
    let claimed = posts(&store, late).await;
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].due, claimed[0].next),
        (monday, at("2027-04-03T07:00:00Z"))
    );
    assert!(posts(&store, late).await.is_empty());
}

async fn a_time_the_clocks_skip_is_posted_when_they_skip_it(db: Db) {
    let store = db.open().await;
    // 02:30 on Sunday 28 March 2027 never happens in Berlin: the clocks
    // go from 02:00 to 03:00, at 01:00 UTC.
    let next = store
        .set_ritual(&moment(GUILD, 2, 30), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    assert_eq!(next, at("2027-03-28T01:00:00Z"));
    let claimed = posts(&store, next).await;
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].next, at("2027-03-29T00:30:00Z"));
}

async fn processes_claiming_at_once_take_a_post_once(db: Db) {
    let (first, second) = (db.open().await, db.open().await);
    let set_at = at("2027-03-27T12:00:00Z");
    for guild in [GUILD, OTHER, 3] {
        first
            .set_ritual(&moment(guild, 9, 0), set_at)
            .await
            .unwrap();
    }
    let now = at("2027-03-28T07:00:00Z");
    let (a, b) = tokio::join!(first.claim_due(now, 2), second.claim_due(now, 2));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.len() <= 2 && b.len() <= 2);
    let mut guilds: Vec<u64> = a.iter().chain(&b).map(guild).collect();
    guilds.sort_unstable();
    assert_eq!(guilds, [OTHER, 3, GUILD]);
    assert!(first.claim_due(now, 10).await.unwrap().is_empty());
}

async fn a_claimed_post_is_given_back_only_if_the_moment_is_unchanged(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let set = moment(GUILD, 9, 0);
    let due = store
        .set_ritual(&set, at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let claimed = posts(&store, due).await;
    assert_eq!(claimed.len(), 1);
    // Given back (steady was stopping): due again, and claimed again.
    assert!(store
        .give_back(&Due::Ritual(claimed[0].clone()), None)
        .await
        .unwrap());
    assert_eq!(
        elsewhere.ritual(GUILD).await.unwrap().unwrap().next_due,
        Some(due)
    );
    assert!(!store
        .give_back(&Due::Ritual(claimed[0].clone()), None)
        .await
        .unwrap());
    let again = posts(&elsewhere, due).await;
    assert_eq!(again, claimed);

    // Changed meanwhile: the claim is not given back over the new moment.
    let changed = Ritual {
        time: TimeOfDay::new(10, 0).unwrap(),
        ..set.clone()
    };
    let next = elsewhere.set_ritual(&changed, due).await.unwrap();
    assert_eq!(next, at("2027-03-28T08:00:00Z"));
    assert!(!store
        .give_back(&Due::Ritual(again[0].clone()), None)
        .await
        .unwrap());
    assert_eq!(
        store.ritual(GUILD).await.unwrap().unwrap().next_due,
        Some(next)
    );
    // Stopped meanwhile: nothing to give back to.
    let claimed = posts(&store, next).await;
    elsewhere.stop_ritual(GUILD).await.unwrap();
    assert!(!store
        .give_back(&Due::Ritual(claimed[0].clone()), None)
        .await
        .unwrap());
    assert_eq!(store.ritual(GUILD).await.unwrap(), None);
}

async fn joins_on_the_latest_post_are_counted_and_shown_at_most_once_a_minute(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let due = store
        .set_ritual(&moment(GUILD, 9, 0), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let post = posts(&store, due).await;
    assert_eq!(post.len(), 1);
    store.ritual_posted(&post[0], 500).await.unwrap();
    // Nobody joined yet: nothing to show.
    assert!(store.claim_due(due, 10).await.unwrap().is_empty());

    assert!(store.ritual_joined(GUILD, 500, 7).await.unwrap());
    assert!(!store.ritual_joined(GUILD, 499, 8).await.unwrap());
    assert!(!store.ritual_joined(OTHER, 500, 8).await.unwrap());
    let now = due + TimeDelta::seconds(5);
    let shown = counts(&elsewhere, now).await;
    let count = RitualCount {
        guild: GUILD,
        channel: 30,
        message: 500,
        joined: 1,
        time: TimeOfDay::new(9, 0).unwrap(),
        locale: "de".to_owned(),
    };
    assert_eq!(shown, std::slice::from_ref(&count));
    assert!(store.claim_due(now, 10).await.unwrap().is_empty());

    // Two more join soon after: shown a minute after the last, once.
    assert!(elsewhere.ritual_joined(GUILD, 500, 8).await.unwrap());
    assert!(store.ritual_joined(GUILD, 500, 9).await.unwrap());
    let minute = now + TimeDelta::minutes(1);
    assert_eq!(store.next_due().await.unwrap(), Some(minute));
    assert!(store
        .claim_due(minute - TimeDelta::seconds(1), 10)
        .await
        .unwrap()
        .is_empty());
    let three = RitualCount {
        joined: 3,
        ..count.clone()
    };
    let (a, b) = tokio::join!(store.claim_due(minute, 10), elsewhere.claim_due(minute, 10));
    let mut both = a.unwrap();
    both.extend(b.unwrap());
    assert_eq!(both, [Due::Count(three.clone())]);

    // Given back (steady was stopping): shown again a minute after the last.
    assert!(store
        .give_back(&Due::Count(three.clone()), None)
        .await
        .unwrap());
    let later = minute + TimeDelta::minutes(1);
    assert!(counts(&store, later - TimeDelta::seconds(1))
        .await
        .is_empty());
    assert_eq!(counts(&store, later).await, std::slice::from_ref(&three));
    // Unchanged since: nothing to show, however long after.
    assert!(counts(&store, later + TimeDelta::hours(2)).await.is_empty());

    // The next day's post starts again at 0; the old one is not counted.
    store.ritual_posted(&post[0], 501).await.unwrap();
    assert!(!store.ritual_joined(GUILD, 500, 10).await.unwrap());
    assert!(!store
        .give_back(&Due::Count(three.clone()), None)
        .await
        .unwrap());
    assert!(store.ritual_joined(GUILD, 501, 7).await.unwrap());
    let fresh = RitualCount {
        message: 501,
        ..count
    };
    // Never shown for this post: shown straight away.
    assert_eq!(counts(&elsewhere, later).await, [fresh]);
}

/// How many joins are kept where `condition` holds.
async fn joins_kept(store: &steady::store::Store, condition: &str) -> i64 {
    number(
        store,
        &format!("SELECT COUNT(*) FROM ritual_joins WHERE {condition}"),
    )
    .await
}

async fn each_person_is_counted_once_a_post_and_forgotten_with_it(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let due = store
        .set_ritual(&moment(GUILD, 9, 0), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let post = posts(&store, due).await.remove(0);
    store.ritual_posted(&post, 500).await.unwrap();
    // However often one person joins, and from two processes at once,
    // they are counted once.
    assert!(store.ritual_joined(GUILD, 500, 7).await.unwrap());
    assert!(!store.ritual_joined(GUILD, 500, 7).await.unwrap());
    let (a, b) = tokio::join!(
        store.ritual_joined(GUILD, 500, 8),
        elsewhere.ritual_joined(GUILD, 500, 8)
    );
    assert!(a.unwrap() ^ b.unwrap(), "one of the two counts them");
    let now = due + TimeDelta::seconds(5);
    let shown = counts(&store, now).await;
    assert_eq!(shown.iter().map(|c| c.joined).collect::<Vec<_>>(), [2]);

    // /mydata delete takes the person's own, and nobody else's; the count
    // shown, which names nobody, stays.
    assert_eq!(joins_kept(&store, &format!("guild_id = {GUILD}")).await, 2);
    store.forget(7).await.unwrap();
    assert_eq!(
        joins_kept(&store, &format!("guild_id = {GUILD} AND user_id = 7")).await,
        0
    );
    assert_eq!(
        joins_kept(&store, &format!("guild_id = {GUILD} AND user_id = 8")).await,
        1
    );

    // The next day's post: the joins of the one before are forgotten.
    store.ritual_posted(&post, 501).await.unwrap();
    assert_eq!(joins_kept(&store, &format!("guild_id = {GUILD}")).await, 0);
    assert!(store.ritual_joined(GUILD, 501, 8).await.unwrap());

    // Off, the moment takes them along; so does forgetting the server,
    // and no other server's go.
    let here = format!("guild_id = {GUILD}");
    store
        .set_ritual(&moment(OTHER, 9, 0), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let theirs = RitualPost {
        guild: OTHER,
        ..post.clone()
    };
    store.ritual_posted(&theirs, 900).await.unwrap();
    assert!(store.ritual_joined(OTHER, 900, 8).await.unwrap());
    assert_eq!(joins_kept(&store, &here).await, 1);
    assert!(store.stop_ritual(GUILD).await.unwrap());
    assert_eq!(joins_kept(&store, &here).await, 0);
    store
        .set_ritual(&moment(GUILD, 9, 0), at("2027-03-28T12:00:00Z"))
        .await
        .unwrap();
    store.ritual_posted(&post, 502).await.unwrap();
    assert!(store.ritual_joined(GUILD, 502, 7).await.unwrap());
    store.forget_server(GUILD).await.unwrap();
    assert_eq!(joins_kept(&store, &here).await, 0);
    assert_eq!(joins_kept(&store, "TRUE").await, 1, "OTHER's stays");
}

async fn a_count_keeps_what_its_post_said_after_the_moment_changes(db: Db) {
    let store = db.open().await;
    let due = store
        .set_ritual(&moment(GUILD, 9, 0), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let post = posts(&store, due).await.remove(0);
    store.ritual_posted(&post, 500).await.unwrap();
    // Changed after the post: another time, channel and language.
    let changed = Ritual {
        channel: 31,
        time: TimeOfDay::new(21, 30).unwrap(),
        locale: "fr".to_owned(),
        ..moment(GUILD, 9, 0)
    };
    store.set_ritual(&changed, due).await.unwrap();
    assert!(store.ritual_joined(GUILD, 500, 7).await.unwrap());
    let posted = RitualCount {
        guild: GUILD,
        channel: 30,
        message: 500,
        joined: 1,
        time: TimeOfDay::new(9, 0).unwrap(),
        locale: "de".to_owned(),
    };
    let now = due + TimeDelta::seconds(5);
    assert_eq!(counts(&store, now).await, std::slice::from_ref(&posted));

    // A post kept before its words were: it reads the moment's own.
    execute(
        &store,
        "UPDATE rituals SET post_channel = NULL, post_minute = NULL, post_locale = NULL",
    )
    .await;
    assert!(store.ritual_joined(GUILD, 500, 8).await.unwrap());
    let later = now + TimeDelta::minutes(1);
    let current = RitualCount {
        channel: 31,
        joined: 2,
        time: TimeOfDay::new(21, 30).unwrap(),
        locale: "fr".to_owned(),
        ..posted
    };
    assert_eq!(counts(&store, later).await, [current]);
}

/// Run `sql` in a write transaction on the store's database, held open a
/// moment while `meanwhile` starts, then committed; `meanwhile`'s answer.
async fn while_held<T: Send + 'static>(
    store: &steady::store::Store,
    sql: &'static str,
    meanwhile: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    let held = std::time::Duration::from_millis(300);
    match (store.sqlite(), store.postgres()) {
        (Some(pool), _) => {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
            let task = tokio::spawn(meanwhile);
            tokio::time::sleep(held).await;
            tx.commit().await.unwrap();
            task.await.unwrap()
        }
        (_, Some(pool)) => {
            let mut tx = pool.begin().await.unwrap();
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
            let task = tokio::spawn(meanwhile);
            tokio::time::sleep(held).await;
            tx.commit().await.unwrap();
            task.await.unwrap()
        }
        _ => unreachable!("a store is on one backend"),
    }
}

async fn a_join_meeting_the_next_post_is_counted_on_neither(db: Db) {
    let (store, elsewhere) = (db.open().await, db.open().await);
    let due = store
        .set_ritual(&moment(GUILD, 9, 0), at("2027-03-27T12:00:00Z"))
        .await
        .unwrap();
    let post = posts(&store, due).await.remove(0);
    store.ritual_posted(&post, 500).await.unwrap();
    // Yesterday's post pressed while today's is being kept: PostgreSQL's
    // count waits for the new post's row, and must not add to its count.
    let press = async move { elsewhere.ritual_joined(GUILD, 500, 7).await.unwrap() };
    let next = "UPDATE rituals SET message_id = 501, joined = 0, shown = 0, shown_at = NULL";
    assert!(!while_held(&store, next, press).await);
    assert!(store.ritual_joined(GUILD, 501, 8).await.unwrap());
    let shown = counts(&store, due + TimeDelta::seconds(5)).await;
    assert_eq!(shown.iter().map(|c| c.joined).collect::<Vec<_>>(), [1]);
}
