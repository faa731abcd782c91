//! `/anchors` on Discord: a person's own truths, shown only to them and
//! sent by DM on request. Anchor text is never logged.

use super::component::{button, button_id, Press};
use super::data::{locale, words, ApplicationContext, Data, Error};
use super::intent::Intent;
use super::reply::{self, message};
use super::rest::RestError;
use super::send;
use crate::anchors::{clean, AnchorError, MAX_ANCHORS, MAX_CHARS};
use crate::prompts::Anchors;
use crate::store::Anchor;
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateAutocompleteResponse, CreateInteractionResponse};

/// Room left on a page for the list itself (Discord's limit is 2000).
const PAGE_CHARS: usize = 1800;
/// Discord's limit on an autocomplete choice's name.
const CHOICE_CHARS: usize = 100;
/// Discord's limit on autocomplete choices.
const CHOICES: usize = 25;

#[poise::command(
    slash_command,
    subcommands("add", "list", "remove", "send", "starter"),
    subcommand_required,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn anchors(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command)]
async fn add(ctx: ApplicationContext<'_>, text: String) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    // Only a text that can be kept is a change.
    if clean(&text).is_ok() {
        if let Some(pause) = data.hold_change(user, locale(ctx)) {
            return reply::say(ctx, pause).await;
        }
    }
    let kept = data.store.add_anchor(user, &text).await?;
    tracing::info!(outcome = ?kept.map(drop), "anchor add");
    let m = &data.words(locale(ctx)).anchors.messages;
    let answer = match kept {
        Ok(count) => m.added.render(&[("count", &count.to_string())]),
        Err(refusal) => refusal_text(&data.words(locale(ctx)).anchors, refusal),
    };
    reply::say(ctx, answer).await
}

#[poise::command(slash_command)]
async fn list(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let user = ctx.interaction.user.id.get();
    let anchors = ctx.data().store.anchors(user).await?;
    let (content, rows) = page_view(&words(ctx).anchors, &anchors, user, 0, None);
    ctx.send(reply::private(content).components(rows)).await?;
    Ok(())
}

#[poise::command(slash_command)]
async fn remove(
    ctx: ApplicationContext<'_>,
    #[autocomplete = "complete_anchor"] anchor: String,
) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    // The value is an anchor id from autocomplete; typed text is matched as written.
    let id = match anchor.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            let typed = clean(&anchor).unwrap_or_default();
            let mine = data.store.anchors(user).await?;
            mine.into_iter()
                .find(|a| a.text.as_deref() == Some(typed.as_str()))
                .map(|a| a.id)
        }
    };
    if let Some(pause) = id.and_then(|_| data.hold_change(user, locale(ctx))) {
        return reply::say(ctx, pause).await;
    }
    let removed = match id {
        Some(id) => data.store.remove_anchor(user, id).await?,
        None => false,
    };
    tracing::info!(removed, "anchor remove");
    let m = &data.words(locale(ctx)).anchors.messages;
    let answer = if removed { &m.removed } else { &m.already_gone };
    reply::say(ctx, answer.plain()).await
}

