//! `/about`: what steady is, that it is not therapy, and where help is.

use super::data::{words, Context, Error};
use super::reply;

/// What steady is, and where to find help
#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn about(ctx: Context<'_>) -> Result<(), Error> {
    reply::say(ctx, words(ctx).about.body.plain()).await
}
