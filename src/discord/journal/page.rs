//! `/journal read`: one page at a time, newest first, with its question and
//! the day it was written, and buttons to turn pages or delete one (asked
//! first). Only ever shown to its owner.

use super::super::component::{button, Press};
use super::super::confirm;
use super::super::data::{Data, Error};
use super::super::reply::message;
use super::button::Action;
use super::write_button;
use crate::journal::Prompt;
use crate::prompts::{Journal, Text};
use crate::store::{JournalEntry, JournalKind};
use poise::serenity_prelude as serenity;
use serenity::{ButtonStyle, CreateActionRow, CreateEmbed, CreateInteractionResponse};

/// Discord's longest embed description: a page of 4,000 characters fits,
/// a reframe's parts with their headings nearly always do.
const DESCRIPTION_CHARS: usize = 4096;

/// A page of the journal as a message shows it.
pub(super) struct View {
    pub content: String,
    pub embeds: Vec<CreateEmbed>,
    pub rows: Vec<CreateActionRow>,
}

/// Page `page` (from 0) of `owner`'s journal, or the last one if there are
/// fewer now, under `note` when one is given.
pub(super) async fn view(
    data: &Data,
    locale: &str,
    owner: u64,
    page: u64,
    note: Option<&Text>,
) -> Result<View, Error> {
    let words = &data.words(locale).journal;
    let (mut entries, mut total) = data.store.journal_page(owner, page, 1).await?;
    let mut page = page;
    if entries.is_empty() && total > 0 {
        // Pages deleted meanwhile: the last one there is.
        page = total - 1;
        (entries, total) = data.store.journal_page(owner, page, 1).await?;
    }
    let above = |line: String| match note {
        Some(note) => format!("{}\n\n{line}", note.plain()),
        None => line,
    };
    let Some(entry) = entries.into_iter().next() else {
        return Ok(View {
            content: above(words.messages.none.plain()),
            embeds: Vec::new(),
            rows: vec![CreateActionRow::Buttons(vec![write_button(
                words, owner, None,
            )])],
        });
    };
    let date = format!("<t:{}:D>", entry.written_at.timestamp());
    let (number, pages) = ((page + 1).to_string(), total.to_string());
    let line =
        (words.messages.page).render(&[("page", &number), ("pages", &pages), ("date", &date)]);
    let b = &words.buttons;
    let rows = vec![CreateActionRow::Buttons(vec![
        button(Action::Page(page.saturating_sub(1)).id(owner), &b.previous).disabled(page == 0),
        button(Action::Page(page + 1).id(owner), &b.next).disabled(page + 1 >= total),
        button(
            Action::Delete {
                entry: entry.id,
                page,
            }
            .id(owner),
            &b.delete,
        ),
        write_button(words, owner, None),
    ])];
    Ok(View {
        content: above(line),
        embeds: vec![embed(words, &entry)],
        rows,
    })
}

/// A press on a page's buttons, by its owner.
pub(super) async fn on_press(press: Press<'_>, action: Action) -> Result<(), Error> {
    let (data, origin) = (press.data, press.origin);
    let (owner, locale) = (origin.user, origin.locale.as_str());
    let m = &data.words(locale).journal.messages;
    let view = match action {
        Action::Page(page) => view(data, locale, owner, page, None).await?,
        Action::Delete { entry, page } => ask(data, locale, owner, entry, page).await?,
        Action::Keep(page) => view(data, locale, owner, page, Some(&m.kept)).await?,
        Action::Confirm {
            entry,
            page,
            expires,
        } => {
            let note = if !confirm::still_works(expires, data.store.now()) {
                &m.delete_expired
            } else if data.store.remove_journal(owner, entry).await? {
                tracing::info!("journal page deleted");
                &m.deleted
            } else {
                &m.gone
            };
            view(data, locale, owner, page, Some(note)).await?
        }
        Action::Write(_) => return Ok(press.expired().await?),
    };
    let update = message(view.content)
        .embeds(view.embeds)
        .components(view.rows);
    let response = CreateInteractionResponse::UpdateMessage(update);
    Ok(origin.respond(press.http, response).await?)
}

/// Ask before deleting `entry`, showing it: the Danger button works for a
/// minute.
async fn ask(data: &Data, locale: &str, owner: u64, entry: i64, page: u64) -> Result<View, Error> {
    let words = &data.words(locale).journal;
    let Some(shown) = data.store.journal_entry(owner, entry).await? else {
        return view(data, locale, owner, page, Some(&words.messages.gone)).await;
    };
    let expires = confirm::expires(data.store.now());
    let b = &words.buttons;
    let confirm = Action::Confirm {
        entry,
        page,
        expires,
    };
    let rows = vec![CreateActionRow::Buttons(vec![
        button(confirm.id(owner), &b.confirm).style(ButtonStyle::Danger),
        button(Action::Keep(page).id(owner), &b.keep),
    ])];
    Ok(View {
        content: words.messages.delete_confirm.plain(),
        embeds: vec![embed(words, &shown)],
        rows,
    })
}

/// The page itself: its question (or what wrote it) as the title, the
/// person's words below.
fn embed(words: &Journal, entry: &JournalEntry) -> CreateEmbed {
    CreateEmbed::new()
        .title(heading(words, entry))
        .description(shortened(body(words, entry)))
}

fn heading(words: &Journal, entry: &JournalEntry) -> String {
    match entry.kind {
        JournalKind::Entry => {
            let prompt = entry.prompt.as_deref().and_then(Prompt::from_key);
            words.prompt(prompt.unwrap_or(Prompt::Free)).name.plain()
        }
        JournalKind::Reframe => words.kinds.reframe.plain(),
        JournalKind::Draft => words.kinds.draft.plain(),
    }
}

fn body(words: &Journal, entry: &JournalEntry) -> String {
    let Some(text) = entry.text.as_deref() else {
        return words.messages.unreadable.plain();
    };
    match entry.kind {
        JournalKind::Reframe => reframe(words, text).unwrap_or_else(|| text.to_owned()),
        JournalKind::Entry | JournalKind::Draft => text.to_owned(),
    }
}

/// A reframe's parts under their headings, from the JSON object it keeps;
/// None if it is not one.
fn reframe(words: &Journal, text: &str) -> Option<String> {
    let parts: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    let r = &words.reframe;
    let shown: Vec<String> = [
        ("happened", &r.happened),
        ("story", &r.story),
        ("other", &r.other),
        ("kinder", &r.kinder),
    ]
    .into_iter()
    .filter_map(|(key, heading)| {
        let part = parts.get(key)?.as_str()?;
        Some(format!("**{}**\n{part}", heading.plain()))
    })
    .collect();
    (!shown.is_empty()).then(|| shown.join("\n\n"))
}

/// `text` cut to what an embed's description holds.
fn shortened(text: String) -> String {
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let kept: String = text.chars().take(DESCRIPTION_CHARS - 1).collect();
    format!("{kept}…")
}
