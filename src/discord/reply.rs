//! How steady answers, one name per shape: privately by default, pinging
//! nobody.
//!
//! - A command's answer goes through poise: [`private`] builds it, [`say`]
//!   sends plain words. poise makes it the interaction's response, or a
//!   follow-up once the command has answered (the pause notice, an error).
//! - Any other answer (a button press, a paced exercise's first frame) goes
//!   over HTTP with [`Interaction::respond`](super::interaction::Interaction::respond):
//!   [`message`] builds it, [`private_message`] is a new one only the person
//!   sees.

use super::data::{Context, Error};
use poise::serenity_prelude as serenity;
use serenity::{
    CreateAllowedMentions, CreateInteractionResponse, CreateInteractionResponseMessage,
};

/// A command's answer that only the person who asked sees.
pub(crate) fn private(content: String) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(content)
        .ephemeral(true)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// Answer a command privately with `content`.
pub(crate) async fn say<'a>(ctx: impl Into<Context<'a>>, content: String) -> Result<(), Error> {
    ctx.into().send(private(content)).await?;
    Ok(())
}

/// A message answering an interaction over HTTP, new or replacing, that
/// pings nobody.
pub(crate) fn message(content: String) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// A new message only the person who pressed sees.
pub(crate) fn private_message(content: String) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(message(content).ephemeral(true))
}
