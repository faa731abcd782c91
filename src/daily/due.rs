//! When the next one is due: the chosen time on its own wall clock (a
//! person's, for a check-in; a server's, for its daily moment), once for
//! each date that clock shows it, whatever the clocks do around it (a date
//! the zone skips whole is the one exception: see [`next_due`]).

use super::time::TimeOfDay;
use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The first instant strictly after `after` whose local wall time in `zone` is `time`.
/// A time that does not exist that day (a spring-forward gap) moves to the first
/// instant after the gap (the transition itself); an ambiguous one (fall-back
/// overlap) takes the earlier instant only, so a repeated hour is due once.
/// A date the zone skips entirely (Samoa's 2011-12-30) is a gap too: its
/// instant is the moment the clocks resume, on the next date, which then has
/// two.
pub fn next_due(zone: Tz, time: TimeOfDay, after: DateTime<Utc>) -> DateTime<Utc> {
    let today = after.with_timezone(&zone).date_naive();
    // From yesterday, in case the clocks went back across midnight and
    // yesterday's time is still to come; within two more days it is ahead.
    today
        .pred_opt()
        .unwrap_or(today)
        .iter_days()
        .map(|date| when(zone, date.and_time(time.naive())))
        .find(|&due| due > after)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The instant `zone`'s clocks read `local`, or, if they skip it, the
/// instant they skip over it; the earlier of two.
fn when(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(due) => due.to_utc(),
        LocalResult::Ambiguous(first, second) => first.min(second).to_utc(),
        LocalResult::None => gap_end(zone, local),
    }
}

/// The transition that skips `local`: found to the second by halving the
/// span from a day before, which still has the offset from before the gap,
/// to `local` read with that offset, which is at or after the transition.
fn gap_end(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let offset = |utc: NaiveDateTime| zone.offset_from_utc_datetime(&utc).fix();
    let mut early = local - TimeDelta::days(1);
    let before = offset(early);
    let mut late = local - before;
    while (late - early).num_seconds() > 1 {
        let middle = early + TimeDelta::seconds((late - early).num_seconds() / 2);
        if offset(middle) == before {
            early = middle;
        } else {
            late = middle;
        }
    }
    late.and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia, Europe};

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn at(hour: u32, minute: u32) -> TimeOfDay {
        TimeOfDay::new(hour, minute).unwrap()
    }

    #[test]
    fn an_ordinary_summer_evening() {
        // Berlin is on CEST (+02:00) in June: 21:30 local is 19:30Z.
        let due = next_due(Europe::Berlin, at(21, 30), utc("2026-06-01T12:00:00Z"));
        assert_eq!(due, utc("2026-06-01T19:30:00Z"));
    }

    #[test]
    fn strictly_after() {
        let due = next_due(Europe::Berlin, at(21, 30), utc("2026-06-01T19:30:00Z"));
        assert_eq!(due, utc("2026-06-02T19:30:00Z"));
        let due = next_due(Europe::Berlin, at(21, 30), utc("2026-06-01T19:29:59Z"));
        assert_eq!(due, utc("2026-06-01T19:30:00Z"));
    }

    #[test]
    fn berlin_spring_forward_moves_to_the_transition() {
        // 2026-03-29 (last Sunday of March) at 01:00Z, 02:00 CET becomes
        // 03:00 CEST: 02:30 never happens, 03:00 CEST is 01:00Z.
        let after = utc("2026-03-28T12:00:00Z");
        let due = next_due(Europe::Berlin, at(2, 30), after);
        assert_eq!(due, utc("2026-03-29T01:00:00Z"));
        // The next day is back at 02:30 CEST, 00:30Z.
        let next = next_due(Europe::Berlin, at(2, 30), due);
        assert_eq!(next, utc("2026-03-30T00:30:00Z"));
    }

    #[test]
    fn berlin_fall_back_takes_the_earlier_and_only_once() {
        // 2026-10-25 at 01:00Z, 03:00 CEST becomes 02:00 CET: 02:30 happens
        // at 00:30Z (CEST, +02:00) and again at 01:30Z (CET, +01:00).
        let after = utc("2026-10-24T12:00:00Z");
        let due = next_due(Europe::Berlin, at(2, 30), after);
        assert_eq!(due, utc("2026-10-25T00:30:00Z"));
        // The next day's 02:30 CET is 01:30Z.
        let next = next_due(Europe::Berlin, at(2, 30), due);
        assert_eq!(next, utc("2026-10-26T01:30:00Z"));
    }

    #[test]
    fn new_york_spring_forward_and_fall_back() {
        // 2026-03-08 at 07:00Z, 02:00 EST (-05:00) becomes 03:00 EDT (-04:00).
        let due = next_due(America::New_York, at(2, 30), utc("2026-03-07T12:00:00Z"));
        assert_eq!(due, utc("2026-03-08T07:00:00Z"));
        // 2026-11-01 at 06:00Z, 02:00 EDT becomes 01:00 EST: 01:30 EDT is
        // 05:30Z, 01:30 EST is 06:30Z.
        let due = next_due(America::New_York, at(1, 30), utc("2026-10-31T12:00:00Z"));
        assert_eq!(due, utc("2026-11-01T05:30:00Z"));
    }

    #[test]
    fn lord_howe_shifts_by_half_an_hour() {
        // Standard +10:30, summer +11:00. 2026-10-04 02:00 at +10:30 is
        // 15:30Z the day before, when clocks jump to 02:30: 02:15 is skipped.
        let due = next_due(Australia::Lord_Howe, at(2, 15), utc("2026-10-03T00:00:00Z"));
        assert_eq!(due, utc("2026-10-03T15:30:00Z"));
        // 2026-04-05 02:00 at +11:00 (15:00Z) goes back to 01:30: 01:45 is
        // at 14:45Z (+11:00) and 15:15Z (+10:30).
        let due = next_due(Australia::Lord_Howe, at(1, 45), utc("2026-04-04T00:00:00Z"));
        assert_eq!(due, utc("2026-04-04T14:45:00Z"));
        let next = next_due(Australia::Lord_Howe, at(1, 45), due);
        assert_eq!(next, utc("2026-04-05T15:15:00Z"));
    }

    #[test]
    fn without_summer_time_days_are_24_hours() {
        for zone in [Asia::Tokyo, Asia::Kolkata] {
            let mut due = next_due(zone, at(8, 0), utc("2026-01-01T00:00:00Z"));
            for _ in 0..366 {
                let next = next_due(zone, at(8, 0), due);
                assert_eq!(next - due, TimeDelta::hours(24), "{zone} {due}");
                due = next;
            }
        }
        // 08:00 in Kolkata (+05:30) is 02:30Z.
        let due = next_due(Asia::Kolkata, at(8, 0), utc("2026-05-01T00:00:00Z"));
        assert_eq!(due, utc("2026-05-01T02:30:00Z"));
    }

    #[test]
    fn midnight_runs_into_the_next_utc_day() {
        // Tokyo is +09:00: just after midnight local is the day before in UTC.
        let due = next_due(Asia::Tokyo, at(0, 5), utc("2026-02-01T14:00:00Z"));
        assert_eq!(due, utc("2026-02-01T15:05:00Z"));
        let due = next_due(Asia::Tokyo, at(23, 55), utc("2026-02-01T14:00:00Z"));
        assert_eq!(due, utc("2026-02-01T14:55:00Z"));
    }
}
