//! `/support`: people who can help, privately. Every exercise's end points here.

use super::component::Press;
use super::data::{locale, words, Context, Error};
use super::reply;
use poise::serenity_prelude as serenity;

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn support(ctx: Context<'_>) -> Result<(), Error> {
    tracing::info!("support shown");
    reply::say(ctx, words(ctx).support.message(locale(ctx))).await
}

/// "Talk to someone" from another flow: the same words, privately.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let text = match id.action {
        "show" => data.words(&origin.locale).support.message(&origin.locale),
        _ => data.words(&origin.locale).errors.expired.plain(),
    };
    tracing::info!("support shown");
    origin.respond(http, reply::private_message(text)).await
}
