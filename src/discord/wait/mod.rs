//! `/wait`, "wait with me": when the urge to text again is strong, steady
//! waits with the person for a few minutes and writes when the time is up,
//! asking what would help them feel more secure. The end is due on the same
//! scheduler as check-ins (`end.rs`); the buttons are in `press.rs`.

mod draft;
mod end;
mod press;
mod view;

pub(crate) use draft::on_submit;
pub(crate) use end::deliver;
pub(crate) use press::on_press;

use super::component::{button, button_id, rows_json};
use super::data::{ApplicationContext, Data, Error};
use super::intent::Intent;
use super::interaction::Interaction;
use super::reply::{self, message};
use super::rest::RestError;
use super::screen::edit_body;
use super::send;
use crate::checkin::mood::usual_change;
use crate::store::{OnMessage, Wait};
use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateInteractionResponse, CreateInteractionResponseMessage};

/// The lengths a person may choose, in minutes. Discord sends the index of
/// the one chosen (the choices are named in each language).
pub(crate) const LENGTHS: [u32; 4] = [10, 20, 30, 60];
/// Twenty minutes when none is chosen: long enough for an urge to peak and
/// ease.
const DEFAULT_LENGTH: u32 = 20;
/// How many past waits the usual change is drawn from.
const HISTORY_WAITS: u32 = 10;

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn wait(
    ctx: ApplicationContext<'_>,
    minutes: Option<u32>,
    private: Option<bool>,
) -> Result<(), Error> {
    let origin = Interaction::command(ctx.interaction);
    let http = &ctx.serenity_context().http;
    let length = match minutes {
        None => Some(DEFAULT_LENGTH),
        Some(index) => LENGTHS.get(index as usize).copied(),
    };
    let Some(length) = length else {
        let words = &ctx.data().words(&origin.locale).wait.messages;
        tracing::info!("wait refused: no such length");
        let refusal = reply::private_message(words.bad_minutes.plain());
        return Ok(origin.respond(http, refusal).await?);
    };
    let private = private.unwrap_or(true);
    Ok(begin(http, ctx.data(), &origin, length, private, false).await?)
}

/// Begin a wait of `minutes`, unless one is running and `replace` is not
/// set: then offer to replace it. Its end comes by DM, so steady first
/// makes sure a DM arrives; if DMs are closed, it says so before anything
/// begins, and offers a wait kept on its message instead.
pub(crate) async fn begin(
    http: &serenity::Http,
    data: &Data,
    origin: &Interaction,
    minutes: u32,
    private: bool,
    replace: bool,
) -> Result<(), serenity::Error> {
    let running = match data.store.wait(origin.user).await {
        Ok(wait) => wait.filter(|wait| wait.due.is_some()),
        Err(error) => {
            tracing::warn!(%error, "could not read a wait");
            let sorry = data.words(&origin.locale).errors.unexpected.plain();
            return origin.respond(http, reply::private_message(sorry)).await;
        }
    };
    if let (Some(running), false) = (&running, replace) {
        let offer = offer_replace(data, origin, running, minutes, private);
        tracing::info!("wait: one is running already");
        return origin.respond(http, offer).await;
    }
    if let Some(pause) = data.hold_dm(origin.user, &origin.locale) {
        return origin.respond(http, reply::private_message(pause)).await;
    }
    // Sending the first DM may take longer than Discord waits for an answer.
    let defer = CreateInteractionResponseMessage::new().ephemeral(private);
    origin
        .respond(http, CreateInteractionResponse::Defer(defer))
        .await?;
    let wait = fresh(data, origin, minutes, private, None);
    let (content, rows) = start(data, origin, &wait).await;
    show(data, origin, &content, &rows).await;
    Ok(())
}

/// A wait of `minutes` beginning now, for the person `origin` names.
fn fresh(
    data: &Data,
    origin: &Interaction,
    minutes: u32,
    private: bool,
    on_message: Option<OnMessage>,
) -> Wait {
    let now = whole_second(data.store.now());
    let ends = whole_second(now + data.wait.length(minutes));
    Wait {
        user: origin.user,
        started: now,
        minutes,
        ends,
        due: Some(ends),
        urge_before: None,
        private,
        locale: origin.locale.clone(),
        on_message,
    }
}