/// The person's own anchors containing what they typed, first words shown.
async fn complete_anchor(ctx: ApplicationContext<'_>, partial: &str) -> CreateAutocompleteResponse {
    let user = ctx.interaction.user.id.get();
    let found = ctx
        .data()
        .store
        .find_anchors(user, partial.trim(), CHOICES)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "anchor autocomplete failed");
            Vec::new()
        });
    let words = &ctx.data().words(locale(ctx)).anchors;
    let choices = found
        .iter()
        .map(|a| {
            let shown = shorten(&words_of(words, a), CHOICE_CHARS);
            serenity::AutocompleteChoice::new(shown, a.id.to_string())
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

#[poise::command(slash_command)]
async fn send(ctx: ApplicationContext<'_>, all: Option<bool>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).anchors;
    let all = all.unwrap_or(false);
    // Held before the next anchor is chosen: choosing moves the rotation.
    if let Some(pause) = data.hold_dm(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let chosen: Vec<Anchor> = if all {
        data.store.anchors(user).await?
    } else {
        data.store.next_anchor(user).await?.into_iter().collect()
    };
    if chosen.is_empty() {
        let (content, rows) = page_view(words, &chosen, user, 0, None);
        ctx.send(reply::private(content).components(rows)).await?;
        return Ok(());
    }
    let pages = if all {
        pages(words, &chosen)
            .into_iter()
            .map(|page| format!("{}\n{page}", words.messages.all_title.plain()))
            .collect()
    } else {
        vec![words
            .messages
            .one
            .render(&[("anchor", &words_of(words, &chosen[0]))])]
    };
    // A DM can take longer than Discord waits for an answer, and several
    // into one channel may have to wait out its rate limit.
    ctx.defer_ephemeral().await?;
    match deliver(data, user, locale(ctx), &pages, ctx.interaction.id.get()).await {
        Ok(()) => {
            tracing::info!(all, "anchors sent by DM");
            reply::say(ctx, words.messages.sent.plain()).await?;
        }
        Err(error) if send::dms_closed(&error) => {
            tracing::info!("DMs closed; anchors shown privately instead");
            let closed = words.messages.dms_closed.plain();
            let (content, rows) = if all {
                page_view(words, &chosen, user, 0, Some(&closed))
            } else {
                (format!("{closed}\n\n{}", pages[0]), Vec::new())
            };
            ctx.send(reply::private(content).components(rows)).await?;
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

#[poise::command(slash_command)]
async fn starter(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let user = ctx.interaction.user.id.get();
    if let Some(pause) = ctx.data().hold_change(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let answer = add_starter(ctx.data(), user, locale(ctx)).await?;
    reply::say(ctx, answer).await
}

async fn add_starter(data: &Data, user: u64, locale: &str) -> Result<String, Error> {
    let words = &data.words(locale).anchors;
    let added = data.store.add_anchors(user, &words.starter).await?;
    tracing::info!(added, "starter anchors");
    Ok(match added {
        0 => words.messages.starter_none.plain(),
        n => words
            .messages
            .starter_added
            .render(&[("count", &n.to_string())]),
    })
}

/// Send `pages` to the person's DMs, with the DM buttons on the last: what
/// `interaction` asked for, one intent a page.
async fn deliver(
    data: &Data,
    user: u64,
    locale: &str,
    pages: &[String],
    interaction: u64,
) -> Result<(), RestError> {
    let mut channel = None;
    for (i, page) in pages.iter().enumerate() {
        let mut message = send::message(page);
        if i + 1 == pages.len() {
            message = message.components(dm_buttons(&data.words(locale).anchors, user));
        }
        let part = u32::try_from(i).unwrap_or(u32::MAX);
        let intent = Intent::Answer { interaction, part };
        // The first page finds (or opens) the channel; the rest reuse it.
        let sent = send::dm(
            &data.rest,
            &data.store,
            user,
            channel,
            message,
            None,
            intent,
        );
        let sent = sent.await?;
        channel = Some(sent.channel);
        // The channel's own limit: the next page waits until it has room.
        if let Some(wait) = sent.headroom.wait.filter(|_| i + 1 < pages.len()) {
            tokio::time::sleep(wait).await;
        }
    }
    Ok(())
}

fn dm_buttons(words: &Anchors, owner: u64) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![
        button(
            button_id("breathe", "start", owner, "0"),
            &words.buttons.breathe,
        ),
        button(
            button_id("anchors", "another", owner, ""),
            &words.buttons.another,
        ),
    ])]
}

/// A press on one of the anchors buttons, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let words = &data.words(&origin.locale).anchors;
    let user = origin.user;
    let response = match id.action {
        "page" | "show" => {
            let anchors = data.store.anchors(user).await?;
            let page = id.payload.parse().unwrap_or(0);
            let (content, rows) = page_view(words, &anchors, user, page, None);
            let view = message(content).components(rows);
            if id.action == "page" {
                CreateInteractionResponse::UpdateMessage(view)
            } else {
                CreateInteractionResponse::Message(view.ephemeral(true))
            }
        }
        "starter" => {
            let answer = add_starter(data, user, &origin.locale).await?;
            CreateInteractionResponse::UpdateMessage(message(answer).components(Vec::new()))
        }
        // One more message in their DMs, and a move of the rotation: held
        // like /anchors send.
        "another" => match data.hold_dm(user, &origin.locale) {
            Some(pause) => reply::private_message(pause),
            None => another(data, words, user).await?,
        },
        _ => reply::private_message(data.words(&origin.locale).errors.expired.plain()),
    };
    origin.respond(http, response).await?;
    Ok(())
}

/// "Another one": the next anchor in the rotation, as a new message.
async fn another(
    data: &Data,
    words: &Anchors,
    user: u64,
) -> Result<CreateInteractionResponse, Error> {
    Ok(match data.store.next_anchor(user).await? {
        Some(anchor) => {
            let content = words
                .messages
                .one
                .render(&[("anchor", &words_of(words, &anchor))]);
            CreateInteractionResponse::Message(message(content).components(dm_buttons(words, user)))
        }
        None => {
            let (content, rows) = page_view(words, &[], user, 0, None);
            CreateInteractionResponse::Message(message(content).components(rows).ephemeral(true))
        }
    })
}

/// One page of the numbered list, with Previous/Next when there are more;
/// with no anchors, the offer of a starter set. `lead` goes above.
fn page_view(
    words: &Anchors,
    anchors: &[Anchor],
    owner: u64,
    page: usize,
    lead: Option<&str>,
) -> (String, Vec<CreateActionRow>) {
    let lead = lead.map(|lead| format!("{lead}\n\n")).unwrap_or_default();
    if anchors.is_empty() {
        let offer = button(
            button_id("anchors", "starter", owner, ""),
            &words.buttons.starter,
        );
        let content = format!("{lead}{}", words.messages.none_yet.plain());
        return (content, vec![CreateActionRow::Buttons(vec![offer])]);
    }
    let pages = pages(words, anchors);
    let page = page.min(pages.len() - 1);
    let title = words.messages.list_title.render(&[
        ("page", &(page + 1).to_string()),
        ("pages", &pages.len().to_string()),
    ]);
    let content = format!("{lead}{title}\n{}", pages[page]);
    let mut turn = Vec::new();
    if page > 0 {
        let to = (page - 1).to_string();
        turn.push(button(
            button_id("anchors", "page", owner, &to),
            &words.buttons.previous,
        ));
    }
    if page + 1 < pages.len() {
        let to = (page + 1).to_string();
        turn.push(button(
            button_id("anchors", "page", owner, &to),
            &words.buttons.next,
        ));
    }
    let rows = if turn.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(turn)]
    };
    (content, rows)
}

/// The numbered list, cut into pages that fit a message.
fn pages(words: &Anchors, anchors: &[Anchor]) -> Vec<String> {
    let mut pages = vec![String::new()];
    for (n, anchor) in anchors.iter().enumerate() {
        let line = format!("{}. {}\n", n + 1, words_of(words, anchor));
        let current = pages.last_mut().expect("never empty");
        if !current.is_empty() && current.chars().count() + line.chars().count() > PAGE_CHARS {
            pages.push(line);
        } else {
            current.push_str(&line);
        }
    }
    pages
}

/// The anchors' own words for an anchor that could not be kept.
pub(crate) fn refusal_text(words: &Anchors, refusal: AnchorError) -> String {
    let m = &words.messages;
    match refusal {
        AnchorError::Empty => m.empty_text.plain(),
        AnchorError::TooLong => m.too_long.render(&[("max", &MAX_CHARS.to_string())]),
        AnchorError::Duplicate => m.duplicate.plain(),
        AnchorError::Full => m.full.render(&[("max", &MAX_ANCHORS.to_string())]),
    }
}

/// At most `max` characters, cut at a word where possible, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// An anchor's words, or the kind note in their place when they can no
/// longer be read.
fn words_of(words: &Anchors, anchor: &Anchor) -> String {
    anchor
        .text
        .clone()
        .unwrap_or_else(|| words.messages.unreadable.plain())
}
