//! Interaction callbacks and the interaction webhook (`@original`, followups),
//! with Discord's rules: 3 s to acknowledge (10062), one acknowledgement
//! (40060), a token valid 15 min (50027), unknown message 10008.

use serde_json::{json, Value};

use super::interaction::Interaction;
use super::model::{self, Apply, EPHEMERAL, LOADING};
use super::rest::{Reply, Req};
use super::{route, Inner, State};

pub fn handle(inner: &Inner, r: &Req) -> Reply {
    let mut st = inner.lock();
    let result = match r.route {
        route::CALLBACK => callback(inner, &mut st, r),
        route::FOLLOWUP => followup(inner, &mut st, r),
        _ => webhook_message(inner, &mut st, r),
    };
    result.unwrap_or_else(|e| e)
}

fn unknown_interaction() -> Reply {
    Reply::error(404, 10062, "Unknown interaction")
}

fn callback(inner: &Inner, st: &mut State, r: &Req) -> Result<Reply, Reply> {
    let (iid, token) = (r.param_u64(0), &r.params[1]);
    let mut it = st
        .interactions
        .get(&iid)
        .filter(|i| &i.token == token)
        .cloned()
        .ok_or_else(unknown_interaction)?;
    if it.created.elapsed() > inner.opts.interaction_ack_window {
        return Err(unknown_interaction());
    }
    if it.acked.is_some() {
        return Err(Reply::error(
            400,
            40060,
            "Interaction has already been acknowledged",
        ));
    }
    let cb = r.body["type"].as_u64().unwrap_or(0) as u8;
    let valid: &[u8] = match it.kind {
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        // A modal opened from a button may update that button's message;
        // one opened from a command has none. No modal from a modal.
        5 if it.component_message.is_some() => &[4, 5, 6, 7],
        5 => &[4, 5],
        _ => &[],
    };
    if !valid.contains(&cb) {
        let msg = format!("Value must be one of {valid:?}.");
        return Err(Reply::form_error(&[], "type", "BASE_TYPE_CHOICES", &msg));
    }
    let data = &r.body["data"];
    let prefix: &[&str] = &["data"];
    match cb {
        4 | 5 => {
            let id = model::snowflake();
            let mut msg = response_message(inner, &it, id, None);
            if cb == 4 {
                let how = Apply {
                    errors_prefix: prefix,
                    is_edit: false,
                    allow_ephemeral: true,
                };
                model::apply_body(&mut msg, data, &r.files, how)?;
            } else {
                // Deferred: a loading message; only EPHEMERAL may be set.
                msg["flags"] = json!(LOADING | (data["flags"].as_u64().unwrap_or(0) & EPHEMERAL));
            }
            st.messages.insert(id, msg);
            it.original = Some(id);
        }
        6 | 7 => {
            let mid = it
                .component_message
                .expect("component interaction without message");
            if cb == 7 {
                let msg = st.messages.get_mut(&mid).ok_or_else(unknown_message)?;
                let how = Apply {
                    errors_prefix: prefix,
                    is_edit: true,
                    allow_ephemeral: false,
                };
                model::apply_body(msg, data, &r.files, how)?;
            }
            it.original = Some(mid);
        }
        8 => {
            let choices = data["choices"].as_array();
            let Some(choices) = choices else {
                return Err(Reply::form_error(
                    prefix,
                    "choices",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ));
            };
            if choices.len() > 25 {
                return Err(Reply::form_error(
                    prefix,
                    "choices",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 25 or fewer in length.",
                ));
            }
            for (i, c) in choices.iter().enumerate() {
                let n = c["name"].as_str().map_or(0, |s| s.chars().count());
                if !(1..=100).contains(&n) || c.get("value").is_none() {
                    let idx = i.to_string();
                    return Err(Reply::form_error(
                        &["data", "choices", &idx],
                        "name",
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 100 in length.",
                    ));
                }
            }
        }
        _ => {
            modal(data)?;
            let id = data["custom_id"].as_str().unwrap_or_default().to_owned();
            st.modals.insert(id, (iid, data.clone()));
        }
    }
    it.acked = Some(cb);
    let message = it
        .original
        .filter(|_| matches!(cb, 4 | 5 | 7))
        .and_then(|m| st.messages.get(&m).cloned());
    st.interactions.insert(iid, it.clone());
    let with_response = r.query.as_deref().is_some_and(|q| {
        q.split('&').any(|kv| {
            matches!(
                kv,
                "with_response=true" | "with_response=True" | "with_response=1"
            )
        })
    });
    if !with_response {
        return Ok(Reply::no_content());
    }
    let mut interaction = json!({"id": it.id.to_string(), "type": it.kind});
    let mut resource = json!({"type": cb});
    if let Some(m) = message {
        let flags = m["flags"].as_u64().unwrap_or(0);
        interaction["response_message_id"] = m["id"].clone();
        interaction["response_message_loading"] = json!(flags & LOADING != 0);
        interaction["response_message_ephemeral"] = json!(flags & EPHEMERAL != 0);
        if cb != 5 {
            resource["message"] = m;
        }
    }
    Ok(Reply::ok(
        json!({"interaction": interaction, "resource": resource}),
    ))
}

