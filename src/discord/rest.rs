//! The requests steady paces itself. serenity runs with its limiter off and
//! then drops a 429's `retry_after` and every `X-RateLimit-*` header, so the
//! paced paths (exercise edits, DMs) go through this thin client, which reads
//! them. Bot-token requests also draw from one budget under Discord's global
//! limit.

mod error;

pub(crate) use error::RestError;

use super::budget::{Budget, Busy, Lane};
use super::headroom::Headroom;
use super::headroom::{headroom, is_global, retry_after};
use crate::config::Pace;
use crate::metrics::{EditStatus, Metrics};
use error::describe;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

/// Discord's error codes that mean the message will never be editable again.
const UNKNOWN_MESSAGE: i64 = 10008;
const UNKNOWN_WEBHOOK: i64 = 10015;
const INVALID_WEBHOOK_TOKEN: i64 = 50027;

/// At most this many requests in flight. HTTP/1.1 needs a connection per
/// request in flight; without a bound, a slow API under load makes the pool
/// open connections until the process runs out of file descriptors (seen in
/// the 10,000-session benchmark). Below the common 1,024 soft limit.
const MAX_IN_FLIGHT: usize = 512;

#[derive(Debug, Clone)]
pub(crate) struct Rest {
    client: reqwest::Client,
    base: String,
    in_flight: Arc<Semaphore>,
    /// `Bot <token>`, marked sensitive so it is never printed.
    bot: HeaderValue,
    budget: Arc<Budget>,
    metrics: Arc<Metrics>,
    /// How long one request may take (the client's own timeout).
    timeout: Duration,
    /// How long Discord is trusted to remember a nonce.
    nonce_window: Duration,
    /// For the scheduler's requests: steady is stopping, so one still
    /// waiting for its turn or sitting out a rate limit is not sent.
    stop: Option<CancellationToken>,
}

/// How long steady gives Discord: a request, and its memory of a nonce.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trust {
    pub timeout: Duration,
    pub nonce_window: Duration,
}

/// A file to upload with a message.
#[derive(Debug, Clone)]
pub(crate) struct File {
    pub name: String,
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

impl File {
    /// Discord's upload form: `payload_json` (a body that names the file as
    /// attachment 0), and the file as `files[0]`.
    fn form(&self, body: String) -> Result<reqwest::multipart::Form, RestError> {
        let unusable = |error: reqwest::Error| RestError::Body(describe(error));
        let part = reqwest::multipart::Part::bytes(self.bytes.clone())
            .file_name(self.name.clone())
            .mime_str(self.content_type)
            .map_err(unusable)?;
        let json = reqwest::multipart::Part::text(body)
            .mime_str("application/json")
            .map_err(unusable)?;
        Ok(reqwest::multipart::Form::new()
            .part("payload_json", json)
            .part("files[0]", part))
    }
}

enum Payload<'a> {
    None,
    Json(String),
    WithFile(String, &'a File),
}

/// Whose credential a request carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// The interaction token in the URL: exempt from the global limit.
    Interaction,
    /// The bot token: counted against the global limit, so budgeted, in
    /// the lane of whoever is waiting for it.
    Bot(Lane),
}

/// The one HTTP client for Discord, steady's requests and serenity's alike:
/// one connection pool, and no request without `timeout`, so no answer can
/// hang for good. serenity 0.12.5 takes this very type (both use reqwest
/// 0.12) and sets its own user agent on each of its requests.
pub(crate) fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!(
            "DiscordBot (steady, ",
            env!("CARGO_PKG_VERSION"),
            ")"
        ))
        .build()
        // Fails only when TLS cannot start, as serenity's own client would.
        .expect("an HTTP client")
}

impl Rest {
    pub fn new(
        client: reqwest::Client,
        api_url: &str,
        token: &str,
        pace: Pace,
        trust: Trust,
        metrics: Arc<Metrics>,
    ) -> Rest {
        Rest {
            client,
            base: format!("{}/api/v10", api_url.trim_end_matches('/')),
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            bot: bot_header(token),
            budget: Arc::new(Budget::new(pace)),
            metrics,
            timeout: trust.timeout,
            nonce_window: trust.nonce_window,
            stop: None,
        }
    }

