//! Logging: readable by default, JSON when configured; `RUST_LOG` wins over
//! the configured filter. Only ids and outcomes are logged, never user text.

use crate::config::{LogConfig, LogFormat};
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{filter_fn, EnvFilter};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// Libraries whose debug and trace output carries message payloads (what
/// people write, gateway events) or request headers (the token).
const PAYLOADS: [&str; 10] = [
    "serenity",
    "poise",
    "tungstenite",
    "tokio_tungstenite",
    "reqwest",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "sqlx",
];

pub fn init(log: &LogConfig) {
    let spec = std::env::var("RUST_LOG").unwrap_or_else(|_| log.filter.clone());
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let layer = match log.format {
        LogFormat::Pretty => layer.boxed(),
        LogFormat::Json => layer.json().boxed(),
    };
    tracing_subscriber::registry()
        .with(EnvFilter::new(spec))
        .with(layer.with_filter(filter_fn(loggable)))
        .init();
}

/// Modules that log, at `warn`, what they were handed whole: serenity a
/// gateway frame it cannot read (who used steady and what they typed), sqlx
/// an unknown connection parameter with its value (`?sslpassword=`).
/// Nothing is lost: serenity's shard also warns "Unhandled error: Json(…)"
/// of the same frame, with only the parser's reason and position.
const ECHOES: [&str; 2] = ["serenity::gateway::ws", "sqlx_postgres::options::parse"];

/// Whether an event or span may be logged at all: the payload-carrying
/// libraries never log below `info`, nor their spans (which record the
/// arguments, a whole gateway event among them), and the echoing modules
/// never log, whatever the filter asks, so no log level reveals what people
/// wrote, who they are, or a secret.
pub fn loggable(meta: &Metadata<'_>) -> bool {
    let target = meta.target();
    if ECHOES.iter().any(|module| within(target, module)) {
        return false;
    }
    !PAYLOADS.iter().any(|library| within(target, library))
        || (meta.is_event() && *meta.level() <= Level::INFO)
}

/// Whether `target` is `module` or inside it.
fn within(target: &str, module: &str) -> bool {
    target
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}
