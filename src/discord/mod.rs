//! The only place that speaks Discord: it turns interactions into calls on
//! the core and the core's answers into messages.

mod about;
mod anchors;
mod breathe;
mod budget;
mod calm;
mod checkin;
mod commands;
mod component;
mod confirm;
mod cooldown;
mod courier;
mod data;
mod dm;
mod error;
mod gateway;
mod ground;
mod headroom;
mod intent;
mod mydata;
mod origin;
mod paced;
mod press;
mod reach;
mod relax;
mod reply;
mod rest;
mod screen;
mod sessions;
mod soothe;
mod stamp;
mod support;
mod wait;
mod watch;

use crate::config::{Config, DiscordConfig, Token};
use crate::metrics::{Metrics, Outcome};
use crate::prompts::Catalogs;
use crate::schedule::{Policy, Scheduler, SystemClock};
use crate::store::Store;
use commands::{commands, push_commands, runnable};
use data::{Data, Error};
use poise::serenity_prelude as serenity;
use reach::Cause;
use sessions::Sessions;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// After shutdown, running exercises get this long to say their last words
/// (while the gateway closes), so steady is gone within 5 s.
const SESSION_DRAIN: Duration = Duration::from_secs(4);

/// Closing the gateway politely (a close frame, and Discord's answer) gets
/// this long; serenity's own wait is 5 s per shard, and forever when the
/// shard is down.
const CLOSE_BOUND: Duration = Duration::from_secs(2);

/// When several processes share the database, how often each looks for
/// check-ins another one set (a read of one row, 0.2 ms: BENCHMARKS.md).
const LOOK_AGAIN: Duration = Duration::from_secs(5);

/// Where Discord's Developer Portal lets the owner reset a bot's token.
const PORTAL: &str = "https://discord.com/developers/applications";

/// Why serving or registering stopped, by what the operator should do.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// HTTP 401, or the gateway's close code 4004: never tried again.
    #[error(
        "Discord rejected the bot token: DISCORD_TOKEN is wrong or was reset. \
         Reset the token in the Developer Portal ({PORTAL}, your application, Bot, \
         Reset Token) and set DISCORD_TOKEN to the new one"
    )]
    TokenRejected,
    /// No usable answer: a failed name lookup, a refused connection, a
    /// timeout, TLS, or Discord's own trouble (5xx).
    #[error("cannot reach Discord at {url}: {cause}")]
    Unreachable { url: String, cause: Cause },
    /// Discord answered and said no to what steady asked (not the token).
    #[error("Discord refused the request at {url}: {reason}")]
    Refused { url: String, reason: String },
    /// Anything else serenity reports.
    #[error("talking to Discord failed: {0}")]
    Failed(Box<serenity::Error>),
}

impl DiscordError {
    /// What a request to `url` that failed for `cause` means.
    fn new(url: &str, cause: Cause) -> Self {
        match cause {
            Cause::TokenRejected => Self::TokenRejected,
            cause if cause.is_passing() => Self::Unreachable {
                url: url.to_owned(),
                cause,
            },
            cause => Self::Refused {
                url: url.to_owned(),
                reason: cause.to_string(),
            },
        }
    }

    /// What serenity's `error`, on a request to `url`, means.
    fn from_serenity(url: &str, error: serenity::Error) -> Self {
        use serenity::{Error as E, GatewayError as G, HttpError as H};
        match error {
            E::Gateway(G::InvalidAuthentication) => Self::TokenRejected,
            E::Http(H::UnsuccessfulRequest(answer)) => match answer.status_code.as_u16() {
                401 => Self::TokenRejected,
                status => Self::Refused {
                    url: url.to_owned(),
                    reason: format!("HTTP {status}: {}", answer.error.message),
                },
            },
            E::Http(H::Request(error)) => Self::new(url, Cause::of(&error.without_url())),
            error => Self::Failed(Box::new(error)),
        }
    }
}

