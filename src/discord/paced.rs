//! A paced exercise on Discord (breathing, relaxation): one message edited
//! on its plan's clock, a Stop button for its owner, and last words that
//! nothing overwrites. The session texts live in `prompts/breathing.toml`.

use super::component::{button, button_id, mine_button, no_rows, row_json, Press};
use super::data::Data;
use super::interaction::Interaction;
use super::reply::{self, message};
use super::rest::{Rest, RestError};
use super::screen::MessageScreen;
use super::sessions::{take_dead, Busy, Slot};
use crate::pace::plan::Plan;
use crate::pace::runner::{self, Outcome};
use crate::prompts::{Catalog, Catalogs};
use crate::store::{Store, Unfinished};
use crate::timing::TOKEN_LIFE;
use poise::serenity_prelude as serenity;
use serde_json::value::RawValue;
use serenity::{CreateActionRow, CreateInteractionResponse};
use std::sync::Arc;
use tokio::time::Instant;

/// What came of asking for a paced session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Launch {
    /// It runs: its first frame was the answer.
    Began,
    /// The person was told why not (one already running, steady stopping,
    /// a request that cannot run).
    Refused,
}

/// Claim the person's one session, answer with the first frame (and Stop),
/// and leave the rest to a paced task. `end_row`: the end screen's buttons.
pub(crate) async fn launch(
    http: &serenity::Http,
    data: &Data,
    origin: &Interaction,
    plan: Plan,
    private: bool,
    end_row: Arc<RawValue>,
) -> Result<Launch, serenity::Error> {
    let words = &data.words(&origin.locale).breathing;
    let slot = match data.sessions.begin(origin.user, origin.id.get()) {
        Ok(slot) => slot,
        Err(Busy::ShuttingDown) => {
            let restarting = reply::private_message(words.messages.restarting.plain());
            origin.respond(http, restarting).await?;
            return Ok(Launch::Refused);
        }
        Err(Busy::Running) => {
            already_running(http, data, origin).await?;
            return Ok(Launch::Refused);
        }
    };
    // Remembered until it ends, so one per person holds across processes
    // and a crash cannot leave it frozen.
    let record = Unfinished {
        interaction: origin.id.get(),
        user: origin.user,
        application: origin.application,
        token: origin.token.clone(),
        started: data.store.now(),
        locale: origin.locale.clone(),
    };
    if claim(data, &record).await == Claim::Busy {
        drop(slot);
        already_running(http, data, origin).await?;
        return Ok(Launch::Refused);
    }
    let stop = button(
        button_id("pace", "stop", origin.user, &origin.id.to_string()),
        &words.buttons.stop,
    );
    let first = message(plan.frames()[0].text.clone())
        .ephemeral(private)
        .components(vec![CreateActionRow::Buttons(vec![stop])]);
    if let Err(error) = origin
        .respond(http, CreateInteractionResponse::Message(first))
        .await
    {
        forget(&data.store, origin.id.get()).await;
        return Err(error);
    }
    let start = Instant::now();
    let screen = MessageScreen {
        rest: data.rest.clone(),
        application: origin.application,
        token: origin.token.clone(),
        start,
        end_at: plan.length(),
        end_components: end_row,
        not_before: None,
    };
    tracing::info!(
        session = origin.id.get(),
        frames = plan.frames().len(),
        "paced session started"
    );
    let ending = Ending {
        prompts: Arc::clone(&data.prompts),
        locale: origin.locale.clone(),
        store: data.store.clone(),
        session: origin.id.get(),
    };
    data.sessions.spawn(run(plan, start, screen, slot, ending));
    Ok(Launch::Began)
}

/// Whether a session may begin, as the database sees it.
#[derive(PartialEq, Eq)]
enum Claim {
    /// Recorded, or the database could not answer and this process's own
    /// map has decided.
    Free,
    /// Its person has one running, on some process.
    Busy,
}

/// Record `record`, unless its person has an exercise running on any
/// process. One left by a process that died is taken first, and given its
/// last line meanwhile: the person's answer is due within 3 s.
async fn claim(data: &Data, record: &Unfinished) -> Claim {
    let owner = data.sessions.owner();
    let mut begun = data.store.session_begin(record, owner).await;
    if let Ok(false) = begun {
        let finish = finisher(&data.store, &data.rest, &data.prompts);
        if take_dead(&data.store, &finish).await {
            begun = data.store.session_begin(record, owner).await;
        }
    }
    match begun {
        Ok(false) => Claim::Busy,
        Ok(true) => Claim::Free,
        Err(error) => {
            tracing::warn!(%error, "could not record a session");
            Claim::Free
        }
    }
}

async fn forget(store: &Store, session: u64) {
    if let Err(error) = store.session_ended(session).await {
        tracing::warn!(%error, "could not forget an ended session");
    }
}

