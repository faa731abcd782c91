//! The daily check-in DM: its words and buttons, what a press on them
//! does, and the one-time notice of a pause steady made.

use crate::discord::component::{button, button_id, mine_button, Press};
use crate::discord::data::{locale, Context, Error};
use crate::discord::journal::Action as JournalAction;
use crate::discord::reply::{self, message};
use crate::discord::stamp::{date, timestamps};
use crate::discord::support;
use crate::prompts::{Checkin as Words, MOODS};
use crate::store::{MoodTap, Pause, PauseReason, Store};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateInteractionResponse};

/// How far a snooze puts the check-in off.
const SNOOZE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Which check-in a DM is. Its mood buttons say so: the daily one's taps
/// are always kept, one asked for with /checkin now keeps a bounded few a
/// day (`store::ASKED_MOODS_A_DAY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Daily,
    Asked,
}

/// A mood button's payload: the tap, and `:now` on a check-in asked for.
fn mood_payload(tap: usize, kind: Kind) -> String {
    match kind {
        Kind::Daily => tap.to_string(),
        Kind::Asked => format!("{tap}:now"),
    }
}

/// What [`mood_payload`] wrote (a payload from before kinds reads as
/// daily); None for anything else.
fn read_mood(payload: &str) -> Option<(u8, Kind)> {
    let (tap, kind) = match payload.split_once(':') {
        Some((tap, "now")) => (tap, Kind::Asked),
        Some(_) => return None,
        None => (payload, Kind::Daily),
    };
    let tap = tap.parse::<u8>().ok()?;
    (1..=MOODS as u8).contains(&tap).then_some((tap, kind))
}

/// The daily DM: the day's words, a mood tap, and the ways onward.
pub(crate) fn dm_view(
    words: &Words,
    owner: u64,
    zone: Tz,
    at: DateTime<Utc>,
) -> (String, Vec<CreateActionRow>) {
    view(words, owner, zone, at, Kind::Daily)
}

/// A check-in DM of either kind.
pub(crate) fn view(
    words: &Words,
    owner: u64,
    zone: Tz,
    at: DateTime<Utc>,
    kind: Kind,
) -> (String, Vec<CreateActionRow>) {
    // Consecutive local days differ by one, so no two in a row share words.
    let day = at.with_timezone(&zone).date_naive().num_days_from_ce();
    let variant = &words.variants[day.unsigned_abs() as usize % words.variants.len()];
    let moods = words
        .buttons
        .moods
        .iter()
        .enumerate()
        .map(|(i, label)| {
            button(
                button_id("checkin", "mood", owner, &mood_payload(i + 1, kind)),
                label,
            )
        })
        .collect();
    let b = &words.buttons;
    let onward = vec![
        button(button_id("breathe", "start", owner, "0"), &b.breathe),
        button(button_id("anchors", "show", owner, ""), &b.anchors),
        button(button_id("checkin", "snooze", owner, ""), &b.snooze),
        button(button_id("checkin", "pause", owner, ""), &b.pause),
        // Today's question: the journal picks it when pressed.
        button(JournalAction::Write(None).id(owner), &b.write),
    ];
    (
        variant.plain(),
        vec![
            CreateActionRow::Buttons(moods),
            CreateActionRow::Buttons(onward),
        ],
    )
}

