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

/// Whether an event may be logged at all: the payload-carrying libraries
/// never log below `info`, whatever the filter asks, so no log level
/// reveals what people wrote or the token.
pub fn loggable(meta: &Metadata<'_>) -> bool {
    let target = meta.target();
    *meta.level() <= Level::INFO
        || !PAYLOADS.iter().any(|name| {
            target
                .strip_prefix(name)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}
