//! What the scheduler sends leaves for Discord here: its [`Courier`], one
//! arm per kind of due item, sending through the bot's budget and saying
//! what Discord answered.

use super::checkin::dm_view;
use super::intent::Intent;
use super::rest::{Rest, RestError};
use super::send;
use crate::prompts::Catalogs;
use crate::schedule::{Courier, Delivery, Due};
use crate::store::{Claimed, Store};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

pub(crate) struct DiscordCourier {
    pub rest: Rest,
    pub store: Store,
    pub prompts: Arc<Catalogs>,
}

impl Courier for DiscordCourier {
    async fn deliver(&self, due: &Due, stop: &CancellationToken) -> Delivery {
        let rest = &self.rest.until(stop);
        match due {
            Due::Checkin(checkin) => self.checkin(rest, checkin).await,
            Due::JournalReminder(reminder) => {
                super::journal::deliver(rest, &self.store, &self.prompts, reminder).await
            }
            Due::Wait(end) => super::wait::deliver(rest, &self.store, &self.prompts, end).await,
            Due::Ritual(post) => super::calm::post(rest, &self.store, &self.prompts, post).await,
            Due::Count(count) => super::calm::count(rest, &self.prompts, count).await,
        }
    }
}

impl DiscordCourier {
    async fn checkin(&self, rest: &Rest, checkin: &Claimed) -> Delivery {
        let user = checkin.user;
        // Written in the language the person last used with steady.
        let words = self
            .prompts
            .for_discord(checkin.locale.as_deref().unwrap_or_default());
        let (content, rows) = dm_view(&words.checkin, user, checkin.zone, checkin.due);
        let message = send::message(content).components(rows);
        let intent = Intent::Checkin {
            user,
            due: checkin.due,
        };
        let channel = checkin.dm_channel;
        match send::dm(rest, &self.store, user, channel, message, None, intent).await {
            Ok(_) => Delivery::Sent,
            Err(error) if send::dms_closed(&error) => Delivery::Refused,
            Err(error) => retry_create(rest, &error).unwrap_or_else(|| {
                tracing::warn!(%error, "Discord refused a check-in");
                Delivery::Failed
            }),
        }
    }
}

/// Another try at a create (a message stamped with its nonce) that failed
/// with `error`, if one may help: None when Discord refused it.
pub(crate) fn retry_create(rest: &Rest, error: &RestError) -> Option<Delivery> {
    tracing::debug!(%error, "a scheduled message was not sent");
    match error {
        RestError::Stopped => Some(Delivery::Stopped),
        RestError::RateLimited(wait) => Some(Delivery::Retry(Some(*wait))),
        RestError::Unreached(_) => Some(Delivery::Retry(None)),
        // Discord may still be making it: ask again only after as long.
        RestError::TimedOut(_) => Some(Delivery::MayHaveActed(Some(rest.timeout()))),
        error if error.may_have_acted() => Some(Delivery::MayHaveActed(None)),
        _ => None,
    }
}

/// Another try at an edit that failed with `error`, if one may help: made
/// twice, an edit is still one message, so any try Discord may not have
/// seen or finished is simply made again.
pub(crate) fn retry_edit(error: &RestError) -> Option<Delivery> {
    match error {
        RestError::Stopped => Some(Delivery::Stopped),
        RestError::RateLimited(wait) => Some(Delivery::Retry(Some(*wait))),
        RestError::Unreached(_) => Some(Delivery::Retry(None)),
        error if error.may_have_acted() => Some(Delivery::Retry(None)),
        _ => None,
    }
}
