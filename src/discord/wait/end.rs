//! The end of a wait leaves for Discord here, for the scheduler's courier:
//! by DM, with its own nonce so it is made once however often it is tried,
//! or, for a wait kept on its message, as an edit of that message (an edit
//! made twice is still one message). A draft written during the wait is
//! offered back with it, and from this end is kept a day unless kept for
//! good; a wait kept on a message everyone sees offers it privately.

use super::view;
use crate::discord::component::rows_json;
use crate::discord::courier::{retry_create, retry_edit};
use crate::discord::intent::Intent;
use crate::discord::rest::{Rest, RestError};
use crate::discord::screen::edit_body;
use crate::discord::send;
use crate::prompts::{Catalogs, Wait as Words};
use crate::schedule::Delivery;
use crate::store::{OnMessage, Store, WaitEnd};

pub(crate) async fn deliver(
    rest: &Rest,
    store: &Store,
    prompts: &Catalogs,
    end: &WaitEnd,
) -> Delivery {
    let words = &prompts.for_discord(&end.locale).wait;
    let draft = draft(store, end).await;
    let shared_here = end.on_message.is_some() && !end.private;
    let (content, rows) = view::end(
        words,
        end.user,
        end.started,
        end.minutes,
        end.private,
        draft.filter(|_| !shared_here),
    );
    let sent = match &end.on_message {
        Some(on) => match edit_body(&content, Some(&rows_json(&rows))) {
            Ok(body) => {
                let edited = rest.edit_original(on.application, &on.token, body).await;
                if let (Ok(_), Some(draft), true) = (&edited, draft, shared_here) {
                    offer_privately(rest, on, words, end.user, draft).await;
                }
                edited.map(drop)
            }
            Err(error) => Err(error),
        },
        None => {
            let message = send::message(content).components(rows);
            let intent = Intent::WaitEnd {
                user: end.user,
                due: end.due,
            };
            send::dm(rest, store, end.user, end.dm_channel, message, None, intent)
                .await
                .map(drop)
        }
    };
    let error = match sent {
        Ok(()) => return Delivery::Sent,
        Err(error) if send::dms_closed(&error) => return Delivery::Refused,
        // The message is gone, or its 15 minutes are over: nothing to edit.
        Err(RestError::Gone { .. }) => return Delivery::Failed,
        Err(error) => error,
    };
    let retry = match end.on_message {
        Some(_) => retry_edit(&error),
        None => retry_create(rest, &error),
    };
    retry.unwrap_or_else(|| {
        tracing::warn!(%error, "Discord refused a wait's end");
        Delivery::Failed
    })
}

/// The draft written during the wait, now deleted [`crate::store::KEEP_DRAFT`]
/// after this end unless kept: None if there is none to offer (never
/// written, or kept in the journal already).
async fn draft(store: &Store, end: &WaitEnd) -> Option<i64> {
    let id = end.draft?;
    match store.draft_ends(end.user, id, end.due).await {
        Ok(offered) => offered.then_some(id),
        Err(error) => {
            // It still goes a day after the wait's planned end, which this is.
            tracing::warn!(%error, "could not read a wait's draft at its end");
            Some(id)
        }
    }
}

/// The draft's choices beside an end everyone can see, to its owner alone.
/// Once: a failure leaves the draft to its day, its end already shown.
async fn offer_privately(rest: &Rest, on: &OnMessage, words: &Words, user: u64, draft: i64) {
    let followup = view::draft_followup(words, user, draft);
    let sent = match serde_json::to_string(&followup) {
        Ok(body) => rest.followup(on.application, &on.token, body).await,
        Err(error) => Err(RestError::Body(error.to_string())),
    };
    if let Err(error) = sent {
        tracing::warn!(%error, "could not offer a wait's draft privately");
    }
}
