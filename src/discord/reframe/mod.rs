//! `/reframe`: a private thought record for the moment the story starts.
//! The first form takes what happened and the story anxiety tells; steady
//! answers with the validation, the person's story in it; "Keep going"
//! opens the second form (Discord cannot open a form from a form's
//! submit), for what else could be true and a kinder sentence; the end
//! offers to save that sentence as an anchor, keep the record in the
//! journal, breathe, or find support. The record is a journal row of kind
//! reframe, in nobody's journal until kept, and deleted a day after its
//! last change otherwise. Nothing the person wrote is logged.

mod step;
mod view;

use super::anchors::refusal_text;
use super::component::Press;
use super::data::{locale, words, ApplicationContext, Data, Error};
use super::interaction::Interaction;
use super::reply::{self, message};
use super::submit::Submit;
use crate::prompts::Reframe;
use crate::reframe::{FieldError, Record};
use crate::store::{JournalEntry, JournalKind};
use chrono::TimeDelta;
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateInteractionResponse};
use step::Step;

/// How long an unkept record waits for its person to keep it.
const UNKEPT_FOR: TimeDelta = TimeDelta::hours(24);

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn reframe(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let origin = Interaction::command(ctx.interaction);
    // Held before the form opens, so nobody writes words that are then refused.
    if let Some(pause) = ctx.data().hold_change(origin.user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    tracing::info!("reframe started");
    let form = view::first_form(&words(ctx).reframe, origin.user);
    form.open(&ctx.serenity_context().http, &origin).await?;
    Ok(())
}

/// A press on one of the reframe buttons, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin) = (press.http, press.data, press.origin);
    let words = &data.words(&origin.locale).reframe;
    let user = origin.user;
    let (step, row) = match Step::of(press.id) {
        Some(Step::Start) => {
            if let Some(pause) = data.hold_change(user, &origin.locale) {
                return Ok(origin.respond(http, reply::private_message(pause)).await?);
            }
            tracing::info!("reframe started");
            return Ok(view::first_form(words, user).open(http, origin).await?);
        }
        Some(step @ (Step::Next(row) | Step::Anchor(row) | Step::Keep(row))) => (step, row),
        _ => return Ok(press.expired().await?),
    };
    let Some(record) = record(data, user, row).await? else {
        return gone(http, origin, words).await;
    };
    let answer = match (step, record.kinder.as_deref()) {
        (Step::Next(_), _) => {
            let form = view::second_form(words, user, row, &record);
            return Ok(form.open(http, origin).await?);
        }
        (Step::Anchor(_), Some(kinder)) => match data.hold_change(user, &origin.locale) {
            Some(pause) => pause,
            None => save_as_anchor(data, &origin.locale, user, kinder).await?,
        },
        (Step::Keep(_), Some(_)) => match data.hold_change(user, &origin.locale) {
            Some(pause) => pause,
            None if data.store.keep_in_journal(user, row).await? => {
                tracing::info!("reframe kept in the journal");
                words.messages.kept.plain()
            }
            None => return gone(http, origin, words).await,
        },
        // The end's buttons come only once both forms are done.
        _ => return Ok(press.expired().await?),
    };
    Ok(origin.respond(http, reply::private_message(answer)).await?)
}

