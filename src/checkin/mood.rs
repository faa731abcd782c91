//! Mood taps gathered into the days of the chart, in the person's own zone,
//! and how the urge usually changed over a wait.

use super::chart::DAYS;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// One value per local day, oldest first and today last: the rounded mean of
/// that day's taps (a snoozed check-in may bring two), or None.
pub fn by_day(taps: &[(DateTime<Utc>, u8)], zone: Tz, now: DateTime<Utc>) -> [Option<u8>; DAYS] {
    let today = now.with_timezone(&zone).date_naive();
    let mut sums = [(0u32, 0u32); DAYS];
    for (at, mood) in taps {
        let day = at.with_timezone(&zone).date_naive();
        let ago = (today - day).num_days();
        if let Ok(ago) = usize::try_from(ago) {
            if ago < DAYS {
                let slot = &mut sums[DAYS - 1 - ago];
                *slot = (slot.0 + u32::from(*mood), slot.1 + 1);
            }
        }
    }
    sums.map(|(sum, count)| {
        (count > 0).then(|| u8::try_from((sum + count / 2) / count).unwrap_or(u8::MAX))
    })
}

/// Fewer waits than this say nothing about what usually happens.
pub const FEWEST_WAITS: usize = 3;

/// How the urge usually changed over past waits, from their (start, end)
/// taps: how many waits, the middle start and the middle end (medians, so
/// one unusual wait does not move them). None below [`FEWEST_WAITS`]: a
/// pattern, never a score.
pub fn usual_change(waits: &[(u8, u8)]) -> Option<(usize, u8, u8)> {
    if waits.len() < FEWEST_WAITS {
        return None;
    }
    let middle = |mut taps: Vec<u8>| {
        taps.sort_unstable();
        taps[taps.len() / 2]
    };
    let before = middle(waits.iter().map(|w| w.0).collect());
    let after = middle(waits.iter().map(|w| w.1).collect());
    Some((waits.len(), before, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_change_is_the_middle_of_at_least_three_waits() {
        assert_eq!(usual_change(&[(5, 2), (4, 3)]), None);
        assert_eq!(usual_change(&[(5, 2), (4, 3), (4, 1)]), Some((3, 4, 2)));
        // One unusual wait does not move it.
        let waits = [(4, 2), (4, 2), (1, 5), (5, 2)];
        assert_eq!(usual_change(&waits), Some((4, 4, 2)));
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn taps_land_on_their_local_day_and_average() {
        let now = at("2026-11-28T12:00:00Z");
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let taps = [
            (at("2026-11-28T08:00:00Z"), 2),
            (at("2026-11-28T09:00:00Z"), 5), // mean 3.5 rounds to 4
            // 23:30 UTC on the 26th is already the 27th in Berlin.
            (at("2026-11-26T23:30:00Z"), 1),
            (at("2026-10-01T12:00:00Z"), 3), // older than the chart
            (at("2026-11-29T12:00:00Z"), 3), // a future clock glitch
        ];
        let days = by_day(&taps, berlin, now);
        assert_eq!(days[DAYS - 1], Some(4));
        assert_eq!(days[DAYS - 2], Some(1));
        assert_eq!(days.iter().flatten().count(), 2);
    }
}
