//! Application command registration (bulk overwrite), validated like Discord
//! and answered with complete command objects (`id`, `version`, `application_id`...).

use serde_json::{json, Value};

use super::model;
use super::rest::{Reply, Req};
use super::{route, Inner};

pub fn put(inner: &Inner, r: &Req) -> Reply {
    if r.param_u64(0) != inner.app_id {
        return Reply::error(404, 10002, "Unknown Application");
    }
    let Some(list) = r.body.as_array() else {
        return Reply::form_error(&[], "_root", "BASE_TYPE_ARRAY", "Must be an array.");
    };
    let guild = (r.route == route::PUT_GUILD_COMMANDS).then(|| r.param_u64(1));
    let mut st = inner.lock();
    let prev = st.commands.get(&guild).cloned().unwrap_or_default();
    let mut out: Vec<Value> = vec![];
    for (i, c) in list.iter().enumerate() {
        let idx = i.to_string();
        if let Err(e) = validate_command(c, &[idx.as_str()]) {
            return e;
        }
        let (name, kind) = (
            c["name"].as_str().unwrap_or(""),
            c["type"].as_u64().unwrap_or(1),
        );
        if let Some(clash) = clashing_name(&list[..=i]) {
            let msg = format!("Application command names must be unique per locale ({clash})");
            return Reply::form_error(&[&idx], "name", "APPLICATION_COMMANDS_DUPLICATE_NAME", &msg);
        }
        if out.iter().any(|o| o["name"] == name && o["type"] == kind) {
            let msg = "Application command names must be unique";
            return Reply::form_error(&[&idx], "name", "APPLICATION_COMMANDS_DUPLICATE_NAME", msg);
        }
        let id = prev
            .iter()
            .find(|p| p["name"] == name && p["type"] == kind)
            .map_or_else(
                || model::snowflake().to_string(),
                |p| model::id_str(&p["id"]),
            );
        let mut cmd = json!({
            "id": id,
            "application_id": inner.app_id.to_string(),
            "version": model::snowflake().to_string(),
            "default_member_permissions": c.get("default_member_permissions").cloned().unwrap_or(Value::Null),
            "type": kind,
            "name": name,
            "name_localizations": c.get("name_localizations").cloned().unwrap_or(Value::Null),
            "description": c.get("description").cloned().unwrap_or(json!("")),
            "description_localizations": c.get("description_localizations").cloned().unwrap_or(Value::Null),
            "contexts": c.get("contexts").cloned().unwrap_or(Value::Null),
            "integration_types": c.get("integration_types").cloned().unwrap_or(json!([0])),
            "nsfw": c.get("nsfw").cloned().unwrap_or(json!(false)),
        });
        let m = cmd.as_object_mut().unwrap();
        match guild {
            Some(g) => m.insert("guild_id".into(), json!(g.to_string())),
            None => m.insert(
                "dm_permission".into(),
                c.get("dm_permission").cloned().unwrap_or(json!(true)),
            ),
        };
        if let Some(o) = c
            .get("options")
            .filter(|o| o.as_array().is_some_and(|a| !a.is_empty()))
        {
            m.insert("options".into(), o.clone());
        }
        out.push(cmd);
    }
    st.commands.insert(guild, out.clone());
    Reply::ok(Value::Array(out))
}

/// Every locale Discord accepts in `*_localizations`.
pub const LOCALES: [&str; 32] = [
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// Discord's name rule for slash commands and options:
/// `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase.
fn bad_slash_name(name: &str) -> bool {
    name.is_empty()
        || name.chars().count() > 32
        || name
            .chars()
            .any(|ch| ch.is_uppercase() || !(ch.is_alphanumeric() || ch == '-' || ch == '_'))
}

/// `name_localizations` / `description_localizations` / a choice's: only
/// Discord's locale codes, each value within its limit and (names) its rule.
fn validate_localizations(c: &Value, path: &[&str], slash: bool) -> Result<(), Reply> {
    for (field, max, names) in [
        ("name_localizations", 32, slash),
        ("description_localizations", 100, false),
    ] {
        let Some(map) = c.get(field).and_then(Value::as_object) else {
            continue;
        };
        for (locale, text) in map {
            let text = text.as_str().unwrap_or("");
            let count = text.chars().count();
            let bad = !LOCALES.contains(&locale.as_str())
                || !(1..=max).contains(&count)
                || (names && bad_slash_name(text));
            if bad {
                let code = "APPLICATION_COMMAND_INVALID_LOCALIZATION";
                return Err(Reply::form_error(path, field, code, "Invalid localization"));
            }
        }
    }
    Ok(())
}

/// Discord's command rules: name 1-32 (lowercase for slash commands), description
/// 1-100 for slash commands and options, at most 25 options, required first,
/// localizations only in Discord's locales; localized names unique among
/// siblings in each locale.
fn validate_command(c: &Value, path: &[&str]) -> Result<(), Reply> {
    let slash = c["type"].as_u64().unwrap_or(1) == 1 || path.len() > 1;
    let name = c["name"].as_str().unwrap_or("");
    let bad_name = name.is_empty() || name.chars().count() > 32 || (slash && bad_slash_name(name));
    if bad_name {
        return Err(Reply::form_error(
            path,
            "name",
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        ));
    }
    validate_localizations(c, path, slash)?;
    for (i, choice) in c["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let idx = i.to_string();
        let mut p: Vec<&str> = path.to_vec();
        p.extend(["choices", idx.as_str()]);
        validate_localizations(choice, &p, false)?;
    }
    let desc = c["description"].as_str().unwrap_or("").chars().count();
    if slash && !(1..=100).contains(&desc) {
        return Err(Reply::form_error(
            path,
            "description",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ));
    }
    let opts = c["options"].as_array().cloned().unwrap_or_default();
    if opts.len() > 25 {
        return Err(Reply::form_error(
            path,
            "options",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        ));
    }
    if let Some(clash) = clashing_name(&opts) {
        let msg = format!("Option names must be unique per locale ({clash})");
        return Err(Reply::form_error(
            path,
            "options",
            "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
            &msg,
        ));
    }
    let mut seen_optional = false;
    for (i, o) in opts.iter().enumerate() {
        let idx = i.to_string();
        let mut p: Vec<&str> = path.to_vec();
        p.extend(["options", idx.as_str()]);
        validate_command(o, &p)?;
        let required = o["required"].as_bool().unwrap_or(false);
        if required && seen_optional {
            let msg = "Required options must be placed before non-required options";
            return Err(Reply::form_error(
                &p,
                "required",
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                msg,
            ));
        }
        seen_optional |= !required;
    }
    Ok(())
}

/// A locale in which two of `siblings` would show the same name (a
/// localized one, or the default where a sibling has none for it).
fn clashing_name(siblings: &[Value]) -> Option<String> {
    for locale in LOCALES {
        let mut seen = std::collections::HashSet::new();
        for s in siblings {
            let shown = s["name_localizations"][locale]
                .as_str()
                .or_else(|| s["name"].as_str())
                .unwrap_or("");
            if !seen.insert(shown.to_owned()) {
                return Some(format!("{locale}: {shown}"));
            }
        }
    }
    None
}
