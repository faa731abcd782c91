//! `/calm panel`: a lasting message whose buttons anyone in the server may
//! press, each press starting that person's own flow, privately. Its button
//! ids hold no owner and nothing stored, so a panel keeps working across
//! restarts, and after `/calm forget`. Whoever the server lets use `/calm`
//! may post one, in a channel they could post in themselves.

use super::{hold, mention, permission, server};
use crate::discord::budget::Lane;
use crate::discord::component::{button, button_id};
use crate::discord::data::{locale, words, ApplicationContext, Data, Error};
use crate::discord::intent::Intent;
use crate::discord::reply;
use crate::discord::rest::{Rest, RestError};
use crate::discord::send;
use crate::prompts::Calm;
use poise::serenity_prelude as serenity;
use serenity::{ChannelType, CreateActionRow, PartialChannel};

/// Discord's "Missing Access" (the channel cannot be seen, or the bot is
/// not in the server) and "Missing Permissions" (it cannot post there).
pub(super) const MISSING_ACCESS: i64 = 50001;
pub(super) const MISSING_PERMISSIONS: i64 = 50013;
const UNKNOWN_CHANNEL: i64 = 10003;
const UNKNOWN_GUILD: i64 = 10004;

/// The owner in an id anyone may press: no person's id is 0.
pub(crate) const ANYONE: u64 = 0;

#[poise::command(slash_command)]
pub(super) async fn panel(
    ctx: ApplicationContext<'_>,
    #[channel_types("Text")] channel: Option<PartialChannel>,
) -> Result<(), Error> {
    let Some(guild) = server(ctx).await? else {
        return Ok(());
    };
    let data = ctx.data();
    let m = &words(ctx).calm.messages;
    let here = ctx.interaction.channel_id.get();
    let target = channel.as_ref().map_or(here, |channel| channel.id.get());
    if let Some(channel) = &channel {
        if !matches!(channel.kind, ChannelType::Text | ChannelType::News) {
            let text = m.not_text.render(&[("channel", &mention(target))]);
            return reply::say(ctx, text).await;
        }
        if !permission::may_post(channel) {
            tracing::info!("calm panel refused: the member cannot post there");
            let text = m.you_cannot_post.render(&[("channel", &mention(target))]);
            return reply::say(ctx, text).await;
        }
    }
    // Here, Discord says what steady may do, so nothing need be tried.
    if let (true, Some(allowed)) = (target == here, ctx.interaction.app_permissions) {
        let missing = if !allowed.view_channel() {
            Some(&m.no_view)
        } else if !allowed.send_messages() {
            Some(&m.no_send)
        } else {
            None
        };
        if let Some(text) = missing {
            tracing::info!("calm panel refused: missing permission");
            return reply::say(ctx, text.render(&[("channel", &mention(target))])).await;
        }
    }
    if hold(ctx, guild).await? {
        return Ok(());
    }
    ctx.defer_ephemeral().await?;
    let words = data.words(server_locale(ctx));
    let (content, rows) = view(&words.calm);
    let intent = Intent::Answer {
        interaction: ctx.interaction.id.get(),
        part: 0,
    };
    let answer = match post(&data.rest, target, content, rows, intent).await {
        Ok(message) => {
            match message {
                Some(message) => {
                    let at = data.store.now();
                    data.store.panel_posted(guild, target, message, at).await?;
                }
                // Its buttons need nothing kept: only /calm status's count misses it.
                None => tracing::info!("calm panel's id is unknown: it goes uncounted"),
            }
            tracing::info!("calm panel posted");
            m.panel_posted.render(&[("channel", &mention(target))])
        }
        Err(error) => match refusal(data, guild, &error).await {
            Some(why) => {
                tracing::info!(%error, "calm panel not posted");
                why.words(m).render(&[("channel", &mention(target))])
            }
            None => return Err(error.into()),
        },
    };
    reply::say(ctx, answer).await
}

/// The panel: its words and five buttons, for anyone.
fn view(words: &Calm) -> (String, Vec<CreateActionRow>) {
    let b = &words.panel.buttons;
    let buttons = [
        ("breathe", &b.breathe),
        ("ground", &b.ground),
        ("soothe", &b.soothe),
        ("anchors", &b.anchors),
        ("support", &b.support),
    ]
    .into_iter()
    .map(|(action, label)| button(button_id("panel", action, ANYONE, ""), label))
    .collect();
    (
        words.panel.text.plain(),
        vec![CreateActionRow::Buttons(buttons)],
    )
}

/// Post `content` and `rows` in `channel`, pinging nobody, with the nonce
/// of `intent`; returns the message's id, if Discord's answer could be read.
pub(super) async fn post(
    rest: &Rest,
    channel: u64,
    content: String,
    rows: Vec<CreateActionRow>,
    intent: Intent,
) -> Result<Option<u64>, RestError> {
    let message = send::stamped(send::message(content).components(rows), intent);
    let body =
        serde_json::to_string(&message).map_err(|error| RestError::Body(error.to_string()))?;
    let (_, id) = rest
        .create_message(channel, body, None, intent.lane())
        .await?;
    Ok(id)
}

/// Why steady may not post in a channel, in words a moderator can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    NotMember,
    NoView,
    NoSend,
}

impl Refusal {
    pub fn words(self, m: &crate::prompts::CalmMessages) -> &crate::prompts::Text {
        match self {
            Refusal::NotMember => &m.not_member,
            Refusal::NoView => &m.no_view,
            Refusal::NoSend => &m.no_send,
        }
    }
}

/// What a refused request to a channel of `guild` means. Missing Access is
/// either: the bot is not in the server (its commands can be, without it),
/// or cannot see the channel; asking for the server tells them apart.
pub(super) async fn refusal(data: &Data, guild: u64, error: &RestError) -> Option<Refusal> {
    let RestError::Status { code, .. } = error else {
        return None;
    };
    match *code {
        MISSING_PERMISSIONS => Some(Refusal::NoSend),
        MISSING_ACCESS | UNKNOWN_CHANNEL => match data.rest.get_guild(guild, Lane::Person).await {
            Err(RestError::Status { code, .. })
                if code == MISSING_ACCESS || code == UNKNOWN_GUILD =>
            {
                Some(Refusal::NotMember)
            }
            _ => Some(Refusal::NoView),
        },
        _ => None,
    }
}

/// The language of what everyone in the server reads: the server's own,
/// else the moderator's.
pub(super) fn server_locale(ctx: ApplicationContext<'_>) -> &str {
    ctx.interaction
        .guild_locale
        .as_deref()
        .unwrap_or_else(|| locale(ctx))
}

/// A press on a panel, by anyone: the flow it starts, as the button the
/// person's own flows carry (feature, action, payload), private.
pub(crate) fn panel_press(action: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match action {
        "breathe" => ("breathe", "start", "1"),
        "ground" => ("ground", "start", "1"),
        "soothe" => ("soothe", "begin", ""),
        "anchors" => ("anchors", "show", ""),
        "support" => ("support", "show", ""),
        _ => return None,
    })
}
