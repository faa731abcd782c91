//! The only place that speaks Discord: it turns interactions into calls on
//! the core and the core's answers into messages.

mod about;
mod anchors;
mod breathe;
mod budget;
mod checkin;
mod component;
mod cooldown;
mod courier;
mod data;
mod dm;
mod error;
mod ground;
mod intent;
mod mydata;
mod origin;
mod paced;
mod press;
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

use crate::checkin::scheduler::{Policy, Scheduler, SystemClock};
use crate::config::{Config, DiscordConfig, Token};
use crate::metrics::{Metrics, Outcome};
use crate::prompts::{Catalog, Commands};
use crate::store::Store;
use data::{Data, Error};
use poise::serenity_prelude as serenity;
use sessions::Sessions;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// After shutdown, running exercises get this long to say their last words.
const SESSION_DRAIN: Duration = Duration::from_secs(5);

/// Why serving or registering stopped, by what the operator should look at.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// Discord answered and said no: the token, or what steady asked for.
    #[error("Discord rejected the request (check the bot token): {0}")]
    Rejected(Box<serenity::Error>),
    /// No usable answer came back: DNS, a refused connection, TLS, a timeout
    /// or a dropped gateway.
    #[error("could not reach Discord (check the network and discord.api_url): {0}")]
    Unreachable(Box<serenity::Error>),
    /// Anything else serenity reports.
    #[error("talking to Discord failed: {0}")]
    Failed(Box<serenity::Error>),
}

impl From<serenity::Error> for DiscordError {
    fn from(error: serenity::Error) -> Self {
        use serenity::{Error as E, GatewayError as G, HttpError as H};
        match &error {
            E::Http(H::UnsuccessfulRequest(_))
            | E::Gateway(
                G::InvalidAuthentication | G::InvalidGatewayIntents | G::DisallowedGatewayIntents,
            ) => Self::Rejected(Box::new(error)),
            E::Http(H::Request(_)) | E::Io(_) | E::Tungstenite(_) | E::Gateway(_) => {
                Self::Unreachable(Box::new(error))
            }
            _ => Self::Failed(Box::new(error)),
        }
    }
}

/// Every command, described in the words of `prompts/commands.toml`.
fn commands(prompts: &Catalog) -> Vec<poise::Command<Data, Error>> {
    let mut commands = vec![
        about::about(),
        with_choices(
            breathe::breathe(),
            "pattern",
            &prompts.breathing.patterns,
            |p| &p.name,
        ),
        anchors::anchors(),
        support::support(),
        ground::ground(),
        soothe::soothe(),
        with_choices(relax::relax(), "pace", &prompts.relax.paces, |p| &p.name),
        checkin::checkin(),
        mydata::mydata(),
    ];
    for command in &mut commands {
        describe(command, &prompts.commands);
    }
    commands
}

/// The full names of the commands people run (`anchors add`, not `anchors`).
fn runnable(commands: &[poise::Command<Data, Error>]) -> Vec<&str> {
    commands
        .iter()
        .flat_map(|command| match command.subcommands.as_slice() {
            [] => vec![&*command.qualified_name],
            subcommands => runnable(subcommands),
        })
        .collect()
}

/// Words are keyed by the full name (`anchors add` for a subcommand).
fn describe(command: &mut poise::Command<Data, Error>, words: &Commands) {
    // poise fills in `qualified_name` only when the framework is built.
    for subcommand in &mut command.subcommands {
        subcommand.qualified_name =
            format!("{} {}", command.qualified_name, subcommand.name).into();
        describe(subcommand, words);
    }
    let Some(words) = words.get(&command.qualified_name) else {
        return;
    };
    command.description = Some(words.description.plain().into());
    for parameter in &mut command.parameters {
        if let Some(text) = words.options.get(parameter.name.as_ref()) {
            parameter.description = Some(text.plain().into());
        }
    }
}

