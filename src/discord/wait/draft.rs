//! "Write it here instead": while a wait runs, a modal to write the message
//! the person wants to send, kept sealed and never sent; at the wait's end,
//! their choice of seeing it again, keeping it in their journal, or
//! deleting it. Every answer about a draft is private, whoever else can see
//! the wait's message.

use super::view;
use crate::discord::component::{button_id, Press};
use crate::discord::data::Error;
use crate::discord::interaction::Interaction;
use crate::discord::modal::{Field, Modal};
use crate::discord::reply::{self, message};
use crate::discord::submit::Submit;
use crate::prompts::Wait as Words;
use crate::store::{DraftError, Drafted, DRAFT_MAX_CHARS};
use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serenity::{CreateEmbed, CreateInteractionResponse};

/// The modal's one field.
const FIELD: &str = "draft";

/// "Write it here instead", pressed on the running wait that began at
/// `started`: the modal, holding the draft written before, if any.
pub(super) async fn open(press: Press<'_>, started: DateTime<Utc>) -> Result<(), Error> {
    let (data, origin) = (press.data, press.origin);
    if !super::press::is_running(press, started).await? {
        let w = &data.words(&origin.locale).wait;
        let finished = reply::private_message(w.messages.finished.plain());
        return Ok(origin.respond(press.http, finished).await?);
    }
    let before = data.store.wait_draft(origin.user, started).await?;
    let d = &data.words(&origin.locale).wait.draft;
    let most = u16::try_from(DRAFT_MAX_CHARS).unwrap_or(u16::MAX);
    let mut field = Field::lines(FIELD, d.label.plain(), most).hint(d.placeholder.plain());
    if let Some(text) = before.and_then(|entry| entry.text) {
        field = field.holding(text);
    }
    let id = button_id("wait", "draft", origin.user, &view::name(started));
    Modal::new(id, d.title.plain())
        .field(field)
        .open(press.http, origin)
        .await?;
    tracing::info!("wait: the draft's modal opened");
    Ok(())
}

/// The modal's submit: keep the draft (replacing the one before), and say
/// so privately.
pub(crate) async fn on_submit(submit: Submit<'_>) -> Result<(), Error> {
    let (data, origin) = (submit.data, submit.origin);
    let started = match (submit.id.action, super::press::read(submit.id.payload)) {
        ("draft", Some((started, None))) => started,
        _ => return expired(submit).await,
    };
    if let Some(pause) = data.hold_change(origin.user, &origin.locale) {
        return say(submit.http, origin, pause).await;
    }
    let w = &data.words(&origin.locale).wait;
    let text = submit.value(FIELD).unwrap_or("");
    let answer = match data
        .store
        .write_wait_draft(origin.user, started, text)
        .await?
    {
        Ok(Drafted::Written | Drafted::Replaced) => {
            tracing::info!("wait: draft kept");
            w.draft.kept.plain()
        }
        Ok(Drafted::Ended) => {
            tracing::info!("wait: draft not kept, the wait has ended");
            w.messages.finished.plain()
        }
        Err(DraftError::Empty) => {
            tracing::info!("wait: draft refused, empty");
            w.draft.empty.plain()
        }
        Err(DraftError::TooLong) => {
            tracing::info!("wait: draft refused, too long");
            let max = DRAFT_MAX_CHARS.to_string();
            w.draft.too_long.render(&[("max", &max)])
        }
    };
    say(submit.http, origin, answer).await
}

/// "Show my draft", "Keep it in my journal" or "Delete it", pressed on a
/// wait's end: answered privately.
pub(super) async fn choose(press: Press<'_>) -> Result<(), Error> {
    let (data, origin) = (press.data, press.origin);
    let Ok(id) = press.id.payload.parse::<i64>() else {
        return Ok(press.expired().await?);
    };
    let d = &data.words(&origin.locale).wait.draft;
    let store = &data.store;
    let Some(draft) = store.draft(origin.user, id).await? else {
        tracing::info!("wait: a draft's choice, the draft is gone");
        return say(press.http, origin, d.gone.plain()).await;
    };
    let response = match press.id.action {
        "show" => {
            tracing::info!("wait: draft shown");
            let Some(text) = draft.text else {
                // Sealed with a key that is gone: nothing to show.
                return say(press.http, origin, d.gone.plain()).await;
            };
            CreateInteractionResponse::Message(
                message(d.shown.plain())
                    .embed(CreateEmbed::new().description(copyable(&text)))
                    .ephemeral(true),
            )
        }
        "journal" if store.keep_in_journal(origin.user, id).await? => {
            tracing::info!("wait: draft kept in the journal");
            reply::private_message(d.journaled.plain())
        }
        "delete" if store.remove_journal(origin.user, id).await? => {
            tracing::info!("wait: draft deleted");
            reply::private_message(d.deleted.plain())
        }
        _ => reply::private_message(d.gone.plain()),
    };
    Ok(origin.respond(press.http, response).await?)
}

/// The draft's choices on their own, to its owner alone: after "I'm okay
/// now" on a wait everyone can see.
pub(super) async fn offer_privately(
    http: &serenity::Http,
    origin: &Interaction,
    words: &Words,
    draft: i64,
) -> Result<(), Error> {
    let followup = view::draft_followup(words, origin.user, draft);
    http.create_followup_message(&origin.token, &followup, Vec::new())
        .await?;
    Ok(())
}

/// The words in a code block, so they can be copied as they were written.
/// A fence inside would close the block early: a zero-width space breaks
/// it without changing what the person sees.
fn copyable(text: &str) -> String {
    if text.contains("```") {
        format!("```\n{}\n```", text.replace('`', "`\u{200b}"))
    } else {
        format!("```\n{text}\n```")
    }
}

async fn say(http: &serenity::Http, origin: &Interaction, text: String) -> Result<(), Error> {
    Ok(origin.respond(http, reply::private_message(text)).await?)
}

async fn expired(submit: Submit<'_>) -> Result<(), Error> {
    let text = submit
        .data
        .words(&submit.origin.locale)
        .errors
        .expired
        .plain();
    say(submit.http, submit.origin, text).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_with_a_fence_stays_in_one_block() {
        for text in ["before ``` after", "````", "a`` ``b"] {
            let shown = copyable(text);
            assert_eq!(shown.matches("```").count(), 2, "{shown}");
            assert_eq!(shown.replace('\u{200b}', ""), format!("```\n{text}\n```"));
        }
    }
}
