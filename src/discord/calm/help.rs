//! `/calm help add|remove|list`: the server's own help lines, which
//! `/support` in that server shows first. Up to ten, checked by
//! `crate::help_line` so nothing in them can ping anyone or hide a link;
//! only people with Manage Server change them.

use super::{hold, managed, server};
use crate::discord::data::{words, ApplicationContext, Error};
use crate::discord::reply;
use crate::discord::support::line;
use crate::help_line::{self, escaped, HelpLineError, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::store::{Added, MAX_HELP_LINES};
use crate::visible::visible;
use poise::serenity_prelude::{AutocompleteChoice, CreateAutocompleteResponse};

#[poise::command(
    slash_command,
    subcommands("add", "remove", "list"),
    subcommand_required
)]
pub(super) async fn help(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command)]
async fn add(
    ctx: ApplicationContext<'_>,
    #[max_length = 40] name: String,
    #[max_length = 100] text: String,
    #[max_length = 200] link: Option<String>,
) -> Result<(), Error> {
    let Some(guild) = managed(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let m = &words(ctx).calm.messages;
    let line = match help_line::check(&name, &text, link.as_deref()) {
        Ok(line) => line,
        Err(error) => {
            tracing::info!(?error, "help line refused");
            return reply::say(ctx, refusal(m, error)).await;
        }
    };
    if hold(ctx, guild).await? {
        return Ok(());
    }
    let name = escaped(&line.name);
    let answer = match data.store.add_help(guild, &line, data.store.now()).await? {
        Added::Added => {
            tracing::info!("help line added");
            m.help_added.render(&[("name", &name)])
        }
        Added::Exists => m.help_exists.render(&[("name", &name)]),
        Added::Full => m.help_full.render(&[("max", &MAX_HELP_LINES.to_string())]),
    };
    reply::say(ctx, answer).await
}

#[poise::command(slash_command)]
async fn remove(
    ctx: ApplicationContext<'_>,
    #[autocomplete = "complete_name"]
    #[max_length = 40]
    name: String,
) -> Result<(), Error> {
    let Some(guild) = managed(ctx).await? else {
        return Ok(());
    };
    let m = &words(ctx).calm.messages;
    let name = visible(&name);
    if hold(ctx, guild).await? {
        return Ok(());
    }
    let shown = escaped(&name);
    let answer = if ctx.data().store.remove_help(guild, &name).await? {
        tracing::info!("help line removed");
        m.help_removed.render(&[("name", &shown)])
    } else {
        m.help_unknown.render(&[("name", &shown)])
    };
    reply::say(ctx, answer).await
}

#[poise::command(slash_command)]
async fn list(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let Some(guild) = server(ctx).await? else {
        return Ok(());
    };
    let m = &words(ctx).calm.messages;
    let lines = ctx.data().store.help_lines(guild).await?;
    let answer = if lines.is_empty() {
        m.help_none.plain()
    } else {
        let lines: Vec<String> = lines.iter().map(line).collect();
        m.help_list.render(&[("lines", &lines.join("\n"))])
    };
    reply::say(ctx, answer).await
}

/// The server's help lines whose names hold what the moderator typed. A
/// server keeps at most `MAX_HELP_LINES`, fewer than the 25 choices Discord
/// shows, so each keystroke reads a bounded few rows.
async fn complete_name(ctx: ApplicationContext<'_>, partial: &str) -> CreateAutocompleteResponse {
    let guild = ctx.interaction.guild_id.map(|guild| guild.get());
    let lines = match guild {
        Some(guild) => ctx.data().store.help_lines(guild).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let partial = partial.to_lowercase();
    let choices = lines
        .into_iter()
        .filter(|line| line.name.to_lowercase().contains(&partial))
        .map(|line| AutocompleteChoice::new(line.name.clone(), line.name))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

fn refusal(m: &crate::prompts::CalmMessages, error: HelpLineError) -> String {
    match error {
        HelpLineError::Name { count } => m.name_too_long.render(&[
            ("max", &MAX_NAME_CHARS.to_string()),
            ("count", &count.to_string()),
        ]),
        HelpLineError::Text { count } => m.text_too_long.render(&[
            ("max", &MAX_TEXT_CHARS.to_string()),
            ("count", &count.to_string()),
        ]),
        HelpLineError::Link => m.bad_link.plain(),
        HelpLineError::Mention => m.no_mentions.plain(),
        HelpLineError::LinkInWords => m.link_in_words.plain(),
    }
}
