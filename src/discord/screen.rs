//! An exercise's message on Discord as a pacing screen: each frame is an
//! edit of the interaction's first response.

use super::rest::{Rest, RestError};
use crate::pace::plan::Frame;
use crate::pace::runner::{Screen, ShowError};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::Instant;

pub(crate) struct MessageScreen {
    pub rest: Rest,
    pub application: u64,
    pub token: String,
    /// Offset of the plan's end frame, which carries the end buttons.
    pub end_at: Duration,
    pub end_components: Value,
    /// When Discord said the bucket is empty: no edit before this.
    pub not_before: Option<Instant>,
}

impl MessageScreen {
    /// Replace the message's text (and buttons, when given).
    pub async fn edit(
        &mut self,
        content: &str,
        components: Option<&Value>,
    ) -> Result<(), RestError> {
        if let Some(wait) = self
            .not_before
            .and_then(|t| t.checked_duration_since(Instant::now()))
        {
            return Err(RestError::RateLimited(wait));
        }
        let mut body = json!({
            "content": content,
            "allowed_mentions": { "parse": [] },
        });
        if let Some(components) = components {
            body["components"] = components.clone();
        }
        let headroom = self
            .rest
            .edit_original(self.application, &self.token, &body)
            .await?;
        self.not_before = headroom.wait.map(|wait| Instant::now() + wait);
        Ok(())
    }
}

impl Screen for MessageScreen {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        let end_components = (frame.at == self.end_at).then(|| self.end_components.clone());
        match self.edit(&frame.text, end_components.as_ref()).await {
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
