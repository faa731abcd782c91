//! `/ground`: 5-4-3-2-1 grounding, one step at a time, moved on by its owner.
//! Button ids carry the step and whether the flow is private
//! (`ground:next:owner:step:private`), so every press needs no stored state.

use super::component::{button, button_id, mine_button, Press};
use super::data::{words, ApplicationContext, Error};
use super::reply::{self, message};
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
    let private = private.unwrap_or(true);
    let (content, rows) = first_view(&words(ctx).grounding, owner, private);
    tracing::info!("grounding started");
    ctx.send(reply::private(content).ephemeral(private).components(rows))
        .await?;
    Ok(())
}

fn first_view(words: &Grounding, owner: u64, private: bool) -> (String, Vec<CreateActionRow>) {
    let (content, rows) = step_view(words, owner, 0, private);
    (format!("{}\n\n{content}", words.intro.plain()), rows)
}

/// Step `index` (0-based) with its Next button.
fn step_view(
    words: &Grounding,
    owner: u64,
    index: usize,
    private: bool,
) -> (String, Vec<CreateActionRow>) {
    let progress = words.progress.render(&[
        ("step", &(index + 1).to_string()),
        ("steps", &words.steps.len().to_string()),
    ]);
    let content = format!("*{progress}*\n{}", words.steps[index].plain());
    let payload = format!("{}:{}", index + 1, u8::from(private));
    let next = button(
        button_id("ground", "next", owner, &payload),
        &words.buttons.next,
    );
    (content, vec![CreateActionRow::Buttons(vec![next])])
}

/// Next: the following step, or the closing words with ways to go on.
/// Start (from another flow): a new grounding message.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let words = &data.words(&origin.locale).grounding;
    let owner = origin.user;
    let (index, private) = match id.payload.split_once(':') {
        Some((index, private)) => (index.parse::<usize>().ok(), private == "1"),
        None => (None, id.payload == "1"),
    };
    let response = match (id.action, index) {
        ("start", None) => {
            tracing::info!("grounding started");
            let (content, rows) = first_view(words, owner, private);
            CreateInteractionResponse::Message(message(content).components(rows).ephemeral(private))
        }
        ("next", Some(index)) if index < words.steps.len() => {
            let (content, rows) = step_view(words, owner, index, private);
            CreateInteractionResponse::UpdateMessage(message(content).components(rows))
        }
        ("next", Some(index)) if index == words.steps.len() => {
            tracing::info!("grounding finished");
            let payload = u8::from(private).to_string();
            let breathe = button(
                button_id("breathe", "start", owner, &payload),
                &words.buttons.breathe,
            );
            let mine = mine_button(&data.words(&origin.locale).anchors, owner);
            let closing = message(words.closing.plain())
                .components(vec![CreateActionRow::Buttons(vec![breathe, mine])]);
            CreateInteractionResponse::UpdateMessage(closing)
        }
        _ => {
            return press.expired().await;
        }
    };
    origin.respond(http, response).await
}
