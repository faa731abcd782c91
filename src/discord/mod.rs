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
mod error;
mod gateway;
mod ground;
mod headroom;
mod intent;
mod interaction;
mod journal;
mod modal;
mod mydata;
mod paced;
mod press;
mod reach;
mod reframe;
mod relax;
mod reply;
mod rest;
mod screen;
mod send;
mod serve;
mod sessions;
mod shards;
mod soothe;
mod stamp;
mod submit;
mod support;
mod wait;
mod watch;

pub use serve::serve;

use crate::config::{DiscordConfig, Token};
use crate::prompts::Catalogs;
use commands::{commands, push_commands};
use poise::serenity_prelude as serenity;
use reach::Cause;

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