fn unknown_message() -> Reply {
    Reply::error(404, 10008, "Unknown Message")
}

/// A message the interaction creates: webhook-authored by the bot, with metadata.
fn response_message(inner: &Inner, it: &Interaction, id: u64, original: Option<u64>) -> Value {
    let kind = if it.kind == 3 { 19 } else { 20 };
    let mut msg = model::message(id, it.channel_id, &model::bot_user(inner.bot_id), kind);
    let user = model::user(it.user.id, &it.user.name);
    let meta = metadata(it, original);
    msg["webhook_id"] = json!(inner.app_id.to_string());
    msg["application_id"] = json!(inner.app_id.to_string());
    if let Some(c) = it.component_message {
        let mut reference = json!({"type": 0, "message_id": c.to_string(), "channel_id": it.channel_id.to_string()});
        if let Some(g) = it.guild_id {
            reference["guild_id"] = json!(g.to_string());
        }
        msg["message_reference"] = reference;
    } else {
        msg["interaction"] =
            json!({"id": it.id.to_string(), "type": it.kind, "name": it.name, "user": user});
    }
    msg["interaction_metadata"] = meta;
    msg
}

/// The `interaction_metadata` of a message `it`'s answer creates, as
/// Discord documents it for each kind: a command's name, a component's
/// message, a modal's submit the metadata of what opened the modal.
pub(crate) fn metadata(it: &Interaction, original: Option<u64>) -> Value {
    let mut meta = json!({
        "id": it.id.to_string(),
        "type": it.kind,
        "user": model::user(it.user.id, &it.user.name),
        "authorizing_integration_owners": it.payload["authorizing_integration_owners"],
    });
    if let Some(o) = original {
        meta["original_response_message_id"] = json!(o.to_string());
    }
    match (it.kind, it.component_message) {
        (5, _) => meta["triggering_interaction_metadata"] = json!(it.triggered_by),
        (_, Some(c)) => meta["interacted_message_id"] = json!(c.to_string()),
        (_, None) => meta["name"] = json!(it.name),
    }
    meta
}

/// The interaction behind a webhook token, if the token is still valid.
fn by_token(inner: &Inner, st: &State, r: &Req) -> Result<Interaction, Reply> {
    if r.param_u64(0) != inner.app_id {
        return Err(Reply::error(404, 10015, "Unknown Webhook"));
    }
    let invalid = || Reply::error(401, 50027, "Invalid Webhook Token");
    let it = st
        .tokens
        .get(&r.params[1])
        .and_then(|id| st.interactions.get(id))
        .ok_or_else(invalid)?;
    if it.created.elapsed() > inner.opts.token_lifetime {
        return Err(invalid());
    }
    Ok(it.clone())
}

fn webhook_message(inner: &Inner, st: &mut State, r: &Req) -> Result<Reply, Reply> {
    let it = by_token(inner, st, r)?;
    let mid = if r.route.ends_with("@original") {
        it.original.ok_or_else(unknown_message)?
    } else {
        let m = r.param_u64(2);
        if it.original != Some(m) && !it.followups.contains(&m) {
            return Err(unknown_message());
        }
        m
    };
    if r.route.starts_with("DELETE") {
        st.messages.remove(&mid).ok_or_else(unknown_message)?;
        return Ok(Reply::no_content());
    }
    let msg = st.messages.get_mut(&mid).ok_or_else(unknown_message)?;
    if r.route.starts_with("PATCH") {
        apply_edit(msg, r)?;
    }
    Ok(Reply::ok(msg.clone()))
}

