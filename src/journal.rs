//! The journal: what a person writes for themselves, kept privately. Pure
//! rules here: what a text may be, and which prompt is today's. Storage is
//! in `store::journal`, the prompts' words in `prompts/journal.toml`.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Timelike, Utc};

/// Room for a page, and no more than one Discord text field takes.
pub const MAX_CHARS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalError {
    Empty,
    TooLong,
}

/// What the person wrote, as they will read it again: their lines and
/// spacing kept (a page is not a sentence), control characters other than
/// newlines and tabs gone, the ends trimmed. Nothing visible is empty.
pub fn clean(text: &str) -> Result<String, JournalError> {
    let kept: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect();
    let kept = kept.trim();
    if crate::visible::visible(kept).is_empty() {
        Err(JournalError::Empty)
    } else if kept.chars().count() > MAX_CHARS {
        Err(JournalError::TooLong)
    } else {
        Ok(kept.to_owned())
    }
}

/// A page's prompt: one of the article's long-term practices, or a free
/// page. Its key is what a row keeps and a button carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// What did I need today, and did I give myself some of it?
    Needed,
    /// When did I look outside myself for reassurance, and what helped?
    Reassurance,
    /// One way my sensitivity helped me or someone today.
    Sensitivity,
    /// What would help me feel more secure tomorrow?
    Secure,
    /// A moment I chose to self-soothe.
    Soothed,
    /// No prompt: a blank page.
    Free,
}

impl Prompt {
    /// Every prompt, in the order they are offered.
    pub const ALL: [Prompt; 6] = [
        Prompt::Needed,
        Prompt::Reassurance,
        Prompt::Sensitivity,
        Prompt::Secure,
        Prompt::Soothed,
        Prompt::Free,
    ];

    /// They look back on the day or ahead to tomorrow: the evening's.
    const EVENING: [Prompt; 3] = [Prompt::Needed, Prompt::Sensitivity, Prompt::Secure];
    /// They fit any hour: the day's, from the morning on.
    const DAY: [Prompt; 2] = [Prompt::Reassurance, Prompt::Soothed];

    pub fn key(self) -> &'static str {
        match self {
            Prompt::Needed => "needed",
            Prompt::Reassurance => "reassurance",
            Prompt::Sensitivity => "sensitivity",
            Prompt::Secure => "secure",
            Prompt::Soothed => "soothed",
            Prompt::Free => "free",
        }
    }

    pub fn from_key(key: &str) -> Option<Prompt> {
        Prompt::ALL.into_iter().find(|prompt| prompt.key() == key)
    }

    /// Today's prompt at `now` in the person's `zone`: an evening one from
    /// 17:00 until 04:00, a day one from 04:00, each taken in turn by the
    /// local date. A night's hours count to the evening before, so the
    /// prompt does not change at midnight.
    pub fn of_the_day<Z: TimeZone>(now: DateTime<Utc>, zone: &Z) -> Prompt {
        let local = now.with_timezone(zone);
        let hour = local.hour();
        let date = local.date_naive();
        if hour < DAY_STARTS {
            let evening = date.checked_sub_days(Days::new(1)).unwrap_or(date);
            return in_turn(&Prompt::EVENING, evening);
        }
        if hour >= EVENING_STARTS {
            return in_turn(&Prompt::EVENING, date);
        }
        in_turn(&Prompt::DAY, date)
    }
}

/// The local hour a day's prompts begin.
const DAY_STARTS: u32 = 4;
/// The local hour the evening's prompts begin.
const EVENING_STARTS: u32 = 17;

/// One of `prompts` for `date`: each day the next, whatever the weekday.
fn in_turn(prompts: &[Prompt], date: NaiveDate) -> Prompt {
    let day = usize::try_from(date.num_days_from_ce().max(0)).unwrap_or(0);
    prompts[day % prompts.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    #[test]
    fn nothing_visible_is_empty() {
        assert_eq!(clean(""), Err(JournalError::Empty));
        assert_eq!(clean(" \n\t \r\n "), Err(JournalError::Empty));
        assert_eq!(clean("\u{200B}\u{FEFF}\u{0007}"), Err(JournalError::Empty));
    }

    #[test]
    fn lines_are_kept_and_the_ends_trimmed() {
        assert_eq!(
            clean("  first line\r\n\n  second\u{0007} line \n").as_deref(),
            Ok("first line\n\n  second line")
        );
    }

    #[test]
    fn length_is_counted_in_chars_after_trimming() {
        let full = "é".repeat(MAX_CHARS);
        assert_eq!(clean(&format!(" {full}\n")), Ok(full.clone()));
        assert_eq!(clean(&format!("{full}a")), Err(JournalError::TooLong));
    }

    #[test]
    fn every_key_reads_back() {
        for prompt in Prompt::ALL {
            assert_eq!(Prompt::from_key(prompt.key()), Some(prompt));
        }
        assert_eq!(Prompt::from_key("tomorrow"), None);
    }

    #[test]
    fn the_evening_and_the_day_take_their_own_prompts_by_local_time() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let at = |text: &str| {
            berlin
                .from_local_datetime(&text.parse().unwrap())
                .unwrap()
                .with_timezone(&Utc)
        };
        for day in 1..=8 {
            let evening = Prompt::of_the_day(at(&format!("2026-03-0{day}T21:00:00")), &berlin);
            let night = Prompt::of_the_day(at(&format!("2026-03-0{}T02:30:00", day + 1)), &berlin);
            let morning = Prompt::of_the_day(at(&format!("2026-03-0{day}T08:00:00")), &berlin);
            assert!(Prompt::EVENING.contains(&evening));
            assert_eq!(night, evening, "a night belongs to the evening before");
            assert!(Prompt::DAY.contains(&morning));
            assert_eq!(
                Prompt::of_the_day(at(&format!("2026-03-0{day}T16:59:00")), &berlin),
                morning
            );
        }
    }

    #[test]
    fn each_evening_takes_the_next_prompt() {
        let evenings: Vec<Prompt> = (1..=6)
            .map(|day| {
                let at = format!("2026-05-0{day}T19:00:00Z").parse().unwrap();
                Prompt::of_the_day(at, &Utc)
            })
            .collect();
        assert_eq!(evenings[..3], evenings[3..]);
        for kind in Prompt::EVENING {
            assert!(evenings.contains(&kind));
        }
    }
}
