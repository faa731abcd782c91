//! `next_due` against every zone steady knows, checked against chrono and
//! chrono-tz's own reading of the clocks rather than against itself.

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone,
    Utc,
};
use chrono_tz::{America, Australia, Europe, GapInfo, Pacific, Tz, TZ_VARIANTS};
use proptest::prelude::*;
use steady::daily::{due::next_due, time::TimeOfDay};

/// The longest wait from any instant in 1970..2037 to the next due one.
/// Consecutive dues are a local day apart, so 24 h plus however far the
/// clocks went back in between: most at Antarctica/Vostok (7 h, +07 to -00
/// in 1994), then Casey (3 h); summer time alone would need only 25 h.
const LONGEST_WAIT: TimeDelta = TimeDelta::hours(24 + 7);
/// The same since 1900: Kwajalein went back 23 h across the date line in 1969.
const LONGEST_WAIT_SINCE_1900: TimeDelta = TimeDelta::hours(24 + 23);

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn local(zone: Tz, instant: DateTime<Utc>) -> NaiveDateTime {
    instant.with_timezone(&zone).naive_local()
}

fn offset(zone: Tz, instant: DateTime<Utc>) -> FixedOffset {
    instant.with_timezone(&zone).offset().fix()
}

/// When `date` at `time` is due, read straight from chrono-tz: the earlier
/// instant the clocks show it, or where they resume after skipping it.
fn expected(zone: Tz, date: NaiveDate, time: TimeOfDay) -> Option<DateTime<Utc>> {
    let wall = date.and_time(time.naive());
    match zone.from_local_datetime(&wall).earliest() {
        Some(due) => Some(due.to_utc()),
        None => GapInfo::new(&wall, &zone)?.end.map(|end| end.to_utc()),
    }
}

/// (1)-(4) for one answer `due` to "after `after`, when is `time` due in `zone`".
fn check(zone: Tz, time: TimeOfDay, after: DateTime<Utc>, due: DateTime<Utc>, longest: TimeDelta) {
    check_answer(zone, time, after, due, longest);
    check_nothing_between(zone, time, after, due);
}

/// (1)-(3): strictly later, soon enough, and `time` on the clock.
fn check_answer(
    zone: Tz,
    time: TimeOfDay,
    after: DateTime<Utc>,
    due: DateTime<Utc>,
    longest: TimeDelta,
) {
    let what = || format!("{zone} {time} after {after}: {due}");
    assert!(due > after, "{}", what());
    assert!(due - after <= longest, "{}", what());
    // (3) the clock shows `time` then (and not earlier the same night), or
    // skips over it right then.
    let shown = local(zone, due);
    if shown.time() == time.naive() {
        let earliest = zone.from_local_datetime(&shown).earliest();
        assert_eq!(earliest.map(|t| t.to_utc()), Some(due), "{}", what());
    } else {
        let just_before = due - TimeDelta::seconds(1);
        assert_ne!(offset(zone, just_before), offset(zone, due), "{}", what());
        let skipped = [shown.date() - Days::new(1), shown.date()]
            .map(|date| date.and_time(time.naive()))
            .into_iter()
            .any(|wall| {
                zone.from_local_datetime(&wall).earliest().is_none()
                    && local(zone, just_before) < wall
                    && wall < shown
            });
        assert!(skipped, "{}", what());
    }
}

/// (4): no day is due between `after` and `due`.
fn check_nothing_between(zone: Tz, time: TimeOfDay, after: DateTime<Utc>, due: DateTime<Utc>) {
    let what = || format!("{zone} {time} after {after}: {due}");
    let shown = local(zone, due);
    // Every local day from before `after` to `due` is due at or before
    // `after`, at `due`, or later, and one of them is `due`. (The second
    // reading of a repeated time does not count: each day is due once.)
    assert_eq!(
        next_due(zone, time, due - TimeDelta::seconds(1)),
        due,
        "{}",
        what()
    );
    let first = local(zone, after).date() - Days::new(1);
    let days: Vec<_> = first
        .iter_days()
        .take_while(|&date| date <= shown.date())
        .filter_map(|date| expected(zone, date, time))
        .collect();
    assert!(
        days.iter().all(|&t| t <= after || t >= due),
        "{}: {days:?}",
        what()
    );
    assert!(days.contains(&due), "{}: {days:?}", what());
}

