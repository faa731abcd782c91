//! steady: a gentle Discord bot for calming anxious attachment.
//!
//! The core (`prompts`, `store`) knows nothing of Discord; `discord` is the
//! only module that speaks it. [`run`] starts the whole bot, in process, so
//! end-to-end tests exercise exactly what production runs.

pub mod anchors;
pub mod checkin;
pub mod config;
pub mod daily;
mod discord;
pub mod help_line;
pub mod journal;
pub mod metrics;
pub mod pace;
pub mod preview;
pub mod privacy;
pub mod prompts;
pub mod schedule;
pub mod store;
pub mod telemetry;
pub mod timing;
mod toml_file;
pub mod visible;

pub use discord::DiscordError;
pub use tokio_util::sync::CancellationToken;

use config::{Config, ConfigError};
use metrics::{Endpoint, Metrics};
use prompts::{Catalogs, Problem};
use std::sync::Arc;
use store::{BackupError, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("the prompts have problems:\n{}", list(.0))]
    Prompts(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Discord(#[from] DiscordError),
    #[error(transparent)]
    Metrics(#[from] metrics::ListenError),
    /// A request steady will not run, with the words that say why.
    #[error("{0}")]
    Refused(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| format!("  {problem}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Load the prompts `config` points at (or the built-in ones), in every
/// language.
pub fn load_prompts(config: &Config) -> Result<Catalogs, RunError> {
    Catalogs::load(config.prompts.dir.as_deref()).map_err(RunError::Prompts)
}

/// Push the command list globally (or to one guild, for development) and
/// return how many commands were registered.
pub async fn register(config: &Config, guild: Option<u64>) -> Result<usize, RunError> {
    let prompts = load_prompts(config)?;
    let token = config.token()?;
    Ok(discord::register(token, &config.discord, &prompts, guild).await?)
}

/// Run the bot until `shutdown` is cancelled: check the token and prompts,
/// bind the metrics endpoint if one is set, open (and migrate) the
/// database, serve Discord (and the endpoint), then close cleanly.
pub async fn run(config: Config, shutdown: CancellationToken) -> Result<(), RunError> {
    let token = config.token()?;
    let prompts = Arc::new(load_prompts(&config)?);
    let endpoint = match config.metrics.address() {
        Some(address) => Some(Endpoint::bind(address).await?),
        None => None,
    };
    let store = Store::open_with(&config.database.url, &config.privacy).await?;
    tracing::info!("database ready");
    let metrics = Arc::new(Metrics::new());
    // Its own token, so it also stops when serving ends for another reason.
    let stop_watching = shutdown.child_token();
    let watching = endpoint
        .map(|endpoint| endpoint.serve(Arc::clone(&metrics), store.clone(), stop_watching.clone()));
    let outcome = discord::serve(&config, token, prompts, store.clone(), metrics, shutdown).await;
    stop_watching.cancel();
    if let Some(server) = watching {
        let _ = server.await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(outcome?)
}
