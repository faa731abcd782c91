//! An exercise's message on Discord as a pacing screen: each frame is an
//! edit of the interaction's first response.

use super::rest::{Rest, RestError};
use crate::pace::plan::Frame;
use crate::pace::runner::{Screen, ShowError};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

pub(crate) struct MessageScreen {
    pub rest: Rest,
    pub application: u64,
    pub token: String,
    /// Offset of the plan's end frame, which carries the end buttons.
    pub end_at: Duration,
    /// The end buttons as JSON, serialized once (thousands of sessions may
    /// be waiting at a time; a `serde_json::Value` tree costs kilobytes).
    pub end_components: Arc<str>,
    /// When Discord said the bucket is empty: no edit before this.
    pub not_before: Option<Instant>,
}

impl MessageScreen {
    /// Replace the message's text (and buttons, when given as JSON).
    pub async fn edit(&mut self, content: &str, components: Option<&str>) -> Result<(), RestError> {
        if let Some(wait) = self
            .not_before
            .and_then(|t| t.checked_duration_since(Instant::now()))
        {
            return Err(RestError::RateLimited(wait));
        }
        let content = serde_json::to_string(content).unwrap_or_default();
        let body = match components {
            Some(components) => format!(
                r#"{{"content":{content},"allowed_mentions":{{"parse":[]}},"components":{components}}}"#
            ),
            None => format!(r#"{{"content":{content},"allowed_mentions":{{"parse":[]}}}}"#),
        };
        let headroom = self
            .rest
            .edit_original(self.application, &self.token, body)
            .await?;
        self.not_before = headroom.wait.map(|wait| Instant::now() + wait);
        Ok(())
    }
}

impl Screen for MessageScreen {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        let end_components = (frame.at == self.end_at).then(|| Arc::clone(&self.end_components));
        match self.edit(&frame.text, end_components.as_deref()).await {
            Ok(()) => Ok(()),
            Err(RestError::RateLimited(wait)) => Err(ShowError::RateLimited(wait)),
            Err(RestError::Gone { status, code }) => {
                tracing::info!(status, code, "exercise message is gone");
                Err(ShowError::Gone)
            }
            Err(error) => {
                tracing::warn!(%error, "an exercise frame failed");
                Err(ShowError::Failed)
            }
        }
    }
}