/// serenity's own rate limiter is off in every mode: it ignores a configured
/// API URL, and it throttles every interaction's edits under one bucket
/// (docs/ARCHITECTURE.md). steady paces its own traffic instead. serenity's
/// default client has no timeout, so it is given steady's ([`rest::client`]).
fn http(token: &Token, api_url: &str, client: reqwest::Client) -> serenity::Http {
    serenity::HttpBuilder::new(token.expose())
        .client(client)
        .proxy(api_url.trim_end_matches('/'))
        .ratelimiter_disabled(true)
        .build()
}

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
    let probe = gateway::Probe {
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
    let owner = shards.map(|shards| shards.name()).unwrap_or_default();
    let sessions = Sessions::new(stop.clone(), owner);
    let rest = rest::Rest::new(
        client.clone(),
        api_url,
        token.expose(),
        config.discord.budget(),
        Arc::clone(&metrics),
    );
    let courier = courier::DiscordCourier {
        rest: rest.clone(),
        store: store.clone(),
        prompts: Arc::clone(&prompts),
    };
    let policy = Policy {
        grace: config.checkin.grace(),
        max_failures: config.checkin.max_failures,
        look_again: shards.map(|_| LOOK_AGAIN),
    };
    let scheduler = Scheduler::new(
        store.clone(),
        Arc::new(SystemClock::default()),
        Arc::new(courier),
        policy,
        Arc::clone(&metrics),
    );
    let interrupted = paced::take_interrupted(&store, Some(sessions.owner())).await;
    let (interrupted_rest, interrupted_prompts) = (rest.clone(), Arc::clone(&prompts));
    tokio::spawn(async move {
        paced::finish(&interrupted_rest, &interrupted_prompts, interrupted).await;
    });
    tokio::spawn(Arc::clone(&sessions).watch(store.clone()));
    let data = Data {
        prompts: Arc::clone(&prompts),
        store,
        rest,
        sessions: Arc::clone(&sessions),
        breathe: config.breathe.clone(),
        wait: config.wait.clone(),
        schedule_changed: scheduler.changed(),
        dm_cooldown: cooldown::Cooldown::dms(),
        write_cooldown: cooldown::Cooldown::writes(),
        server_cooldown: cooldown::Cooldown::server_changes(),
    };
    let stop_checkins = stop.child_token();
    let checkins = tokio::spawn(scheduler.run(stop_checkins.clone()));
    // One process registers the bot's commands, not each of them.
    let register =
        config.discord.register_commands && shards.is_none_or(|shards| shards.first == 0);
    let commands = commands(&prompts);
    metrics.expect_commands(runnable(&commands));
    // `Framework::new`, not the builder: poise 0.7.1's builder overwrites
    // `initialize_owners` with its own default (true), and steady needs no
    // owners, so no request for them at start.
    let framework = poise::Framework::new(
        poise::FrameworkOptions {
            commands,
            on_error: |failure| Box::pin(error::on_error(failure)),
            // Before the command answers, so the language is kept in the
            // order the person used them.
            pre_command: |ctx| {
                Box::pin(async move {
                    let user = ctx.author().id.get();
                    checkin::keep_locale(&ctx.data().store, user, data::locale(ctx)).await;
                })
            },
            post_command: |ctx| {
                Box::pin(async move {
                    watch::command_ended(ctx, Outcome::Ok);
                    checkin::pause_notice(ctx).await;
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
    );

    let mut client =
        // GUILDS, only to hear that steady was removed from a server
        // (GUILD_DELETE), so what it keeps for that server goes too.
        serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::GUILDS)
            .framework(framework)
            .event_handler(watch::Gateway {
                metrics: Arc::clone(&metrics),
            })
            .await
            .map_err(|error| DiscordError::from_serenity(api_url, error))?;
    // The address Discord just gave, rather than the one serenity asked for
    // again (or its fallback, when that second request failed).
    *client.ws_url.lock().await = reached.url;
    let (manager, gateway) = (client.shard_manager.clone(), client.ws_url.clone());
    let following = tokio::spawn(watch::follow_gateway(manager.clone(), metrics));
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
        ended = start => ended.map_err(|error| DiscordError::from_serenity(api_url, error)),
        paced = probe.pace_redials(&manager, &gateway, &stop) => paced,
        () = stop.cancelled() => Ok(()),
    };
    stop.cancel();
    following.abort();
    tracing::info!("closing the gateway");
    // serenity's `shutdown_all` waits 5 s for a shard busy redialling, and
    // with no shard running it returns without ending `start`: that was the
    // old stop's 10 s, before `select!` stopped waiting on `start`.
    let close = tokio::time::timeout(CLOSE_BOUND, manager.shutdown_all());
    let (closed, ()) = tokio::join!(close, sessions.drain(SESSION_DRAIN));
    if closed.is_err() {
        tracing::info!("the gateway did not answer the close; leaving it");
    }
    stop_checkins.cancel();
    if let Err(error) = checkins.await {
        tracing::error!(%error, "the check-in scheduler failed");
    }
    outcome
}

/// Events poise does not route to a command: button presses, and being
/// removed from a server.
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
        // `unavailable` means an outage, which keeps everything.
        serenity::FullEvent::GuildDelete { incomplete, .. } if !incomplete.unavailable => {
            calm::forget_server(framework.user_data, incomplete.id.get(), "removed").await?;
        }
        _ => {}
    }
    Ok(())
}

/// Push the command list, described in `prompts`' words, globally (or to
/// one guild, for development) and return how many commands were registered.
pub async fn register(
    token: &Token,
    discord: &DiscordConfig,
    prompts: &Catalogs,
    guild: Option<u64>,
) -> Result<usize, DiscordError> {
    let failed = |error| DiscordError::from_serenity(&discord.api_url, error);
    let client = rest::client(discord.request_timeout());
    let http = http(token, &discord.api_url, client);
    let app = http.get_current_application_info().await.map_err(failed)?;
    http.set_application_id(app.id);
    let commands = commands(prompts);
    push_commands(&http, &commands, guild.map(serenity::GuildId::new))
        .await
        .map_err(failed)?;
    Ok(commands.len())
}
