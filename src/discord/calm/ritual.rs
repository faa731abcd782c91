//! `/calm ritual`: once a day at the chosen time on the server's clock,
//! steady posts a moment to breathe together, due on the same scheduler as
//! check-ins (so DST-exact, once a day, across restarts, within the global
//! budget, after any person's own request). Whoever presses gets their own
//! paced session; the post counts them, at most once a minute.

use super::panel::{refusal, server_locale, ANYONE};
use super::{hold, managed, mention, permission, server};
use crate::checkin::zone;
use crate::daily::time::TimeOfDay;
use crate::discord::breathe;
use crate::discord::budget::Lane;
use crate::discord::checkin::{complete_zone, time_refusal, zone_refusal};
use crate::discord::component::{button, button_id, Press};
use crate::discord::courier::{retry_create, retry_edit};
use crate::discord::data::{words, ApplicationContext, Data, Error};
use crate::discord::intent::Intent;
use crate::discord::reply;
use crate::discord::rest::{Rest, RestError};
use crate::discord::screen::edit_body;
use crate::discord::stamp::relative;
use crate::pace::breathe::Request;
use crate::prompts::{Catalog, Catalogs};
use crate::schedule::Delivery;
use crate::store::{Ritual, RitualCount, RitualPost, Store};
use chrono::Utc;
use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateAutocompleteResponse, PartialChannel};

