//! Builders for the interactions a test dispatches, rendered into complete
//! INTERACTION_CREATE payloads (every field serenity 0.12.5 requires).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Instant;

use serde_json::{json, Value};

use super::model::{self, snowflake};
use super::{Channel, Inner, State};

/// The invoking user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSpec {
    pub id: u64,
    pub name: String,
}

impl UserSpec {
    pub fn new(id: u64, name: &str) -> Self {
        UserSpec {
            id,
            name: name.to_owned(),
        }
    }
}

impl Default for UserSpec {
    /// The fixed test user.
    fn default() -> Self {
        UserSpec::new(1_100_000_000_000_000_003, "tester")
    }
}

/// What `dispatch` hands back: enough to find the bot's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub id: u64,
    pub token: String,
    pub channel_id: u64,
    /// For component interactions: the message the component was on.
    pub message_id: Option<u64>,
    /// When the stand-in created and dispatched it: Discord's 3 s to
    /// acknowledge count from here.
    pub at: Instant,
}

/// The message a component lives on: an interaction's response message, or an id.
#[derive(Clone, Debug)]
pub enum MessageRef {
    Interaction(u64),
    Message(u64),
}

impl From<&Sent> for MessageRef {
    fn from(s: &Sent) -> Self {
        MessageRef::Interaction(s.id)
    }
}

impl From<u64> for MessageRef {
    fn from(id: u64) -> Self {
        MessageRef::Message(id)
    }
}

#[derive(Clone, Debug)]
enum Kind {
    Command,
    Autocomplete,
    Component {
        target: MessageRef,
        custom_id: String,
        values: Option<Vec<String>>,
    },
    /// A modal's submit (type 5): the modal the bot last showed with this
    /// id, with the fields the person filled.
    Modal {
        custom_id: String,
        fields: Vec<(String, String)>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Guild(u64),
    Dm,
}

/// An interaction to dispatch. Defaults: the fixed test user, in a DM with the
/// bot (context 1), locale en-US; a component interaction inherits user and
/// place from the interaction whose message it is on.
#[derive(Clone, Debug)]
pub struct InteractionSpec {
    kind: Kind,
    name: String,
    group: Option<String>,
    sub: Option<String>,
    options: Vec<(String, Value, bool)>,
    user: Option<UserSpec>,
    place: Option<Place>,
    channel: Option<u64>,
    locale: String,
    guild_locale: String,
    user_install: bool,
    /// The member's permissions (in a guild); default [`model::permissions`].
    permissions: Option<u64>,
    /// What the member may not do in a channel option's channel.
    denied_in_option: Option<super::Deny>,
    /// The server opened the command to this member in its integration
    /// settings, whatever its `default_member_permissions` say.
    opened: bool,
}

impl InteractionSpec {
    fn new(kind: Kind, name: &str) -> Self {
        InteractionSpec {
            kind,
            name: name.to_owned(),
            group: None,
            sub: None,
            options: vec![],
            user: None,
            place: None,
            channel: None,
            locale: "en-US".into(),
            guild_locale: "en-US".into(),
            user_install: false,
            permissions: None,
            denied_in_option: None,
            opened: false,
        }
    }
    /// A slash command (type 2, data.type 1).
    pub fn slash(name: &str) -> Self {
        Self::new(Kind::Command, name)
    }
    /// An autocomplete request (type 4); add the typed text with `focused`.
    pub fn autocomplete(name: &str) -> Self {
        Self::new(Kind::Autocomplete, name)
    }
    /// A button click (type 3, component_type 2) on a stored message.
    pub fn button(on: impl Into<MessageRef>, custom_id: &str) -> Self {
        let kind = Kind::Component {
            target: on.into(),
            custom_id: custom_id.into(),
            values: None,
        };
        Self::new(kind, "")
    }
    /// A string-select choice (type 3, component_type 3).
    pub fn select(on: impl Into<MessageRef>, custom_id: &str, values: &[&str]) -> Self {
        let values = Some(values.iter().map(|v| v.to_string()).collect());
        Self::new(
            Kind::Component {
                target: on.into(),
                custom_id: custom_id.into(),
                values,
            },
            "",
        )
    }
    /// Submitting the modal the bot showed last with `custom_id` (type 5),
    /// as its opener, with `fields` typed in (field id, text). Panics, as
    /// Discord's client could not send it, if no such modal was shown, a
    /// field is not the modal's, a required one is empty or a text is
    /// longer than its field takes.
    pub fn modal_submit(custom_id: &str, fields: &[(&str, &str)]) -> Self {
        let fields = fields
            .iter()
            .map(|(id, text)| (id.to_string(), text.to_string()))
            .collect();
        let kind = Kind::Modal {
            custom_id: custom_id.into(),
            fields,
        };
        Self::new(kind, "")
    }
    pub fn subcommand(mut self, name: &str) -> Self {
        self.sub = Some(name.to_owned());
        self
    }
    pub fn group(mut self, name: &str) -> Self {
        self.group = Some(name.to_owned());
        self
    }
    /// An option, typed by its JSON value: string 3, integer 4, bool 5, number 10.
    pub fn option(mut self, name: &str, value: Value) -> Self {
        self.options.push((name.to_owned(), value, false));
        self
    }
    /// The option being typed (autocomplete): a string with `focused: true`.
    /// A channel option (type 7) naming `channel`, of Discord's channel
    /// `kind` (0 text, 2 voice), resolved in `data.resolved.channels`.
    pub fn channel_option(mut self, name: &str, channel: u64, kind: u8) -> Self {
        let value = json!({ CHANNEL: channel.to_string(), "type": kind });
        self.options.push((name.to_owned(), value, false));
        self
    }

