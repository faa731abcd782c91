//! `/soothe`: name what you feel, hear it validated kindly, then choose a
//! next step. Always private.

use super::component::{button, button_id, Press};
use super::data::{words, ApplicationContext, Error};
use super::reply::{self, message};
use super::support;
use crate::prompts::Soothe;
use poise::serenity_prelude as serenity;
use serenity::{
    CreateActionRow, CreateInteractionResponse, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption,
};

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn soothe(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let owner = ctx.interaction.user.id.get();
    let (question, rows) = ask(&words(ctx).soothe, owner);
    tracing::info!("soothe started");
    ctx.send(reply::private(question).components(rows)).await?;
    Ok(())
}

/// The menu's value for "I don't feel safe" (a feeling's is its index).
const NOT_SAFE: &str = "not_safe";

/// The question, with the feelings to choose from and, last, "I don't feel
/// safe".
fn ask(words: &Soothe, owner: u64) -> (String, Vec<CreateActionRow>) {
    let options = words
        .feelings
        .iter()
        .enumerate()
        .map(|(i, feeling)| CreateSelectMenuOption::new(feeling.label.plain(), i.to_string()))
        .chain([CreateSelectMenuOption::new(
            words.not_safe.label.plain(),
            NOT_SAFE,
        )])
        .collect();
    let menu = CreateSelectMenu::new(
        button_id("soothe", "feel", owner, ""),
        CreateSelectMenuKind::String { options },
    )
    .placeholder(words.placeholder.plain());
    (
        words.question.plain(),
        vec![CreateActionRow::SelectMenu(menu)],
    )
}

/// The chosen feeling: its validation, compassion, and the secure-base
/// question with five ways to go on, and two for the slower work; "I don't
/// feel safe": the support lines straight away. Begin (from a calm corner):
/// the question, as a new private message.
pub(crate) async fn on_choose(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let words = &data.words(&origin.locale).soothe;
    if id.action == "begin" {
        let (question, rows) = ask(words, origin.user);
        tracing::info!("soothe started");
        let ask = message(question).components(rows).ephemeral(true);
        return origin
            .respond(http, CreateInteractionResponse::Message(ask))
            .await;
    }
    let value = match &press.interaction.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => values.first(),
        _ => None,
    };
    let value = value.map(String::as_str).filter(|_| id.action == "feel");
    if value == Some(NOT_SAFE) {
        return not_safe(press).await;
    }
    let chosen = value
        .and_then(|value| value.parse::<usize>().ok())
        .and_then(|index| words.feelings.get(index));
    let Some(feeling) = chosen else {
        return press.expired().await;
    };
    tracing::info!("soothe answered");
    let content = format!(
        "{}\n\n{}\n\n**{}**",
        feeling.validation.plain(),
        words.compassion.plain(),
        words.secure_base.plain()
    );
    let owner = origin.user;
    let b = &words.buttons;
    let exits = vec![
        button(button_id("breathe", "start", owner, "1"), &b.breathe),
        button(button_id("ground", "start", owner, "1"), &b.ground),
        button(button_id("anchors", "show", owner, ""), &b.anchors),
        button(button_id("wait", "begin", owner, ""), &b.wait),
        button(button_id("support", "show", owner, ""), &b.support),
    ];
    // The slower work, for when the moment has passed.
    let later = vec![
        button(button_id("journal", "write", owner, ""), &b.journal),
        button(button_id("reframe", "start", owner, ""), &b.reframe),
    ];
    let rows = vec![
        CreateActionRow::Buttons(exits),
        CreateActionRow::Buttons(later),
    ];
    let view = message(content).components(rows);
    origin
        .respond(http, CreateInteractionResponse::UpdateMessage(view))
        .await
}

/// "I don't feel safe": no validation, no exercise, only people who can
/// help, the server's own lines first, in place of the menu.
async fn not_safe(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin) = (press.http, press.data, press.origin);
    let guild = press.interaction.guild_id.map(|guild| guild.get());
    let lead = data.words(&origin.locale).soothe.not_safe.answer.plain();
    let (content, embeds) = support::answer(data, guild, &origin.locale, lead).await;
    tracing::info!("support shown");
    let view = message(content).embeds(embeds).components(Vec::new());
    origin
        .respond(http, CreateInteractionResponse::UpdateMessage(view))
        .await
}
