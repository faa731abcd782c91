//! `/calm`, for communities: a calm corner panel anyone can press
//! (`panel.rs`), the server's own help lines (`help.rs`) and a daily moment
//! to breathe together (`ritual.rs`). For people with Manage Server by
//! default; a server may open it to others in its integration settings, but
//! only people with Manage Server change what steady keeps for the server
//! (`permission.rs`). Only in servers. Here: what is kept for the server,
//! and forgetting it.

mod help;
mod panel;
mod permission;
mod ritual;

pub(crate) use panel::panel_press;
pub(crate) use ritual::{count, on_join, post};

use super::component::Press;
use super::confirm;
use super::data::{locale, ApplicationContext, Data, Error};
use super::reply::{self, message};
use help::help;
use panel::panel;
use poise::serenity_prelude::CreateInteractionResponse;
use ritual::{ritual, ritual_status};

#[poise::command(
    slash_command,
    subcommands("panel", "help", "ritual", "status", "forget"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    install_context = "Guild",
    interaction_context = "Guild"
)]
pub(crate) async fn calm(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

/// The server the command came from. Discord offers `/calm` only in
/// servers; a client that sends it elsewhere hears why, kindly.
async fn server(ctx: ApplicationContext<'_>) -> Result<Option<u64>, Error> {
    match ctx.interaction.guild_id {
        Some(guild) => Ok(Some(guild.get())),
        None => {
            let words = &ctx.data().words(locale(ctx)).calm.messages;
            tracing::info!("calm refused outside a server");
            reply::say(ctx, words.guild_only.plain()).await?;
            Ok(None)
        }
    }
}

/// The server the command came from, if whoever ran it may change what
/// steady keeps for it; otherwise they hear why, kindly and privately.
async fn managed(ctx: ApplicationContext<'_>) -> Result<Option<u64>, Error> {
    let Some(guild) = server(ctx).await? else {
        return Ok(None);
    };
    if permission::manages(ctx.interaction.member.as_deref()) {
        return Ok(Some(guild));
    }
    tracing::info!("calm refused: not a moderator");
    let words = &ctx.data().words(locale(ctx)).calm.messages;
    reply::say(ctx, words.moderators_only.plain()).await?;
    Ok(None)
}

/// Whether a change to what is kept for `guild`, or a post in it, must wait
/// (if so, the person has heard until when).
async fn hold(ctx: ApplicationContext<'_>, guild: u64) -> Result<bool, Error> {
    let Some(pause) = ctx.data().hold_server(guild, locale(ctx)) else {
        return Ok(false);
    };
    tracing::info!("calm held: the server's changes come too fast");
    reply::say(ctx, pause).await?;
    Ok(true)
}

/// A channel as Discord shows it in a message: its name, as a link.
fn mention(channel: u64) -> String {
    format!("<#{channel}>")
}

#[poise::command(slash_command)]
async fn status(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let Some(guild) = server(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let words = data.words(locale(ctx));
    let kept = data.store.server_data(guild).await?;
    let ritual = ritual_status(data, words, guild).await?;
    let text = words.calm.messages.status.render(&[
        ("panels", &kept.panels.to_string()),
        ("help", &kept.help.to_string()),
        ("ritual", &ritual),
    ]);
    reply::say(ctx, text).await
}

#[poise::command(slash_command)]
async fn forget(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let Some(guild) = managed(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let words = &data.words(locale(ctx)).calm;
    if data.store.server_data(guild).await?.is_empty() {
        return reply::say(ctx, words.messages.forget_nothing.plain()).await;
    }
    let user = ctx.interaction.user.id.get();
    let b = &words.buttons;
    let row = confirm::row(
        "calm",
        "forget",
        user,
        (&b.forget, &b.keep),
        data.store.now(),
    );
    tracing::info!("server forget asked; waiting for confirmation");
    let ask = reply::private(words.messages.forget_confirm.plain()).components(vec![row]);
    ctx.send(ask).await?;
    Ok(())
}

/// Forget everything kept for `guild` (a moderator `asked`, or steady was
/// `removed`), and let the scheduler drop its daily moment.
pub(crate) async fn forget_server(data: &Data, guild: u64, cause: &str) -> Result<(), Error> {
    let forgotten = data.store.forget_server(guild).await?;
    data.schedule_changed.notify_one();
    tracing::info!(
        cause,
        panels = forgotten.panels,
        help = forgotten.help,
        ritual = forgotten.ritual,
        "server data forgotten"
    );
    Ok(())
}

/// A press on the confirmation, by the moderator who asked (and who still
/// has Manage Server: a role can be taken away in between).
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let m = &data.words(&origin.locale).calm.messages;
    let in_time = confirm::in_time(id.payload, data.store.now());
    let guild = press.interaction.guild_id.map(|guild| guild.get());
    let manages = permission::manages(press.interaction.member.as_ref());
    let answer = match (id.action, guild) {
        ("forget", Some(_)) if !manages => m.moderators_only.plain(),
        ("forget", Some(guild)) if in_time => {
            forget_server(data, guild, "asked").await?;
            m.forget_done.plain()
        }
        ("forget", Some(_)) => m.forget_expired.plain(),
        ("keep", Some(_)) => m.forget_kept.plain(),
        _ => return Ok(press.expired().await?),
    };
    let update = CreateInteractionResponse::UpdateMessage(message(answer).components(Vec::new()));
    origin.respond(http, update).await?;
    Ok(())
}
