//! Times written as Discord timestamps: each reader sees them in their own
//! time zone and language, and a relative one counts down by itself.

use chrono::{DateTime, Utc};

/// The full date and time, and how long from now.
pub(crate) fn timestamps(at: DateTime<Utc>) -> (String, String) {
    (format!("<t:{}:F>", at.timestamp()), relative(at))
}

/// How long from now ("in 18 seconds").
pub(crate) fn relative(at: DateTime<Utc>) -> String {
    format!("<t:{}:R>", at.timestamp())
}

/// The date alone.
pub(crate) fn date(at: DateTime<Utc>) -> String {
    format!("<t:{}:D>", at.timestamp())
}

/// The time of day alone ("21:40", or "9:40 PM", as the reader's Discord shows times).
pub(crate) fn clock(at: DateTime<Utc>) -> String {
    format!("<t:{}:t>", at.timestamp())
}
