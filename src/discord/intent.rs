//! What a message steady creates is for, and the nonce that says so. With
//! `enforce_nonce`, Discord answers a create whose nonce the bot used in the
//! past few minutes with the message it made then, and makes none. So a
//! retry after a lost answer, or a check-in given back at a stop and sent
//! after the restart, is still one message: each intent has one nonce, the
//! same on every try and in every process.

use super::budget::Lane;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    /// A person's daily check-in, due at an instant.
    Checkin { user: u64, due: DateTime<Utc> },
    /// A person's evening journal reminder, due at an instant.
    JournalReminder { user: u64, due: DateTime<Utc> },
    /// The end of a person's wait, due at an instant.
    WaitEnd { user: u64, due: DateTime<Utc> },
    /// A server's daily moment to breathe together, due at an instant.
    Ritual { guild: u64, due: DateTime<Utc> },
    /// Message `part` (from 0) of what one interaction, by its id, asked for.
    Answer { interaction: u64, part: u32 },
}

impl Intent {
    /// Whose wait it is: a person's answer goes before scheduled work.
    pub fn lane(self) -> Lane {
        match self {
            Intent::Checkin { .. }
            | Intent::JournalReminder { .. }
            | Intent::WaitEnd { .. }
            | Intent::Ritual { .. } => Lane::Scheduled,
            Intent::Answer { .. } => Lane::Person,
        }
    }

    /// A letter for the kind, then each number in base 36: at most 24
    /// characters (13 for any u64, 9 for any instant chrono can hold).
    pub fn nonce(self) -> String {
        match self {
            Intent::Checkin { user, due } => format!("c{}", at(user, due)),
            Intent::JournalReminder { user, due } => format!("j{}", at(user, due)),
            Intent::WaitEnd { user, due } => format!("w{}", at(user, due)),
            Intent::Ritual { guild, due } => format!("r{}", at(guild, due)),
            Intent::Answer { interaction, part } => {
                format!("a{}.{}", base36(interaction), base36(part.into()))
            }
        }
    }
}

/// A person (or server) and an instant, as a nonce's numbers.
fn at(user: u64, due: DateTime<Utc>) -> String {
    let due = u64::try_from(due.timestamp()).unwrap_or(0);
    format!("{}.{}", base36(user), base36(due))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Discord's limit on a nonce's length.
    const MAX_NONCE: usize = 25;

    fn instant(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    #[test]
    fn nonces_read_as_their_numbers() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        assert_eq!(
            Intent::Checkin {
                user: 36,
                due: instant(71)
            }
            .nonce(),
            "c10.1z"
        );
        assert_eq!(
            Intent::Answer {
                interaction: u64::MAX,
                part: 2
            }
            .nonce(),
            "a3w5e11264sgsf.2"
        );
    }

    #[test]
    fn the_longest_nonces_fit() {
        let longest = [
            Intent::Checkin {
                user: u64::MAX,
                due: DateTime::<Utc>::MAX_UTC,
            },
            Intent::JournalReminder {
                user: u64::MAX,
                due: DateTime::<Utc>::MAX_UTC,
            },
            Intent::WaitEnd {
                user: u64::MAX,
                due: DateTime::<Utc>::MAX_UTC,
            },
            Intent::Ritual {
                guild: u64::MAX,
                due: DateTime::<Utc>::MAX_UTC,
            },
            Intent::Answer {
                interaction: u64::MAX,
                part: u32::MAX,
            },
        ];
        for intent in longest {
            assert!(intent.nonce().len() <= MAX_NONCE, "{intent:?}");
        }
    }

    proptest! {
        #[test]
        fn one_intent_one_nonce(
            a in (any::<u64>(), any::<i64>(), 0..5u8, any::<u32>()),
            b in (any::<u64>(), any::<i64>(), 0..5u8, any::<u32>()),
        ) {
            let intent = |(id, secs, kind, part): (u64, i64, u8, u32)| {
                let due = instant(secs.rem_euclid(8_000_000_000_000));
                match kind {
                    0 => Intent::Checkin { user: id, due },
                    1 => Intent::WaitEnd { user: id, due },
                    2 => Intent::Ritual { guild: id, due },
                    3 => Intent::JournalReminder { user: id, due },
                    _ => Intent::Answer { interaction: id, part },
                }
            };
            let (first, second) = (intent(a), intent(b));
            prop_assert!(first.nonce().len() <= MAX_NONCE);
            prop_assert_eq!(first == second, first.nonce() == second.nonce());
        }
    }
}
