//! What every command and button handler is given. Its own module, so
//! features depend on it and `mod.rs` (which lists the features) stays on top.

use super::cooldown::{slow_down, Cooldown};
use super::rest::Rest;
use super::sessions::Sessions;
use crate::config::BreatheConfig;
use crate::prompts::Catalog;
use crate::store::Store;
use std::sync::Arc;
use tokio::sync::Notify;

/// What every command and button can reach.
pub(crate) struct Data {
    pub prompts: Arc<Catalog>,
    pub store: Store,
    pub rest: Rest,
    pub sessions: Arc<Sessions>,
    pub breathe: BreatheConfig,
    /// Tells the check-in scheduler to look again after a change.
    pub checkins_changed: Arc<Notify>,
    /// How many DMs each person may ask for in a row.
    pub dm_cooldown: Cooldown,
    /// How many changes each person may make in a row.
    pub write_cooldown: Cooldown,
}

impl Data {
    /// Before sending `user` a DM they asked for: None to go ahead, or the
    /// kind words to say instead.
    pub fn hold_dm(&self, user: u64) -> Option<String> {
        let wait = self.dm_cooldown.take(user)?;
        Some(slow_down(&self.prompts.errors.slow_down, wait))
    }

    /// Before writing a change `user` asked for: None to go ahead, or the
    /// kind words to say instead.
    pub fn hold_change(&self, user: u64) -> Option<String> {
        let wait = self.write_cooldown.take(user)?;
        Some(slow_down(&self.prompts.errors.slow_down_changes, wait))
    }
}

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Context<'a> = poise::Context<'a, Data, Error>;
pub(crate) type ApplicationContext<'a> = poise::ApplicationContext<'a, Data, Error>;
