//! An exercise's message on Discord as a pacing screen: each frame is an
//! edit of the interaction's first response.

use super::rest::{Rest, RestError};
use crate::pace::plan::Frame;
use crate::pace::runner::{Screen, ShowError};
use poise::serenity_prelude::CreateAllowedMentions;
use serde::Serialize;
use serde_json::value::RawValue;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

pub(crate) struct MessageScreen {
    pub rest: Rest,
    pub application: u64,
    pub token: String,
    /// When the first frame was shown: each later one is due at this plus
    /// its offset.
    pub start: Instant,
    /// Offset of the plan's end frame, which carries the end buttons.
    pub end_at: Duration,
    /// The end buttons as JSON, serialized once (thousands of sessions may
    /// be waiting at a time; a `serde_json::Value` tree costs kilobytes).
    pub end_components: Arc<RawValue>,
    /// When Discord said the bucket is empty: no edit before this.
    pub not_before: Option<Instant>,
}

impl MessageScreen {
    /// Replace the message's text (and buttons, when given).
    pub async fn edit(
        &mut self,
        content: &str,
        components: Option<&RawValue>,
    ) -> Result<(), RestError> {
        if let Some(wait) = self
            .not_before
            .and_then(|t| t.checked_duration_since(Instant::now()))
        {
            return Err(RestError::RateLimited(wait));
        }
        let body = edit_body(content, components)?;
        let headroom = self
            .rest
            .edit_original(self.application, &self.token, body)
            .await?;
        self.not_before = headroom.wait.map(|wait| Instant::now() + wait);
        Ok(())
    }
}

/// The body of an edit of an interaction's message: `content`, pinging
/// nobody, and `components` when they change.
pub(crate) fn edit_body(content: &str, components: Option<&RawValue>) -> Result<String, RestError> {
    let edit = Edit {
        content,
        allowed_mentions: CreateAllowedMentions::new(),
        components,
    };
    serde_json::to_string(&edit).map_err(|error| RestError::Body(error.to_string()))
}

/// The body of an edit of the message: its text, pinging nobody, and its
/// buttons when they change.
#[derive(Serialize)]
struct Edit<'a> {
    content: &'a str,
    allowed_mentions: CreateAllowedMentions,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<&'a RawValue>,
}

impl Screen for MessageScreen {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        let end_components = (frame.at == self.end_at).then(|| Arc::clone(&self.end_components));
        match self.edit(&frame.text, end_components.as_deref()).await {
            Ok(()) => {
                let late = Instant::now().saturating_duration_since(self.start + frame.at);
                self.rest.metrics().frame_late(late);
                Ok(())
            }
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
