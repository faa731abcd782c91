//! Serving, in the order it happens: reach Discord, start what runs beside
//! the gateway (the scheduler, the exercises the last run left, the
//! sessions' watch), answer until shutdown, then close the gateway and let
//! exercises and deliveries finish, each within a bound.

use super::commands::{commands, push_commands, runnable};
use super::courier::DiscordCourier;
use super::data::{locale, Data, Error};
use super::gateway::Probe;
use super::reach::GatewayBot;
use super::rest::{self, Rest, Trust};
use super::sessions::Sessions;
use super::{
    calm, checkin, cooldown, error, http, journal, paced, press, submit, watch, DiscordError,
};
use crate::config::{Config, Shards, Token};
use crate::metrics::{Metrics, Outcome};
use crate::prompts::Catalogs;
use crate::schedule::{in_flight, DatabaseClock, Policy, Scheduler};
use crate::store::Store;
use crate::timing::{CLOSE_BOUND, LOOK_AGAIN, SESSION_DRAIN};
use poise::serenity_prelude as serenity;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Connect to the gateway and answer interactions until `shutdown` fires.
pub async fn serve(
    config: &Config,
    token: &Token,
    prompts: Arc<Catalogs>,
    store: Store,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let api_url = config.discord.api_url.as_str();
    let client = rest::client(config.discord.request_timeout());
    let probe = Probe {
        client: &client,
        api_url,
        token: token.expose(),
    };
    let Some(reached) = probe.until_reached(&shutdown).await? else {
        return Ok(());
    };
    let http = http(token, api_url, client.clone());
    // Its own token, so that sessions also end when the gateway ends for
    // another reason (a token rejected mid-run).
    let stop = shutdown.child_token();
    let shards = config.discord.shards();
    let name = shards.map(|shards| shards.name()).unwrap_or_default();
    let sessions = Sessions::new(stop.clone(), name);
    let rest = Rest::new(
        client.clone(),
        api_url,
        token.expose(),
        config.discord.budget(),
        Trust {
            timeout: config.discord.request_timeout(),
            nonce_window: config.discord.nonce_window(),
        },
        Arc::clone(&metrics),
    );
    let scheduler = scheduler(config, &rest, &store, &prompts, &metrics);
    // Before connecting: taken later, an exercise begun in the first
    // instants would look like one a crash cut short.
    let finish = paced::finisher(&store, &rest, &prompts);
    sessions.arrive(&store, &finish).await;
    tokio::spawn(Arc::clone(&sessions).watch(store.clone(), finish));
    let leave = store.clone();
    let data = data(
        config,
        &prompts,
        store,
        rest,
        &sessions,
        scheduler.changed(),
    );
    // A child of `stop`: the scheduler stops as the gateway closes.
    let checkins = tokio::spawn(scheduler.run(stop.child_token()));
    let framework = framework(config, &prompts, &metrics, data);
    let mut client = serenity_client(http, framework, &metrics, api_url).await?;
    let outcome = answer(&mut client, reached, shards, &probe, &stop, metrics).await;
    close(&client.shard_manager, &sessions).await;
    sessions.leave(&leave).await;
    if let Err(error) = checkins.await {
        tracing::error!(%error, "the check-in scheduler failed");
    }
    outcome
}

/// The scheduler, delivering through Discord. Beside other processes it
/// also looks again every [`LOOK_AGAIN`] for what they set.
fn scheduler(
    config: &Config,
    rest: &Rest,
    store: &Store,
    prompts: &Arc<Catalogs>,
    metrics: &Arc<Metrics>,
) -> Scheduler<DatabaseClock, DiscordCourier> {
    let courier = DiscordCourier {
        rest: rest.clone(),
        store: store.clone(),
        prompts: Arc::clone(prompts),
    };
    let policy = Policy {
        in_flight: in_flight(config.discord.budget().per_second),
        grace: config.checkin.grace(),
        max_failures: config.checkin.max_failures,
        look_again: config.discord.shards().map(|_| LOOK_AGAIN),
        nonce_window: config.discord.nonce_window(),
    };
    Scheduler::new(
        store.clone(),
        Arc::new(DatabaseClock::new(store.clone())),
        Arc::new(courier),
        policy,
        Arc::clone(metrics),
    )
}

/// What every command and button handler is given.
fn data(
    config: &Config,
    prompts: &Arc<Catalogs>,
    store: Store,
    rest: Rest,
    sessions: &Arc<Sessions>,
    schedule_changed: Arc<Notify>,
) -> Data {
    Data {
        prompts: Arc::clone(prompts),
        store,
        rest,
        sessions: Arc::clone(sessions),
        breathe: config.breathe.clone(),
        wait: config.wait.clone(),
        schedule_changed,
        dm_cooldown: cooldown::Cooldown::dms(),
        write_cooldown: cooldown::Cooldown::writes(),
        server_cooldown: cooldown::Cooldown::server_changes(),
    }
}