    pub fn focused(mut self, name: &str, partial: &str) -> Self {
        self.options.push((name.to_owned(), json!(partial), true));
        self
    }
    pub fn user(mut self, user: UserSpec) -> Self {
        self.user = Some(user);
        self
    }
    pub fn in_guild(mut self, guild_id: u64) -> Self {
        self.place = Some(Place::Guild(guild_id));
        self
    }
    pub fn in_dm(mut self) -> Self {
        self.place = Some(Place::Dm);
        self
    }
    /// Overrides the channel id (default: a per-guild text channel, or the user's DM).
    pub fn channel(mut self, channel_id: u64) -> Self {
        self.channel = Some(channel_id);
        self
    }
    pub fn locale(mut self, locale: &str) -> Self {
        self.locale = locale.to_owned();
        self
    }
    /// The server's locale (`guild_locale`, and the guild's own), in a guild.
    pub fn guild_locale(mut self, locale: &str) -> Self {
        self.guild_locale = locale.to_owned();
        self
    }
    /// Also authorized through a user install (`authorizing_integration_owners["1"]`).
    pub fn user_install(mut self) -> Self {
        self.user_install = true;
        self
    }
    /// The member has Manage Server (as well as the everyday permissions).
    pub fn moderator(mut self) -> Self {
        self.permissions = Some(model::everyday_permissions() | model::MANAGE_GUILD);
        self
    }
    /// The member has Administrator, which holds every permission.
    pub fn administrator(mut self) -> Self {
        self.permissions = Some(model::everyday_permissions() | model::ADMINISTRATOR);
        self
    }
    /// The member's permissions, as Discord computes them for the interaction.
    pub fn permissions(mut self, bits: u64) -> Self {
        self.permissions = Some(bits);
        self
    }
    /// The server opened this command to the member (Integrations settings),
    /// though they lack its `default_member_permissions`.
    pub fn opened(mut self) -> Self {
        self.opened = true;
        self
    }
    /// In a channel option's channel, the member lacks `deny`.
    pub fn member_denied_in_option(mut self, deny: super::Deny) -> Self {
        self.denied_in_option = Some(deny);
        self
    }
}

/// The stand-in's record of a dispatched interaction.
#[derive(Clone, Debug)]
pub struct Interaction {
    pub id: u64,
    pub token: String,
    pub kind: u8,
    pub name: String,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub user: UserSpec,
    pub payload: Value,
    pub created: Instant,
    /// Callback type once acknowledged.
    pub acked: Option<u8>,
    /// The response message (`@original`): created by 4/5, the component's message for 6/7.
    pub original: Option<u64>,
    pub component_message: Option<u64>,
    pub followups: Vec<u64>,
    /// A modal's submit only: the `interaction_metadata` of the interaction
    /// that opened the modal, which Discord repeats in every message the
    /// submit's answers create.
    pub triggered_by: Option<Value>,
}

/// Marks a channel option's value in a spec.
const CHANNEL: &str = "$channel";

fn option_json(name: &str, value: &Value, focused: bool) -> Value {
    if let Some(channel) = value.get(CHANNEL) {
        return json!({"name": name, "type": 7, "value": channel});
    }
    let kind = match value {
        Value::Bool(_) => 5,
        Value::Number(n) if n.is_i64() || n.is_u64() => 4,
        Value::Number(_) => 10,
        _ => 3,
    };
    let mut o = json!({"name": name, "type": kind, "value": value});
    if focused {
        o["focused"] = json!(true);
    }
    o
}

/// Renders a spec into the INTERACTION_CREATE `d` and the record to keep.
/// Panics with a clear message when a component's message is unknown.
pub(crate) fn render(spec: InteractionSpec, inner: &Inner, st: &mut State) -> (Value, Interaction) {
    let (id, token) = (snowflake(), model::opaque_token("itoken"));
    let mut parent: Option<Interaction> = None;
    let mut message: Option<Value> = None;
    let mut modal_data: Option<Value> = None;
    let mut triggered_by: Option<Value> = None;
    if let Kind::Modal { custom_id, fields } = &spec.kind {
        let (opener, data) = submitted(st, custom_id, fields);
        let opener = st.interactions[&opener].clone();
        triggered_by = Some(super::webhook::metadata(&opener, None));
        message = opener
            .component_message
            .and_then(|m| st.messages.get(&m).cloned());
        parent = Some(opener);
        modal_data = Some(data);
    }
    if let Kind::Component { target, .. } = &spec.kind {
        let mid = match target {
            MessageRef::Interaction(i) => {
                let it = st
                    .interactions
                    .get(i)
                    .unwrap_or_else(|| panic!("stand-in: unknown interaction {i}"));
                it.original.unwrap_or_else(|| {
                    panic!("stand-in: interaction {i} has no response message yet")
                })
            }
            MessageRef::Message(m) => *m,
        };
        let msg = st
            .messages
            .get(&mid)
            .cloned()
            .unwrap_or_else(|| panic!("stand-in: no message {mid} to click on"));
        parent = st
            .interactions
            .values()
            .find(|i| i.original == Some(mid) || i.followups.contains(&mid))
            .cloned();
        message = Some(msg);
    }
    let user = spec
        .user
        .clone()
        .or_else(|| parent.as_ref().map(|p| p.user.clone()))
        .unwrap_or_default();
    let place = spec.place.or_else(|| {
        parent
            .as_ref()
            .map(|p| p.guild_id.map_or(Place::Dm, Place::Guild))
    });
    let place = place.unwrap_or(Place::Dm);
    let user_json = model::user(user.id, &user.name);
    st.users.insert(user.id, user_json.clone());
    let channel_id = match (&message, spec.channel, place) {
        (Some(m), _, _) => model::id_u64(&m["channel_id"]).unwrap_or(0),
        (None, Some(c), _) => c,
        (None, None, Place::Guild(g)) => st.guild_channel(g),
        (None, None, Place::Dm) => st.dm_channel(user.id),
    };
    let guild_id = match place {
        Place::Guild(g) => Some(g),
        Place::Dm => None,
    };
    st.channels.entry(channel_id).or_insert(Channel {
        guild_id,
        recipient: None,
    });
    let (kind, data) = match &spec.kind {
        Kind::Component {
            custom_id, values, ..
        } => {
            let mut d = json!({"custom_id": custom_id, "component_type": 2});
            if let Some(v) = values {
                d["component_type"] = json!(3);
                d["values"] = json!(v);
            }
            (3u8, d)
        }
        Kind::Modal { .. } => (5u8, modal_data.take().expect("rendered above")),
        k => (
            if matches!(k, Kind::Command) { 2 } else { 4 },
            command_data(&spec, st, guild_id),
        ),
    };
    let mut owners = json!({"0": guild_id.map_or("0".to_owned(), |g| g.to_string())});
    if spec.user_install {
        owners["1"] = json!(user.id.to_string());
    }
    let mut d = json!({
        "id": id.to_string(),
        "application_id": inner.app_id.to_string(),
        "type": kind,
        "data": data,
        "channel_id": channel_id.to_string(),
        "token": token,
        "version": 1,
        "app_permissions": st.app_permissions(channel_id),
        "locale": spec.locale,
        "entitlements": [],
        "authorizing_integration_owners": owners,
        "context": if guild_id.is_some() { 0 } else { 1 },
        "attachment_size_limit": 10_485_760,
    });
    let m = d.as_object_mut().unwrap();
    match guild_id {
        Some(g) => {
            m.insert("channel".into(), model::guild_channel(channel_id, g));
            m.insert("guild_id".into(), json!(g.to_string()));
            m.insert(
                "guild".into(),
                json!({"id": g.to_string(), "locale": spec.guild_locale, "features": []}),
            );
            m.insert("guild_locale".into(), json!(spec.guild_locale));
            let mut member = model::member(&user_json);
            member["permissions"] = json!(member_permissions(&spec).to_string());
            m.insert("member".into(), member);
        }
        None => {
            m.insert("channel".into(), model::dm_channel(channel_id, &user_json));
            m.insert("user".into(), user_json);
        }
    }
    if let Some(msg) = &message {
        m.insert("message".into(), msg.clone());
    }
    let record = Interaction {
        id,
        token,
        kind,
        name: spec.name.clone(),
        channel_id,
        guild_id,
        user,
        payload: d.clone(),
        created: Instant::now(),
        acked: None,
        original: None,
        component_message: message.as_ref().and_then(|m| model::id_u64(&m["id"])),
        followups: vec![],
        triggered_by,
    };
    (d, record)
}

/// `data` of a command / autocomplete: the registered command's id (guild
/// command first), options nested under subcommand and group.
fn command_data(spec: &InteractionSpec, st: &State, guild: Option<u64>) -> Value {
    let registered = |key: Option<u64>| {
        st.commands
            .get(&key)?
            .iter()
            .find(|c| c["name"] == spec.name && c["type"] == 1)
            .cloned()
    };
    let found = guild
        .and_then(|g| registered(Some(g)))
        .or_else(|| registered(None));
    if let (Some(command), Some(_)) = (&found, guild) {
        gate(spec, command);
    }
    let id = found.as_ref().map_or_else(
        || {
            let mut h = DefaultHasher::new();
            spec.name.hash(&mut h);
            ((h.finish() >> 4) | (1 << 59)).to_string()
        },
        |c| model::id_str(&c["id"]),
    );
    let mut options: Vec<Value> = spec
        .options
        .iter()
        .map(|(n, v, f)| option_json(n, v, *f))
        .collect();
    if let Some(sub) = &spec.sub {
        options = vec![json!({"name": sub, "type": 1, "options": options})];
    }
    if let Some(group) = &spec.group {
        options = vec![json!({"name": group, "type": 2, "options": options})];
    }
    let mut data = json!({"id": id, "name": spec.name, "type": 1});
    // A channel option's channel, as Discord resolves it: the fields of a
    // partial channel, with the invoking member's permissions in it.
    let channels: serde_json::Map<String, Value> = spec
        .options
        .iter()
        .filter_map(|(_, value, _)| {
            let id = value.get(CHANNEL)?.as_str()?.to_owned();
            let channel = json!({
                "id": id,
                "name": "a-channel",
                "type": value["type"],
                "permissions": option_permissions(spec).to_string(),
            });
            Some((id, channel))
        })
        .collect();
    if !channels.is_empty() {
        data["resolved"] = json!({ "channels": channels });
    }
    if !options.is_empty() {
        data["options"] = json!(options); // Discord omits an empty top-level list
    }
    if let Some(g) = found.as_ref().and_then(|c| c.get("guild_id")) {
        data["guild_id"] = g.clone();
    }
    data
}

/// The invoking member's permissions in the interaction's channel.
fn member_permissions(spec: &InteractionSpec) -> u64 {
    spec.permissions.unwrap_or_else(model::everyday_permissions)
}

/// The member's permissions in a channel option's channel.
fn option_permissions(spec: &InteractionSpec) -> u64 {
    member_permissions(spec) & !spec.denied_in_option.map_or(0, super::Deny::bits)
}

/// Discord delivers a guild command only to members who hold its
/// `default_member_permissions` (Administrator holds all), unless the
/// server opened it to them: a test that forgets either is wrong, not steady.
fn gate(spec: &InteractionSpec, command: &Value) {
    let Some(needed) = command["default_member_permissions"]
        .as_str()
        .and_then(|bits| bits.parse::<u64>().ok())
    else {
        return;
    };
    let has = member_permissions(spec);
    let admin = has & model::ADMINISTRATOR != 0;
    assert!(
        spec.opened || admin || has & needed == needed,
        "stand-in: Discord would not offer /{} to this member (it needs permissions {needed}); \
         use .moderator(), or .opened() for a server that opened it to them",
        spec.name
    );
}

/// A modal's submit `data`, from the modal shown with `custom_id` and the
/// texts typed in; and the interaction that showed it. The modal is used
/// up: Discord's client submits a modal once.
fn submitted(st: &mut State, custom_id: &str, typed: &[(String, String)]) -> (u64, Value) {
    let (opener, modal) = st
        .modals
        .remove(custom_id)
        .unwrap_or_else(|| panic!("stand-in: no modal {custom_id:?} is open to submit"));
    let inputs: Vec<&Value> = modal["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .collect();
    for (id, _) in typed {
        assert!(
            inputs.iter().any(|input| input["custom_id"] == id.as_str()),
            "stand-in: the modal {custom_id:?} has no field {id:?}"
        );
    }
    let rows: Vec<Value> = inputs
        .iter()
        .map(|input| {
            let id = input["custom_id"].as_str().unwrap_or_default();
            let text = typed
                .iter()
                .find(|(field, _)| field == id)
                .map_or("", |(_, text)| text.as_str());
            let length = text.chars().count() as u64;
            let required = input["required"].as_bool().unwrap_or(true);
            assert!(
                !required || length > 0,
                "stand-in: the field {id:?} is required"
            );
            let most = input["max_length"].as_u64().unwrap_or(4000);
            let least = input["min_length"].as_u64().unwrap_or(0);
            assert!(
                length <= most && (length == 0 || length >= least),
                "stand-in: the field {id:?} takes {least} to {most} characters, not {length}"
            );
            json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": text}]})
        })
        .collect();
    (opener, json!({"custom_id": custom_id, "components": rows}))
}
