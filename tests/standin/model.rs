//! Discord objects as JSON, complete per the API docs (serenity 0.12.5 drops a
//! gateway event silently when one required field is missing).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::rest::Reply;

const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh snowflake whose timestamp is now (serenity derives `created_at` from it).
pub fn snowflake() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    ((ms - DISCORD_EPOCH_MS) << 22) | (COUNTER.fetch_add(1, Ordering::Relaxed) & 0x3F_FFFF)
}

/// An opaque token that does not look like a real Discord token.
pub fn opaque_token(prefix: &str) -> String {
    format!(
        "{prefix}-{:x}-{:x}",
        snowflake(),
        COUNTER.fetch_add(7919, Ordering::Relaxed)
    )
}

/// ISO 8601 with microseconds and `+00:00`, as Discord formats timestamps.
pub fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

pub fn epoch_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

pub const ADMINISTRATOR: u64 = 1 << 3;
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;

/// What a member or the bot may do in an ordinary channel, as a string.
pub fn permissions() -> String {
    everyday_permissions().to_string()
}

/// Channel permissions of a bot / member that may use commands and post.
pub fn everyday_permissions() -> u64 {
    VIEW_CHANNEL
        | SEND_MESSAGES
        | (1 << 14) // EMBED_LINKS
        | (1 << 15) // ATTACH_FILES
        | (1 << 16) // READ_MESSAGE_HISTORY
        | (1 << 17) // MENTION_EVERYONE
        | (1 << 18) // USE_EXTERNAL_EMOJIS
        | (1 << 31) // USE_APPLICATION_COMMANDS
        | (1 << 38) // SEND_MESSAGES_IN_THREADS
}

/// A user object as interactions and messages carry it.
pub fn user(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": null,
        "collectibles": null,
        "primary_guild": null,
    })
}

/// The bot's own user (`GET /users/@me`, READY, message authors).
pub fn bot_user(id: u64) -> Value {
    let mut u = user(id, "steady-standin");
    let m = u.as_object_mut().unwrap();
    m.insert("global_name".into(), Value::Null);
    m.insert("bot".into(), json!(true));
    m.insert("mfa_enabled".into(), json!(false));
    m.insert("locale".into(), json!("en-US"));
    m.insert("verified".into(), json!(true));
    m.insert("email".into(), Value::Null);
    m.insert("premium_type".into(), json!(0));
    u
}

/// A guild member with every field serenity requires (`deaf`, `mute`, `flags`...).
pub fn member(user: &Value) -> Value {
    json!({
        "user": user,
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": [],
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions(),
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
        "avatar_decoration_data": null,
    })
}

/// The application object of `GET /oauth2/applications/@me`.
pub fn application(app_id: u64, owner: &Value, bot: &Value) -> Value {
    json!({
        "id": app_id.to_string(),
        "name": "steady-standin",
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "bot": bot,
        "bot_public": false,
        "bot_require_code_grant": false,
        "owner": owner,
        "verify_key": format!("{:064x}", app_id),
        "team": null,
        "flags": application_flags(),
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "event_webhooks_url": null,
        "event_webhooks_status": 1,
        "integration_types_config": { "0": {}, "1": {} },
        "hook": true,
        "is_monetized": false,
    })
}

/// APPLICATION_COMMAND_BADGE, as apps with global commands have.
pub fn application_flags() -> u64 {
    1 << 23
}

pub fn dm_channel(id: u64, recipient: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [recipient],
    })
}

/// The partial channel that interactions carry.
/// A guild as `GET /guilds/{id}` returns it (the fields steady might read).
pub fn guild(id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": "stand-in server",
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "1",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [everyone_role(id)],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
    })
}

/// The `@everyone` role (its id is the guild's): what everyone may do.
fn everyone_role(guild: u64) -> Value {
    json!({
        "id": guild.to_string(),
        "name": "@everyone",
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": 0,
        "permissions": permissions(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A guild channel as `GET /channels/{id}` shows it: no `permissions` (only
/// an interaction's channels carry the member's), but its overwrites, here
/// one for the bot user denying `denied` bits.
pub fn fetched_channel(id: u64, guild_id: u64, bot: u64, denied: u64) -> Value {
    let mut channel = guild_channel(id, guild_id);
    let fields = channel.as_object_mut().expect("an object");
    fields.remove("permissions");
    let overwrites = if denied == 0 {
        json!([])
    } else {
        json!([{"id": bot.to_string(), "type": 1, "allow": "0", "deny": denied.to_string()}])
    };
    fields.insert("permission_overwrites".into(), overwrites);
    channel
}

pub fn guild_channel(id: u64, guild_id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": "general",
        "position": 0,
        "permissions": permissions(),
        "flags": 0,
        "last_message_id": null,
        "nsfw": false,
        "parent_id": null,
        "rate_limit_per_user": 0,
        "topic": null,
    })
}

/// An empty message shell; `apply_body` fills content, embeds, components, files.
pub fn message(id: u64, channel_id: u64, author: &Value, kind: u8) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": "",
        "timestamp": now_iso(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": kind,
        "flags": 0,
    })
}

/// Message flags a bot may set when creating (SUPPRESS_EMBEDS, EPHEMERAL,
/// SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2).
pub const SETTABLE_FLAGS: u64 = 4 | 64 | 4096 | 8192 | 32768;
pub const EPHEMERAL: u64 = 64;
pub const LOADING: u64 = 128;

/// Where a body lands, for `errors` paths and validation: `data.` for callbacks.
pub struct Apply<'a> {
    pub errors_prefix: &'a [&'a str],
    pub is_edit: bool,
    pub allow_ephemeral: bool,
}

