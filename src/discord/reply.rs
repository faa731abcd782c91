//! How steady answers: privately by default, pinging nobody.

use super::{ApplicationContext, Context, Error};
use crate::prompts::Text;
use poise::serenity_prelude as serenity;

/// An ephemeral reply: only the person who asked sees it.
pub(crate) fn private(content: String) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(content)
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new())
}

/// Answer a command privately with `content`.
pub(crate) async fn say(ctx: ApplicationContext<'_>, content: String) -> Result<(), Error> {
    ctx.send(private(content)).await?;
    Ok(())
}

/// Send a prompt with no placeholders privately.
pub(crate) async fn say_privately(ctx: Context<'_>, text: &Text) -> Result<(), serenity::Error> {
    ctx.send(private(text.plain())).await.map(drop)
}
