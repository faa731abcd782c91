//! The one error path: the person gets a short, kind, private message; the
//! log gets the detail (ids and outcomes, never what anyone wrote).

use super::data::{words, Data, Error};
use super::rest::RestError;
use super::{reply, watch};
use crate::metrics::Outcome;
use poise::FrameworkError;

pub(crate) async fn on_error(failure: FrameworkError<'_, Data, Error>) {
    let Some(ctx) = failure.ctx() else {
        tracing::warn!(error = %failure, "framework error outside a command");
        return;
    };
    let command = &*ctx.command().qualified_name;
    let errors = &words(ctx).errors;
    let (text, outcome) = match &failure {
        // A 429 too long to sit out, or a global one holding every request
        // longer than a person can wait.
        FrameworkError::Command { error, .. }
            if matches!(
                error.downcast_ref::<RestError>(),
                Some(RestError::Busy | RestError::RateLimited(_))
            ) =>
        {
            tracing::warn!(command, "command not done: Discord holds every request");
            (&errors.busy, Outcome::Error)
        }
        FrameworkError::Command { error, .. } => {
            tracing::error!(command, %error, "command failed");
            (&errors.unexpected, Outcome::Error)
        }
        FrameworkError::CommandPanic { payload, .. } => {
            tracing::error!(command, panic = ?payload, "command panicked");
            (&errors.unexpected, Outcome::Error)
        }
        FrameworkError::ArgumentParse { .. } | FrameworkError::CommandStructureMismatch { .. } => {
            tracing::warn!(command, "could not read the command's options");
            (&errors.unreadable, Outcome::Refused)
        }
        other => {
            tracing::warn!(command, error = %other, "command refused");
            (&errors.unexpected, Outcome::Refused)
        }
    };
    if let Err(error) = reply::say(ctx, text.plain()).await {
        tracing::warn!(command, %error, "could not tell the person about an error");
    }
    watch::command_ended(ctx, outcome);
}
