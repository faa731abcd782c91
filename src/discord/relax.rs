//! `/relax`: progressive muscle relaxation, run as a paced session like
//! /breathe, with Again and My anchors at the end.

use super::choices::with_choices;
use super::component::{expired, ButtonId};
use super::data::{ApplicationContext, Data, Error};
use super::origin::Origin;
use super::{paced, reply};
use crate::pace::plan::Cadence;
use crate::pace::relax;
use crate::prompts::Relax;
use poise::serenity_prelude as serenity;

/// The slash command, with its pace choices from `prompts/relax.toml`.
pub(crate) fn command(words: &Relax) -> poise::Command<Data, Error> {
    let paces = words.paces.iter().map(|p| p.name.clone());
    with_choices(relax(), "pace", paces)
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
        let unknown = reply::private_message(words.unknown_pace.plain());
        return origin.respond(http, unknown).await;
    };
    let max = data.breathe.max_length();
    if plan.length() > max {
        let too_long = words.too_long.render(&[
            ("minutes", &plan.length().as_secs().div_ceil(60).to_string()),
            ("max", &(max.as_secs() / 60).to_string()),
        ]);
        return origin.respond(http, reply::private_message(too_long)).await;
    }
    // Again repeats the same pace.
    let again = pace.unwrap_or(0).to_string();
    let end_row = paced::end_row(&data.prompts, "relax", origin.user, private, &again);
    paced::launch(http, data, origin, plan, private, end_row).await
}

/// Again, by the owner: the same pace and privacy.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    let again =
        paced::again(id.payload).and_then(|(private, pace)| Some((private, pace.parse().ok()?)));
    match (id.action, again) {
        ("again", Some((private, pace))) => start(http, data, origin, Some(pace), private).await,
        _ => expired(http, data, origin).await,
    }
}