/// Applies a create/edit body (and uploaded files) to a stored message, the way
/// Discord validates it: content <= 2000 chars (50035), not empty (50006).
pub fn apply_body(
    msg: &mut Value,
    body: &Value,
    files: &[(String, Vec<u8>)],
    how: Apply,
) -> Result<(), Reply> {
    let empty = Map::new();
    let b = body.as_object().unwrap_or(&empty);
    if let Some(c) = b.get("content").and_then(Value::as_str) {
        if c.chars().count() > 2000 {
            return Err(Reply::form_error(
                how.errors_prefix,
                "content",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 2000 or fewer in length.",
            ));
        }
    }
    if b.get("embeds")
        .and_then(Value::as_array)
        .is_some_and(|e| e.len() > 10)
    {
        return Err(Reply::form_error(
            how.errors_prefix,
            "embeds",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.",
        ));
    }
    let old = msg.clone();
    let m = msg.as_object_mut().unwrap();
    if let Some(c) = b.get("content") {
        m.insert("content".into(), json!(c.as_str().unwrap_or("")));
    }
    if let Some(e) = b.get("embeds") {
        let embeds: Vec<Value> = e.as_array().cloned().unwrap_or_default();
        let embeds = embeds.into_iter().map(|mut e| {
            if let Some(o) = e.as_object_mut() {
                o.entry("type").or_insert(json!("rich"));
            }
            e
        });
        m.insert("embeds".into(), Value::Array(embeds.collect()));
    }
    if let Some(c) = b.get("components") {
        m.insert(
            "components".into(),
            json!(c.as_array().cloned().unwrap_or_default()),
        );
    }
    if let Some(t) = b.get("tts").and_then(Value::as_bool) {
        m.insert("tts".into(), json!(t));
    }
    let old_flags = old["flags"].as_u64().unwrap_or(0);
    if let Some(f) = b.get("flags").and_then(Value::as_u64) {
        let mut allowed = SETTABLE_FLAGS;
        if how.is_edit || !how.allow_ephemeral {
            allowed &= !EPHEMERAL; // a message never switches ephemeral state
        }
        let kept = old_flags & (EPHEMERAL | LOADING);
        m.insert("flags".into(), json!(kept | (f & allowed)));
    }
    apply_attachments(m, b.get("attachments"), files, how.is_edit);
    mentions(m, b.get("allowed_mentions"));
    let has = |k: &str| {
        m.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let content = m.get("content").and_then(Value::as_str).unwrap_or("");
    if content.is_empty()
        && !has("embeds")
        && !has("components")
        && !has("attachments")
        && b.get("poll").is_none_or(Value::is_null)
    {
        *msg = old;
        return Err(Reply::error(400, 50006, "Cannot send an empty message"));
    }
    if how.is_edit && old_flags & LOADING == 0 {
        m.insert("edited_timestamp".into(), json!(now_iso()));
    }
    Ok(())
}

/// New attachment objects for uploaded files; on edit, an `attachments` list keeps
/// only the listed existing ones (by id), as Discord does.
fn apply_attachments(
    m: &mut Map<String, Value>,
    listed: Option<&Value>,
    files: &[(String, Vec<u8>)],
    is_edit: bool,
) {
    let channel = m["channel_id"].as_str().unwrap_or("0").to_owned();
    let existing: Vec<Value> = m["attachments"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<Value> = match (listed.and_then(Value::as_array), is_edit) {
        (Some(list), true) => existing
            .into_iter()
            .filter(|a| list.iter().any(|l| id_str(&l["id"]) == id_str(&a["id"])))
            .collect(),
        _ => existing,
    };
    for (i, (name, bytes)) in files.iter().enumerate() {
        let desc = listed
            .and_then(Value::as_array)
            .and_then(|l| l.iter().find(|a| id_str(&a["id"]) == i.to_string()))
            .and_then(|a| a.get("description").cloned())
            .unwrap_or(Value::Null);
        let id = snowflake();
        let url = format!("https://cdn.discordapp.com/attachments/{channel}/{id}/{name}");
        out.push(json!({
            "id": id.to_string(),
            "filename": name,
            "description": desc,
            "size": bytes.len(),
            "url": url,
            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
            "content_type": content_type(name),
        }));
    }
    m.insert("attachments".into(), Value::Array(out));
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "txt" | "md" => "text/plain; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Fills `mentions` / `mention_everyone` from `<@id>` and `@everyone` in the
/// content, honouring `allowed_mentions` (absent = parse everything).
fn mentions(m: &mut Map<String, Value>, allowed: Option<&Value>) {
    let content = m["content"].as_str().unwrap_or("").to_owned();
    let parse = |kind: &str| match allowed {
        None | Some(Value::Null) => true,
        Some(a) => a["parse"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == kind)),
    };
    let listed = |id: &str| {
        allowed
            .and_then(|a| a["users"].as_array())
            .is_some_and(|u| u.iter().any(|x| id_str(x) == id))
    };
    let mut users = vec![];
    for part in content.split("<@").skip(1) {
        let id: String = part
            .trim_start_matches('!')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !id.is_empty() && (parse("users") || listed(&id)) {
            users.push(user(id.parse().unwrap_or(0), &format!("user{id}")));
        }
    }
    m.insert("mentions".into(), Value::Array(users));
    let everyone =
        (content.contains("@everyone") || content.contains("@here")) && parse("everyone");
    m.insert("mention_everyone".into(), json!(everyone));
}

/// A snowflake given as string or number, as a string.
pub fn id_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

pub fn id_u64(v: &Value) -> Option<u64> {
    id_str(v).parse().ok()
}
