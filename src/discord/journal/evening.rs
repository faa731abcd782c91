//! The evening reminder's DM: a gentle line and one button that opens the
//! journal, sent by the scheduler (`crate::schedule`) like a check-in.

use super::Action;
use crate::discord::component::button;
use crate::discord::courier::retry_create;
use crate::discord::intent::Intent;
use crate::discord::rest::Rest;
use crate::discord::send;
use crate::journal::Prompt;
use crate::prompts::{Catalogs, JournalRemind};
use crate::schedule::Delivery;
use crate::store::{ClaimedReminder, Store};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use poise::serenity_prelude::CreateActionRow;

/// The DM: the evening's words and the button to write, at the question
/// of the day at `at` in the person's zone (an evening one, at an evening
/// time), whenever they press it.
pub(crate) fn view(
    words: &JournalRemind,
    owner: u64,
    zone: Tz,
    at: DateTime<Utc>,
) -> (String, Vec<CreateActionRow>) {
    // Consecutive local days differ by one, so no two in a row share words.
    let day = at.with_timezone(&zone).date_naive().num_days_from_ce();
    let variant = &words.variants[day.unsigned_abs() as usize % words.variants.len()];
    let prompt = Prompt::of_the_day(at, &zone);
    let write = button(Action::Write(Some(prompt)).id(owner), &words.buttons.write);
    (variant.plain(), vec![CreateActionRow::Buttons(vec![write])])
}

/// Send one claimed reminder, in the language the person last used.
pub(crate) async fn deliver(
    rest: &Rest,
    store: &Store,
    prompts: &Catalogs,
    reminder: &ClaimedReminder,
) -> Delivery {
    let user = reminder.user;
    let words = prompts.for_discord(reminder.locale.as_deref().unwrap_or_default());
    let (content, rows) = view(&words.journal_remind, user, reminder.zone, reminder.due);
    let message = send::message(content).components(rows);
    let intent = Intent::JournalReminder {
        user,
        due: reminder.due,
    };
    let channel = reminder.dm_channel;
    match send::dm(rest, store, user, channel, message, None, intent).await {
        Ok(_) => Delivery::Sent,
        Err(error) if send::dms_closed(&error) => Delivery::Refused,
        Err(error) => retry_create(rest, &error).unwrap_or_else(|| {
            tracing::warn!(%error, "Discord refused a journal reminder");
            Delivery::Failed
        }),
    }
}
