//! The only place that speaks Discord: it turns interactions into calls on
//! the core and the core's answers into messages.

mod about;
mod error;
mod reply;

use crate::config::Config;
use crate::prompts::Catalog;
use poise::serenity_prelude as serenity;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// What every command can reach.
pub(crate) struct Data {
    pub prompts: Arc<Catalog>,
}

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Context<'a> = poise::Context<'a, Data, Error>;

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord rejected the request: {0}")]
    Http(#[from] serenity::Error),
}

fn commands() -> Vec<poise::Command<Data, Error>> {
    vec![about::about()]
}

/// serenity's own rate limiter is off in every mode: it ignores a configured
/// API URL, and it throttles every interaction's edits under one bucket
/// (docs/ARCHITECTURE.md). steady paces its own traffic instead.
fn http(config: &Config) -> Result<serenity::Http, crate::config::ConfigError> {
    Ok(serenity::HttpBuilder::new(config.token()?.expose())
        .proxy(config.discord.api_url.trim_end_matches('/'))
        .ratelimiter_disabled(true)
        .build())
}

/// Connect to the gateway and answer interactions until `shutdown` fires.
pub async fn serve(
    config: &Config,
    prompts: Arc<Catalog>,
    shutdown: CancellationToken,
) -> Result<(), crate::RunError> {
    let http = http(config)?;
    let register = config.discord.register_commands;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands(),
            on_error: |failure| Box::pin(error::on_error(failure)),
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
                Ok(Data { prompts })
            })
        })
        .build();

    let mut client =
        serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::empty())
            .framework(framework)
            .await
            .map_err(DiscordError::from)?;
    let shards = client.shard_manager.clone();
    let stopper = tokio::spawn(async move {
        shutdown.cancelled().await;
        tracing::info!("closing the gateway");
        shards.shutdown_all().await;
    });
    let outcome = client.start().await;
    stopper.abort();
    outcome.map_err(|error| DiscordError::from(error).into())
}

/// Push the command list globally (or to one guild, for development) and
/// return how many commands were registered.
pub async fn register(config: &Config, guild: Option<u64>) -> Result<usize, crate::RunError> {
    let http = http(config)?;
    let app = http
        .get_current_application_info()
        .await
        .map_err(DiscordError::from)?;
    http.set_application_id(app.id);
    let commands = commands();
    push_commands(&http, &commands, guild.map(serenity::GuildId::new))
        .await
        .map_err(DiscordError::from)?;
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
