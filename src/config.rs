//! Settings: built-in defaults, then a TOML file, then environment overrides.
//! Every key and its reason are documented in `config.example.toml`.

mod api_url;
mod discord;
mod origin;
mod shards;
mod validate;

pub use discord::{DiscordConfig, Pace, Token};
pub use origin::{Origin, Setting};

use crate::timing::{GRACE_MINUTES, MAX_BREATHE_MINUTES};
use crate::toml_file::{self, TomlProblem};
use origin::Origins;
use serde::Deserialize;
pub use shards::Shards;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file read from the working directory when no `--config` is given.
pub const DEFAULT_FILE: &str = "steady.toml";

/// Sets one key from the environment.
type Override = fn(&mut Config, String);

/// The environment variables that override a key: (variable, key, setter).
const ENV_OVERRIDES: [(&str, &str, Override); 8] = [
    ("DISCORD_TOKEN", "discord.token", |config, value| {
        config.discord.token = Some(Token(value.trim().to_owned()));
    }),
    ("DATABASE_URL", "database.url", |config, value| {
        config.database.url = value;
    }),
    (
        "STEADY_DISCORD_API_URL",
        "discord.api_url",
        |config, value| {
            config.discord.api_url = value;
        },
    ),
    // One config file for every process of a bot; each is told its shards.
    (
        "STEADY_DISCORD_SHARDS",
        "discord.shards",
        |config, value| {
            config.discord.shards = Some(value);
        },
    ),
    (
        "STEADY_DISCORD_SHARD_COUNT",
        "discord.shard_count",
        // Not a number counts as 0, which `validate` refuses by name.
        |config, value| {
            config.discord.shard_count = Some(value.trim().parse().unwrap_or(0));
        },
    ),
    (
        "STEADY_DISCORD_NONCE_WINDOW_SECONDS",
        "discord.nonce_window_seconds",
        // Not a number counts as 0, which `validate` refuses by name.
        |config, value| {
            config.discord.nonce_window_seconds = value.trim().parse().unwrap_or(0);
        },
    ),
    // systemd's credentials: `Environment=STEADY_MASTER_KEY_FILE=%d/master-key`.
    (
        "STEADY_MASTER_KEY_FILE",
        "privacy.master_key_file",
        |config, value| {
            config.privacy.master_key_file = Some(value.into());
        },
    ),
    (
        "STEADY_METRICS_LISTEN",
        "metrics.listen",
        |config, value| {
            config.metrics.listen = Some(value);
        },
    ),
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub discord: DiscordConfig,
    pub database: DatabaseConfig,
    pub checkin: CheckinConfig,
    pub breathe: BreatheConfig,
    pub wait: WaitConfig,
    pub log: LogConfig,
    pub prompts: PromptsConfig,
    pub metrics: MetricsConfig,
    pub privacy: crate::privacy::Settings,
    /// Where each value came from, for messages that name what to fix.
    #[serde(skip)]
    origins: Origins,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
}

/// The URL may hold a password, so `Debug` shows it masked.
impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &crate::store::shown(&self.url))
            .finish()
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://steady.db".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckinConfig {
    pub grace_minutes: u32,
    pub max_failures: u32,
}

impl CheckinConfig {
    pub fn grace(&self) -> Duration {
        Duration::from_secs(u64::from(self.grace_minutes) * 60)
    }
}

impl Default for CheckinConfig {
    fn default() -> Self {
        Self {
            grace_minutes: GRACE_MINUTES,
            max_failures: 3,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreatheConfig {
    pub max_minutes: u32,
    pub lead_in_seconds: u32,
}

impl Default for BreatheConfig {
    fn default() -> Self {
        Self {
            max_minutes: MAX_BREATHE_MINUTES,
            lead_in_seconds: 3,
        }
    }
}

impl BreatheConfig {
    pub fn max_length(&self) -> Duration {
        Duration::from_secs(u64::from(self.max_minutes) * 60)
    }

    pub fn lead_in(&self) -> Duration {
        Duration::from_secs(u64::from(self.lead_in_seconds))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WaitConfig {
    /// How long one minute of `/wait` lasts, in milliseconds: 60000. Only
    /// tests shorten it, so a wait takes seconds.
    pub minute_ms: u32,
}

impl Default for WaitConfig {
    fn default() -> Self {
        Self { minute_ms: 60_000 }
    }
}

impl WaitConfig {
    /// How long a wait of `minutes` lasts.
    pub fn length(&self, minutes: u32) -> chrono::TimeDelta {
        chrono::TimeDelta::milliseconds(i64::from(self.minute_ms) * i64::from(minutes))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub filter: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            filter: "info".to_owned(),
            format: LogFormat::Pretty,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PromptsConfig {
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where to serve /healthz, /readyz and /metrics; unset: nowhere.
    pub listen: Option<String>,
}

impl MetricsConfig {
    /// The address to listen on, once `Config::load` has checked it.
    pub fn address(&self) -> Option<SocketAddr> {
        self.listen.as_deref()?.trim().parse().ok()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {problem}")]
    Parse { path: PathBuf, problem: TomlProblem },
    #[error("{at}: {message}")]
    Invalid { at: Setting, message: String },
    #[error(
        "no Discord bot token is set.\n\
         To get one: open https://discord.com/developers/applications, create an \
         application (or choose yours), open \"Bot\" and press \"Reset Token\".\n\
         Then start steady with it in the environment, for example:\n    \
         DISCORD_TOKEN=your-token cargo run --release\n\
         The token is never printed or logged."
    )]
    MissingToken,
}

impl Config {
    /// Load from `path`, else from `steady.toml` in the working directory if it
    /// exists, else the defaults; then apply environment overrides through
    /// `env` (a function so tests need not touch the process environment).
    pub fn load(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let default_file = Path::new(DEFAULT_FILE);
        let file = match path {
            Some(path) => Some(path),
            None => default_file.exists().then_some(default_file),
        };
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None => Config::default(),
        };
        config.origins.file = file.map(Path::to_owned);
        config.apply_env(env);
        config.validate()?;
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml_file::parse(&text).map_err(|problem| ConfigError::Parse {
            path: path.to_owned(),
            problem,
        })
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) {
        for (variable, key, set) in ENV_OVERRIDES {
            if let Some(value) = env(variable).filter(|value| !value.trim().is_empty()) {
                set(self, value);
                self.origins.env.push((key, variable));
            }
        }
    }

    /// Where the value of `key` (like `"database.url"`) came from.
    pub fn setting(&self, key: &'static str) -> Setting {
        self.origins.of(key)
    }

    /// Settings that work but deserve a second look; `run` logs them at
    /// start and `steady check` shows them.
    pub fn warnings(&self) -> Vec<String> {
        let cleartext = api_url::cleartext(&self.discord.api_url)
            .map(|warning| (self.setting("discord.api_url"), warning));
        let pace = (self.discord.over_discords_limit())
            .map(|warning| (self.setting("discord.requests_per_second"), warning));
        (cleartext.into_iter().chain(pace))
            .map(|(setting, warning)| format!("{setting}: {warning}"))
            .collect()
    }

    /// The token, or a message that says how to get one.
    pub fn token(&self) -> Result<&Token, ConfigError> {
        self.discord.token.as_ref().ok_or(ConfigError::MissingToken)
    }
}