/// `command` with one of its options offered as a choice of `items` from
/// prompts, by name; Discord then sends the chosen item's index.
fn with_choices<T>(
    mut command: poise::Command<Data, Error>,
    option: &str,
    items: &[T],
    name: impl Fn(&T) -> &String,
) -> poise::Command<Data, Error> {
    if let Some(parameter) = command.parameters.iter_mut().find(|p| p.name == option) {
        parameter.choices = items
            .iter()
            .map(|item| poise::CommandParameterChoice {
                name: name(item).clone().into(),
                localizations: Default::default(),
                __non_exhaustive: (),
            })
            .collect();
    }
    command
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
    prompts: Arc<Catalog>,
    store: Store,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let client = rest::client(config.discord.request_timeout());
    let http = http(token, &config.discord.api_url, client.clone());
    let sessions = Sessions::new(shutdown.clone());
    let rest = rest::Rest::new(
        client,
        &config.discord.api_url,
        token.expose(),
        config.discord.requests_per_second,
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
    };
    let scheduler = Scheduler::new(
        store.clone(),
        Arc::new(SystemClock::default()),
        Arc::new(courier),
        policy,
        Arc::clone(&metrics),
    );
    let (interrupted_rest, interrupted_store) = (rest.clone(), store.clone());
    let interrupted_prompts = Arc::clone(&prompts);
    tokio::spawn(async move {
        paced::finish_interrupted(&interrupted_rest, &interrupted_store, &interrupted_prompts)
            .await;
    });
    let data = Data {
        prompts: Arc::clone(&prompts),
        store,
        rest,
        sessions: Arc::clone(&sessions),
        breathe: config.breathe.clone(),
        checkins_changed: scheduler.changed(),
        dm_cooldown: cooldown::Cooldown::dms(),
        write_cooldown: cooldown::Cooldown::writes(),
    };
    // Its own token, so it also stops when the gateway ends for another reason.
    let stop_checkins = shutdown.child_token();
    let checkins = tokio::spawn(scheduler.run(stop_checkins.clone()));
    let register = config.discord.register_commands;
    let commands = commands(&prompts);
    metrics.expect_commands(runnable(&commands));
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            on_error: |failure| Box::pin(error::on_error(failure)),
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
        })
        .setup(move |ctx, ready, framework| {
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
        })
        .build();

    let mut client =
        serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::empty())
            .framework(framework)
            .event_handler(watch::Gateway {
                metrics: Arc::clone(&metrics),
            })
            .await
            .map_err(DiscordError::from)?;
    let shards = client.shard_manager.clone();
    let following = tokio::spawn(watch::follow_gateway(shards.clone(), metrics));
    let stopper = tokio::spawn(async move {
        shutdown.cancelled().await;
        tracing::info!("closing the gateway");
        shards.shutdown_all().await;
    });
    let outcome = client.start().await;
    stopper.abort();
    following.abort();
    sessions.drain(SESSION_DRAIN).await;
    stop_checkins.cancel();
    if let Err(error) = checkins.await {
        tracing::error!(%error, "the check-in scheduler failed");
    }
    outcome.map_err(DiscordError::from)
}

/// Events poise does not route to a command: button presses.
async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    if let serenity::FullEvent::InteractionCreate {
        interaction: serenity::Interaction::Component(press),
    } = event
    {
        let http = &framework.serenity_context.http;
        press::route(http, framework.user_data, press).await;
    }
    Ok(())
}

/// Push the command list, described in `prompts`' words, globally (or to
/// one guild, for development) and return how many commands were registered.
pub async fn register(
    token: &Token,
    discord: &DiscordConfig,
    prompts: &Catalog,
    guild: Option<u64>,
) -> Result<usize, DiscordError> {
    let client = rest::client(discord.request_timeout());
    let http = http(token, &discord.api_url, client);
    let app = http.get_current_application_info().await?;
    http.set_application_id(app.id);
    let commands = commands(prompts);
    push_commands(&http, &commands, guild.map(serenity::GuildId::new)).await?;
    Ok(commands.len())
}

async fn push_commands(
    http: &serenity::Http,
    commands: &[poise::Command<Data, Error>],
    guild: Option<serenity::GuildId>,
) -> Result<(), serenity::Error> {
    match guild {
        Some(guild) => poise::builtins::register_in_guild(http, commands, guild).await,
        None => poise::builtins::register_globally(http, commands).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_option_has_words_in_prompts() {
        fn check(command: &poise::Command<Data, Error>, prompts: &Catalog) {
            let name = &command.qualified_name;
            let words = prompts.commands.get(name);
            assert!(words.is_some(), "/{name} has no words");
            for parameter in &command.parameters {
                assert!(
                    words.unwrap().options.contains_key(parameter.name.as_ref()),
                    "/{name} {} has no words",
                    parameter.name
                );
            }
            for subcommand in &command.subcommands {
                check(subcommand, prompts);
            }
        }
        let prompts = Catalog::load(None).unwrap();
        for command in commands(&prompts) {
            check(&command, &prompts);
        }
    }
}
