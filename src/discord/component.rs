//! What every feature's buttons are made of: the id that carries a press's
//! owner, the quiet button, a row serialized once, and the kind answer to a
//! press steady no longer understands. Features use these; the router
//! (`press.rs`) uses the features.

use super::data::Data;
use super::interaction::Interaction;
use super::reply;
use crate::prompts::{Anchors, Text};
use poise::serenity_prelude as serenity;
use serde_json::value::RawValue;
use std::sync::Arc;

/// A parsed button id: `feature:action:owner:payload`.
#[derive(Clone, Copy)]
pub(crate) struct ButtonId<'a> {
    pub feature: &'a str,
    pub action: &'a str,
    pub owner: u64,
    /// What the feature put after the owner (a step, a page, a request).
    pub payload: &'a str,
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
            payload: parts.next().unwrap_or(""),
        })
    }
}

/// Build a button id (Discord allows 100 characters).
pub(crate) fn button_id(feature: &str, action: &str, owner: u64, payload: &str) -> String {
    format!("{feature}:{action}:{owner}:{payload}")
}

/// A quiet button with a label from prompts.
pub(crate) fn button(id: String, label: &Text) -> serenity::CreateButton {
    serenity::CreateButton::new(id)
        .label(label.plain())
        .style(serenity::ButtonStyle::Secondary)
}

/// The "My anchors" button that end screens carry.
pub(crate) fn mine_button(words: &Anchors, owner: u64) -> serenity::CreateButton {
    button(button_id("anchors", "show", owner, ""), &words.buttons.mine)
}

/// A row of buttons as JSON, serialized once, for an end screen.
pub(crate) fn row_json(buttons: Vec<serenity::CreateButton>) -> Arc<RawValue> {
    rows_json(&[serenity::CreateActionRow::Buttons(buttons)])
}

/// No buttons: an edit with these clears them.
pub(crate) fn no_rows() -> Arc<RawValue> {
    rows_json(&[])
}

/// Rows of buttons as JSON, serialized once.
pub(crate) fn rows_json(rows: &[serenity::CreateActionRow]) -> Arc<RawValue> {
    // steady's own builders always serialize; were one not to, an end
    // screen without buttons beats no end screen.
    let json = serde_json::value::to_raw_value(rows)
        .or_else(|_| RawValue::from_string("[]".to_owned()))
        .expect("[] is JSON");
    Arc::from(json)
}

/// A press on one of steady's buttons by its owner, as the router
/// (`press.rs`) hands it to a feature.
#[derive(Clone, Copy)]
pub(crate) struct Press<'a> {
    pub http: &'a serenity::Http,
    pub data: &'a Data,
    /// Who pressed, and the interaction to answer.
    pub origin: &'a Interaction,
    pub id: ButtonId<'a>,
    /// The press as Discord sent it (a select menu's chosen values).
    pub interaction: &'a serenity::ComponentInteraction,
}

impl Press<'_> {
    /// A press steady no longer understands (a stale or forged id): say so
    /// kindly.
    pub async fn expired(&self) -> Result<(), serenity::Error> {
        let text = self.data.words(&self.origin.locale).errors.expired.plain();
        self.origin
            .respond(self.http, reply::private_message(text))
            .await
    }
}