/// A press on one of the check-in DM's buttons, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let words = &data.words(&origin.locale).checkin;
    let m = &words.messages;
    let user = origin.user;
    let now = data.store.now();
    let update = |content: String, rows: Vec<CreateActionRow>| {
        CreateInteractionResponse::UpdateMessage(message(content).components(rows))
    };
    if matches!(id.action, "mood" | "snooze" | "pause") {
        if let Some(pause) = data.hold_change(user, &origin.locale) {
            origin.respond(http, reply::private_message(pause)).await?;
            return Ok(());
        }
    }
    let response = match (id.action, read_mood(id.payload)) {
        ("mood", Some((tap, kind))) => {
            let checkin = press.interaction.message.id.get();
            let kept = match kind {
                Kind::Daily => match data.store.record_mood(user, tap, now, checkin).await? {
                    true => MoodTap::Kept,
                    false => MoodTap::NotKept,
                },
                Kind::Asked => {
                    data.store
                        .record_asked_mood(user, tap, now, checkin)
                        .await?
                }
            };
            tracing::info!(kept = kept == MoodTap::Kept, ?kind, "mood tap");
            let first = match tap {
                1 | 2 => &m.mood_heavy,
                3 => &m.mood_middle,
                _ => &m.mood_light,
            };
            let stored = match kept {
                MoodTap::Kept => &m.mood_kept,
                MoodTap::NotKept => &m.mood_not_kept,
                MoodTap::DayFull => &m.mood_day_full,
            };
            let content = format!(
                "{} {}\n\n{}",
                first.plain(),
                stored.plain(),
                m.mood_next.plain()
            );
            // The heaviest answer gets people who can help, not only a pointer.
            let (content, embeds) = match tap {
                1 => {
                    let guild = press.interaction.guild_id.map(|guild| guild.get());
                    support::answer(data, guild, &origin.locale, content).await
                }
                _ => (content, Vec::new()),
            };
            let onward = vec![
                button(
                    button_id("breathe", "start", user, "0"),
                    &words.buttons.breathe,
                ),
                mine_button(&data.words(&origin.locale).anchors, user),
            ];
            CreateInteractionResponse::UpdateMessage(
                message(content)
                    .embeds(embeds)
                    .components(vec![CreateActionRow::Buttons(onward)]),
            )
        }
        ("snooze", _) => match data.store.snooze_checkin(user, now + SNOOZE).await? {
            Some(next) => {
                data.schedule_changed.notify_one();
                tracing::info!("check-in snoozed");
                let (when, relative) = timestamps(next);
                update(
                    m.snoozed
                        .render(&[("when", &when), ("relative", &relative)]),
                    Vec::new(),
                )
            }
            None => reply::private_message(m.not_running.plain()),
        },
        ("pause", _) => {
            if data
                .store
                .pause_checkin(user, PauseReason::Asked, now)
                .await?
            {
                data.schedule_changed.notify_one();
                tracing::info!("check-in paused on request");
                update(m.paused.plain(), Vec::new())
            } else {
                reply::private_message(m.not_running.plain())
            }
        }
        _ => reply::private_message(data.words(&origin.locale).errors.expired.plain()),
    };
    origin.respond(http, response).await?;
    Ok(())
}

/// Before any command or press is answered: the person's language, kept (for someone
/// steady keeps something for) so later check-ins speak it.
pub(crate) async fn keep_locale(store: &Store, user: u64, locale: &str) {
    if locale.is_empty() {
        return;
    }
    if let Err(error) = store.remember_locale(user, locale).await {
        tracing::warn!(%error, "could not keep the person's language");
    }
}

/// After any command: the one-time notice of a pause the person did not
/// ask for, so a check-in never goes quiet without a word.
pub(crate) async fn pause_notice(ctx: Context<'_>) {
    let data = ctx.data();
    let user = ctx.author().id.get();
    let pause = match data.store.take_pause_notice(user).await {
        Ok(Some(pause)) => pause,
        Ok(None) => return,
        Err(error) => {
            tracing::warn!(%error, "could not look for a pause notice");
            return;
        }
    };
    let words = &data.words(locale(ctx)).checkin.messages;
    let Pause { since, why } = pause;
    let text = match why {
        PauseReason::DmsClosed => &words.notice_dms_closed,
        PauseReason::Unreadable => &words.notice_zone_gone,
        PauseReason::Asked => return,
    };
    match reply::say(ctx, text.render(&[("since", &date(since))])).await {
        Ok(_) => tracing::info!("pause notice given"),
        Err(error) => tracing::warn!(%error, "could not give the pause notice"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mood_payload_reads_back_as_written_and_nothing_else_reads() {
        for tap in 1..=MOODS {
            for kind in [Kind::Daily, Kind::Asked] {
                let read = read_mood(&mood_payload(tap, kind));
                assert_eq!(read, Some((u8::try_from(tap).unwrap(), kind)));
            }
        }
        // A DM from before kinds is a daily one.
        assert_eq!(read_mood("3"), Some((3, Kind::Daily)));
        for other in ["0", "6", "0:now", "3:later", "3:now:now", "", ":now", "x"] {
            assert_eq!(read_mood(other), None, "{other:?}");
        }
    }
}
