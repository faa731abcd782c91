//! This process's gateway shards as serenity runs them: whether every one
//! is connected (`/readyz`), and whether one is down (redial pacing).
//!
//! serenity keeps a runner per shard, added only once the shard's dial
//! opens and removed while the shard restarts. Its queuer starts the shards
//! in order, 5 s apart, so a process of several shards has runners for only
//! some of them at first, and one fewer while one is lost.

use poise::serenity_prelude as serenity;
use serenity::{ConnectionStage, ShardId, ShardManager, ShardRunnerInfo};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// Whether every shard of `own`, the ones this process runs, has a runner
/// and is connected: a shard with no runner has not started yet, or is
/// restarting.
pub(super) async fn all_connected(shards: &ShardManager, own: &RangeInclusive<u32>) -> bool {
    connected(&*shards.runners.lock().await, own.clone())
}

/// How far serenity has got starting this process's shards, for pacing
/// redials: a shard above the highest yet started is waiting its first
/// turn, not down.
pub(super) struct Started {
    first: u32,
    highest: u32,
}

impl Started {
    pub fn new(own: &RangeInclusive<u32>) -> Started {
        Started {
            first: *own.start(),
            highest: *own.start(),
        }
    }

    /// Whether every shard that has had its turn to start is connected.
    /// The first has its turn at once, so a gateway unreachable from the
    /// start is down as before; one started once and now without a runner
    /// is restarting, and down.
    pub async fn all_connected(&mut self, shards: &ShardManager) -> bool {
        let runners = shards.runners.lock().await;
        let started = runners.keys().map(|id| id.0);
        self.highest = started.fold(self.highest, u32::max);
        connected(&runners, self.first..=self.highest)
    }
}

fn connected(runners: &HashMap<ShardId, ShardRunnerInfo>, ids: RangeInclusive<u32>) -> bool {
    ids.into_iter().all(|id| {
        runners
            .get(&ShardId(id))
            .is_some_and(|runner| runner.stage == ConnectionStage::Connected)
    })
}
