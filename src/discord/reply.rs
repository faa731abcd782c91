//! How steady answers: privately by default, pinging nobody.

use super::Context;
use crate::prompts::Text;
use poise::serenity_prelude as serenity;

/// An ephemeral reply: only the person who asked sees it.
pub(crate) fn private(content: String) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(content)
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new())
}

/// Send a prompt with no placeholders privately.
pub(crate) async fn say_privately(ctx: Context<'_>, text: &Text) -> Result<(), serenity::Error> {
    ctx.send(private(text.plain())).await.map(drop)
}
