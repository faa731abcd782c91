//! A local Discord stand-in for end-to-end tests: a real REST server (axum) and
//! gateway (tokio-tungstenite) on 127.0.0.1 that an unmodified serenity 0.12.5
//! client talks to, strict like Discord, recording everything it is sent.
//!
//! The bot reaches it with `HttpBuilder::new(StandIn::TOKEN).proxy(standin.api_url())
//! .ratelimiter_disabled(true)`; serenity's `Client::start` then finds the
//! gateway through `GET /gateway`.
#![allow(dead_code)] // each test binary uses a different subset

mod commands;
mod fault;
mod gateway;
mod interaction;
mod model;
mod ratelimit;
mod raw;
mod record;
mod rest;
pub mod route;
mod state;
mod webhook;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Notify;

use state::{Channel, Inner, State};

// Re-exports for the tests; each binary uses a subset.
#[allow(unused_imports)]
pub use fault::{Fault, FaultKind};
#[allow(unused_imports)]
pub use interaction::{InteractionSpec, MessageRef, Sent, UserSpec};
#[allow(unused_imports)]
pub use ratelimit::{Limit, RateLimits};
#[allow(unused_imports)]
pub use raw::RawResponse;
#[allow(unused_imports)]
pub use record::{ConnectionInfo, Direction, GatewayFrame, Recorded, Start};
pub use state::Deny;

/// Settings; `Options::default()` is Discord's numbers.
#[derive(Clone, Debug)]
pub struct Options {
    /// HELLO's heartbeat_interval (Discord: 41250 ms). Tests want ~200-500 ms.
    pub heartbeat_interval: Duration,
    /// Time to acknowledge an interaction (Discord: 3 s), then 10062.
    pub interaction_ack_window: Duration,
    /// Interaction token lifetime for `@original` / followups (Discord: 15 min), then 50027.
    pub token_lifetime: Duration,
    pub rate_limits: RateLimits,
    /// The application owner's user id (`GET /oauth2/applications/@me`).
    pub owner_id: u64,
    /// `shards` of `GET /gateway/bot`: how many shards Discord recommends.
    pub recommended_shards: u64,
    /// How long a nonce sent with `enforce_nonce` is remembered. Discord
    /// says only "the past few minutes"; the default keeps to the low end
    /// so steady never relies on more, and a test may make it shorter.
    pub nonce_memory: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            heartbeat_interval: Duration::from_millis(41_250),
            interaction_ack_window: Duration::from_secs(3),
            token_lifetime: Duration::from_secs(15 * 60),
            rate_limits: RateLimits::default(),
            owner_id: 1_100_000_000_000_000_002,
            recommended_shards: 1,
            nonce_memory: Duration::from_secs(120),
        }
    }
}

/// The stand-in. Cheap to clone; servers stop when the test's runtime ends.
#[derive(Clone)]
pub struct StandIn {
    inner: Arc<Inner>,
}

impl StandIn {
    /// The bot token it accepts (`Bot standin-test-token` on REST).
    pub const TOKEN: &'static str = "standin-test-token";
    const APP_ID: u64 = 1_100_000_000_000_000_001;

