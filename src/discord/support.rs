//! `/support`: people who can help, privately. Every exercise's end points here.

use super::buttons::ButtonId;
use super::origin::Origin;
use super::{reply, Context, Data, Error};
use poise::serenity_prelude as serenity;

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn support(ctx: Context<'_>) -> Result<(), Error> {
    tracing::info!(user = ctx.author().id.get(), "support shown");
    ctx.send(reply::private(ctx.data().prompts.support.message()))
        .await?;
    Ok(())
}

/// "Talk to someone" from another flow: the same words, privately.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    let text = match id.action {
        "show" => data.prompts.support.message(),
        _ => data.prompts.errors.expired.plain(),
    };
    tracing::info!(user = origin.user, "support shown");
    origin.say_privately(http, text).await
}
