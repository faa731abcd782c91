//! `/relax`: progressive muscle relaxation, run as a paced session like
//! /breathe, with Again and My anchors at the end.

use super::component::Press;
use super::data::{ApplicationContext, Data, Error};
use super::interaction::Interaction;
use super::{paced, reply};
use crate::pace::plan::Cadence;
use crate::pace::relax;
use poise::serenity_prelude as serenity;

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn relax(
    ctx: ApplicationContext<'_>,
    pace: Option<u32>,
    private: Option<bool>,
) -> Result<(), Error> {
    let (origin, pace) = (
        Interaction::command(ctx.interaction),
        pace.map(|i| i as usize),
    );
    start(
        &ctx.serenity_context().http,
        ctx.data(),
        &origin,
        pace,
        private == Some(true),
    )
    .await?;
    Ok(())
}

async fn start(
    http: &serenity::Http,
    data: &Data,
    origin: &Interaction,
    pace: Option<usize>,
    private: bool,
) -> Result<(), serenity::Error> {
    let words = &data.words(&origin.locale).relax;
    let lead_in = data.breathe.lead_in();
    let Ok(plan) = relax::plan(words, pace, lead_in, Cadence::DISCORD) else {
        let unknown = reply::private_message(words.unknown_pace.plain());
        return origin.respond(http, unknown).await;
    };
    let max = data.breathe.max_length();
    if plan.length() > max {
        let minutes = |length: std::time::Duration| {
            words.minutes.render(length.as_secs().div_ceil(60) as u32)
        };
        let too_long = words.too_long.render(&[
            ("length", &minutes(plan.length())),
            ("longest", &minutes(max)),
        ]);
        return origin.respond(http, reply::private_message(too_long)).await;
    }
    // Again repeats the same pace.
    let again = pace.unwrap_or(0).to_string();
    let end_row = paced::end_row(
        data.words(&origin.locale),
        "relax",
        origin.user,
        private,
        &again,
    );
    paced::launch(http, data, origin, plan, private, end_row)
        .await
        .map(drop)
}

/// Again, by the owner: the same pace and privacy.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let again =
        paced::again(id.payload).and_then(|(private, pace)| Some((private, pace.parse().ok()?)));
    match (id.action, again) {
        ("again", Some((private, pace))) => start(http, data, origin, Some(pace), private).await,
        _ => press.expired().await,
    }
}
