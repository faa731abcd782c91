//! `/checkin` on Discord: opting in and out of one gentle DM a day. The DM
//! and its buttons are in `daily.rs`; the scheduling in `crate::checkin`.

mod daily;

pub(crate) use daily::{dm_view, keep_locale, on_press, pause_notice};

use daily::{view, Kind};

use super::data::{locale, words, ApplicationContext, Error};
use super::intent::Intent;
use super::stamp::{date, timestamps};
use super::{reply, send};
use crate::checkin::{chart, mood, zone};
use crate::daily::time::{TimeError, TimeOfDay};
use crate::store::{Checkin, PauseReason};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CreateAutocompleteResponse};

/// What is echoed of a person's typing in an error, at most.
const ECHO_CHARS: usize = 60;
/// Discord's limit on autocomplete choices.
const CHOICES: usize = 25;

#[poise::command(
    slash_command,
    subcommands("on", "off", "status", "now", "history"),
    subcommand_required,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn checkin(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command)]
async fn on(
    ctx: ApplicationContext<'_>,
    #[max_length = 20] time: Option<String>,
    #[autocomplete = "complete_zone"]
    #[max_length = 64]
    timezone: Option<String>,
) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).checkin.messages;
    // What is kept fills in what was left out; nothing to read otherwise.
    let kept = match (&time, &timezone) {
        (Some(_), Some(_)) => None,
        _ => data.store.checkin(user).await?,
    };
    let time = match time.as_deref() {
        Some(typed) => match typed.parse::<TimeOfDay>() {
            Ok(time) => Some(time),
            Err(error) => return reply::say(ctx, time_refusal(words, error, typed)).await,
        },
        None => kept.as_ref().map(|kept| kept.time),
    };
    let zone = match timezone.as_deref() {
        Some(typed) => match zone::lookup(typed) {
            Ok(zone) => Some(zone),
            Err(unknown) => {
                return reply::say(ctx, zone_refusal(words, &unknown.suggestions, typed)).await
            }
        },
        None => kept.as_ref().map(|kept| kept.zone),
    };
    let (Some(time), Some(zone)) = (time, zone) else {
        return reply::say(ctx, words.needs_time.plain()).await;
    };
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let next = data
        .store
        .set_checkin(user, time, zone, locale(ctx), data.store.now())
        .await?;
    data.schedule_changed.notify_one();
    tracing::info!("check-in on");
    reply::say(ctx, words.on.render(&next_values(time, zone, next).each())).await
}

#[poise::command(slash_command)]
async fn off(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let stopped = data.store.stop_checkin(user).await?;
    data.schedule_changed.notify_one();
    tracing::info!(stopped, "check-in off");
    let words = &data.words(locale(ctx)).checkin.messages;
    let answer = if stopped {
        &words.off
    } else {
        &words.off_already
    };
    reply::say(ctx, answer.plain()).await
}

#[poise::command(slash_command)]
async fn status(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    // Status says it all, so the one-time notice is spent here.
    data.store.take_pause_notice(user).await?;
    let words = &data.words(locale(ctx)).checkin.messages;
    let answer = match data.store.checkin(user).await? {
        None => words.status_off.plain(),
        Some(Checkin {
            time,
            zone,
            paused: Some(pause),
            ..
        }) => {
            let text = match pause.why {
                PauseReason::Asked => &words.status_paused_asked,
                PauseReason::DmsClosed => &words.status_paused_dms_closed,
                PauseReason::Unreadable => &words.status_paused_zone_gone,
            };
            let (time, since) = (time.to_string(), date(pause.since));
            text.render(&[("since", &since), ("time", &time), ("zone", zone.name())])
        }
        Some(Checkin {
            time,
            zone,
            next_due,
            ..
        }) => {
            let next = next_due.unwrap_or_else(Utc::now);
            words
                .status_on
                .render(&next_values(time, zone, next).each())
        }
    };
    reply::say(ctx, answer).await
}

