//! `/support`: people who can help, privately. Every exercise's end points here.

use super::{reply, Context, Error};

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
