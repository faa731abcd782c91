//! What the operator watches, told from Discord's side: how each command
//! ended and how soon it answered, and whether the gateway is connected.

use super::data::Context;
use crate::metrics::{Metrics, Outcome};
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// Count a command that has ended (and so answered), by its own name.
/// The wait is timed from Discord's own stamp in the interaction's id: the
/// instant its 3-second window to answer opened.
pub(crate) fn command_ended(ctx: Context<'_>, outcome: Outcome) {
    let metrics = &ctx.data().rest.metrics();
    let command = &*ctx.command().qualified_name;
    metrics.interaction(command, outcome);
    let took = chrono::Utc::now() - *ctx.created_at();
    metrics.first_answer(command, took.to_std().unwrap_or_default());
}

/// Follows the gateway connection. poise's event handler never sees
/// `ShardStageUpdate` (serenity sends it to event handlers only), so this
/// is one, beside the framework.
pub(crate) struct Gateway {
    pub metrics: Arc<Metrics>,
}

#[poise::async_trait]
impl serenity::EventHandler for Gateway {
    async fn ready(&self, _: serenity::Context, _: serenity::Ready) {
        self.metrics.gateway_ready();
    }

    async fn resume(&self, _: serenity::Context, _: serenity::ResumedEvent) {
        self.metrics.gateway_resumed();
    }

    /// Leaving `Connected` means the link is lost (serenity is resuming or
    /// reconnecting); coming back to it means Ready or Resumed arrived.
    async fn shard_stage_update(
        &self,
        _: serenity::Context,
        event: serenity::ShardStageUpdateEvent,
    ) {
        let connected = event.new == serenity::ConnectionStage::Connected;
        if !connected {
            tracing::info!(stage = ?event.new, "gateway connection lost");
        }
        self.metrics.gateway_connected(connected);
    }
}
