//! `/journal` on Discord: a private page written in a form (`write`), and
//! the person's pages read back one at a time (`read`). Everything shown is
//! only theirs; nothing a person writes is logged, and nothing counts
//! their pages as a score. An evening reminder, if they ask for one
//! (`remind`), is sent as a DM (`evening.rs`) by the scheduler.

mod button;
mod evening;
mod form;
mod page;
mod remind;

pub(crate) use button::Action;
pub(crate) use evening::deliver;
pub(crate) use form::on_submit;
pub(crate) use remind::pause_notice;

use super::component::{button as quiet_button, Press};
use super::data::{locale, ApplicationContext, Data, Error};
use super::interaction::Interaction;
use super::reply;
use crate::journal::Prompt;
use crate::prompts::Journal;
use chrono_tz::Tz;
use poise::serenity_prelude as serenity;
use remind::remind;
use serenity::{AutocompleteChoice, CreateAutocompleteResponse};

#[poise::command(
    slash_command,
    subcommands("write", "read", "remind"),
    subcommand_required,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn journal(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

/// Open the form: today's question, or the one picked.
#[poise::command(slash_command)]
async fn write(
    ctx: ApplicationContext<'_>,
    #[autocomplete = "complete_prompt"] prompt: Option<String>,
) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).journal;
    let prompt = match prompt.as_deref() {
        None => today(data, user).await?,
        Some(typed) => match chosen(data, words, typed) {
            Some(prompt) => prompt,
            None => return reply::say(ctx, words.messages.unknown_prompt.plain()).await,
        },
    };
    let origin = Interaction::command(ctx.interaction);
    form::form(words, user, prompt)
        .open(ctx.serenity_context().http.as_ref(), &origin)
        .await?;
    tracing::info!("journal form opened");
    Ok(())
}

/// Read the person's pages, newest first, one at a time.
#[poise::command(slash_command)]
async fn read(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let user = ctx.interaction.user.id.get();
    let view = page::view(ctx.data(), locale(ctx), user, 0, None).await?;
    let answer = (view.embeds.into_iter())
        .fold(reply::private(view.content), |answer, embed| {
            answer.embed(embed)
        })
        .components(view.rows);
    ctx.send(answer).await?;
    Ok(())
}

/// The questions, in the person's words, those matching what they typed
/// first; each chosen by its key.
async fn complete_prompt(ctx: ApplicationContext<'_>, partial: &str) -> CreateAutocompleteResponse {
    let words = &ctx.data().words(locale(ctx)).journal;
    let typed = partial.trim().to_lowercase();
    let mut prompts = Prompt::ALL.to_vec();
    prompts.sort_by_key(|&prompt| !name(words, prompt).to_lowercase().contains(&typed));
    let choices = prompts
        .into_iter()
        .map(|prompt| AutocompleteChoice::new(name(words, prompt), prompt.key()))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// A press on one of the journal's buttons, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    match Action::parse(&press.id) {
        Some(Action::Write(prompt)) => {
            let (data, origin) = (press.data, press.origin);
            let prompt = match prompt {
                Some(prompt) => prompt,
                None => today(data, origin.user).await?,
            };
            let words = &data.words(&origin.locale).journal;
            form::form(words, origin.user, prompt)
                .open(press.http, origin)
                .await?;
            tracing::info!("journal form opened from a button");
            Ok(())
        }
        Some(action) => page::on_press(press, action).await,
        None => Ok(press.expired().await?),
    }
}

/// A button that opens the form for `owner`, at `prompt` or, with None, at
/// the day's question when pressed: for a reminder, a check-in, an empty
/// journal.
pub(crate) fn write_button(
    words: &Journal,
    owner: u64,
    prompt: Option<Prompt>,
) -> serenity::CreateButton {
    quiet_button(Action::Write(prompt).id(owner), &words.buttons.write)
}

/// Today's question for `user`: by the time and date where they are (the
/// zone of their check-in, else of their evening reminder; UTC when they
/// keep neither).
async fn today(data: &Data, user: u64) -> Result<Prompt, Error> {
    let zone = match data.store.checkin(user).await? {
        Some(checkin) => checkin.zone,
        // Someone with an evening reminder and no check-in: its zone.
        None => (data.store.journal_reminder(user).await?).map_or(Tz::UTC, |r| r.zone),
    };
    Ok(Prompt::of_the_day(data.store.now(), &zone))
}

/// The question someone chose: its key (from the list), or its name as
/// written in their language or in English (typed instead).
fn chosen(data: &Data, words: &Journal, typed: &str) -> Option<Prompt> {
    let typed = typed.trim();
    let english = &data.prompts.english().journal;
    Prompt::from_key(typed).or_else(|| {
        Prompt::ALL.into_iter().find(|&prompt| {
            [words, english]
                .iter()
                .any(|words| name(words, prompt).eq_ignore_ascii_case(typed))
        })
    })
}

fn name(words: &Journal, prompt: Prompt) -> String {
    words.prompt(prompt).name.plain()
}