/// "You already have one running", with a button to stop it.
async fn already_running(
    http: &serenity::Http,
    data: &Data,
    origin: &Interaction,
) -> Result<(), serenity::Error> {
    let words = &data.words(&origin.locale).breathing;
    let stop_other = button(
        button_id("pace", "stopother", origin.user, ""),
        &words.buttons.stop_other,
    );
    let reply = message(words.messages.already_running.plain())
        .ephemeral(true)
        .components(vec![CreateActionRow::Buttons(vec![stop_other])]);
    origin
        .respond(http, CreateInteractionResponse::Message(reply))
        .await
}

/// The end screen's buttons: Again, carrying the privacy and then the
/// feature's `request` (read back by [`again`]), and My anchors.
pub(crate) fn end_row(
    prompts: &Catalog,
    feature: &str,
    owner: u64,
    private: bool,
    request: &str,
) -> Arc<RawValue> {
    let payload = format!("{}:{request}", u8::from(private));
    let again = button(
        button_id(feature, "again", owner, &payload),
        &prompts.breathing.buttons.again,
    );
    row_json(vec![again, mine_button(&prompts.anchors, owner)])
}

/// An Again button's payload as [`end_row`] wrote it: whether the session
/// was private, and the feature's request. Anything else is not steady's.
pub(crate) fn again(payload: &str) -> Option<(bool, &str)> {
    match payload.split_once(':')? {
        ("1", request) => Some((true, request)),
        ("0", request) => Some((false, request)),
        _ => None,
    }
}

/// What a session needs once its plan is done.
struct Ending {
    prompts: Arc<Catalogs>,
    /// The Discord locale the session's person reads.
    locale: String,
    store: Store,
    session: u64,
}

async fn run(plan: Plan, start: Instant, mut screen: MessageScreen, slot: Slot, ending: Ending) {
    let _running = screen.rest.metrics().paced_session();
    let report = runner::run(&plan, start, &mut screen, slot.stop_token()).await;
    tracing::info!(
        outcome = ?report.outcome,
        shown = report.shown,
        skipped = report.skipped,
        "paced session ended"
    );
    let words = ending.prompts.for_discord(&ending.locale);
    last_words(&report.outcome, &mut screen, &slot, words).await;
    // Free the person's slot first: "Again" may already be on its way.
    drop(slot);
    forget(&ending.store, ending.session).await;
}

/// Over a stopped session, the words that close it: stopped by its owner,
/// or paused for a restart.
async fn last_words(outcome: &Outcome, screen: &mut MessageScreen, slot: &Slot, prompts: &Catalog) {
    if *outcome != Outcome::Stopped {
        return;
    }
    let messages = &prompts.breathing.messages;
    let (text, components) = if slot.shutting_down() {
        (messages.restarting.plain(), no_rows())
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

/// Gives the exercises of a process that died their last line, in the
/// background.
pub(crate) fn finisher(
    store: &Store,
    rest: &Rest,
    prompts: &Arc<Catalogs>,
) -> impl Fn(Vec<Unfinished>) {
    let (store, rest, prompts) = (store.clone(), rest.clone(), Arc::clone(prompts));
    move |dead| {
        let (now, rest, prompts) = (store.now(), rest.clone(), Arc::clone(&prompts));
        tokio::spawn(async move { finish(now, &rest, &prompts, dead).await });
    }
}

/// Give each exercise a crash cut short, still within its token's life at
/// `now` (on the database's clock, as its start), a gentle last line
/// instead of a frozen breath.
async fn finish(
    now: chrono::DateTime<chrono::Utc>,
    rest: &Rest,
    prompts: &Catalogs,
    unfinished: Vec<Unfinished>,
) {
    for session in unfinished {
        let words = prompts.for_discord(&session.locale);
        let text = words.breathing.messages.interrupted.plain();
        let age = now - session.started;
        if age.to_std().unwrap_or_default() >= TOKEN_LIFE {
            continue;
        }
        let mut screen = MessageScreen {
            rest: rest.clone(),
            application: session.application,
            token: session.token,
            start: Instant::now(),
            end_at: std::time::Duration::ZERO,
            end_components: no_rows(),
            not_before: None,
        };
        match screen.edit(&text, Some(&no_rows())).await {
            Ok(()) => tracing::info!("interrupted session finished"),
            Err(error) => tracing::info!(%error, "interrupted session gone"),
        }
    }
}

/// Stop (this session) and Stop the other one, by the owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), serenity::Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let words = &data.words(&origin.locale).breathing;
    match id.action {
        "stop" => {
            let session = id.payload.parse().ok();
            if session.is_some() && stop(data, origin.user, session).await {
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
        "stopother" => {
            stop(data, origin.user, None).await;
            let update = message(words.messages.other_stopped.plain()).components(Vec::new());
            origin
                .respond(http, CreateInteractionResponse::UpdateMessage(update))
                .await
        }
        _ => press.expired().await,
    }
}

/// Stop `user`'s session (only `session`, when given): here if this process
/// runs it, else through the database for the process that does. Returns
/// whether one was running.
async fn stop(data: &Data, user: u64, session: Option<u64>) -> bool {
    if data.sessions.stop(user, session) {
        return true;
    }
    data.store
        .request_stop(user, session)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "could not ask another process to stop a session");
            false
        })
}
