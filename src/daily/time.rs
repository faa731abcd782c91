//! A time of day as a person would type it (for their check-in, or a
//! server's daily moment): `21:30`, `9pm`, `21h`, `noon`.

use std::fmt;
use std::str::FromStr;

/// A time of day on the wall clock, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    /// Minutes after midnight, 0..1440.
    minutes: u16,
}

const DAY: u16 = 24 * 60;

/// Why a typed time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("empty")]
    Empty,
    #[error("unreadable")]
    Unreadable,
    /// Readable, but no such time on a clock: `25:00`, `13pm`.
    #[error("out of range")]
    OutOfRange,
}

impl TimeOfDay {
    pub fn new(hour: u32, minute: u32) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then(|| TimeOfDay {
            minutes: (hour * 60 + minute) as u16,
        })
    }

    /// From minutes after midnight, as stored; None outside a day.
    pub fn from_minutes(minutes: i64) -> Option<TimeOfDay> {
        let minutes = u16::try_from(minutes).ok()?;
        (minutes < DAY).then_some(TimeOfDay { minutes })
    }

    pub fn minutes(self) -> u16 {
        self.minutes
    }

    pub fn naive(self) -> chrono::NaiveTime {
        chrono::NaiveTime::MIN + chrono::TimeDelta::minutes(self.minutes.into())
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

/// The ways people write "before noon" and "after noon".
const MERIDIEMS: [(&str, bool); 6] = [
    ("am", false),
    ("a.m.", false),
    ("a.m", false),
    ("pm", true),
    ("p.m.", true),
    ("p.m", true),
];

impl FromStr for TimeOfDay {
    type Err = TimeError;

    /// Reads 24-hour times (`21:30`, `21h30`, `21h`, `21.30`), 12-hour ones
    /// (`9pm`, `9:30 PM`, `9.30 a.m.`), `noon` and `midnight`, ignoring case
    /// and surrounding whitespace.
    fn from_str(text: &str) -> Result<TimeOfDay, TimeError> {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "" => return Err(TimeError::Empty),
            "noon" => return Ok(TimeOfDay { minutes: 12 * 60 }),
            "midnight" => return Ok(TimeOfDay { minutes: 0 }),
            _ => {}
        }
        let (clock, afternoon) = MERIDIEMS
            .iter()
            .find_map(|&(word, pm)| Some((text.strip_suffix(word)?.trim_end(), Some(pm))))
            .unwrap_or((text.as_str(), None));
        let (hour, minute) = read_clock(clock)?;
        let hour = match (afternoon, minute) {
            // A bare number could be morning or evening.
            (None, None) => return Err(TimeError::Unreadable),
            (None, Some(_)) => hour,
            (Some(_), _) if !(1..=12).contains(&hour) => return Err(TimeError::OutOfRange),
            (Some(pm), _) => hour % 12 + if pm { 12 } else { 0 },
        };
        TimeOfDay::new(hour, minute.unwrap_or(0)).ok_or(TimeError::OutOfRange)
    }
}

/// Hours (one or two digits) and minutes (exactly two) as written: `9`,
/// `21h`, `21h30`, `9:30`, `9.30`. Minutes are None only for a bare hour.
fn read_clock(text: &str) -> Result<(u32, Option<u32>), TimeError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (hour, rest) = text.split_at(split);
    if !(1..=2).contains(&hour.len()) {
        return Err(TimeError::Unreadable);
    }
    let mut rest = rest.chars();
    let minute = match (rest.next(), rest.as_str()) {
        (None, _) => None,
        (Some('h'), "") => Some("0"),
        (Some(':' | '.' | 'h'), minute) if minute.len() == 2 && digits(minute) => Some(minute),
        _ => return Err(TimeError::Unreadable),
    };
    let number = |s: &str| s.parse().map_err(|_| TimeError::Unreadable);
    Ok((number(hour)?, minute.map(number).transpose()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32, minute: u32) -> TimeOfDay {
        TimeOfDay::new(hour, minute).unwrap()
    }

    #[test]
    fn written_times_are_read() {
        for (text, hour, minute) in [
            ("21:30", 21, 30),
            ("9:30", 9, 30),
            ("09:30", 9, 30),
            ("21h30", 21, 30),
            ("21h", 21, 0),
            ("21.30", 21, 30),
            ("9pm", 21, 0),
            ("9 pm", 21, 0),
            ("9:30pm", 21, 30),
            ("9:30 PM", 21, 30),
            ("9.30am", 9, 30),
            ("9 a.m.", 9, 0),
            ("12am", 0, 0),
            ("12pm", 12, 0),
            ("noon", 12, 0),
            ("midnight", 0, 0),
            ("  Noon\t", 12, 0),
            (" 21H30 ", 21, 30),
            ("00:00", 0, 0),
            ("23:59", 23, 59),
        ] {
            assert_eq!(text.parse(), Ok(at(hour, minute)), "{text:?}");
        }
    }

    #[test]
    fn blank_is_empty() {
        for text in ["", "   ", "\t\n"] {
            assert_eq!(text.parse::<TimeOfDay>(), Err(TimeError::Empty), "{text:?}");
        }
    }

    #[test]
    fn impossible_times_are_out_of_range() {
        for text in ["25:00", "24:00", "9:61", "13pm", "0am"] {
            assert_eq!(
                text.parse::<TimeOfDay>(),
                Err(TimeError::OutOfRange),
                "{text:?}"
            );
        }
    }

    #[test]
    fn malformed_times_are_unreadable() {
        for text in [
            "noon-ish", "9:5", "9:300", "abc", "21:30:00", "-1:00", "9pmm", "+9:00", "9", "21",
            "pm", "9:", "9h3", "123:00", "9 : 30", "٩:٣٠",
        ] {
            assert_eq!(
                text.parse::<TimeOfDay>(),
                Err(TimeError::Unreadable),
                "{text:?}"
            );
        }
    }

    #[test]
    fn shown_as_two_digit_24_hour_clock() {
        assert_eq!(at(21, 30).to_string(), "21:30");
        assert_eq!(at(9, 5).to_string(), "09:05");
        assert_eq!(at(0, 0).to_string(), "00:00");
    }

    #[test]
    fn minutes_round_trip_and_stay_within_a_day() {
        assert_eq!(at(21, 30).minutes(), 1290);
        assert_eq!(TimeOfDay::from_minutes(1290), Some(at(21, 30)));
        assert_eq!(TimeOfDay::from_minutes(0), Some(at(0, 0)));
        assert_eq!(TimeOfDay::from_minutes(1439), Some(at(23, 59)));
        for outside in [-1, 1440, i64::MAX, i64::MIN] {
            assert_eq!(TimeOfDay::from_minutes(outside), None, "{outside}");
        }
        assert_eq!(TimeOfDay::new(24, 0), None);
        assert_eq!(TimeOfDay::new(0, 60), None);
    }

    #[test]
    fn naive_matches_the_clock() {
        assert_eq!(
            at(21, 30).naive(),
            chrono::NaiveTime::from_hms_opt(21, 30, 0).unwrap()
        );
        assert_eq!(at(23, 59).naive().to_string(), "23:59:00");
    }
}
