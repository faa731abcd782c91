//! A press on one of a wait's buttons, by its owner: the urge taps, "I'm
//! okay now", the end's choices, and the offers made before a wait begins.
//! The draft's buttons are answered in `draft.rs`.

use super::draft;
use super::view::{self, render};
use super::{begin, fresh, whole_second, DEFAULT_LENGTH, LENGTHS};
use crate::discord::component::Press;
use crate::discord::data::Error;
use crate::discord::reply::{self, message};
use crate::prompts::URGES;
use crate::store::{OnMessage, Wait};
use crate::timing::MORE;
use chrono::{DateTime, Utc};
use poise::serenity_prelude::{CreateActionRow, CreateInteractionResponse};

/// Answer a press by its action; the ones that change a wait are held to
/// the person's allowance of changes first.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    if matches!(
        id.action,
        "urge" | "okay" | "send" | "more" | "after" | "here" | "journal" | "delete"
    ) {
        if let Some(pause) = data.hold_change(origin.user, &origin.locale) {
            origin.respond(http, reply::private_message(pause)).await?;
            return Ok(());
        }
    }
    let response = match (id.action, read(id.payload)) {
        ("urge", Some((started, Some(tap)))) => urge(press, started, tap).await?,
        ("okay", Some((started, None))) => return okay(press, started).await,
        ("draft", Some((started, None))) => return draft::open(press, started).await,
        ("show" | "journal" | "delete", _) => return draft::choose(press).await,
        ("send", Some((started, None))) => send_after_all(press, started).await?,
        ("more", Some((started, None))) => more(press, started).await?,
        ("after", Some((started, Some(tap)))) => after(press, started, tap).await?,
        ("replace", _) => match replacement(id.payload) {
            Some((minutes, private)) => {
                return Ok(begin(http, data, origin, minutes, private, true).await?);
            }
            None => return Ok(press.expired().await?),
        },
        ("keep", _) => keep(press).await?,
        ("here", _) => here(press, id.payload == "1").await?,
        ("begin", _) => {
            return Ok(begin(http, data, origin, DEFAULT_LENGTH, true, false).await?);
        }
        _ => return Ok(press.expired().await?),
    };
    origin.respond(http, response).await?;
    Ok(())
}

/// This message, now showing `content` and `rows`.
fn update(content: String, rows: Vec<CreateActionRow>) -> CreateInteractionResponse {
    CreateInteractionResponse::UpdateMessage(message(content).components(rows))
}

/// The wait pressed on has ended already.
fn finished(press: Press<'_>) -> CreateInteractionResponse {
    let w = &press.data.words(&press.origin.locale).wait;
    reply::private_message(w.messages.finished.plain())
}

/// The urge, tapped as the wait begins.
async fn urge(
    press: Press<'_>,
    started: DateTime<Utc>,
    tap: u8,
) -> Result<CreateInteractionResponse, Error> {
    let (data, user) = (press.data, press.origin.user);
    let words = data.words(&press.origin.locale);
    let w = &words.wait;
    Ok(match running(press, started).await? {
        Some(wait) if data.store.wait_urge(user, started, tap).await? => {
            tracing::info!("wait: urge noted at the start");
            let text = render(
                &w.messages.urge_noted,
                &view::ends(w, wait.minutes, wait.ends),
            );
            let onward = view::onward_row(words, user, &view::name(started), wait.private);
            update(text, vec![onward])
        }
        _ => finished(press),
    })
}

/// "I'm okay now": the wait ends here, and asks how strong the urge is now.
/// A draft written during it is offered back, as at any end: on this
/// message when only its owner sees it, else privately beside it.
async fn okay(press: Press<'_>, started: DateTime<Utc>) -> Result<(), Error> {
    let (http, data, origin) = (press.http, press.data, press.origin);
    let user = origin.user;
    // Read before the end, which deletes the wait and what names its draft.
    let private = running(press, started)
        .await?
        .is_none_or(|wait| wait.private);
    let draft = data.store.wait_draft(user, started).await?.map(|d| d.id);
    if !end(&press, started).await? {
        return Ok(origin.respond(http, finished(press)).await?);
    }
    tracing::info!("wait ended: okay now");
    let draft = match draft {
        Some(id) if data.store.draft_ends(user, id, data.store.now()).await? => Some(id),
        _ => None,
    };
    let w = &data.words(&origin.locale).wait;
    let text = format!(
        "{}\n\n**{}**",
        w.messages.okay.plain(),
        w.messages.urge_now.plain()
    );
    let rows = vec![view::urge_row(w, user, "after", &view::name(started))];
    let here = draft.filter(|_| private);
    let (text, rows) = view::with_draft(w, user, (text, rows), here);
    origin.respond(http, update(text, rows)).await?;
    match draft {
        Some(id) if !private => draft::offer_privately(http, origin, w, id).await,
        _ => Ok(()),
    }
}

/// End the wait the press is on, and tell the scheduler its end is no
/// longer due; false if it had ended already.
async fn end(press: &Press<'_>, started: DateTime<Utc>) -> Result<bool, Error> {
    let data = press.data;
    if !data.store.end_wait(press.origin.user, started).await? {
        return Ok(false);
    }
    data.schedule_changed.notify_one();
    Ok(true)
}

/// At the end, the person chose to send it after all: the wait ends.
async fn send_after_all(
    press: Press<'_>,
    started: DateTime<Utc>,
) -> Result<CreateInteractionResponse, Error> {
    if !end(&press, started).await? {
        return Ok(finished(press));
    }
    tracing::info!("wait ended: chose to send");
    let w = &press.data.words(&press.origin.locale).wait;
    Ok(update(w.messages.send.plain(), Vec::new()))
}

