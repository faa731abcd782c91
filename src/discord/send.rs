//! What steady sends with the bot token: the message itself (a DM, or a
//! post in a server), stamped with its intent's nonce so however often it
//! is tried it arrives once, and DMs, whose channel is cached so one is
//! usually one request. Every request draws from the bot's budget.

use super::budget::Lane;
use super::headroom::Headroom;
use super::intent::Intent;
use super::rest::{File, Rest, RestError};
use crate::store::Store;
use poise::serenity_prelude::{CreateAllowedMentions, CreateAttachment, CreateMessage, Nonce};
use std::time::{Duration, Instant};

/// Discord's "cannot send messages to this user" and "no mutual guilds".
const DMS_CLOSED: [i64; 2] = [50007, 50278];
/// A cached channel Discord no longer knows.
const UNKNOWN_CHANNEL: i64 = 10003;
/// Before trying a create again whose answer never came.
const AGAIN_AFTER: Duration = Duration::from_millis(250);
/// The longest rate-limit wait sat out here; longer ones are the caller's.
const LONGEST_SIT_OUT: Duration = Duration::from_secs(5);

/// A message (a DM, or a post in a server) that pings nobody.
pub(crate) fn message(content: impl Into<String>) -> CreateMessage {
    CreateMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// `message` with the nonce of `intent`, enforced: however often it is
/// tried, Discord makes it once.
pub(crate) fn stamped(message: CreateMessage, intent: Intent) -> CreateMessage {
    message
        .nonce(Nonce::String(intent.nonce()))
        .enforce_nonce(true)
}

/// A DM that went out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    pub channel: u64,
    /// What the channel's bucket has left: a caller with more to send
    /// waits this out first.
    pub headroom: Headroom,
}

/// Send `message` (and `file`, if any) to `user`'s DMs for `intent`. `known`
/// is their channel if the caller has it already; else the cached one is
/// looked up, and a newly opened one remembered.
pub(crate) async fn dm(
    rest: &Rest,
    store: &Store,
    user: u64,
    known: Option<u64>,
    message: CreateMessage,
    file: Option<&File>,
    intent: Intent,
) -> Result<Sent, RestError> {
    let message = stamped(message, intent);
    let message = match file {
        // Named in the body as attachment 0; its bytes go in the upload form.
        Some(file) => message.add_file(CreateAttachment::bytes(Vec::new(), file.name.as_str())),
        None => message,
    };
    let body =
        serde_json::to_string(&message).map_err(|error| RestError::Body(error.to_string()))?;
    let lane = intent.lane();
    let cached = match known {
        Some(channel) => Some(channel),
        None => store.dm_channel(user).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read the cached DM channel");
            None
        }),
    };
    if let Some(channel) = cached {
        match create(rest, channel, &body, file, lane).await {
            Err(RestError::Status { code, .. }) if code == UNKNOWN_CHANNEL => {
                tracing::info!("cached DM channel is gone; opening a new one");
            }
            sent => return sent.map(|headroom| Sent { channel, headroom }),
        }
    }
    let channel = rest.create_dm(user, lane).await?;
    if let Err(error) = store.remember_dm_channel(user, channel).await {
        tracing::warn!(%error, "could not cache the DM channel");
    }
    let headroom = create(rest, channel, &body, file, lane).await?;
    Ok(Sent { channel, headroom })
}

/// One create, tried again (with the same nonce, so never made twice) once
/// when Discord may have acted without saying so (a lost connection, or a
/// 5xx) while it surely remembers the nonce, and once after a short
/// rate-limit wait. A timed-out create is not asked again here: Discord may
/// still be making it, so its next try waits a whole request timeout
/// (the caller's, like every later try). Once a try may have acted, a later
/// one that is not sent (a rate limit, a stop) fails with that try's error,
/// so the caller knows Discord may have made it.
async fn create(
    rest: &Rest,
    channel: u64,
    body: &str,
    file: Option<&File>,
    lane: Lane,
) -> Result<Headroom, RestError> {
    let mut unsure: Option<RestError> = None;
    let mut waited = false;
    let first = Instant::now();
    // A later try must come while Discord surely remembers the nonce.
    let trusted = |wait| first.elapsed() + wait < rest.nonce_window();
    loop {
        let created = rest.create_message(channel, body.to_owned(), file, lane);
        let created = created.await.map(|(headroom, _)| headroom);
        match created {
            Err(error @ RestError::TimedOut(_)) => return Err(error),
            Err(error) if error.may_have_acted() && unsure.is_none() => {
                if !trusted(AGAIN_AFTER) {
                    return Err(error);
                }
                tracing::debug!(%error, "a DM may not have arrived; trying once more");
                unsure = Some(error.clone());
                if rest.pause(AGAIN_AFTER).await.is_err() {
                    return Err(error);
                }
            }
            Err(RestError::RateLimited(wait))
                if wait <= LONGEST_SIT_OUT && !waited && (unsure.is_none() || trusted(wait)) =>
            {
                waited = true;
                if let Err(stopped) = rest.pause(wait).await {
                    return Err(unsure.unwrap_or(stopped));
                }
            }
            Err(error @ (RestError::RateLimited(_) | RestError::Unreached(_))) => {
                return Err(unsure.unwrap_or(error))
            }
            done => return done,
        }
    }
}

/// Discord will not deliver DMs to this person (closed DMs, a block, or no
/// shared server): retrying will not help.
pub(crate) fn dms_closed(error: &RestError) -> bool {
    matches!(error, RestError::Status { code, .. } if DMS_CLOSED.contains(code))
}