/// One is running: replace it with a wait of `minutes`, or keep it?
fn offer_replace(
    data: &Data,
    origin: &Interaction,
    running: &Wait,
    minutes: u32,
    private: bool,
) -> CreateInteractionResponse {
    let (w, user) = (&data.words(&origin.locale).wait, origin.user);
    let again = format!("{minutes}.{}", u8::from(private));
    let row = CreateActionRow::Buttons(vec![
        button(
            button_id("wait", "replace", user, &again),
            &w.buttons.replace,
        ),
        button(button_id("wait", "keep", user, ""), &w.buttons.keep),
    ]);
    let text = view::render(&w.messages.already, &view::ends(w, minutes, running.ends));
    CreateInteractionResponse::Message(message(text).ephemeral(true).components(vec![row]))
}

/// Send the first DM and, once it arrived, keep `wait`: what to show, the
/// wait begun, or, with DMs closed, the offer of a wait on its message.
async fn start(data: &Data, origin: &Interaction, wait: &Wait) -> (String, Vec<CreateActionRow>) {
    let words = data.words(&origin.locale);
    let (w, private) = (&words.wait, wait.private);
    match first_dm(data, origin, wait).await {
        Ok(()) => match data.store.start_wait(wait).await {
            Ok(()) => {
                data.schedule_changed.notify_one();
                tracing::info!(minutes = wait.minutes, private, "wait started");
                let history = if private {
                    history(data, origin.user, &w.messages.history).await
                } else {
                    None
                };
                view::waiting(words, &w.messages.start, wait, history)
            }
            Err(error) => {
                tracing::warn!(%error, "could not keep a wait");
                (words.errors.unexpected.plain(), Vec::new())
            }
        },
        Err(error) if send::dms_closed(&error) => {
            tracing::info!("wait not started: DMs closed; offered on its message");
            (
                w.messages.dms_closed.plain(),
                vec![view::dms_closed_row(w, origin.user, private)],
            )
        }
        Err(error) => {
            tracing::warn!(%error, "wait not started: the first DM failed");
            (words.errors.unexpected.plain(), Vec::new())
        }
    }
}

/// The DM that says where the end will come, sent as the wait begins: the
/// one way to learn that DMs are closed before anyone relies on them.
async fn first_dm(data: &Data, origin: &Interaction, wait: &Wait) -> Result<(), RestError> {
    let w = &data.words(&origin.locale).wait;
    let text = view::render(
        &w.messages.start_dm,
        &view::ends(w, wait.minutes, wait.ends),
    );
    let intent = Intent::Answer {
        interaction: origin.id.get(),
        part: 0,
    };
    let store = &data.store;
    send::dm(
        &data.rest,
        store,
        origin.user,
        None,
        send::message(text),
        None,
        intent,
    )
    .await?;
    Ok(())
}

/// Replace the deferred answer with `content` and `rows`.
async fn show(data: &Data, origin: &Interaction, content: &str, rows: &[CreateActionRow]) {
    let shown = match edit_body(content, Some(&rows_json(rows))) {
        Ok(body) => {
            data.rest
                .edit_original(origin.application, &origin.token, body)
                .await
        }
        Err(error) => Err(error),
    };
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show a wait");
    }
}

/// How the urge usually changed over the person's past waits, in words, if
/// they keep a history and there is enough of it to say.
async fn history(data: &Data, user: u64, text: &crate::prompts::Text) -> Option<String> {
    let urges = match data.store.urges(user, HISTORY_WAITS).await {
        Ok(urges) => urges,
        Err(error) => {
            tracing::warn!(%error, "could not read past waits");
            return None;
        }
    };
    let pairs: Vec<(u8, u8)> = urges
        .iter()
        .filter_map(|urge| Some((urge.before?, urge.after?)))
        .collect();
    let (count, before, after) = usual_change(&pairs)?;
    Some(text.render(&[
        ("count", &count.to_string()),
        ("before", &before.to_string()),
        ("after", &after.to_string()),
    ]))
}

/// Waits are kept to the second.
fn whole_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}
