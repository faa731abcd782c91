//! The fixed words a label may hold: how a command, an edit, a check-in or
//! another scheduled message ended. Nothing else can reach a label.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its handler ran to the end (a kind "not now" included).
    Ok,
    /// Turned away before it ran: options that could not be read.
    Refused,
    /// It failed or panicked; the person got the kind error message.
    Error,
}

/// What Discord answered to an exercise's edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditStatus {
    Success,
    RateLimited,
    ServerError,
    /// Any other status, or no answer at all.
    Other,
}

impl EditStatus {
    pub fn of(status: u16) -> EditStatus {
        match status {
            200..=299 => EditStatus::Success,
            429 => EditStatus::RateLimited,
            500..=599 => EditStatus::ServerError,
            _ => EditStatus::Other,
        }
    }
}

/// How one attempt at anything the scheduler sends ended (`Retried` for
/// each try again); a check-in's are `steady_checkins_total`'s labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Sent,
    /// The person's DMs refused it; not yet paused.
    Refused,
    /// Refused once too often: the check-in paused itself (nothing else
    /// pauses).
    Paused,
    /// Later than `checkin.grace_minutes` after downtime.
    SkippedLate,
    /// Another try is coming (a 429, a 5xx, no answer).
    Retried,
    /// Given up: Discord rejected it for good, or did not recover in time.
    Failed,
    /// Given up unsure: a try Discord may have acted on, and Discord no
    /// longer trusted to remember its nonce. Maybe sent once, never twice.
    Uncertain,
    /// Not tried again: the person said stop (or it changed) meanwhile.
    Withdrawn,
}

/// How one attempt at a wait's end, or a server's daily post, went (neither
/// ever pauses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// The person's DMs refused it.
    Refused,
    /// Later than `checkin.grace_minutes` after downtime.
    SkippedLate,
    Retried,
    Failed,
    Uncertain,
    Withdrawn,
}

impl From<DeliveryOutcome> for SendOutcome {
    /// Nothing but a check-in pauses: a pause is a refusal.
    fn from(outcome: DeliveryOutcome) -> SendOutcome {
        match outcome {
            DeliveryOutcome::Sent => SendOutcome::Sent,
            DeliveryOutcome::Refused | DeliveryOutcome::Paused => SendOutcome::Refused,
            DeliveryOutcome::SkippedLate => SendOutcome::SkippedLate,
            DeliveryOutcome::Retried => SendOutcome::Retried,
            DeliveryOutcome::Failed => SendOutcome::Failed,
            DeliveryOutcome::Uncertain => SendOutcome::Uncertain,
            DeliveryOutcome::Withdrawn => SendOutcome::Withdrawn,
        }
    }
}

/// Each label value's one word, and every value, so series can start at 0.
macro_rules! label_words {
    ($type:ty { $($variant:ident => $word:literal),* $(,)? }) => {
        impl $type {
            pub(super) const ALL: &[$type] = &[$(Self::$variant),*];

            pub(super) fn word(self) -> &'static str {
                match self { $(Self::$variant => $word),* }
            }
        }
    };
}

label_words!(Outcome { Ok => "ok", Refused => "refused", Error => "error" });
label_words!(EditStatus {
    Success => "2xx",
    RateLimited => "429",
    ServerError => "5xx",
    Other => "other",
});
label_words!(DeliveryOutcome {
    Sent => "sent",
    Refused => "refused",
    Paused => "paused",
    SkippedLate => "skipped_late",
    Retried => "retried",
    Failed => "failed",
    Uncertain => "uncertain",
    Withdrawn => "withdrawn",
});
label_words!(SendOutcome {
    Sent => "sent",
    Refused => "refused",
    SkippedLate => "skipped_late",
    Retried => "retried",
    Failed => "failed",
    Uncertain => "uncertain",
    Withdrawn => "withdrawn",
});
