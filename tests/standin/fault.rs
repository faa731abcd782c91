//! Fault injection: make a route slow, rate limited, failing, lose or cut
//! short its answer after acting, or make DMs to a given user fail the way
//! Discord fails them.

use std::time::Duration;

use super::model::epoch_secs;
use super::ratelimit::{bucket_hash, too_many};
use super::rest::Reply;

/// A fault on one templated route (see [`super::route`]) or on `"*"` (all).
#[derive(Clone, Debug)]
pub struct Fault {
    pub route: String,
    pub kind: FaultKind,
    /// How many matching requests it hits; `None` = forever.
    pub times: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Delay the answer (the request is then handled normally).
    Latency(Duration),
    /// Handle the request (a message is created), then drop the connection
    /// before answering: a network path failing after Discord acted. The
    /// client sees a transport error and cannot know it worked.
    AnswerLost,
    /// Handle the request (a message is created), then answer its status
    /// with the body cut off half-way: a 2xx the client cannot read.
    Unreadable,
    /// Answer 429 (scope `user`) with this `retry_after`.
    RateLimited { retry_after: Duration },
    /// Answer a global 429 (the whole bot is over its limit) with this
    /// `retry_after`.
    GlobalRateLimited { retry_after: Duration },
    /// Answer this status with a Discord-style error body.
    ServerError(u16),
    /// 403 code 50007 on `POST /channels/{id}/messages` to this user's DM.
    DmClosed { user_id: u64 },
    /// 403 code 50278 on `POST /channels/{id}/messages` to this user's DM.
    NoMutualGuild { user_id: u64 },
}

impl Fault {
    /// A fault that applies forever.
    pub fn new(route: &str, kind: FaultKind) -> Self {
        Fault {
            route: route.to_owned(),
            kind,
            times: None,
        }
    }

    /// A fault that applies to the next matching request only.
    pub fn once(route: &str, kind: FaultKind) -> Self {
        Fault::new(route, kind).times(1)
    }

    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Whether it applies to this request; `dm_recipient` is the DM's user, if any.
    pub(crate) fn matches(&self, route: &str, dm_recipient: Option<u64>) -> bool {
        if self.times == Some(0) || (self.route != "*" && self.route != route) {
            return false;
        }
        match self.kind {
            FaultKind::DmClosed { user_id } | FaultKind::NoMutualGuild { user_id } => {
                route == super::route::CREATE_MESSAGE && dm_recipient == Some(user_id)
            }
            _ => true,
        }
    }

    pub(crate) fn consume(&mut self) {
        if let Some(n) = &mut self.times {
            *n = n.saturating_sub(1);
        }
    }
}

impl FaultKind {
    /// The answer a terminal fault gives instead of the route's (None for latency).
    pub(crate) fn reply(&self, route: &str) -> Option<Reply> {
        Some(match *self {
            FaultKind::Latency(_) | FaultKind::AnswerLost | FaultKind::Unreadable => return None,
            FaultKind::RateLimited { retry_after } => {
                let secs = retry_after.as_secs_f64();
                let mut reply = too_many(retry_after, false);
                reply.headers.extend([
                    ("x-ratelimit-limit", "5".to_owned()),
                    ("x-ratelimit-remaining", "0".to_owned()),
                    ("x-ratelimit-reset", format!("{:.3}", epoch_secs() + secs)),
                    ("x-ratelimit-reset-after", format!("{secs:.3}")),
                    ("x-ratelimit-bucket", bucket_hash(route)),
                    ("x-ratelimit-scope", "user".to_owned()),
                ]);
                reply
            }
            FaultKind::GlobalRateLimited { retry_after } => {
                let mut reply = too_many(retry_after, true);
                reply.headers.extend([
                    ("x-ratelimit-global", "true".to_owned()),
                    ("x-ratelimit-scope", "global".to_owned()),
                ]);
                reply
            }
            FaultKind::ServerError(code) => {
                let reason = axum::http::StatusCode::from_u16(code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Error");
                Reply::error(code, 0, &format!("{code}: {reason}"))
            }
            FaultKind::DmClosed { .. } => {
                Reply::error(403, 50007, "Cannot send messages to this user")
            }
            FaultKind::NoMutualGuild { .. } => Reply::error(
                403,
                50278,
                "Cannot send messages to this user due to having no mutual guilds",
            ),
        })
    }
}
