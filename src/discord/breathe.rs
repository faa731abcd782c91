//! `/breathe` on Discord: a checked request becomes a plan, run as a paced
//! session (`paced.rs`), with Again and My anchors at the end.

use super::component::Press;
use super::data::{ApplicationContext, Data, Error};
use super::interaction::Interaction;
use super::paced::{self, Launch};
use super::reply;
use crate::pace::breathe::{Request, Session};
use crate::pace::plan::Cadence;
use poise::serenity_prelude as serenity;

#[poise::command(
    slash_command,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn breathe(
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
    let origin = Interaction::command(ctx.interaction);
    let private = private.unwrap_or(false);
    start(
        &ctx.serenity_context().http,
        ctx.data(),
        &origin,
        request,
        private,
    )
    .await?;
    Ok(())
}

/// Check the request and run it as a paced session; whether it began.
pub(crate) async fn start(
    http: &serenity::Http,
    data: &Data,
    origin: &Interaction,
    request: Request<'_>,
    private: bool,
) -> Result<Launch, serenity::Error> {
    let words = &data.words(&origin.locale).breathing;
    let lead_in = data.breathe.lead_in();
    let session = match Session::from_request(&request, words, lead_in, data.breathe.max_length()) {
        Ok(session) => session,
        Err(refusal) => {
            let refusal = reply::private_message(refusal.explain(words));
            origin.respond(http, refusal).await?;
            return Ok(Launch::Refused);
        }
    };
    let plan = session.plan(words, lead_in, Cadence::DISCORD);
    let again = again_request(&request, session.cycles);
    let end_row = paced::end_row(
        data.words(&origin.locale),
        "breathe",
        origin.user,
        private,
        &again,
    );
    paced::launch(http, data, origin, plan, private, end_row).await
}

/// A press on one of /breathe's buttons, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    match (id.action, paced::again(id.payload)) {
        ("again", Some((private, again))) => match read_again(again) {
            Some(request) => start(http, data, origin, request, private).await.map(drop),
            None => press.expired().await,
        },
        // From another flow's end: the default rhythm, private as that flow was.
        ("start", _) => start(http, data, origin, Request::default(), id.payload == "1")
            .await
            .map(drop),
        _ => press.expired().await,
    }
}

/// What Again repeats: the cycles done and the rhythm (`p` and a pattern's
/// index, or `c` and the custom rhythm as typed).
fn again_request(request: &Request<'_>, cycles: u32) -> String {
    match request.custom {
        Some(custom) => format!("{cycles}:c{}", custom.trim()),
        None => format!("{cycles}:p{}", request.pattern.unwrap_or(0)),
    }
}

/// The request `again_request` wrote; anything else is not steady's.
fn read_again(again: &str) -> Option<Request<'_>> {
    let (cycles, rhythm) = again.split_once(':')?;
    let cycles = Some(cycles.parse().ok()?);
    match rhythm.split_at_checked(1)? {
        ("p", index) => Some(Request {
            pattern: Some(index.parse().ok()?),
            custom: None,
            cycles,
        }),
        ("c", custom) => Some(Request {
            pattern: None,
            custom: Some(custom),
            cycles,
        }),
        _ => None,
    }
}
