//! `/relax`: progressive muscle relaxation, run as a paced session like
//! /breathe, with Again and My anchors at the end.

use super::buttons::{button, button_id, expired, row_json, set_choices, ButtonId};
use super::origin::Origin;
use super::{anchors, paced, ApplicationContext, Data, Error};
use crate::pace::plan::Cadence;
use crate::pace::relax;
use crate::prompts::{Catalog, Relax};
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// The slash command, with its pace choices from `prompts/relax.toml`.
pub(crate) fn command(words: &Relax) -> poise::Command<Data, Error> {
    let mut command = relax();
    set_choices(
        &mut command,
        "pace",
        words.paces.iter().map(|p| p.name.clone()),
    );
    command
}

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
async fn relax(
    ctx: ApplicationContext<'_>,
    pace: Option<u32>,
    private: Option<bool>,
) -> Result<(), Error> {
    let origin = Origin::command(ctx.interaction);
    let http = &ctx.serenity_context().http;
    let pace = pace.map(|index| index as usize);
    start(http, ctx.data(), &origin, pace, private.unwrap_or(false)).await?;
    Ok(())
}

async fn start(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    pace: Option<usize>,
    private: bool,
) -> Result<(), serenity::Error> {
    let words = &data.prompts.relax;
    let lead_in = data.breathe.lead_in();
    let Ok(plan) = relax::plan(words, pace, lead_in, Cadence::DISCORD) else {
        return origin.say_privately(http, words.unknown_pace.plain()).await;
    };
    let max = data.breathe.max_length();
    if plan.length() > max {
        let too_long = words.too_long.render(&[
            ("minutes", &plan.length().as_secs().div_ceil(60).to_string()),
            ("max", &(max.as_secs() / 60).to_string()),
        ]);
        return origin.say_privately(http, too_long).await;
    }
    let end_row = end_row(&data.prompts, origin.user, pace.unwrap_or(0), private);
    paced::launch(http, data, origin, plan, private, end_row).await
}

/// Again (the same pace, as private as before) and My anchors.
fn end_row(prompts: &Catalog, owner: u64, pace: usize, private: bool) -> Arc<str> {
    let rest = format!("{}:{pace}", u8::from(private));
    let again = button(
        button_id("relax", "again", owner, &rest),
        &prompts.breathing.buttons.again,
    );
    let mine = anchors::mine_button(&prompts.anchors, owner);
    row_json(vec![again, mine])
}

/// Again, by the owner: the same pace and privacy.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    // Both parts are written by `end_row`; anything else is not steady's.
    let again = match id.rest.split_once(':') {
        Some((private @ ("0" | "1"), pace)) => pace.parse().ok().map(|pace| (private, pace)),
        _ => None,
    };
    match (id.action, again) {
        ("again", Some((private, pace))) => {
            start(http, data, origin, Some(pace), private == "1").await
        }
        _ => expired(http, data, origin).await,
    }
}