#[poise::command(
    slash_command,
    subcommands("set", "off", "status"),
    subcommand_required
)]
pub(super) async fn ritual(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command)]
async fn set(
    ctx: ApplicationContext<'_>,
    #[max_length = 20] time: String,
    #[autocomplete = "zones"]
    #[max_length = 64]
    timezone: String,
    #[channel_types("Text")] channel: PartialChannel,
    pattern: Option<u32>,
) -> Result<(), Error> {
    let Some(guild) = managed(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let words = words(ctx);
    let (m, c) = (&words.calm.messages, &words.checkin.messages);
    let time = match time.parse::<TimeOfDay>() {
        Ok(parsed) => parsed,
        Err(error) => return reply::say(ctx, time_refusal(c, error, &time)).await,
    };
    let zone = match zone::lookup(&timezone) {
        Ok(zone) => zone,
        Err(unknown) => {
            return reply::say(ctx, zone_refusal(c, &unknown.suggestions, &timezone)).await
        }
    };
    let pattern = pattern.unwrap_or(0);
    if pattern as usize >= words.breathing.patterns.len() {
        return reply::say(ctx, words.errors.unreadable.plain()).await;
    }
    let target = channel.id.get();
    let shown = mention(target);
    if !matches!(
        channel.kind,
        serenity::ChannelType::Text | serenity::ChannelType::News
    ) {
        return reply::say(ctx, m.not_text.render(&[("channel", &shown)])).await;
    }
    if !permission::may_post(&channel) {
        tracing::info!("daily moment refused: the member cannot post there");
        return reply::say(ctx, m.you_cannot_post.render(&[("channel", &shown)])).await;
    }
    if hold(ctx, guild).await? {
        return Ok(());
    }
    // The post is a day away: make sure now that steady may post there.
    let bot = ctx.framework().bot_id().get();
    let why = match permission::bot_refusal(&data.rest, guild, target, bot).await {
        Ok(why) => why,
        // An answer steady cannot read: the first post will learn the rest.
        Err(RestError::Unexpected) => {
            tracing::warn!("could not read steady's permissions in a channel");
            None
        }
        Err(error) => match refusal(data, guild, &error).await {
            Some(why) => Some(why),
            None => return Err(error.into()),
        },
    };
    if let Some(why) = why {
        tracing::info!(?why, "daily moment refused: steady cannot post there");
        return reply::say(ctx, why.words(m).render(&[("channel", &shown)])).await;
    }
    let ritual = Ritual {
        guild,
        channel: target,
        time,
        zone,
        pattern,
        locale: server_locale(ctx).to_owned(),
        next_due: None,
    };
    let next = data.store.set_ritual(&ritual, data.store.now()).await?;
    data.schedule_changed.notify_one();
    tracing::info!("daily moment set");
    let time = time.to_string();
    let answer = m.ritual_set.render(&[
        ("time", &time),
        ("zone", zone.name()),
        ("channel", &shown),
        ("relative", &relative(next)),
    ]);
    reply::say(ctx, answer).await
}

#[poise::command(slash_command)]
async fn off(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let Some(guild) = managed(ctx).await? else {
        return Ok(());
    };
    let m = &words(ctx).calm.messages;
    let stopped = ctx.data().store.stop_ritual(guild).await?;
    ctx.data().schedule_changed.notify_one();
    tracing::info!(stopped, "daily moment off");
    let answer = if stopped {
        &m.ritual_off
    } else {
        &m.ritual_off_already
    };
    reply::say(ctx, answer.plain()).await
}

#[poise::command(slash_command)]
async fn status(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let Some(guild) = server(ctx).await? else {
        return Ok(());
    };
    let answer = ritual_status(ctx.data(), words(ctx), guild).await?;
    reply::say(ctx, answer).await
}

/// The server's daily moment in words: when and where, or that there is none.
pub(super) async fn ritual_status(
    data: &Data,
    words: &Catalog,
    guild: u64,
) -> Result<String, Error> {
    let m = &words.calm.messages;
    Ok(match data.store.ritual(guild).await? {
        Some(ritual) => {
            let next = ritual.next_due.unwrap_or_else(Utc::now);
            m.ritual_status_on.render(&[
                ("time", &ritual.time.to_string()),
                ("zone", ritual.zone.name()),
                ("channel", &mention(ritual.channel)),
                ("relative", &relative(next)),
            ])
        }
        None => m.ritual_status_off.plain(),
    })
}

async fn zones(ctx: ApplicationContext<'_>, partial: &str) -> CreateAutocompleteResponse {
    complete_zone(ctx, partial).await
}

/// The day's post and its two ways to join.
fn view(words: &Catalog, post: &RitualPost) -> (String, Vec<CreateActionRow>) {
    let b = &words.calm.ritual.buttons;
    let pattern = post.pattern.to_string();
    let row = CreateActionRow::Buttons(vec![
        button(
            button_id("ritual", "together", ANYONE, &pattern),
            &b.together,
        )
        .style(serenity::ButtonStyle::Primary),
        button(button_id("ritual", "alone", ANYONE, &pattern), &b.alone),
    ]);
    (text(words, post.time, 0), vec![row])
}

/// The post's words, with how many joined once anyone has.
fn text(words: &Catalog, time: TimeOfDay, joined: u32) -> String {
    let calm = &words.calm;
    let post = calm.ritual.post.render(&[("time", &time.to_string())]);
    match joined {
        0 => post,
        n => format!("{post}\n\n{}", calm.joined.render(n)),
    }
}

/// The scheduler's courier: post the day's moment, with its own nonce so
/// a lost answer is still one post.
pub(crate) async fn post(
    rest: &Rest,
    store: &Store,
    prompts: &Catalogs,
    post: &RitualPost,
) -> Delivery {
    let words = prompts.for_discord(&post.locale);
    let (content, rows) = view(words, post);
    let intent = Intent::Ritual {
        guild: post.guild,
        due: post.due,
    };
    match super::panel::post(rest, post.channel, content, rows, intent).await {
        Ok(Some(message)) => {
            if let Err(error) = store.ritual_posted(post, message).await {
                tracing::warn!(%error, "could not keep the daily moment's post");
            }
            Delivery::Sent
        }
        Ok(None) => {
            tracing::warn!("daily moment posted, but its id is unknown: it will show no joins");
            Delivery::Sent
        }
        Err(error) => retry_create(rest, &error).unwrap_or_else(|| refused(error)),
    }
}

/// The scheduler's courier: show how many joined, as an edit of the post.
pub(crate) async fn count(rest: &Rest, prompts: &Catalogs, count: &RitualCount) -> Delivery {
    let words = prompts.for_discord(&count.locale);
    let content = text(words, count.time, count.joined);
    let edited = match edit_body(&content, None) {
        Ok(body) => {
            rest.edit_message(count.channel, count.message, body, Lane::Scheduled)
                .await
        }
        Err(error) => Err(error),
    };
    match edited {
        Ok(()) => Delivery::Sent,
        Err(error) => retry_edit(&error).unwrap_or_else(|| refused(error)),
    }
}

fn refused(error: RestError) -> Delivery {
    tracing::warn!(%error, "Discord refused a daily moment");
    Delivery::Failed
}

/// A press on a day's post, by anyone: they breathe, together in the
/// channel or just for them, and once it begins they are counted (each
/// person once, on the server's latest post).
pub(crate) async fn on_join(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let pattern = id.payload.parse::<usize>().ok();
    let private = match id.action {
        "together" => false,
        "alone" => true,
        _ => return Ok(press.expired().await?),
    };
    let (Some(pattern), Some(guild)) = (pattern, press.interaction.guild_id) else {
        return Ok(press.expired().await?);
    };
    let request = Request {
        pattern: Some(pattern),
        ..Request::default()
    };
    // A press that did not begin (one already running) joins nothing.
    let launch = breathe::start(http, data, origin, request, private).await?;
    if launch == crate::discord::paced::Launch::Refused {
        return Ok(());
    }
    let message = press.interaction.message.id.get();
    // They breathe already: a count that cannot be kept only goes unshown.
    match data
        .store
        .ritual_joined(guild.get(), message, origin.user)
        .await
    {
        Ok(counted) => {
            tracing::info!(private, counted, "joined a daily moment");
            if counted {
                data.schedule_changed.notify_one();
            }
        }
        Err(error) => tracing::warn!(%error, "could not count a join"),
    }
    Ok(())
}
