//! The end of a wait leaves for Discord here, for the scheduler's courier:
//! by DM, with its own nonce so it is made once however often it is tried,
//! or, for a wait kept on its message, as an edit of that message (an edit
//! made twice is still one message).

use super::view;
use crate::discord::component::rows_json;
use crate::discord::courier::{retry_create, retry_edit};
use crate::discord::intent::Intent;
use crate::discord::rest::{Rest, RestError};
use crate::discord::screen::edit_body;
use crate::discord::send;
use crate::prompts::Catalogs;
use crate::schedule::Delivery;
use crate::store::{Store, WaitEnd};

pub(crate) async fn deliver(
    rest: &Rest,
    store: &Store,
    prompts: &Catalogs,
    end: &WaitEnd,
) -> Delivery {
    let words = &prompts.for_discord(&end.locale).wait;
    let (content, rows) = view::end(words, end.user, end.started, end.minutes, end.private);
    let sent = match &end.on_message {
        Some(on) => match edit_body(&content, Some(&rows_json(&rows))) {
            Ok(body) => rest
                .edit_original(on.application, &on.token, body)
                .await
                .map(drop),
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
