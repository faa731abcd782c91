//! Check-ins leave for Discord here: the scheduler's [`Courier`], sending
//! the daily DM through the bot's budget and saying what Discord answered.

use super::checkin::dm_view;
use super::dm;
use super::rest::{Rest, RestError};
use crate::checkin::scheduler::{Courier, Delivery};
use crate::prompts::Catalog;
use crate::store::{Claimed, Store};
use std::sync::Arc;

pub(crate) struct DiscordCourier {
    pub rest: Rest,
    pub store: Store,
    pub prompts: Arc<Catalog>,
}

impl Courier for DiscordCourier {
    async fn deliver(&self, checkin: &Claimed) -> Delivery {
        let user = checkin.user;
        let (content, rows) = dm_view(&self.prompts.checkin, user, checkin.zone, checkin.due);
        let message = dm::message(content).components(rows);
        match dm::send(
            &self.rest,
            &self.store,
            user,
            checkin.dm_channel,
            message,
            None,
        )
        .await
        {
            Ok(_) => Delivery::Sent,
            Err(error) if dm::closed(&error) => Delivery::Refused,
            Err(RestError::RateLimited(wait)) => Delivery::Retry(Some(wait)),
            Err(RestError::Status { status, .. }) if status >= 500 => Delivery::Retry(None),
            Err(RestError::Transport(error)) => {
                tracing::debug!(user, %error, "check-in request failed");
                Delivery::Retry(None)
            }
            Err(error) => {
                tracing::warn!(user, %error, "Discord refused a check-in");
                Delivery::Failed
            }
        }
    }
}
