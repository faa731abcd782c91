//! What the operator watches, told from Discord's side: how each command
//! ended and how soon it answered, and whether the gateway is connected.

use super::data::Context;
use super::shards::all_connected;
use crate::metrics::{Metrics, Outcome};
use poise::serenity_prelude as serenity;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

/// How often the gateway's connection is looked at: `/readyz` lags a
/// change by at most this (plus serenity's own 5 s to give up on a shard).
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// Count a command that has ended (and so answered), by its own name.
/// The wait is timed from Discord's own stamp in the interaction's id: the
/// instant its 3-second window to answer opened.
pub(crate) fn command_ended(ctx: Context<'_>, outcome: Outcome) {
    let metrics = ctx.data().rest.metrics();
    let command = &*ctx.command().qualified_name;
    metrics.interaction(command, outcome);
    let took = chrono::Utc::now() - *ctx.created_at();
    metrics.first_answer(command, took.to_std().unwrap_or_default());
}

/// Counts the gateway's sessions: each shard's first Ready, later ones
/// (reconnects) and resumes. An event handler beside poise's framework, so
/// it sees Ready before the framework's setup has finished. Readiness is
/// not told here: each event is one shard's ([`follow_gateway`] sees them
/// all).
pub(crate) struct Gateway {
    pub metrics: Arc<Metrics>,
}

#[poise::async_trait]
impl serenity::EventHandler for Gateway {
    async fn ready(&self, _: serenity::Context, ready: serenity::Ready) {
        let shard = ready.shard.map_or(0, |shard| shard.id.0);
        self.metrics.gateway_ready(shard);
    }

    async fn resume(&self, _: serenity::Context, _: serenity::ResumedEvent) {
        self.metrics.gateway_resumed();
    }
}

/// Keep the metrics' view of the gateway current until aborted. serenity
/// reports a lost connection by no event when its resume fails and it
/// restarts the shard, so the shard manager's own view is read instead:
/// connected while every shard of `own`, this process's, is.
pub(crate) async fn follow_gateway(
    shards: Arc<serenity::ShardManager>,
    own: RangeInclusive<u32>,
    metrics: Arc<Metrics>,
) {
    let mut was = false;
    loop {
        let connected = all_connected(&shards, &own).await;
        if was && !connected {
            tracing::info!("gateway connection lost");
        }
        was = connected;
        metrics.gateway_connected(connected);
        tokio::time::sleep(LOOK_EVERY).await;
    }
}