fn zones() -> impl Strategy<Value = Tz> {
    (0..TZ_VARIANTS.len()).prop_map(|index| TZ_VARIANTS[index])
}

fn times() -> impl Strategy<Value = TimeOfDay> {
    (0..1440_i64).prop_map(|minutes| TimeOfDay::from_minutes(minutes).unwrap())
}

fn instants_between(first_year: i32, end_year: i32) -> impl Strategy<Value = DateTime<Utc>> {
    let start = |year| {
        Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp()
    };
    (start(first_year)..start(end_year))
        .prop_map(|seconds| DateTime::from_timestamp(seconds, 0).unwrap())
}

/// Local dates of the dues from late 2025 to early 2027, kept to 2026.
fn dues_in_2026(zone: Tz, time: TimeOfDay) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut due = utc("2025-12-30T00:00:00Z");
    while due < utc("2027-01-02T00:00:00Z") {
        let next = next_due(zone, time, due);
        check(zone, time, due, next, LONGEST_WAIT);
        due = next;
        dates.push(local(zone, due).date());
    }
    dates.retain(|date| date.year() == 2026);
    dates
}

fn every_day_of_2026() -> Vec<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    first.iter_days().take(365).collect()
}

const CHANGING: [Tz; 3] = [Europe::Berlin, America::New_York, Australia::Lord_Howe];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// (1)-(4) anywhere, any time, since computers kept time in UTC.
    #[test]
    fn any_zone_any_time_any_instant(zone in zones(), time in times(), after in instants_between(1970, 2037)) {
        check(zone, time, after, next_due(zone, time, after), LONGEST_WAIT);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// (5) one due per local day, none skipped, through both clock changes.
    #[test]
    fn one_due_each_day_through_2026(zone in 0..CHANGING.len(), time in times()) {
        prop_assert_eq!(dues_in_2026(CHANGING[zone], time), every_day_of_2026());
    }
}

#[test]
fn one_due_each_day_at_the_times_clocks_skip_or_repeat() {
    for zone in CHANGING {
        for (hour, minute) in [
            (0, 0),
            (1, 0),
            (1, 30),
            (1, 45),
            (2, 0),
            (2, 15),
            (2, 30),
            (2, 59),
            (3, 0),
        ] {
            let time = TimeOfDay::new(hour, minute).unwrap();
            assert_eq!(
                dues_in_2026(zone, time),
                every_day_of_2026(),
                "{zone} {time}"
            );
        }
    }
}

/// (1)-(3) for every zone, day by day, at a time clock changes like to skip.
#[test]
fn every_zone_day_by_day_through_2025_and_2026() {
    let time = TimeOfDay::new(2, 30).unwrap();
    let end = utc("2027-01-01T00:00:00Z");
    for zone in TZ_VARIANTS {
        let mut after = utc("2025-01-01T00:00:00Z");
        while after < end {
            let due = next_due(zone, time, after);
            check_answer(zone, time, after, due, LONGEST_WAIT);
            after = due;
        }
    }
}

#[test]
fn a_skipped_day_is_due_when_the_clocks_resume() {
    // Samoa moved across the date line: 2011-12-29 24:00 at -10:00
    // (2011-12-30T10:00Z) became 2011-12-31 00:00 at +14:00.
    let time = TimeOfDay::new(9, 0).unwrap();
    let after = utc("2011-12-29T20:00:00Z");
    let due = next_due(Pacific::Apia, time, after);
    assert_eq!(due, utc("2011-12-30T10:00:00Z"));
    check(Pacific::Apia, time, after, due, LONGEST_WAIT);
    // 09:00 on the 31st at +14:00.
    let next = next_due(Pacific::Apia, time, due);
    assert_eq!(next, utc("2011-12-30T19:00:00Z"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// Local mean time, with offsets to the second, and wartime and
    /// date-line jumps: still right, and never stuck.
    #[test]
    fn any_zone_any_time_from_1900_to_2100(zone in zones(), time in times(), after in instants_between(1900, 2100)) {
        check(zone, time, after, next_due(zone, time, after), LONGEST_WAIT_SINCE_1900);
    }
}
