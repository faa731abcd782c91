//! The REST half: one axum fallback handler that routes by hand, so every
//! request (known or not) is recorded with its templated route, checked for
//! auth, faults and rate limits, then answered with complete Discord objects.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};

use super::fault::FaultKind;
use super::model::{self, Apply};
use super::ratelimit::{bucket_key, is_global_route, too_many};
use super::record::Recorded;
use super::{commands, route, webhook, Channel, Inner, StandIn};

/// A parsed request, as handlers see it.
pub struct Req {
    pub route: &'static str,
    /// Values of the `{...}` segments of the route, in order.
    pub params: Vec<String>,
    pub query: Option<String>,
    pub body: Value,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Req {
    pub fn param_u64(&self, i: usize) -> u64 {
        self.params[i].parse().unwrap_or(0)
    }
}

/// An answer: status, JSON body (None = empty) and extra headers.
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Reply {
            status: 200,
            body: Some(body),
            headers: vec![],
        }
    }
    pub fn no_content() -> Self {
        Reply {
            status: 204,
            body: None,
            headers: vec![],
        }
    }
    pub fn error(status: u16, code: u32, message: &str) -> Self {
        Reply {
            status,
            body: Some(json!({"message": message, "code": code})),
            headers: vec![],
        }
    }
    /// 400 code 50035 with Discord's nested `errors` object.
    pub fn form_error(path: &[&str], field: &str, code: &str, message: &str) -> Self {
        let mut errors = json!({ field: {"_errors": [{"code": code, "message": message}]} });
        for seg in path.iter().rev() {
            errors = json!({ *seg: errors });
        }
        let body = json!({"message": "Invalid Form Body", "code": 50035, "errors": errors});
        Reply {
            status: 400,
            body: Some(body),
            headers: vec![],
        }
    }
}

pub async fn serve(inner: Arc<Inner>, listener: tokio::net::TcpListener) {
    let app = Router::new().fallback(handle).with_state(inner);
    axum::serve(listener, app)
        .await
        .expect("stand-in REST server failed");
}

/// Splits "METHOD /a/{b}" templates and matches them segment by segment;
/// literal templates (e.g. `@original`) are listed before parameter ones.
fn match_route(method: &str, path: &str) -> Option<(&'static str, Vec<String>)> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    'routes: for r in route::ALL {
        let (m, tpl) = r.split_once(' ').unwrap();
        let tsegs: Vec<&str> = tpl.trim_start_matches('/').split('/').collect();
        if m != method || tsegs.len() != segs.len() {
            continue;
        }
        let mut params = vec![];
        for (t, s) in tsegs.iter().zip(&segs) {
            if t.starts_with('{') && !s.is_empty() {
                params.push((*s).to_owned());
            } else if t != s {
                continue 'routes;
            }
        }
        return Some((r, params));
    }
    None
}

async fn handle(State(inner): State<Arc<Inner>>, req: Request) -> Response {
    let at = Instant::now();
    let method = req.method().to_string();
    let full_path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let auth = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = full_path.strip_prefix("/api/v10").unwrap_or("").to_owned();
    let matched = if path.is_empty() {
        None
    } else {
        match_route(&method, &path)
    };
    let (body, files, bad_json) = read_body(req).await;
    let (route, params) = matched.unwrap_or((route::UNKNOWN, vec![]));
    let r = Req {
        route,
        params,
        query: query.clone(),
        body,
        files,
    };
    let (reply, fate) = if route == route::UNKNOWN {
        (Reply::error(404, 0, "404: Not Found"), Fate::Whole)
    } else if bad_json {
        let invalid = Reply::error(400, 50109, "The request body contains invalid JSON.");
        (invalid, Fate::Whole)
    } else {
        process(&inner, &r, auth.as_deref()).await
    };
    let rec = Recorded {
        at,
        method,
        path: if path.is_empty() { full_path } else { path },
        route: route.to_owned(),
        query,
        body: r.body,
        attachments: r.files,
        status: reply.status,
        response: reply.body.clone().unwrap_or(Value::Null),
        response_headers: reply
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        answer_lost: fate == Fate::Lost,
    };
    inner.lock().requests.push((rec, false));
    inner.notify.notify_waiters();
    if fate == Fate::Lost {
        // Unwinding out of the handler ends this connection's task, so the
        // socket closes with no answer; `resume_unwind` prints nothing.
        std::panic::resume_unwind(Box::new("answer lost"));
    }
    let mut resp = Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        resp = resp.header(*k, v);
    }
    match reply.body {
        Some(b) if fate == Fate::CutShort => {
            let whole = b.to_string();
            let half = whole[..whole.len() / 2].to_owned();
            resp.header(CONTENT_TYPE, "application/json")
                .body(Body::from(half))
        }
        Some(b) => resp
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => resp.body(Body::empty()),
    }
    .unwrap()
}

