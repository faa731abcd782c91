//! The gateway half: HELLO → IDENTIFY → READY, heartbeats, sequence numbers per
//! session, RESUME with replay of missed dispatches, and abrupt drops.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use super::model::{self, opaque_token};
use super::record::{ConnectionInfo, Direction, GatewayFrame, Start};
use super::{Inner, StandIn};

/// What a connection task is told to do.
pub enum Out {
    Frame(Value),
    Close(u16, &'static str),
    /// Drop the TCP connection without a close frame, like a network failure.
    Drop,
}

pub struct Session {
    id: String,
    /// `[shard_id, num_shards]` from IDENTIFY.
    shard: (u64, u64),
    /// The intents IDENTIFY asked for: Discord sends an event only to a
    /// session whose intents cover it.
    intents: u64,
    seq: u64,
    /// Every dispatch of the session (for RESUME replay).
    sent: Vec<Value>,
    conn: Option<u64>,
    valid: bool,
}

#[derive(Default)]
pub struct GwState {
    next_conn: u64,
    /// Open connections and the session each one serves.
    conns: HashMap<u64, (UnboundedSender<Out>, Option<usize>)>,
    pub infos: Vec<ConnectionInfo>,
    sessions: Vec<Session>,
    pub identified: usize,
    pub resumed: usize,
    pub frames: Vec<GatewayFrame>,
    /// While true, every dial is cut off before the WebSocket handshake.
    pub down: bool,
    /// Dials cut off so while down.
    pub refused: usize,
    /// Shards whose IDENTIFY is answered with an invalid session (op 9),
    /// as Discord answers one it cannot start a session for.
    shut_out: Vec<u64>,
    /// IDENTIFYs so answered.
    pub refused_identifies: usize,
}

impl GwState {
    /// Sends a dispatch to every live session of the event's shard (buffered
    /// while disconnected, so a RESUME replays it). Returns how many got it.
    pub fn dispatch(&mut self, t: &str, d: &Value) -> usize {
        // GUILD_CREATE, GUILD_UPDATE, GUILD_DELETE... need GUILDS (1 << 0).
        let needs = if t.starts_with("GUILD_") { 1 } else { 0 };
        let guild = guild_of(t, d);
        let live: Vec<usize> = (0..self.sessions.len())
            .filter(|&i| {
                let s = &self.sessions[i];
                s.valid && s.intents & needs == needs && s.shard.0 == shard_of(guild, s.shard.1)
            })
            .collect();
        for &i in &live {
            self.push(i, t, d.clone());
        }
        live.len()
    }

    fn push(&mut self, i: usize, t: &str, d: Value) {
        let s = &mut self.sessions[i];
        s.seq += 1;
        let frame = json!({"op": 0, "s": s.seq, "t": t, "d": d});
        s.sent.push(frame.clone());
        if let Some(tx) = s.conn.and_then(|c| self.conns.get(&c)) {
            let _ = tx.0.send(Out::Frame(frame));
        }
    }

    /// Sends a control message to every open connection.
    pub fn broadcast(&mut self, make: impl Fn() -> Out) {
        for (tx, _) in self.conns.values() {
            let _ = tx.send(make());
        }
    }

    /// `(shard_id, num_shards)` of every live session: valid, and on an
    /// open connection (one dropped may yet resume, but hears nothing now).
    pub fn live_shards(&self) -> Vec<(u64, u64)> {
        self.sessions
            .iter()
            .filter(|s| s.valid && s.conn.is_some())
            .map(|s| s.shard)
            .collect()
    }

    /// Shard `id` loses its session and connection, and may not start
    /// another until [`GwState::let_in`]: its RESUME and IDENTIFY are both
    /// answered with an invalid session.
    pub fn shut_out(&mut self, id: u64) {
        self.shut_out.push(id);
        let mut conns = vec![];
        for session in self.sessions.iter_mut().filter(|s| s.shard.0 == id) {
            session.valid = false;
            conns.extend(session.conn);
        }
        for conn in conns {
            self.send(conn, Out::Drop);
        }
    }

    pub fn let_in(&mut self, id: u64) {
        self.shut_out.retain(|&shut| shut != id);
    }