/// The urge, tapped at the end; the end's choices stay while the wait is
/// there to act on.
async fn after(
    press: Press<'_>,
    started: DateTime<Utc>,
    tap: u8,
) -> Result<CreateInteractionResponse, Error> {
    let (data, user) = (press.data, press.origin.user);
    let w = &data.words(&press.origin.locale).wait;
    let kept = data.store.urge_after(user, started, tap).await?;
    tracing::info!(kept, "wait: urge noted at the end");
    let m = &w.messages;
    let kept = if kept { &m.urge_kept } else { &m.urge_not_kept };
    let text = m.urge_after.render(&[("kept", &kept.plain())]);
    let wait = data.store.wait(user).await?;
    let rows = match wait.filter(|wait| wait.started == started) {
        Some(wait) => vec![view::choice_row(
            w,
            user,
            &view::name(started),
            wait.private,
        )],
        None => Vec::new(),
    };
    Ok(update(text, rows))
}

/// "Keep this one": the running wait stays, and says when it ends.
async fn keep(press: Press<'_>) -> Result<CreateInteractionResponse, Error> {
    let data = press.data;
    let w = &data.words(&press.origin.locale).wait;
    let running = data.store.wait(press.origin.user).await?;
    Ok(match running.filter(|wait| wait.due.is_some()) {
        Some(wait) => {
            let text = render(&w.messages.kept, &view::ends(w, wait.minutes, wait.ends));
            update(text, Vec::new())
        }
        None => finished(press),
    })
}

/// Whether the person's wait that began at `started` is still running.
pub(super) async fn is_running(press: Press<'_>, started: DateTime<Utc>) -> Result<bool, Error> {
    Ok(running(press, started).await?.is_some())
}

/// The person's wait that began at `started`, if it is still running.
async fn running(press: Press<'_>, started: DateTime<Utc>) -> Result<Option<Wait>, Error> {
    let wait = press.data.store.wait(press.origin.user).await?;
    Ok(wait.filter(|wait| wait.started == started && wait.due.is_some()))
}

/// "Ten more minutes": the same wait, ending later, by DM or on this
/// message as before.
async fn more(
    press: Press<'_>,
    started: DateTime<Utc>,
) -> Result<CreateInteractionResponse, Error> {
    let (data, origin) = (press.data, press.origin);
    let wait = data.store.wait(origin.user).await?;
    let Some(wait) = wait.filter(|wait| wait.started == started) else {
        return Ok(finished(press));
    };
    let until = whole_second(data.store.now() + data.wait.length(MORE));
    // Kept on its message, the end now replaces this one: this press's
    // token is the one valid for the next 15 minutes.
    let on_message = wait.on_message.as_ref().map(|_| OnMessage {
        application: origin.application,
        token: origin.token.clone(),
    });
    let extended = data
        .store
        .extend_wait(origin.user, wait.started, MORE, until, on_message.as_ref())
        .await?;
    if !extended {
        return Ok(finished(press));
    }
    data.schedule_changed.notify_one();
    tracing::info!("wait: ten more minutes");
    let words = data.words(&origin.locale);
    let text = render(
        &words.wait.messages.more,
        &view::ends(&words.wait, MORE, until),
    );
    let onward = view::onward_row(words, origin.user, &view::name(wait.started), wait.private);
    Ok(update(text, vec![onward]))
}

/// DMs are closed: wait ten minutes with the person on this message, whose
/// end replaces it (Discord lets a bot change it for 15 minutes).
async fn here(press: Press<'_>, private: bool) -> Result<CreateInteractionResponse, Error> {
    let (data, origin) = (press.data, press.origin);
    let words = data.words(&origin.locale);
    let on_message = OnMessage {
        application: origin.application,
        token: origin.token.clone(),
    };
    let wait = fresh(data, origin, MORE, private, Some(on_message));
    data.store.start_wait(&wait).await?;
    data.schedule_changed.notify_one();
    tracing::info!(private, "wait started on its message");
    let (content, rows) = view::waiting(words, &words.wait.messages.here, &wait, None);
    Ok(update(content, rows))
}

/// A wait's name (its start) and, for a tap, the tap: `started` or
/// `started.tap`. Anything else is not steady's.
pub(super) fn read(payload: &str) -> Option<(DateTime<Utc>, Option<u8>)> {
    let (started, tap) = match payload.split_once('.') {
        Some((started, tap)) => {
            let tap = tap.parse::<u8>().ok();
            (
                started,
                Some(tap.filter(|t| (1..=URGES as u8).contains(t))?),
            )
        }
        None => (payload, None),
    };
    let started = DateTime::from_timestamp(started.parse().ok()?, 0)?;
    Some((started, tap))
}

/// What "Start a new wait" asks for: `minutes.private`, one of the lengths.
fn replacement(payload: &str) -> Option<(u32, bool)> {
    let (minutes, private) = payload.split_once('.')?;
    let minutes = minutes.parse().ok().filter(|m| LENGTHS.contains(m))?;
    Some((minutes, private == "1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_steady_s_own_payloads_are_read() {
        let started = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(read("1800000000"), Some((started, None)));
        assert_eq!(read("1800000000.3"), Some((started, Some(3))));
        for forged in [
            "",
            "x",
            "1800000000.0",
            "1800000000.6",
            "1800000000.x",
            "1e9",
        ] {
            assert_eq!(read(forged), None, "{forged}");
        }
        assert_eq!(replacement("30.1"), Some((30, true)));
        assert_eq!(replacement("20.0"), Some((20, false)));
        assert_eq!(replacement("25.1"), None);
        assert_eq!(replacement("30"), None);
    }
}
