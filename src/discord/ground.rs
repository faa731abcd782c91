//! `/ground`: 5-4-3-2-1 grounding, one step at a time, moved on by its owner.

use super::buttons::{button, button_id, ButtonId};
use super::origin::{message, Origin};
use super::{anchors, reply, ApplicationContext, Data, Error};
use crate::prompts::Grounding;
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateInteractionResponse};

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn ground(
    ctx: ApplicationContext<'_>,
    private: Option<bool>,
) -> Result<(), Error> {
    let owner = ctx.interaction.user.id.get();
    let words = &ctx.data().prompts.grounding;
    let (content, rows) = step_view(words, owner, 0);
    let content = format!("{}\n\n{content}", words.intro.plain());
    tracing::info!(user = owner, "grounding started");
    let first = reply::private(content)
        .ephemeral(private.unwrap_or(true))
        .components(rows);
    ctx.send(first).await?;
    Ok(())
}

/// Step `index` (0-based) with its Next button.
fn step_view(words: &Grounding, owner: u64, index: usize) -> (String, Vec<CreateActionRow>) {
    let progress = words.progress.render(&[
        ("step", &(index + 1).to_string()),
        ("steps", &words.steps.len().to_string()),
    ]);
    let content = format!("*{progress}*\n{}", words.steps[index].plain());
    let next = button(
        button_id("ground", "next", owner, &(index + 1).to_string()),
        &words.buttons.next,
    );
    (content, vec![CreateActionRow::Buttons(vec![next])])
}

/// Next: the following step, or the closing words with ways to go on.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    let words = &data.prompts.grounding;
    let index: Option<usize> = id.rest.parse().ok();
    let view = match index {
        Some(index) if id.action == "next" && index < words.steps.len() => {
            let (content, rows) = step_view(words, origin.user, index);
            message(content).components(rows)
        }
        Some(index) if id.action == "next" && index == words.steps.len() => {
            tracing::info!(user = origin.user, "grounding finished");
            let breathe = button(
                button_id("anchors", "breathe", origin.user, ""),
                &words.buttons.breathe,
            );
            let mine = anchors::mine_button(&data.prompts.anchors, origin.user);
            message(words.closing.plain())
                .components(vec![CreateActionRow::Buttons(vec![breathe, mine])])
        }
        _ => {
            let expired = data.prompts.errors.expired.plain();
            return origin.say_privately(http, expired).await;
        }
    };
    origin
        .respond(http, CreateInteractionResponse::UpdateMessage(view))
        .await
}