/// poise's framework: steady's commands, what runs before and after each,
/// the events it routes, and on connecting, the commands registered (by one
/// process, not each of them) and `data` handed over.
fn framework(
    config: &Config,
    prompts: &Catalogs,
    metrics: &Metrics,
    data: Data,
) -> poise::Framework<Data, Error> {
    let register = config.discord.register_commands
        && config
            .discord
            .shards()
            .is_none_or(|shards| shards.first == 0);
    let commands = commands(prompts);
    metrics.expect_commands(runnable(&commands));
    // `Framework::new`, not the builder: poise 0.7.1's builder overwrites
    // `initialize_owners` with its own default (true), and steady needs no
    // owners, so no request for them at start.
    poise::Framework::new(
        poise::FrameworkOptions {
            commands,
            on_error: |failure| Box::pin(error::on_error(failure)),
            // Before the command answers, so the language is kept in the
            // order the person used them.
            pre_command: |ctx| {
                Box::pin(async move {
                    let user = ctx.author().id.get();
                    checkin::keep_locale(&ctx.data().store, user, locale(ctx)).await;
                })
            },
            post_command: |ctx| {
                Box::pin(async move {
                    watch::command_ended(ctx, Outcome::Ok);
                    checkin::pause_notice(ctx).await;
                    journal::pause_notice(ctx).await;
                })
            },
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            // Nobody is ever pinged by steady, even when it echoes their words.
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            initialize_owners: false,
            ..Default::default()
        },
        move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.id, "connected to Discord");
                // A failed registration is not fatal: the commands Discord
                // already knows keep working.
                if register {
                    let commands = &framework.options().commands;
                    match push_commands(&ctx.http, commands, None).await {
                        Ok(()) => tracing::info!(count = commands.len(), "commands registered"),
                        Err(error) => tracing::warn!(%error, "could not register commands"),
                    }
                }
                Ok(data)
            })
        },
    )
}

/// serenity's client over `http`, running `framework`, with the gateway's
/// sessions counted for the operator.
async fn serenity_client(
    http: serenity::Http,
    framework: poise::Framework<Data, Error>,
    metrics: &Arc<Metrics>,
    api_url: &str,
) -> Result<serenity::Client, DiscordError> {
    // GUILDS, only to hear that steady was removed from a server
    // (GUILD_DELETE), so what it keeps for that server goes too.
    serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::GUILDS)
        .framework(framework)
        .event_handler(watch::Gateway {
            metrics: Arc::clone(metrics),
        })
        .await
        .map_err(|error| DiscordError::from_serenity(api_url, error))
}

/// Start this process's shards at the address Discord gave (`reached`) and
/// answer until the gateway ends or `stop` fires; then `stop` everything
/// beside it.
async fn answer(
    client: &mut serenity::Client,
    reached: GatewayBot,
    shards: Option<Shards>,
    probe: &Probe<'_>,
    stop: &CancellationToken,
    metrics: Arc<Metrics>,
) -> Result<(), DiscordError> {
    // The address Discord just gave, rather than the one serenity asked for
    // again (or its fallback, when that second request failed).
    *client.ws_url.lock().await = reached.url;
    let (manager, gateway) = (client.shard_manager.clone(), client.ws_url.clone());
    // Every shard this process runs, each to be connected before it is
    // ready: alone, as many as Discord recommends, numbered from 0.
    let own = shards.map_or(0..=reached.shards.max(1) - 1, |shards| shards.ids());
    let following = tokio::spawn(watch::follow_gateway(manager.clone(), own.clone(), metrics));
    // `start` ends by itself only when the gateway refuses the token (4004);
    // a lost connection is serenity's to redial, at the pace set here.
    let start = async {
        match shards {
            // serenity 0.12 reads this range's end as the last shard, not
            // one past it.
            Some(shards) => {
                client
                    .start_shard_range(shards.first..shards.last, shards.count)
                    .await
            }
            // Alone, every shard Discord recommends (one below 2,500
            // servers), from the answer already in hand.
            None => client.start_shards(reached.shards.max(1)).await,
        }
    };
    let outcome = tokio::select! {
        ended = start => ended.map_err(|error| DiscordError::from_serenity(probe.api_url, error)),
        paced = probe.pace_redials(&manager, &own, &gateway, stop) => paced,
        () = stop.cancelled() => Ok(()),
    };
    stop.cancel();
    following.abort();
    outcome
}

/// Close the gateway while running exercises say their last words, each
/// within its bound.
async fn close(manager: &serenity::ShardManager, sessions: &Sessions) {
    tracing::info!("closing the gateway");
    // serenity's `shutdown_all` waits 5 s for a shard busy redialling, and
    // with no shard running it returns without ending `start`: that was the
    // old stop's 10 s, before `select!` stopped waiting on `start`.
    let close = tokio::time::timeout(CLOSE_BOUND, manager.shutdown_all());
    let (closed, ()) = tokio::join!(close, sessions.drain(SESSION_DRAIN));
    if closed.is_err() {
        tracing::info!("the gateway did not answer the close; leaving it");
    }
}

/// Events poise does not route to a command: button presses, modals'
/// submits, and being removed from a server.
async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => {
            let http = &framework.serenity_context.http;
            press::route(http, framework.user_data, press).await;
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(form),
        } => {
            let http = &framework.serenity_context.http;
            submit::route(http, framework.user_data, form).await;
        }
        // `unavailable` means an outage, which keeps everything.
        serenity::FullEvent::GuildDelete { incomplete, .. } if !incomplete.unavailable => {
            calm::forget_server(framework.user_data, incomplete.id.get(), "removed").await?;
        }
        _ => {}
    }
    Ok(())
}
