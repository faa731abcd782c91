//! `/support`: people who can help, privately. Every exercise's end points
//! here. In a server with help lines of its own (`/calm help`), those come
//! first, then the general lines.

use super::component::Press;
use super::data::{locale, ApplicationContext, Data, Error};
use super::reply;
use crate::help_line::{escaped, web_page, HelpLine};
use crate::prompts::MAX_MESSAGE_CHARS;
use poise::serenity_prelude as serenity;
use serenity::{CreateEmbed, CreateInteractionResponse};

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn support(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let guild = ctx.interaction.guild_id.map(|guild| guild.get());
    let locale = locale(ctx);
    let intro = ctx.data().words(locale).support.intro.plain();
    let (content, embeds) = answer(ctx.data(), guild, locale, intro).await;
    tracing::info!("support shown");
    let answer = embeds
        .into_iter()
        .fold(reply::private(content), |answer, embed| answer.embed(embed));
    ctx.send(answer).await?;
    Ok(())
}

/// "Talk to someone" from another flow: the same words, privately.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    if id.action != "show" {
        return press.expired().await;
    }
    let guild = press.interaction.guild_id.map(|guild| guild.get());
    let intro = data.words(&origin.locale).support.intro.plain();
    let (content, embeds) = answer(data, guild, &origin.locale, intro).await;
    tracing::info!("support shown");
    let shown = reply::message(content).embeds(embeds).ephemeral(true);
    origin
        .respond(http, CreateInteractionResponse::Message(shown))
        .await
}

/// `intro`, then the lines for a reader in `locale`, in `guild` if the
/// press or command came from one: /support's own intro, or another flow's
/// words above the same lines. With the server's own lines (or a long
/// intro) there is more than one message holds, so the intro comes first,
/// then those lines, then the general ones, each in an embed (nothing in an
/// embed can ping anyone).
pub(crate) async fn answer(
    data: &Data,
    guild: Option<u64>,
    locale: &str,
    intro: String,
) -> (String, Vec<CreateEmbed>) {
    let words = data.words(locale);
    let support = &words.support;
    let own = match guild {
        Some(guild) => data.store.help_lines(guild).await.unwrap_or_else(|error| {
            // The general lines matter more than a database hiccup.
            tracing::warn!(%error, "could not read a server's help lines");
            Vec::new()
        }),
        None => Vec::new(),
    };
    let general = support.lines_for(locale);
    let whole = format!("{intro}\n\n{general}");
    if own.is_empty() && whole.chars().count() <= MAX_MESSAGE_CHARS {
        return (whole, Vec::new());
    }
    let server = (!own.is_empty()).then(|| {
        let lines: Vec<String> = own.iter().map(line).collect();
        CreateEmbed::new()
            .title(words.calm.messages.help_heading.plain())
            .description(lines.join("\n"))
    });
    let general = CreateEmbed::new().description(general);
    (intro, server.into_iter().chain([general]).collect())
}

/// One of a server's own lines, as /support and /calm help list show it:
/// its words exactly as typed, and its link only if it is still a plain
/// https address (a line kept before today's rules is checked again).
pub(crate) fn line(line: &HelpLine) -> String {
    let (name, text) = (escaped(&line.name), escaped(&line.text));
    match line.link.as_deref().and_then(web_page) {
        Some(link) => format!("- **{name}**: {text} <{link}>"),
        None => format!("- **{name}**: {text}"),
    }
}
