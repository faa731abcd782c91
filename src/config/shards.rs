//! `discord.shard_count` and `discord.shards`: which of the bot's gateway
//! shards this process runs, when several processes serve one bot
//! (docs/SCALING.md).

use super::Pace;
use std::ops::RangeInclusive;

/// The least share of the bot's requests a process may have: with less,
/// the "less one" of [`Shards::budget`] leaves nothing, and the processes
/// together could pass `requests_per_second`.
pub const LEAST_SHARE: u32 = 2;

/// This process's shards: `first..=last` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub count: u32,
}

impl Shards {
    /// `range` is `"2"` or `"0-3"` (inclusive, as Discord numbers shards
    /// from 0); unset, every shard of `count`.
    pub(super) fn parse(range: Option<&str>, count: u32) -> Result<Shards, String> {
        if count == 0 {
            return Err("must be at least 1".to_owned());
        }
        let Some(range) = range else {
            return Ok(Shards {
                first: 0,
                last: count - 1,
                count,
            });
        };
        let number = |text: &str| text.trim().parse::<u32>().ok();
        let (first, last) = match range.split_once('-') {
            Some((first, last)) => (number(first), number(last)),
            None => (number(range), number(range)),
        };
        let (Some(first), Some(last)) = (first, last) else {
            return Err(format!(
                "{range:?} is not a shard or a range of shards such as \"0-3\""
            ));
        };
        if first > last || last >= count {
            return Err(format!(
                "{range:?} must lie within 0-{} (discord.shard_count is {count}), first shard first",
                count - 1
            ));
        }
        Ok(Shards { first, last, count })
    }

    pub fn ids(&self) -> RangeInclusive<u32> {
        self.first..=self.last
    }

    /// The name this process's rows carry in the database: the same across
    /// its restarts, and different for every other process of the bot.
    pub fn name(&self) -> String {
        format!("{}-{}/{}", self.first, self.last, self.count)
    }

    /// This process's shards' share of the whole bot's `per_second`,
    /// rounded down.
    pub fn share(&self, per_second: u32) -> u32 {
        let mine = u64::from(self.last - self.first + 1);
        let share = u64::from(per_second) * mine / u64::from(self.count);
        u32::try_from(share).unwrap_or(per_second)
    }

    /// This process's part of the whole bot's `per_second` budget: its
    /// share, less one, taken one turn at a time. Spaced evenly, `n` a
    /// second put at most `n + 1` in any one-second window (one at each
    /// end), so while every share is [`LEAST_SHARE`] or more the windows of
    /// them all hold at most `per_second`, with no talk between the
    /// processes (docs/SCALING.md). `Config::load` refuses a smaller share;
    /// the floor of 1 keeps a rate for what bypasses it (the benches).
    pub fn budget(&self, per_second: u32) -> Pace {
        Pace {
            per_second: self.share(per_second).saturating_sub(1).max(1),
            burst: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_their_shards() {
        let shards = Shards::parse(Some("0-2"), 6).unwrap();
        assert_eq!(shards.ids(), 0..=2);
        assert_eq!(shards.name(), "0-2/6");
        assert_eq!(Shards::parse(Some("4"), 6).unwrap().ids(), 4..=4);
        assert_eq!(Shards::parse(Some(" 1 - 2 "), 3).unwrap().ids(), 1..=2);
        assert_eq!(Shards::parse(None, 3).unwrap().ids(), 0..=2);
    }

    #[test]
    fn bad_ranges_are_refused() {
        for bad in ["3", "2-1", "0-3", "a", "1-", "-1", "", "0-1-2"] {
            assert!(Shards::parse(Some(bad), 3).is_err(), "{bad}");
        }
        assert!(Shards::parse(None, 0).is_err());
    }

    /// The bot's `count` shards, one process each, or the first two
    /// together and then one each.
    fn splits(count: u32) -> [Vec<Shards>; 2] {
        let shards = |range: String| Shards::parse(Some(&range), count).unwrap();
        let singles = (0..count).map(|shard| shards(shard.to_string()));
        let paired = (count >= 2).then(|| shards("0-1".to_owned()));
        [
            singles.clone().collect(),
            paired.into_iter().chain(singles.skip(2)).collect(),
        ]
    }

    #[test]
    fn budgets_add_up_to_at_most_the_whole() {
        for count in 1..=30 {
            for per_second in [1, 2, 7, 48, 50] {
                for processes in splits(count) {
                    let windows: u32 = (processes.iter())
                        .map(|shards| shards.budget(per_second).per_second + 1)
                        .sum();
                    // Only where every share is at least the least;
                    // `Config::load` refuses the others.
                    let kept =
                        (processes.iter()).all(|shards| shards.share(per_second) >= LEAST_SHARE);
                    assert!(!kept || windows <= per_second, "{count} {per_second}");
                }
            }
        }
        let budget = |range, count| Shards::parse(Some(range), count).unwrap().budget(48);
        assert_eq!(
            budget("0-1", 3),
            Pace {
                per_second: 31,
                burst: 1
            }
        );
        assert_eq!(
            budget("2", 3),
            Pace {
                per_second: 15,
                burst: 1
            }
        );
    }
}