/// JSON body, or multipart (`payload_json` + `files[n]`). Returns (body, files, invalid_json).
async fn read_body(req: Request) -> (Value, Vec<(String, Vec<u8>)>, bool) {
    let ctype = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("multipart/form-data") {
        let Ok(mut mp) = Multipart::from_request(req, &()).await else {
            return (Value::Null, vec![], true);
        };
        let (mut body, mut files, mut extra) = (Value::Null, vec![], Map::new());
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.unwrap_or_default().to_vec();
            if name == "payload_json" {
                match serde_json::from_slice(&bytes) {
                    Ok(v) => body = v,
                    Err(_) => return (Value::Null, files, true),
                }
            } else if file_name.is_some() || name.starts_with("files[") || name == "file" {
                files.push((file_name.unwrap_or(name), bytes));
            } else {
                extra.insert(name, json!(String::from_utf8_lossy(&bytes)));
            }
        }
        if let (Value::Null, false) = (&body, extra.is_empty()) {
            body = Value::Object(extra);
        }
        return (body, files, false);
    }
    let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    if bytes.is_empty() {
        return (Value::Null, vec![], false);
    }
    match serde_json::from_slice(&bytes) {
        Ok(v) => (v, vec![], false),
        Err(_) => (Value::Null, vec![], true),
    }
}

/// What becomes of an answer once its request took effect.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Whole,
    /// [`FaultKind::AnswerLost`]: the connection closes with no answer.
    Lost,
    /// [`FaultKind::Unreadable`]: the body stops half-way.
    CutShort,
}