#[poise::command(slash_command)]
async fn now(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).checkin;
    if let Some(pause) = data.hold_dm(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    // A DM can take longer than Discord waits for an answer.
    ctx.defer_ephemeral().await?;
    let zone = data.store.checkin(user).await?.map_or(Tz::UTC, |c| c.zone);
    let (content, rows) = view(words, user, zone, data.store.now(), Kind::Asked);
    let dm = send::message(&content).components(rows.clone());
    let intent = Intent::Answer {
        interaction: ctx.interaction.id.get(),
        part: 0,
    };
    match send::dm(&data.rest, &data.store, user, None, dm, None, intent).await {
        Ok(_) => {
            tracing::info!("check-in sent on request");
            reply::say(ctx, words.messages.now_sent.plain()).await
        }
        Err(error) if send::dms_closed(&error) => {
            tracing::info!("DMs closed; check-in shown privately instead");
            let content = format!("{}\n\n{content}", words.messages.now_dms_closed.plain());
            ctx.send(reply::private(content).components(rows)).await?;
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

#[poise::command(
    slash_command,
    subcommands("history_on", "history_off", "history_show")
)]
async fn history(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command, rename = "on")]
async fn history_on(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    data.store.set_mood_history(user, true).await?;
    tracing::info!("mood history on");
    reply::say(
        ctx,
        data.words(locale(ctx)).checkin.messages.history_on.plain(),
    )
    .await
}

#[poise::command(slash_command, rename = "off")]
async fn history_off(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let cleared = data.store.set_mood_history(user, false).await?;
    tracing::info!(cleared, "mood history off");
    let words = &data.words(locale(ctx)).checkin.messages;
    reply::say(
        ctx,
        words.history_off.render(&[("count", &cleared.to_string())]),
    )
    .await
}

#[poise::command(slash_command, rename = "show")]
async fn history_show(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).checkin.messages;
    if !data.store.mood_history(user).await? {
        return reply::say(ctx, words.history_is_off.plain()).await;
    }
    let zone = data.store.checkin(user).await?.map_or(Tz::UTC, |c| c.zone);
    let now = data.store.now();
    let since = now - chrono::TimeDelta::days(chart::DAYS as i64 + 1);
    let taps = data.store.moods_since(user, since).await?;
    let days = mood::by_day(&taps, zone, now);
    let recorded = days.iter().flatten().count();
    tracing::info!(recorded, "mood history shown");
    if recorded == 0 {
        return reply::say(ctx, words.history_empty.plain()).await;
    }
    let image = serenity::CreateAttachment::bytes(chart::mood_chart(&days), "mood.png")
        .description(words.history_alt.plain());
    let answer = reply::private(words.history_chart.plain()).attachment(image);
    ctx.send(answer).await?;
    Ok(())
}

/// Zones matching what the person has typed, each with its time right now.
pub(crate) async fn complete_zone(
    ctx: ApplicationContext<'_>,
    partial: &str,
) -> CreateAutocompleteResponse {
    let words = &words(ctx).checkin.messages;
    let now = ctx.data().store.now();
    let choices = zone::complete(partial, CHOICES)
        .into_iter()
        .map(|tz| {
            let time = now.with_timezone(&tz).format("%H:%M").to_string();
            let name = words
                .zone_choice
                .render(&[("zone", tz.name()), ("time", &time)]);
            AutocompleteChoice::new(name, tz.name())
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// The values every "next one" sentence may use.
pub(crate) struct NextValues {
    time: String,
    zone: &'static str,
    when: String,
    relative: String,
}

impl NextValues {
    pub(crate) fn each(&self) -> [(&str, &str); 4] {
        [
            ("time", &self.time),
            ("zone", self.zone),
            ("when", &self.when),
            ("relative", &self.relative),
        ]
    }
}

pub(crate) fn next_values(time: TimeOfDay, zone: Tz, next: DateTime<Utc>) -> NextValues {
    let (when, relative) = timestamps(next);
    NextValues {
        time: time.to_string(),
        zone: zone.name(),
        when,
        relative,
    }
}

pub(crate) fn time_refusal(
    words: &crate::prompts::CheckinMessages,
    error: TimeError,
    typed: &str,
) -> String {
    let text = match error {
        TimeError::OutOfRange => &words.no_such_time,
        TimeError::Empty | TimeError::Unreadable => &words.bad_time,
    };
    text.render(&[("typed", &echo(typed))])
}

pub(crate) fn zone_refusal(
    words: &crate::prompts::CheckinMessages,
    suggestions: &[&str],
    typed: &str,
) -> String {
    let typed = echo(typed);
    if suggestions.is_empty() {
        return words.bad_zone_no_idea.render(&[("typed", &typed)]);
    }
    let listed = suggestions
        .iter()
        .map(|zone| format!("`{zone}`"))
        .collect::<Vec<_>>()
        .join(&format!(" {} ", words.or.plain()));
    words
        .bad_zone
        .render(&[("typed", &typed), ("suggestions", &listed)])
}

/// What the person typed, shortened and with backticks and line breaks
/// removed, so echoing it cannot reshape the message.
fn echo(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, '`' | '\n' | '\r'))
        .take(ECHO_CHARS)
        .collect()
}
