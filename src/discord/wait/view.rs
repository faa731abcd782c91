//! What a wait looks like: its start, the same kept on its message when DMs
//! are closed, and its end. Each button names the wait by its start, so a
//! press on an older wait's buttons is told that wait has ended.

use crate::discord::component::{button, button_id, mine_button};
use crate::discord::stamp::{clock, relative};
use crate::prompts::{Catalog, Text, Wait as Words};
use crate::store::Wait;
use chrono::{DateTime, Utc};
use poise::serenity_prelude::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateInteractionResponseFollowup,
};

/// The name of a wait in its buttons: when it started, in seconds.
pub(super) fn name(started: DateTime<Utc>) -> String {
    started.timestamp().to_string()
}

/// A private flag as the payload other features' start buttons read.
fn flag(private: bool) -> &'static str {
    if private {
        "1"
    } else {
        "0"
    }
}

/// The values a sentence about a wait's end may use.
pub(super) fn ends(words: &Words, minutes: u32, at: DateTime<Utc>) -> [(&'static str, String); 3] {
    [
        ("minutes", words.minutes.render(minutes)),
        ("relative", relative(at)),
        ("time", clock(at)),
    ]
}

/// Render `text` with owned values.
pub(super) fn render(text: &Text, values: &[(&str, String)]) -> String {
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text.render(&values)
}

/// A row of the five urge taps: `action` is `urge` (at the start) or
/// `after` (at the end).
pub(super) fn urge_row(words: &Words, owner: u64, action: &str, started: &str) -> CreateActionRow {
    let taps = words
        .buttons
        .urges
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let payload = format!("{started}.{}", i + 1);
            button(button_id("wait", action, owner, &payload), label)
        })
        .collect();
    CreateActionRow::Buttons(taps)
}

/// Ways to spend the wait, a place to write the message instead of
/// sending it, and "I'm okay now".
pub(super) fn onward_row(
    words: &Catalog,
    owner: u64,
    started: &str,
    private: bool,
) -> CreateActionRow {
    let b = &words.wait.buttons;
    CreateActionRow::Buttons(vec![
        button(
            button_id("breathe", "start", owner, flag(private)),
            &b.breathe,
        ),
        button(
            button_id("ground", "start", owner, flag(private)),
            &b.ground,
        ),
        mine_button(&words.anchors, owner),
        button(
            button_id("wait", "draft", owner, started),
            &words.wait.draft.button,
        ),
        button(button_id("wait", "okay", owner, started), &b.okay).style(ButtonStyle::Success),
    ])
}

/// A wait under way: `intro` (its start, or the same kept on its message),
/// then the urge question with its taps and the ways onward.
pub(super) fn waiting(
    words: &Catalog,
    intro: &Text,
    wait: &Wait,
    history: Option<String>,
) -> (String, Vec<CreateActionRow>) {
    let w = &words.wait;
    let started = name(wait.started);
    let mut content = render(intro, &ends(w, wait.minutes, wait.ends));
    if let Some(history) = history {
        content = format!("{content}\n\n{history}");
    }
    let content = format!("{content}\n\n**{}**", w.messages.urge_question.plain());
    let rows = vec![
        urge_row(w, wait.user, "urge", &started),
        onward_row(words, wait.user, &started, wait.private),
    ];
    (content, rows)
}

/// The end's choices: send it after all, ten more minutes, or breathe.
pub(super) fn choice_row(
    words: &Words,
    owner: u64,
    started: &str,
    private: bool,
) -> CreateActionRow {
    let b = &words.buttons;
    CreateActionRow::Buttons(vec![
        button(button_id("wait", "send", owner, started), &b.send),
        button(button_id("wait", "more", owner, started), &b.more),
        button(
            button_id("breathe", "start", owner, flag(private)),
            &b.breathe,
        ),
    ])
}

/// DMs are closed: wait on this message instead, or breathe.
pub(super) fn dms_closed_row(words: &Words, owner: u64, private: bool) -> CreateActionRow {
    let b = &words.buttons;
    CreateActionRow::Buttons(vec![
        button(button_id("wait", "here", owner, flag(private)), &b.here),
        button(
            button_id("breathe", "start", owner, flag(private)),
            &b.breathe,
        ),
    ])
}

/// What to do with the draft written during a wait: see it again, keep it
/// in the journal, or delete it. Each names the draft, not the wait, so
/// they work for as long as the draft is kept.
pub(super) fn draft_row(words: &Words, owner: u64, draft: i64) -> CreateActionRow {
    let (d, draft) = (&words.draft, draft.to_string());
    CreateActionRow::Buttons(vec![
        button(button_id("wait", "show", owner, &draft), &d.show),
        button(button_id("wait", "journal", owner, &draft), &d.journal),
        button(button_id("wait", "delete", owner, &draft), &d.delete),
    ])
}

/// The draft's offer on its own, for a message only its owner sees.
fn draft_offer(words: &Words, owner: u64, draft: i64) -> (String, CreateActionRow) {
    (words.draft.offer.plain(), draft_row(words, owner, draft))
}

/// A message's `content` and `rows`, with the offer of the draft written
/// during the wait below them, when there is one to offer there.
pub(super) fn with_draft(
    words: &Words,
    owner: u64,
    (content, mut rows): (String, Vec<CreateActionRow>),
    draft: Option<i64>,
) -> (String, Vec<CreateActionRow>) {
    let Some(draft) = draft else {
        return (content, rows);
    };
    let (offer, row) = draft_offer(words, owner, draft);
    rows.push(row);
    (format!("{content}\n\n{offer}"), rows)
}

/// The draft's offer as a follow-up only its owner sees, beside a message
/// everyone can.
pub(super) fn draft_followup(
    words: &Words,
    owner: u64,
    draft: i64,
) -> CreateInteractionResponseFollowup {
    let (offer, row) = draft_offer(words, owner, draft);
    CreateInteractionResponseFollowup::new()
        .content(offer)
        .components(vec![row])
        .ephemeral(true)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// The end of a wait: the secure-base question, the urge now, the choices,
/// and the draft written during it, when this message is its owner's alone.
pub(super) fn end(
    words: &Words,
    owner: u64,
    started: DateTime<Utc>,
    minutes: u32,
    private: bool,
    draft: Option<i64>,
) -> (String, Vec<CreateActionRow>) {
    let started = name(started);
    let content = format!(
        "{}\n\n**{}**",
        words
            .messages
            .end
            .render(&[("minutes", &words.minutes.render(minutes))]),
        words.messages.urge_now.plain()
    );
    let rows = vec![
        urge_row(words, owner, "after", &started),
        choice_row(words, owner, &started, private),
    ];
    with_draft(words, owner, (content, rows), draft)
}
