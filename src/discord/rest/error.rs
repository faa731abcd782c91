//! What can go wrong with a request to Discord, and which failures may
//! have acted anyway: what decides whether a message may be tried again.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RestError {
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    #[error("the message or its token is gone (HTTP {status}, code {code})")]
    Gone { status: u16, code: i64 },
    #[error("HTTP {status}, code {code}")]
    Status { status: u16, code: i64 },
    #[error("the answer was not what Discord documents")]
    Unexpected,
    /// steady could not build its own request: a bug, not Discord's doing.
    #[error("could not build the request: {0}")]
    Body(String),
    /// The connection broke after the request was sent.
    #[error("request failed: {0}")]
    Transport(String),
    /// No answer within the request timeout: Discord may still be acting.
    #[error("request timed out: {0}")]
    TimedOut(String),
    /// No connection was made: the request never reached Discord.
    #[error("could not connect: {0}")]
    Unreached(String),
    /// Not sent: a global 429 holds every request longer than a person
    /// can wait.
    #[error("Discord holds every request for a while")]
    Busy,
    /// Not sent: steady is stopping.
    #[error("not sent: stopping")]
    Stopped,
}

impl RestError {
    /// Discord may have done what was asked and the answer was lost: no
    /// answer came, or a 5xx (which Discord sends when it is not sure).
    pub fn may_have_acted(&self) -> bool {
        match self {
            RestError::Transport(_) | RestError::TimedOut(_) => true,
            RestError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// What failed to send, as a reqwest error says it: before connecting
    /// (never reached Discord), by a timeout, or a connection lost after.
    pub(super) fn of_transport(error: reqwest::Error) -> RestError {
        if error.is_timeout() {
            RestError::TimedOut(describe(error))
        } else if error.is_connect() {
            RestError::Unreached(describe(error))
        } else {
            RestError::Transport(describe(error))
        }
    }
}

/// The error and its causes, without the URL: it holds the interaction token.
pub(super) fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}
