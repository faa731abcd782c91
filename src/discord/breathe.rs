//! `/breathe` on Discord: a checked request becomes a plan, run as a paced
//! session (`paced.rs`), with Again and My anchors at the end.

use super::buttons::{button, button_id, expired, row_json, set_choices, ButtonId};
use super::origin::Origin;
use super::{anchors, paced, ApplicationContext, Data, Error};
use crate::pace::breathe::{Request, Session};
use crate::pace::plan::Cadence;
use crate::prompts::{Breathing, Catalog};
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// The slash command, with its pattern choices from `prompts/breathing.toml`.
pub(crate) fn command(words: &Breathing) -> poise::Command<Data, Error> {
    let mut command = breathe();
    set_choices(
        &mut command,
        "pattern",
        words.patterns.iter().map(|p| p.name.clone()),
    );
    command
}

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
async fn breathe(
    ctx: ApplicationContext<'_>,
    pattern: Option<u32>,
    #[min = 1]
    #[max = 20]
    cycles: Option<i64>,
    #[max_length = 40] custom: Option<String>,
    private: Option<bool>,
) -> Result<(), Error> {
    let request = Request {
        pattern: pattern.map(|index| index as usize),
        custom: custom.as_deref(),
        cycles,
    };
    let origin = Origin::command(ctx.interaction);
    let http = &ctx.serenity_context().http;
    start(http, ctx.data(), &origin, request, private.unwrap_or(false)).await?;
    Ok(())
}

/// Check the request and run it as a paced session.
pub(crate) async fn start(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    request: Request<'_>,
    private: bool,
) -> Result<(), serenity::Error> {
    let words = &data.prompts.breathing;
    let lead_in = data.breathe.lead_in();
    let session = match Session::from_request(&request, words, lead_in, data.breathe.max_length()) {
        Ok(session) => session,
        Err(refusal) => return origin.say_privately(http, refusal.explain(words)).await,
    };
    let plan = session.plan(words, lead_in, Cadence::DISCORD);
    let again = again_row(
        &data.prompts,
        origin.user,
        &request,
        session.cycles,
        private,
    );
    paced::launch(http, data, origin, plan, private, again).await
}

/// A press on one of /breathe's buttons, by its owner.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    match id.action {
        "again" => again(http, data, origin, id.rest).await,
        // From another flow's end: the default rhythm, private as that flow was.
        "start" => start(http, data, origin, Request::default(), id.rest == "1").await,
        _ => expired(http, data, origin).await,
    }
}

/// Again starts a new session from a button press, with the same request.
async fn again(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    rest: &str,
) -> Result<(), serenity::Error> {
    // Every part is written by `again_row`; anything else is not steady's.
    let mut parts = rest.splitn(3, ':');
    let private = match parts.next() {
        Some("1") => true,
        Some("0") => false,
        _ => return expired(http, data, origin).await,
    };
    let Some(cycles) = parts.next().and_then(|c| c.parse().ok()) else {
        return expired(http, data, origin).await;
    };
    let rhythm = parts.next().unwrap_or("");
    let request = match rhythm.split_at_checked(1) {
        Some(("p", index)) => match index.parse() {
            Ok(index) => Request {
                pattern: Some(index),
                custom: None,
                cycles: Some(cycles),
            },
            Err(_) => return expired(http, data, origin).await,
        },
        Some(("c", custom)) => Request {
            pattern: None,
            custom: Some(custom),
            cycles: Some(cycles),
        },
        _ => return expired(http, data, origin).await,
    };
    start(http, data, origin, request, private).await
}

/// The end screen's buttons: Again (the same request) and My anchors.
fn again_row(
    prompts: &Catalog,
    owner: u64,
    request: &Request<'_>,
    cycles: u32,
    private: bool,
) -> Arc<str> {
    let rhythm = match request.custom {
        Some(custom) => format!("c{}", custom.trim()),
        None => format!("p{}", request.pattern.unwrap_or(0)),
    };
    let rest = format!("{}:{cycles}:{rhythm}", u8::from(private));
    let again = button(
        button_id("breathe", "again", owner, &rest),
        &prompts.breathing.buttons.again,
    );
    let mine = anchors::mine_button(&prompts.anchors, owner);
    row_json(vec![again, mine])
}
