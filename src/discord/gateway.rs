//! Reaching Discord's gateway, and reaching it again, at a kind pace.
//!
//! serenity 0.12 dials a lost gateway again every 5 s, forever: its shard
//! queuer puts a failed start back in its queue, and nothing outside it can
//! stop or slow that. But every dial first locks the gateway URL
//! (`Client::ws_url`), so while a shard is down steady holds that lock
//! through a pause that doubles each time, and says in one line why.

use super::reach::{dial, gateway_bot, seconds, Backoff, Cause, GatewayBot};
use super::shards::Started;
use super::DiscordError;
use poise::serenity_prelude as serenity;
use serenity::ShardManager;
use std::ops::RangeInclusive;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How often the shards' state is looked at.
const LOOK: Duration = Duration::from_millis(250);
/// serenity resumes a dropped connection at once by itself; steady steps in
/// only when the shard has been down this long.
const GRACE: Duration = Duration::from_secs(3);
/// How long a test dial, to name why the gateway cannot be reached, may take.
const DIAL_BOUND: Duration = Duration::from_secs(10);
/// Connected this long, a connection has recovered: the pauses start over.
const RECOVERED: Duration = Duration::from_secs(60);

/// Where and as whom steady asks Discord whether it is there.
pub(crate) struct Probe<'a> {
    pub client: &'a reqwest::Client,
    pub api_url: &'a str,
    pub token: &'a str,
}

impl Probe<'_> {
    /// Until Discord answers and takes the token, try again after a growing
    /// pause, saying why each time. The gateway's address, or None when
    /// `shutdown` comes first.
    pub async fn until_reached(
        &self,
        shutdown: &CancellationToken,
    ) -> Result<Option<GatewayBot>, DiscordError> {
        let mut backoff = Backoff::random();
        loop {
            // A stop does not wait for an answer that may take seconds.
            let answer = tokio::select! {
                () = shutdown.cancelled() => return Ok(None),
                answer = gateway_bot(self.client, self.api_url, self.token) => answer,
            };
            let cause = match answer {
                Ok(gateway) => return Ok(Some(gateway)),
                Err(cause) if !cause.is_passing() => {
                    return Err(DiscordError::new(self.api_url, cause))
                }
                Err(cause) => cause,
            };
            let pause = backoff.next_delay();
            self.unreachable(&cause, pause);
            tokio::select! {
                () = shutdown.cancelled() => return Ok(None),
                () = tokio::time::sleep(pause) => {}
            }
        }
    }

    fn unreachable(&self, cause: &Cause, pause: Duration) {
        tracing::warn!(
            "cannot reach Discord at {}: {cause}; retrying in {} s",
            self.api_url,
            seconds(pause)
        );
    }

    /// While serenity runs: each time a shard of `own` stays down, hold
    /// the next dial back for a growing pause. Returns only when the token
    /// is rejected (or Discord refuses for good), or at `shutdown`.
    pub async fn pace_redials(
        &self,
        shards: &ShardManager,
        own: &RangeInclusive<u32>,
        gateway: &Mutex<String>,
        shutdown: &CancellationToken,
    ) -> Result<(), DiscordError> {
        let mut backoff = Backoff::random();
        let mut started = Started::new(own);
        let mut lost = false;
        loop {
            let Some(recovered) = until_down(shards, &mut started, shutdown, lost).await else {
                return Ok(());
            };
            if recovered {
                backoff.reset();
            }
            lost = true;
            // serenity's next dial waits until this is dropped.
            let url = gateway.lock().await;
            let pause = backoff.next_delay();
            match gateway_bot(self.client, self.api_url, self.token).await {
                Ok(_) => match dial(&url, DIAL_BOUND).await {
                    Ok(()) => tracing::warn!(
                        "the Discord gateway at {} is not answering; reconnecting in {} s",
                        *url,
                        seconds(pause)
                    ),
                    Err(cause) => tracing::warn!(
                        "cannot reach the Discord gateway at {}: {cause}; reconnecting in {} s",
                        *url,
                        seconds(pause)
                    ),
                },
                Err(cause) if !cause.is_passing() => {
                    return Err(DiscordError::new(self.api_url, cause))
                }
                Err(cause) => self.unreachable(&cause, pause),
            }
            tokio::select! {
                () = shutdown.cancelled() => return Ok(()),
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// Wait until a shard that has `started` has been down for [`GRACE`]:
/// Some(whether they had all stayed connected for [`RECOVERED`] first), or
/// None at `shutdown`. After a loss (`lost`), say when the connection is
/// back.
async fn until_down(
    shards: &ShardManager,
    started: &mut Started,
    shutdown: &CancellationToken,
    mut lost: bool,
) -> Option<bool> {
    let (mut up_since, mut down_since, mut recovered) = (None, None, false);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return None,
            () = tokio::time::sleep(LOOK) => {}
        }
        let now = Instant::now();
        if started.all_connected(shards).await {
            if std::mem::take(&mut lost) {
                tracing::info!("reconnected to Discord");
            }
            down_since = None;
            up_since.get_or_insert(now);
        } else {
            if let Some(up) = up_since.take() {
                recovered = now - up >= RECOVERED;
            }
            let since = *down_since.get_or_insert(now);
            if now - since >= GRACE {
                return Some(recovered);
            }
        }
    }
}