    /// This client, for requests that are not sent once `stop` fires
    /// unless already on their way.
    pub fn until(&self, stop: &CancellationToken) -> Rest {
        Rest {
            stop: Some(stop.clone()),
            ..self.clone()
        }
    }

    /// Wait `wait` (a rate limit sat out, a pause before asking again);
    /// Err if steady stops first.
    pub async fn pause(&self, wait: Duration) -> Result<(), RestError> {
        match &self.stop {
            Some(stop) => tokio::select! {
                () = stop.cancelled() => Err(RestError::Stopped),
                () = tokio::time::sleep(wait) => Ok(()),
            },
            None => {
                tokio::time::sleep(wait).await;
                Ok(())
            }
        }
    }

    /// Wait for the budget's turn in `lane`, unless steady stops first.
    async fn turn(&self, lane: Lane) -> Result<(), RestError> {
        let turn = async {
            self.budget
                .wait_turn(lane)
                .await
                .map_err(|Busy| RestError::Busy)
        };
        match &self.stop {
            Some(stop) => tokio::select! {
                () = stop.cancelled() => Err(RestError::Stopped),
                turn = turn => turn,
            },
            None => turn.await,
        }
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// How long one request may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How long Discord is trusted to remember a nonce.
    pub fn nonce_window(&self) -> Duration {
        self.nonce_window
    }

    /// Edit an interaction's first response. Needs no bot token: the
    /// interaction token is the credential (and is never logged).
    pub async fn edit_original(
        &self,
        application: u64,
        token: &str,
        body: String,
    ) -> Result<Headroom, RestError> {
        let url = format!(
            "{}/webhooks/{application}/{token}/messages/@original",
            self.base
        );
        let sent = self
            .send(Method::PATCH, &url, Payload::Json(body), Auth::Interaction)
            .await;
        self.metrics.edit(match &sent {
            Ok(_) => EditStatus::Success,
            Err(RestError::RateLimited(_)) => EditStatus::RateLimited,
            Err(RestError::Gone { status, .. } | RestError::Status { status, .. }) => {
                EditStatus::of(*status)
            }
            // No answer, or one steady could not read.
            Err(_) => EditStatus::Other,
        });
        Ok(sent?.0)
    }

    /// A further message answering an interaction (a JSON `body`), with its
    /// token as the credential, like [`Rest::edit_original`].
    pub async fn followup(
        &self,
        application: u64,
        token: &str,
        body: String,
    ) -> Result<(), RestError> {
        let url = format!("{}/webhooks/{application}/{token}", self.base);
        self.send(Method::POST, &url, Payload::Json(body), Auth::Interaction)
            .await?;
        Ok(())
    }

    /// Open (or find) the DM channel with `user` and return its id.
    pub async fn create_dm(&self, user: u64, lane: Lane) -> Result<u64, RestError> {
        let url = format!("{}/users/@me/channels", self.base);
        let body = json!({ "recipient_id": user.to_string() }).to_string();
        let payload = Payload::Json(body);
        let (_, channel) = self
            .send(Method::POST, &url, payload, Auth::Bot(lane))
            .await?;
        id_of(&channel)
    }

    /// Post a message (a JSON `body`, serialized once) to a channel with the
    /// bot's token, with a file attached if given (the body names it as
    /// attachment 0). Returns what the channel's bucket has left, and the
    /// new message's id: `None` when Discord said 2xx but its answer could
    /// not be read. A 2xx means the message was made, so that is a success
    /// whose id is unknown, never a failure to try again.
    pub async fn create_message(
        &self,
        channel: u64,
        body: String,
        file: Option<&File>,
        lane: Lane,
    ) -> Result<(Headroom, Option<u64>), RestError> {
        let url = format!("{}/channels/{channel}/messages", self.base);
        let payload = match file {
            Some(file) => Payload::WithFile(body, file),
            None => Payload::Json(body),
        };
        let (headroom, message) = self
            .send(Method::POST, &url, payload, Auth::Bot(lane))
            .await?;
        let id = id_of(&message).ok();
        if id.is_none() {
            tracing::warn!("Discord made a message but its answer could not be read");
        }
        Ok((headroom, id))
    }

    /// Edit a message the bot posted, with its token.
    pub async fn edit_message(
        &self,
        channel: u64,
        message: u64,
        body: String,
        lane: Lane,
    ) -> Result<(), RestError> {
        let url = format!("{}/channels/{channel}/messages/{message}", self.base);
        self.send(Method::PATCH, &url, Payload::Json(body), Auth::Bot(lane))
            .await?;
        Ok(())
    }

    /// `channel` as the bot sees it (an error says why it cannot).
    pub async fn get_channel(&self, channel: u64, lane: Lane) -> Result<Value, RestError> {
        let url = format!("{}/channels/{channel}", self.base);
        self.get(&url, lane).await
    }

    /// `guild`, if the bot is a member of it (an error says it is not).
    pub async fn get_guild(&self, guild: u64, lane: Lane) -> Result<Value, RestError> {
        let url = format!("{}/guilds/{guild}", self.base);
        self.get(&url, lane).await
    }

    /// `user` as a member of `guild`: their roles there.
    pub async fn get_member(&self, guild: u64, user: u64, lane: Lane) -> Result<Value, RestError> {
        let url = format!("{}/guilds/{guild}/members/{user}", self.base);
        self.get(&url, lane).await
    }

    async fn get(&self, url: &str, lane: Lane) -> Result<Value, RestError> {
        let (_, found) = self
            .send(Method::GET, url, Payload::None, Auth::Bot(lane))
            .await?;
        Ok(found)
    }

    /// Send a request; with the bot's token, only when the budget allows.
    async fn send(
        &self,
        method: Method,
        url: &str,
        payload: Payload<'_>,
        auth: Auth,
    ) -> Result<(Headroom, Value), RestError> {
        if let Auth::Bot(lane) = auth {
            let _queued = self.metrics.budget_queued();
            let asked = Instant::now();
            self.turn(lane).await?;
            self.metrics.budget_waited(asked.elapsed());
        }
        // Never closed, so acquiring cannot fail.
        let _permit = self.in_flight.acquire().await;
        let request = self.client.request(method, url);
        let mut request = match payload {
            Payload::None => request,
            Payload::Json(body) => request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body),
            Payload::WithFile(body, file) => request.multipart(file.form(body)?),
        };
        if let Auth::Bot(_) = auth {
            request = request.header(AUTHORIZATION, self.bot.clone());
        }
        let response = request.send().await.map_err(RestError::of_transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        // Read the whole body, even when unused: only then can the
        // connection go back to the pool instead of a new one being opened.
        let body = response.bytes().await.unwrap_or_default();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if status.is_success() {
            return Ok((headroom(&headers), body));
        }
        let code = body.get("code").and_then(Value::as_i64).unwrap_or(0);
        Err(match status {
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = retry_after(&headers, &body);
                if is_global(&headers, &body) {
                    self.budget.hold(wait);
                }
                RestError::RateLimited(wait)
            }
            _ if matches!(
                code,
                UNKNOWN_MESSAGE | UNKNOWN_WEBHOOK | INVALID_WEBHOOK_TOKEN
            ) =>
            {
                RestError::Gone {
                    status: status.as_u16(),
                    code,
                }
            }
            _ => RestError::Status {
                status: status.as_u16(),
                code,
            },
        })
    }
}

/// The `id` of a channel or message Discord sent back.
fn id_of(object: &Value) -> Result<u64, RestError> {
    object
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| id.parse().ok())
        .ok_or(RestError::Unexpected)
}

fn bot_header(token: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bot {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static("Bot"));
    value.set_sensitive(true);
    value
}
