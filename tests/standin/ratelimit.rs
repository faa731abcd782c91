//! Discord-style rate limits: per-route buckets keyed by the major parameter
//! (channel, guild, webhook id + token), plus the global 50/s for bot-token
//! routes. Interaction and webhook routes are exempt from the global limit.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use serde_json::json;

use super::model::epoch_secs;
use super::rest::Reply;
use super::route;

/// `requests` per `per`, in fixed windows that start at the first request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub requests: u32,
    pub per: Duration,
}

impl Limit {
    pub const fn new(requests: u32, per: Duration) -> Self {
        Limit { requests, per }
    }
}

/// Rate-limit settings. `Default` enforces Discord-like numbers.
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// When false, headers are still sent but nothing is ever refused.
    pub enforce: bool,
    /// Global limit for bot-token routes, per second (Discord: 50).
    pub global_per_second: u32,
    /// Routes without an entry in `routes`. Discord publishes no numbers for
    /// most routes; this is generous so only the known ones bite.
    pub default: Limit,
    /// Per templated route (see [`route`]). Defaults: channel messages 5/5 s per
    /// channel; webhook/interaction message edits 5/5 s per token + message
    /// (community reports); followups 5/2 s per token (webhook execute).
    pub routes: Vec<(String, Limit)>,
}

impl Default for RateLimits {
    fn default() -> Self {
        let five = Limit::new(5, Duration::from_secs(5));
        RateLimits {
            enforce: true,
            global_per_second: 50,
            default: Limit::new(50, Duration::from_secs(1)),
            routes: vec![
                (route::CREATE_MESSAGE.into(), five),
                (route::EDIT_MESSAGE.into(), five),
                (route::EDIT_ORIGINAL.into(), five),
                (route::EDIT_FOLLOWUP.into(), five),
                (
                    route::FOLLOWUP.into(),
                    Limit::new(5, Duration::from_secs(2)),
                ),
            ],
        }
    }
}

impl RateLimits {
    /// Headers only, never a 429.
    pub fn off() -> Self {
        RateLimits {
            enforce: false,
            ..Self::default()
        }
    }

    /// Sets (or replaces) the limit of one templated route.
    pub fn with_route(mut self, route: &str, limit: Limit) -> Self {
        self.routes.retain(|(r, _)| r != route);
        self.routes.push((route.to_owned(), limit));
        self
    }

    fn limit_for(&self, route: &str) -> Limit {
        self.routes
            .iter()
            .find(|(r, _)| r == route)
            .map_or(self.default, |(_, l)| *l)
    }
}

#[derive(Clone, Copy)]
struct Window {
    start: Instant,
    used: u32,
}

impl Window {
    /// Rolls the window over if it ended; returns time left in it.
    fn roll(&mut self, per: Duration, now: Instant) -> Duration {
        if now.duration_since(self.start) >= per {
            *self = Window {
                start: now,
                used: 0,
            };
        }
        per.saturating_sub(now.duration_since(self.start))
    }
}

#[derive(Default)]
pub struct Buckets {
    routes: HashMap<String, Window>,
    global: Option<Window>,
}

/// The outcome of a check: headers to send, and a 429 if over the limit.
pub struct Verdict {
    pub headers: Vec<(&'static str, String)>,
    /// `(retry_after, global)` when refused.
    pub limited: Option<(Duration, bool)>,
}

/// Whether a route counts against the global limit (bot-token routes do;
/// interaction callbacks and webhook routes do not).
pub fn is_global_route(route: &str) -> bool {
    !(route.contains(" /webhooks/") || route.contains(" /interactions/"))
}

/// The bucket key: route plus its major parameters, as Discord keys them.
pub fn bucket_key(route: &str, params: &[String]) -> String {
    let major: Vec<&str> = if !is_global_route(route) {
        params.iter().map(String::as_str).collect() // id+token (+ message id for edits)
    } else if route.contains(" /channels/") {
        params.iter().take(1).map(String::as_str).collect()
    } else if route.contains("/guilds/") {
        params.iter().skip(1).take(1).map(String::as_str).collect()
    } else {
        vec![]
    };
    format!("{route}|{}", major.join("/"))
}

impl Buckets {
    pub fn check(&mut self, cfg: &RateLimits, route: &str, key: &str) -> Verdict {
        let now = Instant::now();
        let limit = cfg.limit_for(route);
        let global_route = is_global_route(route);
        let g_per = Duration::from_secs(1);
        let mut g = self.global.unwrap_or(Window {
            start: now,
            used: 0,
        });
        let g_left = g.roll(g_per, now);
        if cfg.enforce && global_route && g.used >= cfg.global_per_second {
            self.global = Some(g);
            let headers = vec![
                ("x-ratelimit-global", "true".to_owned()),
                ("x-ratelimit-scope", "global".to_owned()),
            ];
            return Verdict {
                headers,
                limited: Some((g_left, true)),
            };
        }
        let w = self.routes.entry(key.to_owned()).or_insert(Window {
            start: now,
            used: 0,
        });
        let left = w.roll(limit.per, now);
        let over = w.used >= limit.requests;
        if !(cfg.enforce && over) {
            w.used += 1;
            if global_route {
                g.used += 1;
            }
        }
        self.global = Some(g);
        let remaining = limit.requests.saturating_sub(w.used);
        let mut headers = vec![
            ("x-ratelimit-limit", limit.requests.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
            (
                "x-ratelimit-reset",
                format!("{:.3}", epoch_secs() + left.as_secs_f64()),
            ),
            (
                "x-ratelimit-reset-after",
                format!("{:.3}", left.as_secs_f64()),
            ),
            ("x-ratelimit-bucket", bucket_hash(route)),
        ];
        if cfg.enforce && over {
            headers.push(("x-ratelimit-scope", "user".to_owned()));
            return Verdict {
                headers,
                limited: Some((left, false)),
            };
        }
        Verdict {
            headers,
            limited: None,
        }
    }
}

/// A stable opaque bucket id per route (not including major parameters).
pub fn bucket_hash(route: &str) -> String {
    let mut h = DefaultHasher::new();
    route.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// A 429 with Discord's body and `Retry-After` in whole seconds, rounded up.
pub fn too_many(retry_after: Duration, global: bool) -> Reply {
    let secs = (retry_after.as_secs_f64() * 1000.0).round() / 1000.0;
    let body =
        json!({"message": "You are being rate limited.", "retry_after": secs, "global": global});
    let retry = retry_after.as_secs_f64().ceil().max(1.0) as u64;
    Reply {
        status: 429,
        body: Some(body),
        headers: vec![("retry-after", retry.to_string())],
    }
}