    /// Why an event about `guild` reached no session, for a panic message.
    pub fn unreached(&self, guild: Option<u64>) -> String {
        let mut counts: Vec<u64> = self.live_shards().iter().map(|s| s.1).collect();
        counts.sort_unstable();
        counts.dedup();
        if counts.is_empty() {
            return "stand-in: no live gateway session (call wait_ready first)".into();
        }
        let shards: Vec<String> = counts
            .iter()
            .map(|&n| format!("shard {} of {n}", shard_of(guild, n)))
            .collect();
        format!(
            "stand-in: no live gateway session for {}",
            shards.join(" or ")
        )
    }

    fn send(&self, conn: u64, out: Out) {
        if let Some((tx, _)) = self.conns.get(&conn) {
            let _ = tx.send(out);
        }
    }
}

pub async fn serve(inner: Arc<Inner>, listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        {
            let mut st = inner.lock();
            if st.gw.down {
                st.gw.refused += 1;
                drop(st);
                inner.notify.notify_waiters();
                continue; // dropping the stream closes it
            }
        }
        tokio::spawn(connection(inner.clone(), stream));
    }
}

/// The guild an event is about: `guild_id`, or the guild object itself for GUILD_*.
fn guild_of(t: &str, d: &Value) -> Option<u64> {
    let id = d
        .get("guild_id")
        .or(t.starts_with("GUILD_").then_some(&d["id"]))?;
    model::id_u64(id)
}

/// Discord's routing: `(guild_id >> 22) % num_shards`; no guild means shard 0.
fn shard_of(guild: Option<u64>, num_shards: u64) -> u64 {
    guild.map_or(0, |g| (g >> 22) % num_shards)
}

/// IDENTIFY's `shard` (absent: `[0, 1]`), if valid.
fn parse_shard(v: Option<&Value>) -> Option<(u64, u64)> {
    let Some(v) = v else {
        return Some((0, 1));
    };
    let [id, n] = v.as_array()?.as_slice() else {
        return None;
    };
    let (id, n) = (id.as_u64()?, n.as_u64()?);
    (id < n).then_some((id, n)) // id < n also rules out n == 0
}

fn control(op: u8, d: Value) -> Value {
    json!({"op": op, "d": d, "s": null, "t": null})
}

async fn connection(inner: Arc<Inner>, stream: TcpStream) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut src) = ws.split();
    let (tx, mut rx) = unbounded_channel();
    let conn = {
        let mut st = inner.lock();
        st.gw.next_conn += 1;
        let id = st.gw.next_conn;
        st.gw.conns.insert(id, (tx.clone(), None));
        st.gw.infos.push(ConnectionInfo {
            id,
            start: None,
            open: true,
            client_close: None,
        });
        id
    };
    let interval = inner.opts.heartbeat_interval.as_millis() as u64;
    let _ = tx.send(Out::Frame(control(
        10,
        json!({"heartbeat_interval": interval, "_trace": ["standin"]}),
    )));
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Frame(v)) => {
                    record(&inner, conn, Direction::ToClient, v.clone());
                    if sink.send(Message::Text(v.to_string())).await.is_err() { break; }
                }
                Some(Out::Close(code, reason)) => {
                    record(&inner, conn, Direction::ToClient, json!({"close": code}));
                    let frame = CloseFrame { code: code.into(), reason: reason.into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                }
                Some(Out::Drop) | None => break,
            },
            msg = src.next() => match msg {
                Some(Ok(Message::Text(text))) => on_text(&inner, conn, &text),
                Some(Ok(Message::Close(frame))) => {
                    // Keep reading: tungstenite answers the close on the next poll.
                    let code = frame.map_or(1005, |f| u16::from(f.code));
                    record(&inner, conn, Direction::FromClient, json!({"close": code}));
                    let mut st = inner.lock();
                    st.gw.infos.iter_mut().filter(|i| i.id == conn).for_each(|i| i.client_close = Some(code));
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => break,
            },
        }
    }
    // Dropping both halves closes the socket (no close frame on `Out::Drop`).
    let mut st = inner.lock();
    st.gw.conns.remove(&conn);
    st.gw
        .sessions
        .iter_mut()
        .filter(|s| s.conn == Some(conn))
        .for_each(|s| s.conn = None);
    st.gw
        .infos
        .iter_mut()
        .filter(|i| i.id == conn)
        .for_each(|i| i.open = false);
    drop(st);
    inner.notify.notify_waiters();
}

fn record(inner: &Inner, conn: u64, dir: Direction, payload: Value) {
    inner
        .lock()
        .gw
        .frames
        .push(GatewayFrame::new(conn, dir, payload));
    inner.notify.notify_waiters();
}

