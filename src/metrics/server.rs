//! The operator's endpoints on `[metrics] listen`: `/healthz` (the process
//! answers), `/readyz` (ready to serve, or why not) and `/metrics`.

use super::{Metrics, CONTENT_TYPE};
use crate::store::Store;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A database that takes longer than this to answer `SELECT 1` is not ready:
/// well under a scraper's usual 10 s timeout.
const DATABASE_PATIENCE: Duration = Duration::from_secs(1);

/// What `/readyz` says when the database fails, whatever its error.
const DATABASE_UNAVAILABLE: &str = "database unavailable";

#[derive(Debug, thiserror::Error)]
#[error(
    "cannot listen for metrics on {address} (metrics.listen, or STEADY_METRICS_LISTEN): \
     {source}; choose a free address and port, or leave metrics.listen unset"
)]
pub struct ListenError {
    address: SocketAddr,
    source: std::io::Error,
}

#[derive(Clone)]
struct Watch {
    metrics: Arc<Metrics>,
    store: Store,
}

/// The endpoints' address, bound: a port in use is found at start-up,
/// before anything else opens.
pub struct Endpoint {
    listener: tokio::net::TcpListener,
    address: SocketAddr,
}

impl Endpoint {
    pub async fn bind(address: SocketAddr) -> Result<Endpoint, ListenError> {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| ListenError { address, source })?;
        Ok(Endpoint { listener, address })
    }

    /// Serve `metrics` and readiness (asking `store`) until `shutdown`.
    pub fn serve(
        self,
        metrics: Arc<Metrics>,
        store: Store,
        shutdown: CancellationToken,
    ) -> JoinHandle<()> {
        let router = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics_text))
            .with_state(Watch { metrics, store });
        tracing::info!(address = %self.address, "serving /healthz, /readyz and /metrics");
        tokio::spawn(async move {
            let stopped = shutdown.cancelled_owned();
            if let Err(error) = axum::serve(self.listener, router)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::warn!(%error, "the metrics endpoint failed");
            }
        })
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(watch): State<Watch>) -> (StatusCode, String) {
    match watch.readiness().await {
        Ok(()) => (StatusCode::OK, "ready\n".to_owned()),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {reason}\n"),
        ),
    }
}

async fn metrics_text(State(watch): State<Watch>) -> impl IntoResponse {
    // steady_ready says what /readyz would say now.
    let _ = watch.readiness().await;
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        watch.metrics.encode(),
    )
}

impl Watch {
    /// Ready, or the first reason not to be; sets `steady_ready` to match.
    /// Anyone who can reach `/readyz` reads the reason, so the database's
    /// own words go to the log instead.
    async fn readiness(&self) -> Result<(), &'static str> {
        let outcome = match self.metrics.not_ready() {
            Some(reason) => Err(reason),
            None => match tokio::time::timeout(DATABASE_PATIENCE, self.store.ping()).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => {
                    tracing::warn!(%error, "not ready: the database failed");
                    Err(DATABASE_UNAVAILABLE)
                }
                Err(_) => {
                    tracing::warn!(
                        "not ready: the database did not answer within {}s",
                        DATABASE_PATIENCE.as_secs()
                    );
                    Err(DATABASE_UNAVAILABLE)
                }
            },
        };
        self.metrics.set_ready(outcome.is_ok());
        outcome
    }
}
