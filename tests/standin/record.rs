//! What the stand-in remembers: every REST request and every gateway frame,
//! so tests can assert on exactly what the bot sent.

use std::time::Instant;

use serde_json::Value;

/// One REST request the bot made, with the stand-in's answer.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// When the request arrived (monotonic clock).
    pub at: Instant,
    pub method: String,
    /// Path without the `/api/v10` prefix, e.g. `/channels/1/messages`.
    pub path: String,
    /// Templated route, e.g. `"PATCH /webhooks/{app}/{token}/messages/@original"`,
    /// or [`super::route::UNKNOWN`] when no route matched.
    pub route: String,
    pub query: Option<String>,
    /// The JSON body, or the `payload_json` part of a multipart body; `Null` if none.
    pub body: Value,
    /// Uploaded files of a multipart body: (filename, bytes).
    pub attachments: Vec<(String, Vec<u8>)>,
    /// HTTP status the stand-in answered with.
    pub status: u16,
    /// The JSON the stand-in answered with (`Null` for 204 / empty answers).
    pub response: Value,
    /// Extra headers of the answer (rate-limit ones), lowercase names.
    pub response_headers: Vec<(String, String)>,
    /// The request took effect but its answer never left
    /// ([`super::FaultKind::AnswerLost`]).
    pub answer_lost: bool,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Recorded {
    /// The `content` of the body, or of `data` for interaction callbacks.
    pub fn content(&self) -> Option<&str> {
        self.body
            .get("content")
            .or_else(|| self.body.get("data").and_then(|d| d.get("content")))
            .and_then(Value::as_str)
    }

    /// A one-line summary for panic messages.
    pub fn summary(&self) -> String {
        format!("{} {} -> {}", self.method, self.path, self.status)
    }
}

/// Which way a gateway frame went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    ToClient,
    FromClient,
}

/// One gateway frame. Close frames are recorded as `{"close": code}` with `op: None`.
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    pub at: Instant,
    /// Connection number (1, 2, ... in accept order).
    pub conn: u64,
    pub dir: Direction,
    pub op: Option<u64>,
    pub t: Option<String>,
    pub payload: Value,
}

impl GatewayFrame {
    pub(crate) fn new(conn: u64, dir: Direction, payload: Value) -> Self {
        GatewayFrame {
            at: Instant::now(),
            conn,
            dir,
            op: payload.get("op").and_then(Value::as_u64),
            t: payload.get("t").and_then(Value::as_str).map(str::to_owned),
            payload,
        }
    }
}

/// How a gateway connection started its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    Identified,
    Resumed,
}

/// The stand-in's view of one gateway connection.
#[derive(Clone, Debug)]
pub struct ConnectionInfo {
    pub id: u64,
    pub start: Option<Start>,
    pub open: bool,
    /// Close code if the client sent a close frame.
    pub client_close: Option<u16>,
}
