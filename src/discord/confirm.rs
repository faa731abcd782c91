//! A destructive change asked for twice: a Danger button that works for a
//! minute, only for whoever asked (its id carries them), beside one that
//! keeps everything. `/mydata delete` and `/calm forget` use it. Its
//! minute is on the database's clock (`Store::now`): another process may
//! take the press, on a machine whose clock disagrees.

use super::component::{button, button_id};
use crate::prompts::Text;
use chrono::{DateTime, Utc};
use poise::serenity_prelude::{ButtonStyle, CreateActionRow};

/// How long the confirming button works.
const CONFIRM_SECS: i64 = 60;

/// The two buttons, asked for at `now`: `feature:yes:owner:expiry` and
/// `feature:keep:owner:`.
pub(crate) fn row(
    feature: &str,
    yes: &str,
    owner: u64,
    labels: (&Text, &Text),
    now: DateTime<Utc>,
) -> CreateActionRow {
    let expires = expires(now).to_string();
    CreateActionRow::Buttons(vec![
        button(button_id(feature, yes, owner, &expires), labels.0).style(ButtonStyle::Danger),
        button(button_id(feature, "keep", owner, ""), labels.1),
    ])
}

/// When a confirming button asked for at `now` stops working, in unix
/// seconds: what its id carries.
pub(crate) fn expires(now: DateTime<Utc>) -> i64 {
    now.timestamp() + CONFIRM_SECS
}

/// Whether a confirming press's `payload` is in time at `now`, and no
/// further off than steady ever sets: a forged far-off expiry must not skip
/// the minute.
pub(crate) fn in_time(payload: &str, now: DateTime<Utc>) -> bool {
    payload
        .parse::<i64>()
        .is_ok_and(|expires| still_works(expires, now))
}

/// [`in_time`] for an expiry already read from its id.
pub(crate) fn still_works(expires: i64, now: DateTime<Utc>) -> bool {
    let now = now.timestamp();
    (now..=now + CONFIRM_SECS).contains(&expires)
}
