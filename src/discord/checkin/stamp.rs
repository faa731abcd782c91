//! Times written as Discord timestamps: each reader sees them in their own
//! time zone and language. Used by the commands and by the daily DM.

use chrono::{DateTime, Utc};

/// The full date and time, and how long from now.
pub(super) fn timestamps(at: DateTime<Utc>) -> (String, String) {
    let secs = at.timestamp();
    (format!("<t:{secs}:F>"), format!("<t:{secs}:R>"))
}

/// The date alone.
pub(super) fn date(at: DateTime<Utc>) -> String {
    format!("<t:{}:D>", at.timestamp())
}
