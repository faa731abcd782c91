//! The form a page is written in, and keeping what it holds.

use super::super::data::Error;
use super::super::modal::{Field, Modal};
use super::super::reply;
use super::super::submit::Submit;
use super::button::Action;
use crate::journal::{JournalError, Prompt, MAX_CHARS};
use crate::prompts::Journal;
use crate::store::JournalKind;

/// The name of the form's one field.
const PAGE: &str = "page";

/// The form for `owner`, titled with `prompt`'s name, its whole question
/// shown in the empty field.
pub(super) fn form(words: &Journal, owner: u64, prompt: Prompt) -> Modal {
    let prompt_words = words.prompt(prompt);
    let most = u16::try_from(MAX_CHARS).unwrap_or(u16::MAX);
    let field =
        Field::lines(PAGE, words.form.label.plain(), most).hint(prompt_words.question.plain());
    Modal::new(
        Action::Write(Some(prompt)).id(owner),
        prompt_words.name.plain(),
    )
    .field(field)
}

/// A submitted form, by its owner: keep the page, and say so privately.
pub(crate) async fn on_submit(submit: Submit<'_>) -> Result<(), Error> {
    let (data, origin) = (submit.data, submit.origin);
    let words = &data.words(&origin.locale).journal;
    let Some(Action::Write(prompt)) = Action::parse(&submit.id) else {
        let expired = data.words(&origin.locale).errors.expired.plain();
        return Ok(origin
            .respond(submit.http, reply::private_message(expired))
            .await?);
    };
    let text = submit.value(PAGE).unwrap_or_default();
    // Only a page that can be kept is a change.
    if crate::journal::clean(text).is_ok() {
        if let Some(pause) = data.hold_change(origin.user, &origin.locale) {
            return Ok(origin
                .respond(submit.http, reply::private_message(pause))
                .await?);
        }
    }
    let key = prompt.unwrap_or(Prompt::Free).key();
    let kept = (data.store)
        .write_journal(origin.user, JournalKind::Entry, Some(key), text, None)
        .await?;
    tracing::info!(outcome = ?kept.map(drop), "journal write");
    let m = &words.messages;
    let answer = match kept {
        Ok(_) => &m.saved,
        Err(JournalError::Empty) => &m.empty,
        Err(JournalError::TooLong) => &m.too_long,
    };
    let answer = reply::private_message(answer.plain());
    Ok(origin.respond(submit.http, answer).await?)
}
