//! What Discord says about waiting, read from its answers: a 429's
//! `retry_after`, whether it was global, and how much room a bucket has
//! left. Every number of seconds becomes a `Duration` in one place,
//! [`wait_of`], so none can panic or overflow a clock.

use crate::timing::LONGEST_WAIT;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// What Discord said about the next request in this bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Headroom {
    /// Set when the bucket is empty: wait this long before the next request.
    pub wait: Option<Duration>,
}

/// A global 429 stops every bot-token request, not just this route's.
pub(super) fn is_global(headers: &HeaderMap, body: &Value) -> bool {
    headers.contains_key("x-ratelimit-global")
        || body.get("global").and_then(Value::as_bool) == Some(true)
}

/// The one way a number of seconds from Discord becomes a wait: at most
/// [`LONGEST_WAIT`]; `None` for a negative or NaN value, which says nothing.
fn wait_of(secs: f64) -> Option<Duration> {
    if secs.is_nan() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).map_or(LONGEST_WAIT, |wait| wait.min(LONGEST_WAIT)))
}

fn header_secs(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The body's `retry_after` is exact (fractional seconds); the header is
/// rounded up. Without either, wait a second rather than hammer.
pub(super) fn retry_after(headers: &HeaderMap, body: &Value) -> Duration {
    body.get("retry_after")
        .and_then(Value::as_f64)
        .and_then(wait_of)
        .or_else(|| header_secs(headers, "retry-after").and_then(wait_of))
        .unwrap_or(Duration::from_secs(1))
}

pub(super) fn headroom(headers: &HeaderMap) -> Headroom {
    let empty = header_secs(headers, "x-ratelimit-remaining") == Some(0.0);
    Headroom {
        wait: empty
            .then(|| header_secs(headers, "x-ratelimit-reset-after"))
            .flatten()
            .and_then(wait_of),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};
    use serde_json::json;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_static(k),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_prefers_the_exact_body_then_the_header_then_a_second() {
        let limited =
            json!({"message": "You are being rate limited.", "retry_after": 1.25, "global": false});
        let h = headers(&[("retry-after", "2")]);
        assert_eq!(retry_after(&h, &limited), Duration::from_millis(1250));
        assert_eq!(retry_after(&h, &Value::Null), Duration::from_secs(2));
        assert_eq!(
            retry_after(&HeaderMap::new(), &Value::Null),
            Duration::from_secs(1)
        );
        let nonsense = json!({"retry_after": -3});
        assert_eq!(
            retry_after(&HeaderMap::new(), &nonsense),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn an_empty_bucket_asks_to_wait_until_it_resets() {
        let empty = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset-after", "0.8"),
        ]);
        assert_eq!(headroom(&empty).wait, Some(Duration::from_millis(800)));
        let room = headers(&[
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset-after", "0.8"),
        ]);
        assert_eq!(headroom(&room).wait, None);
        assert_eq!(headroom(&HeaderMap::new()).wait, None);
    }

    #[test]
    fn a_wait_from_discord_is_at_most_an_hour_and_nonsense_is_not_obeyed() {
        let huge = json!({"retry_after": 1e300});
        assert_eq!(retry_after(&HeaderMap::new(), &huge), LONGEST_WAIT);
        let h = headers(&[("retry-after", "NaN")]);
        assert_eq!(retry_after(&h, &Value::Null), Duration::from_secs(1));
        let h = headers(&[("retry-after", "inf")]);
        assert_eq!(retry_after(&h, &Value::Null), LONGEST_WAIT);
        let empty = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset-after", "1e20"),
        ]);
        assert_eq!(headroom(&empty).wait, Some(LONGEST_WAIT));
    }

    proptest::proptest! {
        /// Whatever number Discord (or a proxy) sends, reading it never
        /// panics, and the wait can be added to any clock steady uses.
        #[test]
        fn any_number_of_seconds_is_a_wait_steady_can_keep(
            secs in proptest::num::f64::ANY,
            text in "[-+0-9.eE]{0,24}|NaN|-?inf(inity)?",
        ) {
            let body = json!({ "retry_after": secs });
            let h = headers(&[
                ("retry-after", &text),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset-after", &text),
            ]);
            let waits = [
                wait_of(secs),
                Some(retry_after(&h, &body)),
                Some(retry_after(&h, &Value::Null)),
                headroom(&h).wait,
            ];
            for wait in waits.into_iter().flatten() {
                proptest::prop_assert!(wait <= LONGEST_WAIT);
                let _ = std::time::Instant::now() + wait;
                let _ = tokio::time::Instant::now() + wait;
                let _ = chrono::Utc::now() + wait;
            }
        }
    }
}
