//! `/journal` on Discord: a private journal. This branch holds only its
//! evening reminder (`remind.rs`, and the DM it sends in `evening.rs`).

mod evening;
mod remind;

pub(crate) use evening::deliver;

use super::data::{ApplicationContext, Error};
use remind::remind;

/// A private journal.
#[poise::command(
    slash_command,
    subcommands("remind"),
    subcommand_required,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn journal(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}