/// A submitted reframe form, by its owner.
pub(crate) async fn on_submit(submit: Submit<'_>) -> Result<(), Error> {
    let (http, data, origin) = (submit.http, submit.data, submit.origin);
    let words = &data.words(&origin.locale).reframe;
    let user = origin.user;
    let typed = |field: &str| submit.value(field).unwrap_or_default();
    match Step::of(submit.id) {
        Some(Step::First) => {
            let record = match Record::begin(typed(view::HAPPENED), typed(view::STORY)) {
                Ok(record) => record,
                Err(refusal) => return refuse(http, origin, words, refusal, None).await,
            };
            let until = data.store.now() + UNKEPT_FOR;
            let text = record.to_text();
            let row = data
                .store
                .write_journal(user, JournalKind::Reframe, None, &text, Some(until))
                .await?;
            let Ok(row) = row else {
                // Each box's own most keeps a record within a journal row's.
                return refuse(http, origin, words, FieldError::TooLong, None).await;
            };
            tracing::info!("reframe story noticed");
            let (content, rows) = view::validation(words, user, row, &record);
            respond(http, origin, content, rows).await
        }
        Some(Step::Second(row)) => {
            let Some((entry, record)) = entry(data, user, row).await? else {
                return gone(http, origin, words).await;
            };
            let done = match record.finish(typed(view::OTHER), typed(view::KINDER)) {
                Ok(done) => done,
                Err(refusal) => return refuse(http, origin, words, refusal, Some(row)).await,
            };
            // A day from the last change, so the end's "in a day" holds;
            // one already kept stays kept.
            let until = entry.expires_at.map(|_| data.store.now() + UNKEPT_FOR);
            let text = done.to_text();
            match data.store.rewrite_journal(user, row, &text, until).await? {
                Ok(true) => {}
                Ok(false) => return gone(http, origin, words).await,
                Err(_) => return refuse(http, origin, words, FieldError::TooLong, Some(row)).await,
            }
            tracing::info!("reframe finished");
            let kinder = done.kinder.as_deref().unwrap_or_default();
            let kept = until.is_none();
            let (content, rows) = view::end(words, user, row, kinder, kept);
            respond(http, origin, content, rows).await
        }
        _ => Ok(submit_expired(submit).await?),
    }
}

/// The record `row` of `user`, if it is still there and readable.
async fn record(data: &Data, user: u64, row: i64) -> Result<Option<Record>, Error> {
    Ok(entry(data, user, row).await?.map(|(_, record)| record))
}

/// The journal row `row` of `user` and the record it holds, if it is a
/// reframe that is still there and readable.
async fn entry(data: &Data, user: u64, row: i64) -> Result<Option<(JournalEntry, Record)>, Error> {
    let Some(entry) = data.store.journal_entry(user, row).await? else {
        return Ok(None);
    };
    if entry.kind != JournalKind::Reframe {
        return Ok(None);
    }
    let record = entry.text.as_deref().and_then(Record::from_text);
    Ok(record.map(|record| (entry, record)))
}

/// "Save it as an anchor": the anchors' own words for what happened.
async fn save_as_anchor(
    data: &Data,
    locale: &str,
    user: u64,
    kinder: &str,
) -> Result<String, Error> {
    let kept = data.store.add_anchor(user, kinder).await?;
    tracing::info!(outcome = ?kept.map(drop), "reframe saved as an anchor");
    let words = &data.words(locale).anchors;
    Ok(match kept {
        Ok(count) => words
            .messages
            .added
            .render(&[("count", &count.to_string())]),
        Err(refusal) => refusal_text(words, refusal),
    })
}

/// Boxes that could not be kept: said kindly, nothing changed, and a way
/// to open the same form again.
async fn refuse(
    http: &serenity::Http,
    origin: &Interaction,
    words: &Reframe,
    refusal: FieldError,
    row: Option<i64>,
) -> Result<(), Error> {
    tracing::info!(?refusal, "reframe boxes refused");
    let text = match refusal {
        FieldError::Empty => words.messages.empty.plain(),
        FieldError::TooLong => words.messages.too_long.plain(),
    };
    respond(http, origin, text, view::again(words, origin.user, row)).await
}

/// A record that is gone: deleted after its day, or with /mydata delete.
async fn gone(http: &serenity::Http, origin: &Interaction, words: &Reframe) -> Result<(), Error> {
    tracing::info!("reframe record gone");
    let text = words.messages.gone.plain();
    Ok(origin.respond(http, reply::private_message(text)).await?)
}

/// A new message only the person sees, with `rows` of buttons.
async fn respond(
    http: &serenity::Http,
    origin: &Interaction,
    content: String,
    rows: Vec<CreateActionRow>,
) -> Result<(), Error> {
    let answer = message(content).components(rows).ephemeral(true);
    let answer = CreateInteractionResponse::Message(answer);
    Ok(origin.respond(http, answer).await?)
}

/// A submit steady no longer understands (a forged id): said kindly.
async fn submit_expired(submit: Submit<'_>) -> Result<(), serenity::Error> {
    let text = submit
        .data
        .words(&submit.origin.locale)
        .errors
        .expired
        .plain();
    submit
        .origin
        .respond(submit.http, reply::private_message(text))
        .await
}
