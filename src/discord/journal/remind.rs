//! `/journal remind on [time] [timezone]`, `off` and `status`: one gentle
//! DM an evening, at the person's own time, only if they ask for it. Its
//! time and zone are read as a check-in's are, and refused the same way.

use crate::checkin::zone;
use crate::daily::time::TimeOfDay;
use crate::discord::checkin::{complete_zone, next_values, time_refusal, zone_refusal};
use crate::discord::data::{locale, ApplicationContext, Context, Error};
use crate::discord::reply;
use crate::discord::stamp::date;
use crate::store::JournalReminder;

/// The evening, unless the person says otherwise: late enough that the day
/// is mostly behind them, early enough to write before sleep.
const EVENING: (u32, u32) = (21, 0);

/// The evening reminder: on, off, or how it stands.
#[poise::command(slash_command, subcommands("on", "off", "status"), subcommand_required)]
pub(crate) async fn remind(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

/// Turn the evening reminder on, or change it.
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
    let catalog = data.words(locale(ctx));
    let (refusals, words) = (&catalog.checkin.messages, &catalog.journal_remind.messages);
    let time = match time.as_deref() {
        Some(typed) => match typed.parse::<TimeOfDay>() {
            Ok(time) => Some(time),
            Err(error) => return reply::say(ctx, time_refusal(refusals, error, typed)).await,
        },
        None => None,
    };
    let zone = match timezone.as_deref() {
        Some(typed) => match zone::lookup(typed) {
            Ok(zone) => Some(zone),
            Err(unknown) => {
                return reply::say(ctx, zone_refusal(refusals, &unknown.suggestions, typed)).await
            }
        },
        None => None,
    };
    // The time typed, else the one kept, else the evening; the zone typed,
    // else the one kept, else the check-in's. Nothing to read if both came.
    let kept = match (time, zone) {
        (Some(_), Some(_)) => None,
        _ => data.store.journal_reminder(user).await?,
    };
    let time = time
        .or(kept.as_ref().map(|kept| kept.time))
        .or_else(|| TimeOfDay::new(EVENING.0, EVENING.1));
    let zone = match zone.or(kept.as_ref().map(|kept| kept.zone)) {
        Some(zone) => Some(zone),
        None => data.store.checkin(user).await?.map(|checkin| checkin.zone),
    };
    let (Some(time), Some(zone)) = (time, zone) else {
        return reply::say(ctx, words.needs_zone.plain()).await;
    };
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let next = data
        .store
        .set_journal_reminder(user, time, zone, locale(ctx), data.store.now())
        .await?;
    data.schedule_changed.notify_one();
    tracing::info!("journal reminder on");
    reply::say(ctx, words.on.render(&next_values(time, zone, next).each())).await
}

/// Turn the evening reminder off, forgetting its time and zone.
#[poise::command(slash_command)]
async fn off(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    if let Some(pause) = data.hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let stopped = data.store.stop_journal_reminder(user).await?;
    data.schedule_changed.notify_one();
    tracing::info!(stopped, "journal reminder off");
    let words = &data.words(locale(ctx)).journal_remind.messages;
    let answer = if stopped {
        &words.off
    } else {
        &words.off_already
    };
    reply::say(ctx, answer.plain()).await
}

/// Whether the evening reminder is on, and when the next one comes.
#[poise::command(slash_command)]
async fn status(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    // Status says it all, so the one-time notice is spent here.
    data.store.take_journal_reminder_pause_notice(user).await?;
    let words = &data.words(locale(ctx)).journal_remind.messages;
    let answer = match data.store.journal_reminder(user).await? {
        Some(JournalReminder {
            time,
            zone,
            next_due: Some(next),
            ..
        }) => words
            .status_on
            .render(&next_values(time, zone, next).each()),
        Some(JournalReminder {
            paused_since: Some(since),
            ..
        }) => words.status_paused.render(&[("since", &date(since))]),
        _ => words.status_off.plain(),
    };
    reply::say(ctx, answer).await
}

/// After any command: the one-time notice that refused DMs paused the
/// reminder, as a check-in's is given, so it never goes quiet unsaid.
pub(crate) async fn pause_notice(ctx: Context<'_>) {
    let data = ctx.data();
    let user = ctx.author().id.get();
    let since = match data.store.take_journal_reminder_pause_notice(user).await {
        Ok(Some(since)) => since,
        Ok(None) => return,
        Err(error) => {
            tracing::warn!(%error, "could not look for a reminder's pause notice");
            return;
        }
    };
    let words = &data.words(locale(ctx)).journal_remind.messages;
    let text = words.notice_dms_closed.render(&[("since", &date(since))]);
    match reply::say(ctx, text).await {
        Ok(()) => tracing::info!("reminder pause notice given"),
        Err(error) => tracing::warn!(%error, "could not give the reminder's pause notice"),
    }
}