/// Auth, then faults, then rate limits, then the route's handler; and
/// what becomes of the answer ([`Fate`]).
async fn process(inner: &Inner, r: &Req, auth: Option<&str>) -> (Reply, Fate) {
    let token_ok = auth == Some(&format!("Bot {}", StandIn::TOKEN)) && !inner.lock().token_reset;
    if is_global_route(r.route) && !token_ok {
        return (Reply::error(401, 0, "401: Unauthorized"), Fate::Whole);
    }
    let (delay, terminal, fate) = {
        let mut st = inner.lock();
        let dm = if r.route == route::CREATE_MESSAGE {
            st.channels.get(&r.param_u64(0)).and_then(|c| c.recipient)
        } else {
            None
        };
        let (mut delay, mut terminal, mut fate) = (Duration::ZERO, None, Fate::Whole);
        for f in st.faults.iter_mut().filter(|f| f.matches(r.route, dm)) {
            match &f.kind {
                FaultKind::Latency(d) => delay += *d,
                FaultKind::AnswerLost if fate == Fate::Whole => fate = Fate::Lost,
                FaultKind::Unreadable if fate == Fate::Whole => fate = Fate::CutShort,
                FaultKind::AnswerLost | FaultKind::Unreadable => continue,
                k if terminal.is_none() => terminal = Some(k.clone()),
                _ => continue,
            }
            f.consume();
        }
        (delay, terminal, fate)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(reply) = terminal.and_then(|k| k.reply(r.route)) {
        return (reply, Fate::Whole);
    }
    let verdict = {
        let mut st = inner.lock();
        let cfg = st.rate_limits.clone();
        st.buckets
            .check(&cfg, r.route, &bucket_key(r.route, &r.params))
    };
    let mut reply = match verdict.limited {
        Some((retry_after, global)) => too_many(retry_after, global),
        None => dispatch(inner, r),
    };
    reply.headers.extend(verdict.headers);
    (reply, fate)
}

fn dispatch(inner: &Inner, r: &Req) -> Reply {
    match r.route {
        route::GATEWAY => Reply::ok(json!({"url": inner.gw_url})),
        route::GATEWAY_BOT => {
            let used = inner.lock().gw.identified as u64;
            Reply::ok(json!({
                "url": inner.gw_url,
                "shards": inner.opts.recommended_shards,
                "session_start_limit": {
                    "total": 1000, "remaining": 1000u64.saturating_sub(used),
                    "reset_after": 86_400_000, "max_concurrency": 1
                }
            }))
        }
        route::ME => Reply::ok(model::bot_user(inner.bot_id)),
        route::APPLICATION => {
            let owner = model::user(inner.opts.owner_id, "standin-owner");
            Reply::ok(model::application(
                inner.app_id,
                &owner,
                &model::bot_user(inner.bot_id),
            ))
        }
        route::PUT_GLOBAL_COMMANDS | route::PUT_GUILD_COMMANDS => commands::put(inner, r),
        route::GET_GLOBAL_COMMANDS | route::GET_GUILD_COMMANDS => {
            let st = inner.lock();
            let guild = (r.route == route::GET_GUILD_COMMANDS).then(|| r.param_u64(1));
            Reply::ok(json!(st.commands.get(&guild).cloned().unwrap_or_default()))
        }
        route::CREATE_DM => create_dm(inner, r),
        route::GET_USER => Reply::ok(inner.lock().user(r.param_u64(0))),
        route::GET_CHANNEL => get_channel(inner, r),
        route::GET_GUILD => get_guild(inner, r),
        route::GET_MEMBER => get_member(inner, r),
        route::CREATE_MESSAGE => create_message(inner, r),
        route::GET_MESSAGE | route::EDIT_MESSAGE | route::DELETE_MESSAGE => {
            channel_message(inner, r)
        }
        _ => webhook::handle(inner, r),
    }
}

fn create_dm(inner: &Inner, r: &Req) -> Reply {
    let Some(user_id) = model::id_u64(&r.body["recipient_id"]) else {
        return Reply::form_error(
            &[],
            "recipient_id",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        );
    };
    let mut st = inner.lock();
    let channel = st.dm_channel(user_id);
    let user = st.user(user_id);
    Reply::ok(model::dm_channel(channel, &user))
}

/// A server the bot is in; Missing Access for one it is not.
fn get_guild(inner: &Inner, r: &Req) -> Reply {
    let id = r.param_u64(0);
    if inner.lock().not_member.contains(&id) {
        return Reply::error(403, 50001, "Missing Access");
    }
    Reply::ok(model::guild(id))
}

/// The bot as a member of a server it is in (no roles of its own: the
/// guild's `@everyone` and the channel's overwrites say what it may do).
fn get_member(inner: &Inner, r: &Req) -> Reply {
    let (guild, user) = (r.param_u64(0), r.param_u64(1));
    if inner.lock().not_member.contains(&guild) {
        return Reply::error(403, 50001, "Missing Access");
    }
    if user != inner.bot_id {
        return Reply::error(404, 10007, "Unknown Member");
    }
    let mut member = model::member(&model::bot_user(inner.bot_id));
    if let Some(fields) = member.as_object_mut() {
        fields.remove("permissions"); // only an interaction's member has them
    }
    Reply::ok(member)
}

fn get_channel(inner: &Inner, r: &Req) -> Reply {
    let id = r.param_u64(0);
    let st = inner.lock();
    if let Some((code, message)) = st.refusal(id, false) {
        return Reply::error(403, code, message);
    }
    match st.channels.get(&id) {
        Some(Channel {
            recipient: Some(u), ..
        }) => Reply::ok(model::dm_channel(id, &st.user(*u))),
        Some(Channel {
            guild_id: Some(g), ..
        }) => {
            let denied = st.denied.get(&id).map_or(0, |deny| deny.bits());
            Reply::ok(model::fetched_channel(id, *g, inner.bot_id, denied))
        }
        _ => Reply::error(404, 10003, "Unknown Channel"),
    }
}

fn create_message(inner: &Inner, r: &Req) -> Reply {
    let channel = r.param_u64(0);
    let mut st = inner.lock();
    if !st.channels.contains_key(&channel) {
        return Reply::error(404, 10003, "Unknown Channel");
    }
    if let Some((code, message)) = st.refusal(channel, true) {
        return Reply::error(403, code, message);
    }
    let nonce = match r.body.get("nonce") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if text.chars().count() <= 25 => Some(format!("s:{text}")),
        Some(Value::Number(number)) if number.is_i64() || number.is_u64() => {
            Some(format!("n:{number}"))
        }
        Some(_) => {
            return Reply::form_error(
                &[],
                "nonce",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            )
        }
    };
    // Documented: with `enforce_nonce`, a nonce the same author used in the
    // past few minutes returns that message, and none is created.
    let enforce = r.body.get("enforce_nonce").and_then(Value::as_bool) == Some(true);
    let nonce = nonce.filter(|_| enforce);
    if let Some(nonce) = &nonce {
        let known = st.nonces.get(nonce).copied();
        if let Some((id, _)) = known.filter(|(_, at)| at.elapsed() < inner.opts.nonce_memory) {
            if let Some(msg) = st.messages.get(&id) {
                return Reply::ok(msg.clone());
            }
        }
    }
    let id = model::snowflake();
    let mut msg = model::message(id, channel, &model::bot_user(inner.bot_id), 0);
    let how = Apply {
        errors_prefix: &[],
        is_edit: false,
        allow_ephemeral: false,
    };
    if let Err(e) = model::apply_body(&mut msg, &r.body, &r.files, how) {
        return e;
    }
    if let Some(sent) = r.body.get("nonce").filter(|n| !n.is_null()) {
        msg["nonce"] = sent.clone();
    }
    if let Some(nonce) = nonce {
        st.nonces.insert(nonce, (id, Instant::now()));
    }
    st.messages.insert(id, msg.clone());
    Reply::ok(msg)
}

fn channel_message(inner: &Inner, r: &Req) -> Reply {
    let (channel, id) = (r.param_u64(0), r.param_u64(1));
    let mut st = inner.lock();
    if let Some((code, message)) = st.refusal(channel, false) {
        return Reply::error(403, code, message);
    }
    let Some(msg) = st
        .messages
        .get_mut(&id)
        .filter(|m| model::id_u64(&m["channel_id"]) == Some(channel))
    else {
        return Reply::error(404, 10008, "Unknown Message");
    };
    match r.route {
        route::GET_MESSAGE => Reply::ok(msg.clone()),
        route::DELETE_MESSAGE => {
            st.messages.remove(&id);
            Reply::no_content()
        }
        _ => {
            if model::id_u64(&msg["author"]["id"]) != Some(inner.bot_id) {
                return Reply::error(403, 50005, "Cannot edit a message authored by another user");
            }
            let how = Apply {
                errors_prefix: &[],
                is_edit: true,
                allow_ephemeral: false,
            };
            match model::apply_body(msg, &r.body, &r.files, how) {
                Ok(()) => Reply::ok(msg.clone()),
                Err(e) => e,
            }
        }
    }
}
