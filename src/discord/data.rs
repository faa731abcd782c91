//! What every command and button handler is given. Its own module, so
//! features depend on it and `mod.rs` (which lists the features) stays on top.

use super::cooldown::{slow_down, Cooldown};
use super::rest::Rest;
use super::sessions::Sessions;
use crate::config::{BreatheConfig, WaitConfig};
use crate::prompts::{chosen, Catalog, Catalogs};
use crate::store::Store;
use poise::serenity_prelude as serenity;
use std::sync::Arc;
use tokio::sync::Notify;

/// What every command and button can reach.
pub(crate) struct Data {
    /// Every language's words: [`Data::words`] picks the person's.
    pub prompts: Arc<Catalogs>,
    pub store: Store,
    pub rest: Rest,
    pub sessions: Arc<Sessions>,
    pub breathe: BreatheConfig,
    pub wait: WaitConfig,
    /// Tells the scheduler to look again after anything it sends changed:
    /// a check-in, a wait, a daily moment or its count, a server forgotten.
    pub schedule_changed: Arc<Notify>,
    /// How many DMs each person may ask for in a row.
    pub dm_cooldown: Cooldown,
    /// How many changes each person may make in a row.
    pub write_cooldown: Cooldown,
    /// How many `/calm` changes and posts each server may make in a row.
    pub server_cooldown: Cooldown,
}

impl Data {
    /// The words for a person whose Discord locale is `locale` (English
    /// when steady has none in it).
    pub fn words(&self, locale: &str) -> &Catalog {
        self.prompts.for_discord(locale)
    }

    /// Before sending `user` a DM they asked for: None to go ahead, or the
    /// kind words (in `locale`) to say instead.
    pub fn hold_dm(&self, user: u64, locale: &str) -> Option<String> {
        let wait = self.dm_cooldown.take(user)?;
        Some(slow_down(&self.words(locale).errors.slow_down, wait))
    }

    /// Before writing a change `user` asked for: None to go ahead, or the
    /// kind words (in `locale`) to say instead.
    pub fn hold_change(&self, user: u64, locale: &str) -> Option<String> {
        let wait = self.write_cooldown.take(user)?;
        Some(slow_down(
            &self.words(locale).errors.slow_down_changes,
            wait,
        ))
    }

    /// Before a `/calm` change or post in `guild`: None to go ahead, or the
    /// kind words (in `locale`) to say instead. The allowance is the
    /// server's, so all its moderators, or one with many accounts, share it.
    pub fn hold_server(&self, guild: u64, locale: &str) -> Option<String> {
        let wait = self.server_cooldown.take(guild)?;
        Some(slow_down(&self.words(locale).calm.messages.slow_down, wait))
    }
}

/// The Discord locale a command's person reads: their own, else their
/// server's.
pub(crate) fn locale_of(interaction: &serenity::CommandInteraction) -> &str {
    chosen(&interaction.locale, interaction.guild_locale.as_deref())
}

/// The Discord locale of whoever ran the command in `ctx`.
pub(crate) fn locale<'a>(ctx: impl Into<Context<'a>>) -> &'a str {
    match ctx.into() {
        poise::Context::Application(ctx) => locale_of(ctx.interaction),
        poise::Context::Prefix(_) => "",
    }
}

/// The words for whoever ran the command in `ctx`.
pub(crate) fn words<'a>(ctx: impl Into<Context<'a>>) -> &'a Catalog {
    let ctx = ctx.into();
    ctx.data().words(locale(ctx))
}

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Context<'a> = poise::Context<'a, Data, Error>;
pub(crate) type ApplicationContext<'a> = poise::ApplicationContext<'a, Data, Error>;