/// Edit a webhook message in place; an edit ends a deferral's "thinking…".
fn apply_edit(msg: &mut Value, r: &Req) -> Result<(), Reply> {
    let how = Apply {
        errors_prefix: &[],
        is_edit: true,
        allow_ephemeral: false,
    };
    model::apply_body(msg, &r.body, &r.files, how)?;
    msg["flags"] = json!(msg["flags"].as_u64().unwrap_or(0) & !LOADING);
    Ok(())
}

fn followup(inner: &Inner, st: &mut State, r: &Req) -> Result<Reply, Reply> {
    let mut it = by_token(inner, st, r)?;
    if it.acked.is_none() {
        return Err(Reply::error(404, 10015, "Unknown Webhook"));
    }
    // Right after a deferral, a followup edits the loading message (deprecated, still live).
    if let Some(msg) = it.original.and_then(|m| st.messages.get_mut(&m)) {
        if it.acked == Some(5) && msg["flags"].as_u64().unwrap_or(0) & LOADING != 0 {
            apply_edit(msg, r)?;
            return Ok(Reply::ok(msg.clone()));
        }
    }
    let id = model::snowflake();
    let mut msg = response_message(inner, &it, id, it.original);
    let how = Apply {
        errors_prefix: &[],
        is_edit: false,
        allow_ephemeral: true,
    };
    model::apply_body(&mut msg, &r.body, &r.files, how)?;
    st.messages.insert(id, msg.clone());
    it.followups.push(id);
    st.interactions.insert(it.id, it);
    Ok(Reply::ok(msg))
}

/// A MODAL callback's `data`, checked as Discord documents it: a custom id
/// of 1 to 100 characters, a title of 1 to 45, and 1 to 5 action rows
/// each holding one text input, whose label takes 1 to 45 characters, its
/// placeholder up to 100, its lengths 0 to 4000 (at least 1 for the
/// most), its value up to its most.
fn modal(data: &Value) -> Result<(), Reply> {
    let prefix = ["data"];
    let length = |v: &Value| v.as_str().map(|s| s.chars().count());
    let bad = |path: &[&str], field: &str, low: usize, high: usize| {
        let msg = format!("Must be between {low} and {high} in length.");
        Reply::form_error(path, field, "BASE_TYPE_BAD_LENGTH", &msg)
    };
    for (field, high) in [("custom_id", 100), ("title", 45)] {
        if !length(&data[field]).is_some_and(|n| (1..=high).contains(&n)) {
            return Err(bad(&prefix, field, 1, high));
        }
    }
    let rows = data["components"].as_array().map_or(&[][..], Vec::as_slice);
    if !(1..=5).contains(&rows.len()) {
        return Err(bad(&prefix, "components", 1, 5));
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r.to_string();
        let inputs = row["components"].as_array().map_or(&[][..], Vec::as_slice);
        if row["type"] != 1 || inputs.len() != 1 {
            return Err(bad(&["data", "components", &r], "components", 1, 1));
        }
        let input = &inputs[0];
        let path = ["data", "components", &r, "components", "0"];
        if input["type"] != 4 || !matches!(input["style"].as_u64(), Some(1 | 2)) {
            let msg = "Value must be one of (1, 2).";
            return Err(Reply::form_error(&path, "style", "BASE_TYPE_CHOICES", msg));
        }
        for (field, low, high) in [("custom_id", 1, 100), ("label", 1, 45)] {
            if !length(&input[field]).is_some_and(|n| (low..=high).contains(&n)) {
                return Err(bad(&path, field, low, high));
            }
        }
        if length(&input["placeholder"]).is_some_and(|n| n > 100) {
            return Err(bad(&path, "placeholder", 0, 100));
        }
        let most = input["max_length"].as_u64().unwrap_or(4000);
        let least = input["min_length"].as_u64().unwrap_or(0);
        if !(1..=4000).contains(&most) {
            return Err(bad(&path, "max_length", 1, 4000));
        }
        if least > 4000 || least > most {
            return Err(bad(&path, "min_length", 0, 4000));
        }
        if length(&input["value"]).is_some_and(|n| n as u64 > most) {
            return Err(bad(&path, "value", 0, most as usize));
        }
    }
    Ok(())
}
