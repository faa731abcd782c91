//! The `[discord]` section: the token, where Discord is, how fast this
//! process may send, and which shards it runs.

use super::Shards;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Discord's global limit on a bot's requests per second.
pub(super) const DISCORD_GLOBAL_PER_SECOND: u32 = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    pub token: Option<Token>,
    pub api_url: String,
    pub register_commands: bool,
    /// steady's own budget for bot-token requests (DMs), under Discord's
    /// global 50 per second.
    pub requests_per_second: u32,
    /// How long one HTTP request to Discord may take, serenity's included.
    pub request_timeout_seconds: u32,
    /// How long steady trusts Discord to remember a message's nonce: a
    /// create that may have acted is retried only this long after.
    pub nonce_window_seconds: u32,
    /// How many gateway shards the whole bot has, over all its processes;
    /// unset, one process runs as many as Discord recommends.
    pub shard_count: Option<u32>,
    /// This process's shards, like "0-3"; unset, all of `shard_count`.
    pub shards: Option<String>,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        Self {
            token: None,
            api_url: "https://discord.com".to_owned(),
            register_commands: true,
            requests_per_second: 48,
            request_timeout_seconds: crate::timing::REQUEST_TIMEOUT_SECONDS,
            nonce_window_seconds: crate::timing::NONCE_WINDOW_SECONDS,
            shard_count: None,
            shards: None,
        }
    }
}

impl DiscordConfig {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.request_timeout_seconds))
    }

    pub fn nonce_window(&self) -> Duration {
        Duration::from_secs(u64::from(self.nonce_window_seconds))
    }

    /// This process's shards, once `Config::load` has checked them; None
    /// when the bot runs as one unsharded process.
    pub fn shards(&self) -> Option<Shards> {
        Shards::parse(self.shards.as_deref(), self.shard_count?).ok()
    }

    /// This process's part of `requests_per_second`. Alone, it may take
    /// two turns at once to make up one taken late; then a window holds
    /// `requests_per_second + 1`, still under Discord's 50 by default.
    pub fn budget(&self) -> Pace {
        let alone = Pace {
            per_second: self.requests_per_second,
            burst: 2,
        };
        self.shards()
            .map_or(alone, |shards| shards.budget(self.requests_per_second))
    }

    /// A warning when this process alone may put more in one second than
    /// Discord's global limit: its burst takes a late turn early, so a
    /// window can hold `requests_per_second + 1`. Processes sharing the
    /// bot each give up one instead (`Shards::budget`).
    pub(super) fn over_discords_limit(&self) -> Option<String> {
        let pace = self.budget();
        let early = pace.burst.saturating_sub(1);
        let busiest = pace.per_second + early;
        (self.shards().is_none() && busiest > DISCORD_GLOBAL_PER_SECOND).then(|| {
            format!(
                "{} a second can put {busiest} requests into one second (a late turn is made \
                 up at once), over Discord's global limit of {DISCORD_GLOBAL_PER_SECOND}, which \
                 Discord answers with 429s; {} or less stays within it",
                self.requests_per_second,
                DISCORD_GLOBAL_PER_SECOND - early
            )
        })
    }
}

/// How fast a process may send bot-token requests: `per_second`, evenly
/// spaced, at most `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub per_second: u32,
    pub burst: u32,
}

/// The bot token. It never appears in `Debug` output, so it cannot reach a log.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Token(pub(super) String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(hidden)")
    }
}
