//! Everything the stand-in remembers, behind one lock.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::Notify;

use super::{fault::Fault, gateway, interaction, model, ratelimit, Options, RateLimits, Recorded};

/// A channel the stand-in knows: a guild text channel or a DM.
pub struct Channel {
    pub guild_id: Option<u64>,
    pub recipient: Option<u64>,
}

/// Everything mutable, behind one lock (never held across an await).
#[derive(Default)]
pub struct State {
    /// Requests, and whether `wait_for` already handed each one out.
    pub requests: Vec<(Recorded, bool)>,
    pub faults: Vec<Fault>,
    pub rate_limits: RateLimits,
    pub buckets: ratelimit::Buckets,
    pub interactions: HashMap<u64, interaction::Interaction>,
    /// Interaction ids by token: webhook routes name an interaction only by
    /// its token, and a scan is too slow with thousands of sessions.
    pub tokens: HashMap<String, u64>,
    pub messages: HashMap<u64, Value>,
    /// Modals the bot showed and no one submitted yet, by custom id: the
    /// interaction that showed each, and the modal.
    pub modals: HashMap<String, (u64, Value)>,
    /// Messages created with `enforce_nonce`, by nonce (all are the bot's,
    /// so one author): the message id and when it was made.
    pub nonces: HashMap<String, (u64, Instant)>,
    pub channels: HashMap<u64, Channel>,
    pub dm_of_user: HashMap<u64, u64>,
    pub guild_channels: HashMap<u64, u64>,
    pub users: HashMap<u64, Value>,
    /// Registered commands: `None` = global, `Some(guild)`.
    pub commands: HashMap<Option<u64>, Vec<Value>>,
    pub gw: gateway::GwState,
    /// The owner reset the bot's token in the Developer Portal: the old one
    /// gets 401 on REST and close 4004 on the gateway, as Discord answers.
    pub token_reset: bool,
    /// Channels whose permissions deny the bot something.
    pub denied: HashMap<u64, Deny>,
    /// Servers the bot is not a member of (its commands may still be).
    pub not_member: std::collections::HashSet<u64>,
}

/// A permission a channel denies the bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    /// VIEW_CHANNEL: nothing there can be seen, read or posted.
    View,
    /// SEND_MESSAGES: it can be seen, not posted in.
    Send,
}

impl Deny {
    /// The permission bits it takes away (nothing is sent where nothing is seen).
    pub fn bits(self) -> u64 {
        match self {
            Deny::View => model::VIEW_CHANNEL | model::SEND_MESSAGES,
            Deny::Send => model::SEND_MESSAGES,
        }
    }
}

impl State {
    /// The DM channel with a user, created on first use (stable per user).
    pub fn dm_channel(&mut self, user_id: u64) -> u64 {
        if let Some(c) = self.dm_of_user.get(&user_id) {
            return *c;
        }
        let c = model::snowflake();
        self.dm_of_user.insert(user_id, c);
        self.channels.insert(
            c,
            Channel {
                guild_id: None,
                recipient: Some(user_id),
            },
        );
        c
    }

    /// The text channel interactions in a guild come from by default.
    pub fn guild_channel(&mut self, guild_id: u64) -> u64 {
        if let Some(c) = self.guild_channels.get(&guild_id) {
            return *c;
        }
        let c = model::snowflake();
        self.guild_channels.insert(guild_id, c);
        self.channels.insert(
            c,
            Channel {
                guild_id: Some(guild_id),
                recipient: None,
            },
        );
        c
    }

    /// Another text channel in a guild.
    pub fn new_guild_channel(&mut self, guild_id: u64) -> u64 {
        let c = model::snowflake();
        self.channels.insert(
            c,
            Channel {
                guild_id: Some(guild_id),
                recipient: None,
            },
        );
        c
    }

    /// What the bot may not do in `channel`, as Discord would refuse it:
    /// Missing Access (50001) to see it, or to be in its server at all;
    /// Missing Permissions (50013) to post in it.
    pub fn refusal(&self, channel: u64, posting: bool) -> Option<(u32, &'static str)> {
        let guild = self.channels.get(&channel).and_then(|c| c.guild_id);
        if guild.is_some_and(|g| self.not_member.contains(&g)) {
            return Some((50001, "Missing Access"));
        }
        match self.denied.get(&channel) {
            Some(Deny::View) => Some((50001, "Missing Access")),
            Some(Deny::Send) if posting => Some((50013, "Missing Permissions")),
            _ => None,
        }
    }

    /// The bot's permissions in `channel`, as `app_permissions` says.
    pub fn app_permissions(&self, channel: u64) -> String {
        let denied = self.denied.get(&channel).map_or(0, |deny| deny.bits());
        (model::everyday_permissions() & !denied).to_string()
    }

    pub fn user(&self, id: u64) -> Value {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| model::user(id, &format!("user{id}")))
    }
}

pub struct Inner {
    pub opts: Options,
    pub api_url: String,
    pub gw_url: String,
    pub app_id: u64,
    pub bot_id: u64,
    pub state: Mutex<State>,
    /// Woken on every recorded request, frame or connection change.
    pub notify: Notify,
}

impl Inner {
    /// The state, even after a panicking test thread poisoned the lock.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