    pub async fn start() -> StandIn {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> StandIn {
        let api = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind REST");
        let gw = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let state = State {
            rate_limits: opts.rate_limits.clone(),
            ..State::default()
        };
        let inner = Arc::new(Inner {
            api_url: format!("http://{}", api.local_addr().unwrap()),
            gw_url: format!("ws://{}", gw.local_addr().unwrap()),
            app_id: Self::APP_ID,
            bot_id: Self::APP_ID, // modern apps: bot user id == application id
            opts,
            state: Mutex::new(state),
            notify: Notify::new(),
        });
        tokio::spawn(rest::serve(inner.clone(), api));
        tokio::spawn(gateway::serve(inner.clone(), gw));
        StandIn { inner }
    }

    pub fn api_url(&self) -> String {
        self.inner.api_url.clone()
    }
    pub fn gateway_url(&self) -> String {
        self.inner.gw_url.clone()
    }
    pub fn application_id(&self) -> u64 {
        self.inner.app_id
    }
    pub fn bot_user_id(&self) -> u64 {
        self.inner.bot_id
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock()
    }

    /// Waits until `check` returns Some, re-checking on every change.
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable(); // register before checking: no lost wake-ups
            if let Some(v) = check(&mut self.lock()) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let seen: Vec<String> = self.requests().iter().map(Recorded::summary).collect();
                panic!("stand-in: timed out after {timeout:?} waiting for {what}; requests so far: {seen:#?}");
            }
        }
    }

    /// Until a client has identified (READY sent).
    pub async fn wait_ready(&self, timeout: Duration) {
        self.wait_identified_past(0, timeout).await
    }

    /// Until more than `before` IDENTIFYs have come: a bot started again on
    /// the same stand-in has a session of its own, and an event dispatched
    /// after reaches it rather than the stopped one's.
    pub async fn wait_identified_past(&self, before: usize, timeout: Duration) {
        self.wait_until(timeout, "a new gateway IDENTIFY", |st| {
            (st.gw.identified > before).then_some(())
        })
        .await
    }

    /// The body of the first successful global bulk command overwrite.
    pub async fn wait_commands_registered(&self, timeout: Duration) -> Value {
        self.wait_until(timeout, "PUT global commands", |st| {
            st.requests
                .iter()
                .find(|(r, _)| r.route == route::PUT_GLOBAL_COMMANDS && r.status == 200)
                .map(|(r, _)| r.body.clone())
        })
        .await
    }

    /// Sends INTERACTION_CREATE to the live session(s) of its guild's shard
    /// (shard 0 for a DM). Panics if none got it.
    pub fn dispatch(&self, spec: impl Into<InteractionSpec>) -> Sent {
        let mut st = self.lock();
        let (payload, it) = interaction::render(spec.into(), &self.inner, &mut st);
        let sent = Sent {
            id: it.id,
            token: it.token.clone(),
            channel_id: it.channel_id,
            message_id: it.component_message,
            at: it.created,
        };
        let guild = it.guild_id;
        st.tokens.insert(it.token.clone(), it.id);
        st.interactions.insert(it.id, it);
        let got = st.gw.dispatch("INTERACTION_CREATE", &payload);
        let unreached = (got == 0).then(|| st.gw.unreached(guild));
        drop(st);
        self.inner.notify.notify_waiters();
        if let Some(why) = unreached {
            panic!("{why}");
        }
        sent
    }

    /// Sends any other dispatch event (`t`, `d`) to the live sessions of its
    /// guild's shard (`guild_id`, or `id` for GUILD_*; none: shard 0).
    pub fn dispatch_event(&self, t: &str, d: Value) -> usize {
        let n = self.lock().gw.dispatch(t, &d);
        self.inner.notify.notify_waiters();
        n
    }

    /// The earliest matching request not yet handed out by `wait_for`,
    /// `callback` or `next_original_edit` (already recorded ones included);
    /// each request is handed out once, so repeated calls give successive ones.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        self.wait_until(timeout, "a matching request", |st| {
            let (r, taken) = st
                .requests
                .iter_mut()
                .find(|(r, taken)| !*taken && pred(r))?;
            *taken = true;
            Some(r.clone())
        })
        .await
    }

    /// Like `wait_for` but only requests that arrived at or after `since`, and
    /// without marking anything as handed out.
    pub async fn wait_for_since(
        &self,
        since: Instant,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Recorded {
        self.wait_until(timeout, "a matching request", |st| {
            st.requests
                .iter()
                .find(|(r, _)| r.at >= since && pred(r))
                .map(|(r, _)| r.clone())
        })
        .await
    }

    /// The interaction's callback request (`POST /interactions/{id}/{token}/callback`).
    pub async fn callback(&self, sent: &Sent, timeout: Duration) -> Recorded {
        let path = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.wait_for(timeout, |r| r.path == path).await
    }

    /// The next PATCH of the interaction's `@original`.
    pub async fn next_original_edit(&self, sent: &Sent, timeout: Duration) -> Recorded {
        let path = format!(
            "/webhooks/{}/{}/messages/@original",
            self.inner.app_id, sent.token
        );
        self.wait_for(timeout, |r| r.method == "PATCH" && r.path == path)
            .await
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// How many recorded requests match, without copying them (cheap enough
    /// to poll while thousands arrive).
    pub fn count(&self, pred: impl Fn(&Recorded) -> bool) -> usize {
        self.lock().requests.iter().filter(|(r, _)| pred(r)).count()
    }

    pub fn unknown_routes(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.route == route::UNKNOWN)
            .collect()
    }

    /// Every 429 answered (rate limits and injected faults).
    pub fn rate_limited(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.status == 429)
            .collect()
    }

    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Replaces the rate-limit settings (and forgets current bucket usage).
    pub fn set_rate_limits(&self, limits: RateLimits) {
        let mut st = self.lock();
        st.rate_limits = limits;
        st.buckets = ratelimit::Buckets::default();
    }

    /// Abruptly closes every gateway connection (no close frame).
    pub fn drop_gateway(&self) {
        self.lock().gw.broadcast(|| gateway::Out::Drop);
    }

    /// The gateway goes away (`true`: every connection dropped, every new
    /// dial cut off) or comes back (`false`); REST keeps answering.
    pub fn set_gateway_down(&self, down: bool) {
        let mut st = self.lock();
        st.gw.down = down;
        if down {
            st.gw.broadcast(|| gateway::Out::Drop);
        }
    }

    /// Shard `id` alone goes away: its connection is dropped, its session
    /// ended, and its RESUME and every IDENTIFY refused with an invalid
    /// session (op 9), until [`StandIn::let_shard_in`].
    pub fn shut_out_shard(&self, id: u64) {
        self.lock().gw.shut_out(id);
    }

    /// Shard `id` may identify again.
    pub fn let_shard_in(&self, id: u64) {
        self.lock().gw.let_in(id);
    }

    /// How many IDENTIFYs of a shut-out shard were refused.
    pub fn refused_identifies(&self) -> usize {
        self.lock().gw.refused_identifies
    }

    /// How many dials were cut off while the gateway was down.
    pub fn refused_dials(&self) -> usize {
        self.lock().gw.refused
    }

    /// Sends op 1 (heartbeat request) to every connection.
    pub fn request_heartbeat(&self) {
        self.lock().gw.broadcast(|| {
            gateway::Out::Frame(serde_json::json!({"op": 1, "d": null, "s": null, "t": null}))
        });
    }

    /// Sends op 7 (reconnect): the client should reconnect and RESUME.
    pub fn request_reconnect(&self) {
        self.lock().gw.broadcast(|| {
            gateway::Out::Frame(serde_json::json!({"op": 7, "d": null, "s": null, "t": null}))
        });
    }

    /// The owner resets the bot's token: from now on the one steady holds
    /// gets 401 on REST and close 4004 when it identifies or resumes.
    pub fn reset_token(&self) {
        self.lock().token_reset = true;
    }

    pub fn gateway_log(&self) -> Vec<GatewayFrame> {
        self.lock().gw.frames.clone()
    }
    pub fn identify_count(&self) -> usize {
        self.lock().gw.identified
    }

    /// `(shard_id, num_shards)` of each live session (on an open connection),
    /// to see how bots split the shards.
    pub fn live_shards(&self) -> Vec<(u64, u64)> {
        self.lock().gw.live_shards()
    }

    /// Until every shard `0..count` of `count` has a live session (all bot processes are up).
    pub async fn wait_shards(&self, count: u64, timeout: Duration) {
        self.wait_until(timeout, &format!("{count} shards identified"), |st| {
            let live = st.gw.live_shards();
            (0..count)
                .all(|id| live.contains(&(id, count)))
                .then_some(())
        })
        .await
    }

    /// Until each shard in `ids` of `count` has a live session.
    pub async fn wait_shards_of(&self, ids: &[u64], count: u64, timeout: Duration) {
        self.wait_until(
            timeout,
            &format!("shards {ids:?} of {count} identified"),
            |st| {
                let live = st.gw.live_shards();
                (ids.iter())
                    .all(|&id| live.contains(&(id, count)))
                    .then_some(())
            },
        )
        .await
    }

    /// A guild id that Discord routes to `shard` of `count`, to aim an event at one shard.
    pub fn guild_on_shard(shard: u64, count: u64) -> u64 {
        assert!(shard < count, "stand-in: no shard {shard} of {count}");
        let mut id = 1_200_000_000_000_000_001;
        while (id >> 22) % count != shard {
            id += 1 << 22; // the next millisecond, same low bits
        }
        id
    }

    /// The most global-limit requests answered in any one second, across
    /// every connection: whether bot processes together kept Discord's 50/s.
    pub fn max_global_in_any_second(&self) -> usize {
        let at: Vec<Instant> = self
            .lock()
            .requests
            .iter()
            .filter(|(r, _)| r.route != route::UNKNOWN && ratelimit::is_global_route(&r.route))
            .map(|(r, _)| r.at)
            .collect();
        most_in_any_second(at, |first, last| last - first)
    }

    pub fn resume_count(&self) -> usize {
        self.lock().gw.resumed
    }
    pub fn connections(&self) -> Vec<ConnectionInfo> {
        self.lock().gw.infos.clone()
    }

    /// Until `pred` holds for the gateway connections so far (e.g. one resumed).
    pub async fn wait_connections(
        &self,
        timeout: Duration,
        pred: impl Fn(&[ConnectionInfo]) -> bool,
    ) {
        self.wait_until(timeout, "a gateway connection state", |st| {
            pred(&st.gw.infos).then_some(())
        })
        .await
    }

    /// Until a client closed its connection with a close frame of code 1000
    /// (serenity's clean shutdown) and no connection is left open.
    pub async fn wait_gateway_closed(&self, timeout: Duration) {
        self.wait_until(timeout, "a clean gateway close (1000)", |st| {
            let infos = &st.gw.infos;
            let clean = infos.iter().any(|i| i.client_close == Some(1000));
            (clean && infos.iter().all(|i| !i.open)).then_some(())
        })
        .await
    }

    /// The stand-in's current view of a message (None if unknown or deleted).
    pub fn message(&self, id: u64) -> Option<Value> {
        self.lock().messages.get(&id).cloned()
    }

    /// The response message (`@original`) of an interaction, once it has one.
    pub fn original(&self, sent: &Sent) -> Option<Value> {
        let st = self.lock();
        let id = st.interactions.get(&sent.id)?.original?;
        st.messages.get(&id).cloned()
    }

    /// Another text channel in `guild` (the one interactions come from by
    /// default is [`StandIn::guild_channel_of`]).
    pub fn new_channel(&self, guild: u64) -> u64 {
        self.lock().new_guild_channel(guild)
    }

    /// The channel interactions in `guild` come from by default.
    pub fn guild_channel_of(&self, guild: u64) -> u64 {
        self.lock().guild_channel(guild)
    }

    /// `channel` now denies the bot a permission.
    pub fn deny(&self, channel: u64, deny: Deny) {
        self.lock().denied.insert(channel, deny);
    }

    /// The bot is not a member of `guild` (its commands still are).
    pub fn not_member(&self, guild: u64) {
        self.lock().not_member.insert(guild);
    }

    /// The DM channel id the stand-in gives this user (stable per user).
    pub fn dm_channel_of(&self, user_id: u64) -> u64 {
        self.lock().dm_channel(user_id)
    }

    /// Messages in a channel, oldest first.
    pub fn messages_in(&self, channel_id: u64) -> Vec<Value> {
        let st = self.lock();
        let mut v: Vec<Value> = st
            .messages
            .values()
            .filter(|m| model::id_u64(&m["channel_id"]) == Some(channel_id))
            .cloned()
            .collect();
        v.sort_by_key(|m| model::id_u64(&m["id"]));
        v
    }
}

/// The most of `times` that fall within any one second, `apart` telling how
/// far a later time is from an earlier one.
pub fn most_in_any_second<T: Ord + Copy>(
    mut times: Vec<T>,
    apart: impl Fn(T, T) -> Duration,
) -> usize {
    times.sort_unstable();
    let mut first = 0;
    (0..times.len())
        .map(|last| {
            while apart(times[first], times[last]) >= Duration::from_secs(1) {
                first += 1;
            }
            last - first + 1
        })
        .max()
        .unwrap_or(0)
}
