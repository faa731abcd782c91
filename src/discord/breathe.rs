//! `/breathe` on Discord: one message that moves on the plan's clock, with a
//! Stop button for its owner and an Again button at the end.

use super::buttons::{button, button_id, ButtonId};
use super::origin::{message, Origin};
use super::rest::RestError;
use super::screen::MessageScreen;
use super::sessions::{Busy, Slot};
use super::{anchors, ApplicationContext, Data, Error};
use crate::pace::breathe::{Request, Session};
use crate::pace::plan::{Cadence, Plan};
use crate::pace::runner::{self, Outcome};
use crate::prompts::{Breathing, Catalog};
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateInteractionResponse};
use std::sync::Arc;
use tokio::time::Instant;

/// The slash command, with its pattern choices from `prompts/breathing.toml`.
pub(crate) fn command(words: &Breathing) -> poise::Command<Data, Error> {
    let mut command = breathe();
    if let Some(pattern) = command.parameters.iter_mut().find(|p| p.name == "pattern") {
        pattern.choices = words
            .patterns
            .iter()
            .map(|named| poise::CommandParameterChoice {
                name: named.name.clone().into(),
                localizations: Default::default(),
                __non_exhaustive: (),
            })
            .collect();
    }
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

/// Check the request, claim the person's one session, answer with the first
/// frame, and leave the rest to a paced task.
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
    let slot = match data.sessions.begin(origin.user, origin.id.get()) {
        Ok(slot) => slot,
        Err(Busy::ShuttingDown) => {
            return origin
                .say_privately(http, words.messages.restarting.plain())
                .await
        }
        Err(Busy::Running) => {
            let stop_other = button(
                button_id("breathe", "stopother", origin.user, ""),
                &words.buttons.stop_other,
            );
            let reply = message(words.messages.already_running.plain())
                .ephemeral(true)
                .components(vec![CreateActionRow::Buttons(vec![stop_other])]);
            return origin
                .respond(http, CreateInteractionResponse::Message(reply))
                .await;
        }
    };
    let plan = session.plan(words, lead_in, Cadence::DISCORD);
    let stop = button(
        button_id("breathe", "stop", origin.user, &origin.id.to_string()),
        &words.buttons.stop,
    );
    let first = message(plan.frames()[0].text.clone())
        .ephemeral(private)
        .components(vec![CreateActionRow::Buttons(vec![stop])]);
    origin
        .respond(http, CreateInteractionResponse::Message(first))
        .await?;
    let start = Instant::now();

    let again = again_row(
        &data.prompts,
        origin.user,
        &request,
        session.cycles,
        private,
    );
    let screen = MessageScreen {
        rest: data.rest.clone(),
        application: origin.application,
        token: origin.token.clone(),
        end_at: plan.length(),
        end_components: again,
        not_before: None,
    };
    tracing::info!(
        user = origin.user,
        session = origin.id.get(),
        frames = plan.frames().len(),
        "breathing session started"
    );
    let prompts = Arc::clone(&data.prompts);
    data.sessions.spawn(run(plan, start, screen, slot, prompts));
    Ok(())
}

async fn run(
    plan: Plan,
    start: Instant,
    mut screen: MessageScreen,
    slot: Slot,
    prompts: Arc<Catalog>,
) {
    let report = runner::run(&plan, start, &mut screen, slot.stop_token()).await;
    tracing::info!(
        outcome = ?report.outcome,
        shown = report.shown,
        skipped = report.skipped,
        "breathing session ended"
    );
    if report.outcome != Outcome::Stopped {
        return;
    }
    let messages = &prompts.breathing.messages;
    let (text, components) = if slot.shutting_down() {
        (messages.restarting.plain(), Arc::from("[]"))
    } else {
        (messages.stopped.plain(), Arc::clone(&screen.end_components))
    };
    for _ in 0..3 {
        match screen.edit(&text, Some(&components)).await {
            Err(RestError::RateLimited(wait)) => tokio::time::sleep(wait).await,
            Err(error) => {
                tracing::warn!(%error, "could not show a session's last words");
                return;
            }
            Ok(()) => return,
        }
    }
}

/// A press on one of /breathe's buttons, by its owner.
pub(crate) async fn on_press(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    id: &ButtonId<'_>,
) -> Result<(), serenity::Error> {
    let words = &data.prompts.breathing;
    match id.action {
        "stop" => {
            let session = id.rest.parse().ok();
            if session.is_some() && data.sessions.stop(origin.user, session) {
                // The session's own task writes its last words, after any
                // edit in flight, so nothing overwrites them.
                origin
                    .respond(http, CreateInteractionResponse::Acknowledge)
                    .await
            } else {
                let update = message(words.messages.stopped.plain()).components(Vec::new());
                origin
                    .respond(http, CreateInteractionResponse::UpdateMessage(update))
                    .await
            }
        }
        "again" => again(http, data, origin, id.rest).await,
        // From another flow's end: the default rhythm, private as that flow was.
        "start" => start(http, data, origin, Request::default(), id.rest == "1").await,
        "stopother" => {
            data.sessions.stop(origin.user, None);
            let update = message(words.messages.other_stopped.plain()).components(Vec::new());
            origin
                .respond(http, CreateInteractionResponse::UpdateMessage(update))
                .await
        }
        _ => {
            origin
                .say_privately(http, data.prompts.errors.expired.plain())
                .await
        }
    }
}

/// Again starts a new session from a button press, with the same request.
async fn again(
    http: &serenity::Http,
    data: &Data,
    origin: &Origin,
    rest: &str,
) -> Result<(), serenity::Error> {
    let mut parts = rest.splitn(3, ':');
    let private = parts.next() == Some("1");
    let cycles = parts.next().and_then(|c| c.parse().ok());
    let rhythm = parts.next().unwrap_or("");
    let request = match rhythm.split_at_checked(1) {
        Some(("p", index)) => Request {
            pattern: index.parse().ok(),
            custom: None,
            cycles,
        },
        Some(("c", custom)) => Request {
            pattern: None,
            custom: Some(custom),
            cycles,
        },
        _ => {
            return origin
                .say_privately(http, data.prompts.errors.expired.plain())
                .await
        }
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
    serde_json::to_string(&[CreateActionRow::Buttons(vec![again, mine])])
        .unwrap_or_else(|_| "[]".to_owned())
        .into()
}