fn token_ok(v: &Value, reset: bool) -> bool {
    let t = v.as_str().unwrap_or("");
    !reset && (t == StandIn::TOKEN || t.strip_prefix("Bot ") == Some(StandIn::TOKEN))
}

fn on_text(inner: &Inner, conn: u64, text: &str) {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        record(
            inner,
            conn,
            Direction::FromClient,
            json!({"undecodable": text}),
        );
        inner.lock().gw.send(conn, Out::Close(4002, "Decode error"));
        return;
    };
    record(inner, conn, Direction::FromClient, v.clone());
    let mut st = inner.lock();
    let reset = st.token_reset;
    let gw = &mut st.gw;
    let session = gw.conns.get(&conn).and_then(|c| c.1);
    let d = &v["d"];
    match v["op"].as_u64() {
        Some(1) => gw.send(conn, Out::Frame(control(11, Value::Null))),
        Some(2) if session.is_some() => gw.send(conn, Out::Close(4005, "Already authenticated")),
        Some(2) if !token_ok(&d["token"], reset) => {
            gw.send(conn, Out::Close(4004, "Authentication failed"))
        }
        Some(2) => {
            let Some(shard) = parse_shard(d.get("shard")) else {
                gw.send(conn, Out::Close(4010, "Invalid shard"));
                return;
            };
            if gw.shut_out.contains(&shard.0) {
                gw.refused_identifies += 1;
                gw.send(conn, Out::Frame(control(9, json!(false))));
                drop(st);
                inner.notify.notify_waiters();
                return;
            }
            // A new IDENTIFY for a shard ends that shard's older sessions.
            gw.sessions
                .iter_mut()
                .filter(|s| s.shard == shard)
                .for_each(|s| s.valid = false);
            let id = opaque_token("session").replace('-', "");
            let i = gw.sessions.len();
            gw.sessions.push(Session {
                id: id.clone(),
                shard,
                intents: d["intents"].as_u64().unwrap_or(0),
                seq: 0,
                sent: vec![],
                conn: Some(conn),
                valid: true,
            });
            gw.conns.get_mut(&conn).unwrap().1 = Some(i);
            gw.identified += 1;
            gw.infos
                .iter_mut()
                .filter(|c| c.id == conn)
                .for_each(|c| c.start = Some(Start::Identified));
            let ready = json!({
                "v": 10,
                "user": model::bot_user(inner.bot_id),
                "guilds": [],
                "session_id": id,
                "resume_gateway_url": inner.gw_url,
                "shard": [shard.0, shard.1],
                "application": {"id": inner.app_id.to_string(), "flags": model::application_flags()},
                "_trace": ["standin"],
            });
            gw.push(i, "READY", ready);
        }
        Some(6) => {
            let sid = d["session_id"].as_str().unwrap_or("");
            let found = gw.sessions.iter().position(|s| s.valid && s.id == sid);
            let Some(i) = found.filter(|_| token_ok(&d["token"], reset)) else {
                gw.send(conn, Out::Frame(control(9, json!(false))));
                return;
            };
            let seq = d["seq"].as_u64().unwrap_or(0);
            if seq > gw.sessions[i].seq {
                gw.send(conn, Out::Close(4007, "Invalid seq"));
                return;
            }
            if let Some(old) = gw.sessions[i].conn.filter(|&c| c != conn) {
                gw.send(old, Out::Drop);
            }
            gw.sessions[i].conn = Some(conn);
            gw.conns.get_mut(&conn).unwrap().1 = Some(i);
            for f in gw.sessions[i]
                .sent
                .iter()
                .filter(|f| f["s"].as_u64() > Some(seq))
            {
                gw.send(conn, Out::Frame(f.clone()));
            }
            gw.resumed += 1;
            gw.infos
                .iter_mut()
                .filter(|c| c.id == conn)
                .for_each(|c| c.start = Some(Start::Resumed));
            gw.push(i, "RESUMED", json!({"_trace": ["standin"]}));
        }
        Some(3 | 4 | 8 | 31) if session.is_none() => {
            gw.send(conn, Out::Close(4003, "Not authenticated"))
        }
        Some(3 | 4 | 8 | 31) => {} // presence, voice, member requests: accepted, ignored
        _ => gw.send(conn, Out::Close(4001, "Unknown opcode")),
    }
    drop(st);
    inner.notify.notify_waiters();
}
