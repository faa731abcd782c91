//! Direct messages: the DM channel is cached, so one is usually one request,
//! and every request draws from the bot's budget.

use super::rest::{File, Rest, RestError};
use crate::store::Store;
use poise::serenity_prelude::{CreateAllowedMentions, CreateAttachment, CreateMessage};

/// Discord's "cannot send messages to this user" and "no mutual guilds".
const DMS_CLOSED: [i64; 2] = [50007, 50278];
/// A cached channel Discord no longer knows.
const UNKNOWN_CHANNEL: i64 = 10003;

/// A DM that pings nobody.
pub(crate) fn message(content: impl Into<String>) -> CreateMessage {
    CreateMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// Send `message` (and `file`, if any) to `user`'s DMs and return the DM
/// channel used. `known` is their channel if the caller has it already;
/// else the cached one is looked up, and a newly opened one remembered.
pub(crate) async fn send(
    rest: &Rest,
    store: &Store,
    user: u64,
    known: Option<u64>,
    message: CreateMessage,
    file: Option<&File>,
) -> Result<u64, RestError> {
    let message = match file {
        // Named in the body as attachment 0; its bytes go in the upload form.
        Some(file) => message.add_file(CreateAttachment::bytes(Vec::new(), file.name.as_str())),
        None => message,
    };
    let body =
        serde_json::to_string(&message).map_err(|error| RestError::Body(error.to_string()))?;
    let cached = match known {
        Some(channel) => Some(channel),
        None => store.dm_channel(user).await.unwrap_or_else(|error| {
            tracing::warn!(user, %error, "could not read the cached DM channel");
            None
        }),
    };
    if let Some(channel) = cached {
        match rest.create_message(channel, body.clone(), file).await {
            Err(RestError::Status { code, .. }) if code == UNKNOWN_CHANNEL => {
                tracing::info!(user, "cached DM channel is gone; opening a new one");
            }
            sent => return sent.map(|()| channel),
        }
    }
    let channel = rest.create_dm(user).await?;
    if let Err(error) = store.remember_dm_channel(user, channel).await {
        tracing::warn!(user, %error, "could not cache the DM channel");
    }
    rest.create_message(channel, body, file).await?;
    Ok(channel)
}

/// Discord will not deliver DMs to this person (closed DMs, a block, or no
/// shared server): retrying will not help.
pub(crate) fn closed(error: &RestError) -> bool {
    matches!(error, RestError::Status { code, .. } if DMS_CLOSED.contains(code))
}
