//! Button presses. Every button steady makes carries its owner in its id
//! (`feature:action:owner:rest`), so a press by anyone else is turned away
//! kindly before any feature sees it.

use super::origin::Origin;
use super::{
    anchors, breathe, checkin, ground, mydata, paced, relax, soothe, support, Data, Error,
};
use crate::prompts::Text;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// A parsed button id.
pub(crate) struct ButtonId<'a> {
    pub feature: &'a str,
    pub action: &'a str,
    pub owner: u64,
    pub rest: &'a str,
}

impl<'a> ButtonId<'a> {
    pub fn parse(id: &'a str) -> Option<ButtonId<'a>> {
        let mut parts = id.splitn(4, ':');
        let feature = parts.next()?;
        let action = parts.next()?;
        let owner = parts.next()?.parse().ok()?;
        Some(ButtonId {
            feature,
            action,
            owner,
            rest: parts.next().unwrap_or(""),
        })
    }
}

/// A quiet button with a label from prompts.
pub(crate) fn button(id: String, label: &Text) -> serenity::CreateButton {
    serenity::CreateButton::new(id)
        .label(label.plain())
        .style(serenity::ButtonStyle::Secondary)
}

/// A row of buttons as JSON, serialized once, for an end screen.
pub(crate) fn row_json(buttons: Vec<serenity::CreateButton>) -> Arc<str> {
    serde_json::to_string(&[serenity::CreateActionRow::Buttons(buttons)])
        .unwrap_or_else(|_| "[]".to_owned())
        .into()
}

/// A press steady no longer understands (a stale or forged id): say so kindly.
pub(crate) async fn expired(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
) -> Result<(), serenity::Error> {
    origin
        .say_privately(http, data.prompts.errors.expired.plain())
        .await
}

/// Offer `names` as an option's choices; Discord then sends the index.
pub(crate) fn set_choices(
    command: &mut poise::Command<Data, Error>,
    option: &str,
    names: impl Iterator<Item = String>,
) {
    if let Some(parameter) = command.parameters.iter_mut().find(|p| p.name == option) {
        parameter.choices = names
            .map(|name| poise::CommandParameterChoice {
                name: name.into(),
                localizations: Default::default(),
                __non_exhaustive: (),
            })
            .collect();
    }
}

/// Build a button id (Discord allows 100 characters).
pub(crate) fn button_id(feature: &str, action: &str, owner: u64, rest: &str) -> String {
    format!("{feature}:{action}:{owner}:{rest}")
}

pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    press: &serenity::ComponentInteraction,
) {
    let origin = Origin::component(press);
    let errors = &data.prompts.errors;
    let answered: Result<(), Error> = match ButtonId::parse(&press.data.custom_id) {
        Some(id) if id.owner != origin.user => {
            tracing::info!(
                user = origin.user,
                "a button press on someone else's message"
            );
            say(http, &origin, &errors.not_yours).await
        }
        Some(id) if id.feature == "pace" => paced::on_press(http, data, &origin, &id)
            .await
            .map_err(Error::from),
        Some(id) if id.feature == "breathe" => breathe::on_press(http, data, &origin, &id)
            .await
            .map_err(Error::from),
        Some(id) if id.feature == "anchors" => anchors::on_press(http, data, &origin, &id).await,
        Some(id) if id.feature == "checkin" => checkin::on_press(http, data, &origin, &id).await,
        Some(id) if id.feature == "mydata" => mydata::on_press(http, data, &origin, &id).await,
        Some(id) if id.feature == "ground" => ground::on_press(http, data, &origin, &id)
            .await
            .map_err(Error::from),
        Some(id) if id.feature == "relax" => relax::on_press(http, data, &origin, &id)
            .await
            .map_err(Error::from),
        Some(id) if id.feature == "support" => support::on_press(http, data, &origin, &id)
            .await
            .map_err(Error::from),
        Some(id) if id.feature == "soothe" => soothe::on_choose(http, data, &origin, &id, press)
            .await
            .map_err(Error::from),
        _ => say(http, &origin, &errors.expired).await,
    };
    if let Err(error) = answered {
        tracing::warn!(user = origin.user, %error, "a button press failed");
        // If the press was not answered yet, the person still hears from us.
        if let Err(error) = say(http, &origin, &errors.unexpected).await {
            tracing::debug!(user = origin.user, %error, "could not say so");
        }
    }
}

async fn say(http: &serenity::Http, origin: &Origin, text: &Text) -> Result<(), Error> {
    Ok(origin.say_privately(http, text.plain()).await?)
}
