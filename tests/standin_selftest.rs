//! Proves the stand-in against unmodified serenity 0.12.5, without any of
//! steady's code: if serenity's HTTP client and gateway client accept what it
//! sends (serenity drops incomplete events silently), the bot's tests can trust it.

mod standin;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use serenity::all::{
    ActionRowComponent, ApplicationId, ChannelId, ClientBuilder, Command, CommandOptionType,
    Context, CreateActionRow, CreateAttachment, CreateAutocompleteResponse, CreateButton,
    CreateCommand, CreateCommandOption, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    CreateModal, EditInteractionResponse, EditMessage, EventHandler, GatewayIntents, GuildId, Http,
    HttpBuilder, HttpError, InputTextStyle, Interaction, InteractionContext, InteractionId,
    ShardManager, UserId,
};
use standin::{
    route, ConnectionInfo, Fault, FaultKind, InteractionSpec, Options, RateLimits, StandIn, Start,
    UserSpec,
};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const T: Duration = Duration::from_secs(5);
const GUILD: u64 = 1_200_000_000_000_000_001;

fn http(s: &StandIn) -> Http {
    let http = HttpBuilder::new(StandIn::TOKEN)
        .proxy(s.api_url())
        .ratelimiter_disabled(true)
        .build();
    http.set_application_id(ApplicationId::new(s.application_id()));
    http
}

/// Short heartbeats so reconnects and shutdowns happen in milliseconds.
fn fast() -> Options {
    Options {
        heartbeat_interval: Duration::from_millis(300),
        ..Options::default()
    }
}

/// What the handler saw, and how its answer went.
type Seen = (Interaction, Result<String, String>);

/// Answers like a bot would: a message with a button, an update on click,
/// choices on autocomplete, and defer + edit + followup for `/slow`.
struct Handler(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let http = &ctx.http;
        let outcome = match &interaction {
            Interaction::Command(c) if c.data.name == "slow" => {
                async {
                    c.defer_ephemeral(http).await?;
                    let m = c
                        .edit_response(http, EditInteractionResponse::new().content("done"))
                        .await?;
                    c.create_followup(
                        http,
                        CreateInteractionResponseFollowup::new().content("more"),
                    )
                    .await?;
                    Ok(m.content)
                }
                .await
            }
            Interaction::Command(c) if c.data.name.ends_with("form") => {
                // "longform" asks for a title one past Discord's 45.
                let title = if c.data.name == "form" {
                    "A form"
                } else {
                    &"t".repeat(46)
                };
                let words = CreateInputText::new(InputTextStyle::Paragraph, "Words", "words")
                    .max_length(10);
                let modal = CreateModal::new("form:1", title)
                    .components(vec![CreateActionRow::InputText(words)]);
                c.create_response(http, CreateInteractionResponse::Modal(modal))
                    .await
                    .map(|_| String::new())
            }
            Interaction::Modal(m) => {
                let typed = m.data.components[0]
                    .components
                    .first()
                    .and_then(|c| match c {
                        ActionRowComponent::InputText(input) => input.value.clone(),
                        _ => None,
                    });
                let msg =
                    CreateInteractionResponseMessage::new().content(typed.unwrap_or_default());
                m.create_response(http, CreateInteractionResponse::Message(msg))
                    .await
                    .map(|_| String::new())
            }
            Interaction::Command(c) => {
                let msg = CreateInteractionResponseMessage::new()
                    .content(format!("hi {}", c.user.name))
                    .button(CreateButton::new("again").label("Again"));
                c.create_response(http, CreateInteractionResponse::Message(msg))
                    .await
                    .map(|_| String::new())
            }
            Interaction::Component(c) => {
                let msg = CreateInteractionResponseMessage::new().content("clicked");
                c.create_response(http, CreateInteractionResponse::UpdateMessage(msg))
                    .await
                    .map(|_| String::new())
            }
            Interaction::Autocomplete(c) => {
                let choices = CreateAutocompleteResponse::new()
                    .add_string_choice("I can handle it", "I can handle it");
                c.create_response(http, CreateInteractionResponse::Autocomplete(choices))
                    .await
                    .map(|_| String::new())
            }
            _ => Ok(String::new()),
        };
        let _ = self.0.send((
            interaction,
            outcome.map_err(|e: serenity::Error| e.to_string()),
        ));
    }
}

/// A handler that answers nothing (tests answer by hand).
struct Quiet;
impl EventHandler for Quiet {}

/// Starts an unmodified serenity client against the stand-in, waits for READY.
async fn client(s: &StandIn, handler: impl EventHandler + 'static) -> std::sync::Arc<ShardManager> {
    let mut client = ClientBuilder::new_with_http(http(s), GatewayIntents::empty())
        .event_handler(handler)
        .await
        .unwrap();
    let shards = client.shard_manager.clone();
    tokio::spawn(async move { client.start().await });
    s.wait_ready(T).await;
    shards
}

async fn seen(rx: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    let got = tokio::time::timeout(T, rx.recv()).await;
    got.expect("the handler never saw the interaction: serenity dropped it (incomplete JSON?)")
        .unwrap()
}

fn discord_code(e: serenity::Error) -> (u16, isize) {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            (r.status_code.as_u16(), r.error.code)
        }
        other => panic!("expected a Discord error response, got {other:?}"),
    }
}

#[tokio::test]
async fn serenity_http_calls_are_answered_and_recorded() {
    let s = StandIn::start().await;
    let http = http(&s);
    assert_eq!(http.get_gateway().await.unwrap().url, s.gateway_url());
    assert_eq!(http.get_bot_gateway().await.unwrap().shards, 1);
    let me = http.get_current_user().await.unwrap();
    assert!(me.bot);
    assert_eq!(me.id.get(), s.bot_user_id());
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.id.get(), s.application_id());
    assert!(app.owner.is_some());

    let add = CreateCommandOption::new(CommandOptionType::SubCommand, "add", "Add an anchor")
        .add_sub_option(
            CreateCommandOption::new(CommandOptionType::String, "text", "The anchor")
                .required(true),
        );
    let cmds = vec![
        CreateCommand::new("about").description("What steady is"),
        CreateCommand::new("anchors")
            .description("Your anchors")
            .add_option(add),
    ];
    let registered = Command::set_global_commands(&http, cmds).await.unwrap();
    assert_eq!(registered.len(), 2);
    assert_eq!(s.wait_commands_registered(T).await[1]["name"], "anchors");

    let user = UserId::new(UserSpec::default().id);
    let dm = user.create_dm_channel(&http).await.unwrap();
    assert_eq!(dm.id.get(), s.dm_channel_of(user.get()));
    let file = CreateAttachment::bytes(b"abc".to_vec(), "note.txt");
    let msg = dm
        .id
        .send_message(&http, CreateMessage::new().content("hello").add_file(file))
        .await
        .unwrap();
    assert_eq!(msg.attachments[0].filename, "note.txt");
    let sent = s.wait_for(T, |r| r.route == route::CREATE_MESSAGE).await;
    assert_eq!(sent.body["content"], "hello");
    assert_eq!(
        sent.attachments,
        vec![("note.txt".to_owned(), b"abc".to_vec())]
    );
    let edited = dm
        .id
        .edit_message(&http, msg.id, EditMessage::new().content("edited"))
        .await
        .unwrap();
    assert!(edited.edited_timestamp.is_some());
    assert_eq!(s.message(msg.id.get()).unwrap()["content"], "edited");

    let routes: Vec<String> = s.requests().iter().map(|r| r.route.clone()).collect();
    for r in [
        route::GATEWAY,
        route::ME,
        route::APPLICATION,
        route::PUT_GLOBAL_COMMANDS,
        route::CREATE_DM,
        route::EDIT_MESSAGE,
    ] {
        assert!(
            routes.iter().any(|x| x == r),
            "{r} not recorded in {routes:?}"
        );
    }
    assert!(s.unknown_routes().is_empty(), "{:?}", s.unknown_routes());
}

#[tokio::test]
async fn validation_faults_and_rate_limits_look_like_discord() {
    let s = StandIn::start().await;
    let dm = s.dm_channel_of(UserSpec::default().id);
    let path = format!("/channels/{dm}/messages");
    let hi = r#"{"content":"hi"}"#;

    let r = s.raw("GET", "/users/@me", false, "").await;
    assert_eq!(
        (r.status, r.body),
        (401, json!({"message": "401: Unauthorized", "code": 0}))
    );
    let r = s.raw("GET", "/no/such/route", true, "").await;
    assert_eq!(
        (r.status, r.body),
        (404, json!({"message": "404: Not Found", "code": 0}))
    );
    assert_eq!(s.unknown_routes().len(), 1);
    let long = json!({"content": "x".repeat(2001)}).to_string();
    let r = s.raw("POST", &path, true, &long).await;
    assert_eq!((r.status, &r.body["code"]), (400, &json!(50035)));
    assert!(r.body["errors"]["content"]["_errors"][0]["code"].is_string());
    let r = s.raw("POST", &path, true, "{}").await;
    assert_eq!((r.status, &r.body["code"]), (400, &json!(50006)));

    // An injected 429: Discord's body and headers.
    let retry_after = Duration::from_millis(1500);
    s.inject(Fault::once(
        route::CREATE_MESSAGE,
        FaultKind::RateLimited { retry_after },
    ));
    let r = s.raw("POST", &path, true, hi).await;
    let body =
        json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false});
    assert_eq!((r.status, &r.body), (429, &body));
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(r.header("x-ratelimit-scope"), Some("user"));
    for name in [
        "x-ratelimit-limit",
        "x-ratelimit-reset",
        "x-ratelimit-reset-after",
        "x-ratelimit-bucket",
    ] {
        assert!(
            r.header(name).is_some(),
            "{name} missing from {:?}",
            r.headers
        );
    }
    let r = s.raw("POST", &path, true, hi).await;
    assert_eq!((r.status, r.header("x-ratelimit-limit")), (200, Some("5")));

    // DMs closed: 403 50007 as serenity sees it.
    s.inject(Fault::new(
        "*",
        FaultKind::DmClosed {
            user_id: UserSpec::default().id,
        },
    ));
    let err = ChannelId::new(dm)
        .send_message(&http(&s), CreateMessage::new().content("hi"))
        .await;
    assert_eq!(discord_code(err.unwrap_err()), (403, 50007));
    s.clear_faults();

    // The real per-channel bucket (5 per 5 s) runs out.
    let mut limited = None;
    for _ in 0..6 {
        let r = s.raw("POST", &path, true, hi).await;
        if r.status == 429 {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("the channel bucket never ran out");
    assert_eq!(
        (&r.body["global"], r.header("x-ratelimit-scope")),
        (&json!(false), Some("user"))
    );

    // The global limit, lowered to 3/s for the test.
    s.set_rate_limits(RateLimits {
        global_per_second: 3,
        ..RateLimits::default()
    });
    for _ in 0..3 {
        assert_eq!(s.raw("GET", "/users/@me", true, "").await.status, 200);
    }
    let r = s.raw("GET", "/users/@me", true, "").await;
    assert_eq!((r.status, &r.body["global"]), (429, &json!(true)));
    assert_eq!(r.header("x-ratelimit-global"), Some("true"));
    assert_eq!(r.header("x-ratelimit-scope"), Some("global"));
    assert!(s.rate_limited().len() >= 3);
}

#[tokio::test]
async fn serenity_client_receives_every_interaction_kind() {
    let s = StandIn::start_with(fast()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let shards = client(&s, Handler(tx)).await;

    let guild = s.dispatch(
        InteractionSpec::slash("anchors")
            .subcommand("add")
            .option("text", json!("I can handle uncertainty"))
            .in_guild(GUILD),
    );
    let (got, outcome) = seen(&mut rx).await;
    let Interaction::Command(c) = got else {
        panic!("not a command: {got:?}")
    };
    assert_eq!(
        (c.guild_id, c.member.is_some()),
        (Some(GuildId::new(GUILD)), true)
    );
    assert_eq!(c.data.options[0].name, "add");
    assert_eq!(c.user.id.get(), UserSpec::default().id);
    outcome.unwrap();
    let cb = s.callback(&guild, T).await;
    assert_eq!((cb.status, &cb.body["type"]), (204, &json!(4)));
    assert_eq!(s.original(&guild).unwrap()["content"], "hi tester");

    let dm = s.dispatch(InteractionSpec::slash("about").in_dm());
    let (got, outcome) = seen(&mut rx).await;
    let Interaction::Command(c) = got else {
        panic!("not a command: {got:?}")
    };
    assert_eq!(
        (c.guild_id, c.context),
        (None, Some(InteractionContext::BotDm))
    );
    outcome.unwrap();
    assert_eq!(s.callback(&dm, T).await.status, 204);

    let click = s.dispatch(InteractionSpec::button(&dm, "again"));
    let (got, outcome) = seen(&mut rx).await;
    let Interaction::Component(c) = got else {
        panic!("not a component: {got:?}")
    };
    assert_eq!(c.data.custom_id, "again");
    assert_eq!(Some(c.message.id.get()), click.message_id);
    outcome.unwrap();
    assert_eq!(s.callback(&click, T).await.body["type"], 7);
    assert_eq!(
        s.message(click.message_id.unwrap()).unwrap()["content"],
        "clicked"
    );

    let auto = s.dispatch(
        InteractionSpec::autocomplete("anchors")
            .subcommand("remove")
            .focused("anchor", "I ca"),
    );
    let (got, outcome) = seen(&mut rx).await;
    let Interaction::Autocomplete(c) = got else {
        panic!("not autocomplete: {got:?}")
    };
    assert_eq!(
        c.data.autocomplete().map(|o| o.value.to_owned()),
        Some("I ca".to_owned())
    );
    outcome.unwrap();
    assert_eq!(
        s.callback(&auto, T).await.body["data"]["choices"][0]["name"],
        "I can handle it"
    );

    // Defer, edit @original, followup: serenity parses every message returned.
    let slow = s.dispatch(InteractionSpec::slash("slow"));
    let (_, outcome) = seen(&mut rx).await;
    assert_eq!(outcome.unwrap(), "done");
    assert_eq!(s.next_original_edit(&slow, T).await.status, 200);
    assert_eq!(
        s.wait_for(T, |r| r.route == route::FOLLOWUP).await.status,
        200
    );
    assert_eq!(s.original(&slow).unwrap()["flags"], 64);

    assert!(s.unknown_routes().is_empty(), "{:?}", s.unknown_routes());
    shards.shutdown_all().await;
    s.wait_gateway_closed(T).await;
}

#[tokio::test]
async fn modals_are_checked_as_documented_and_submitted_once_as_serenity_reads_them() {
    let s = StandIn::start_with(fast()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let shards = client(&s, Handler(tx)).await;

    s.dispatch(InteractionSpec::slash("longform"));
    let (_, outcome) = seen(&mut rx).await;
    let refused = outcome.expect_err("a 46-character title");
    assert!(refused.contains("title"), "{refused}");

    let form = s.dispatch(InteractionSpec::slash("form"));
    seen(&mut rx).await.1.unwrap();
    assert_eq!(s.callback(&form, T).await.body["data"]["title"], "A form");
    let submit = s.dispatch(InteractionSpec::modal_submit(
        "form:1",
        &[("words", "hello")],
    ));
    let (got, outcome) = seen(&mut rx).await;
    let Interaction::Modal(m) = got else {
        panic!("not a modal's submit: {got:?}")
    };
    assert_eq!(m.user.id.get(), UserSpec::default().id);
    outcome.unwrap();
    assert_eq!(s.original(&submit).unwrap()["content"], "hello");

    let again = std::panic::catch_unwind(|| {
        s.dispatch(InteractionSpec::modal_submit(
            "form:1",
            &[("words", "twice")],
        ))
    });
    assert!(again.is_err(), "a modal is submitted once");
    shards.shutdown_all().await;
}

#[tokio::test]
async fn dropped_gateway_is_resumed_and_missed_interactions_replayed() {
    let s = StandIn::start_with(fast()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let shards = client(&s, Handler(tx)).await;
    s.drop_gateway();
    // Dispatched while the connection is down: RESUME must replay it.
    let sent = s.dispatch(InteractionSpec::slash("about"));
    let (got, outcome) = seen(&mut rx).await;
    assert_eq!(got.id().get(), sent.id);
    outcome.unwrap();
    assert_eq!(s.callback(&sent, T).await.status, 204);
    let resumed =
        |c: &[ConnectionInfo]| c.iter().any(|c| c.start == Some(Start::Resumed) && c.open);
    s.wait_connections(T, resumed).await;
    assert!(s.resume_count() >= 1);
    assert_eq!(s.identify_count(), 1);
    let log = s.gateway_log();
    assert!(log.iter().any(|f| f.t.as_deref() == Some("RESUMED")));
    shards.shutdown_all().await;
}

#[tokio::test]
async fn late_and_double_callbacks_are_refused() {
    let opts = Options {
        interaction_ack_window: Duration::from_millis(200),
        token_lifetime: Duration::from_millis(600),
        ..fast()
    };
    let s = StandIn::start_with(opts).await;
    let shards = client(&s, Quiet).await;
    let http = http(&s);
    let reply = json!({"type": 4, "data": {"content": "ok"}});

    let late = s.dispatch(InteractionSpec::slash("about"));
    tokio::time::sleep(Duration::from_millis(250)).await;
    let err = http
        .create_interaction_response(InteractionId::new(late.id), &late.token, &reply, vec![])
        .await;
    assert_eq!(discord_code(err.unwrap_err()), (404, 10062));

    let twice = s.dispatch(InteractionSpec::slash("about"));
    http.create_interaction_response(InteractionId::new(twice.id), &twice.token, &reply, vec![])
        .await
        .unwrap();
    let err = http
        .create_interaction_response(InteractionId::new(twice.id), &twice.token, &reply, vec![])
        .await;
    assert_eq!(discord_code(err.unwrap_err()), (400, 40060));

    // Within the token's lifetime @original can be edited; after it, 50027.
    let edit = json!({"content": "edited"});
    http.edit_original_interaction_response(&twice.token, &edit, vec![])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(650)).await;
    let err = http
        .edit_original_interaction_response(&twice.token, &edit, vec![])
        .await;
    assert_eq!(discord_code(err.unwrap_err()), (401, 50027));
    shards.shutdown_all().await;
}

#[tokio::test]
async fn enforce_nonce_makes_one_message_even_when_the_answer_is_lost_or_cut_short() {
    let s = StandIn::start().await;
    let dm = s.dm_channel_of(UserSpec::default().id);
    let path = format!("/channels/{dm}/messages");
    let once = json!({"content": "hi", "nonce": "c-1", "enforce_nonce": true}).to_string();

    s.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::AnswerLost));
    let lost = s.try_raw("POST", &path, true, &once).await;
    assert!(lost.is_err(), "no answer: {lost:?}");
    let made = s.messages_in(dm);
    assert_eq!(made.len(), 1, "yet the message was made");
    assert!(s.requests()[0].answer_lost);

    // The retry with the same nonce returns that message and makes none.
    let again = s.raw("POST", &path, true, &once).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], made[0]["id"]);
    assert_eq!(again.body["nonce"], "c-1");
    assert_eq!(s.messages_in(dm).len(), 1);

    // Without enforce_nonce a nonce is only echoed.
    let loose = json!({"content": "hi", "nonce": "c-1"}).to_string();
    assert_eq!(s.raw("POST", &path, true, &loose).await.status, 200);
    assert_eq!(s.messages_in(dm).len(), 2);

    // At most 25 characters.
    let long = json!({"content": "hi", "nonce": "n".repeat(26), "enforce_nonce": true});
    let r = s.raw("POST", &path, true, &long.to_string()).await;
    assert_eq!((r.status, &r.body["code"]), (400, &json!(50035)));
    assert!(r.body["errors"]["nonce"]["_errors"][0]["code"].is_string());
    assert_eq!(s.messages_in(dm).len(), 2);

    // A cut-short answer: 200, a body that is not JSON, the message made.
    let other = json!({"content": "hi", "nonce": "c-2", "enforce_nonce": true}).to_string();
    s.inject(Fault::once(route::CREATE_MESSAGE, FaultKind::Unreadable));
    let cut = s.raw("POST", &path, true, &other).await;
    assert_eq!((cut.status, &cut.body), (200, &serde_json::Value::Null));
    assert_eq!(s.messages_in(dm).len(), 3, "made all the same");
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A raw gateway client that sent IDENTIFY with the GUILDS intent and `shard`
/// (`Null`: no shard field), past HELLO.
async fn identify(s: &StandIn, shard: serde_json::Value) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(s.gateway_url())
        .await
        .unwrap();
    assert_eq!(next_frame(&mut ws).await["op"], 10, "HELLO first");
    let mut d = json!({"token": StandIn::TOKEN, "intents": 1, "properties": {}});
    if !shard.is_null() {
        d["shard"] = shard;
    }
    let identify = json!({"op": 2, "d": d}).to_string();
    ws.send(Message::Text(identify)).await.unwrap();
    ws
}

/// The next text frame as JSON, or `{"close": code}` for a close frame.
async fn next_frame(ws: &mut Ws) -> serde_json::Value {
    loop {
        let msg = tokio::time::timeout(T, ws.next()).await.expect("a frame");
        match msg.expect("an open connection").unwrap() {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Close(f) => return json!({"close": f.map(|f| u16::from(f.code))}),
            _ => {}
        }
    }
}

/// The next dispatch as (type, data); frames on one connection keep their
/// order, so what came before it was never sent.
async fn next_dispatch(ws: &mut Ws) -> (String, serde_json::Value) {
    loop {
        let f = next_frame(ws).await;
        if f["op"] == 0 {
            return (f["t"].as_str().unwrap().to_owned(), f["d"].clone());
        }
    }
}

#[tokio::test]
async fn events_reach_only_the_shard_of_their_guild() {
    let s = StandIn::start_with(Options {
        recommended_shards: 2,
        ..Options::default()
    })
    .await;
    assert_eq!(http(&s).get_bot_gateway().await.unwrap().shards, 2);
    let mut zero = identify(&s, json!([0, 2])).await;
    let mut one = identify(&s, json!([1, 2])).await;
    assert_eq!(next_dispatch(&mut zero).await.1["shard"], json!([0, 2]));
    assert_eq!(next_dispatch(&mut one).await.1["shard"], json!([1, 2]));
    s.wait_shards(2, T).await;
    let mut live = s.live_shards();
    live.sort_unstable();
    assert_eq!(live, vec![(0, 2), (1, 2)]);

    // Each is the next event of its shard's client only: the other client's
    // next event is the one aimed at it afterwards.
    let on_one = StandIn::guild_on_shard(1, 2);
    let guild = s.dispatch(InteractionSpec::slash("about").in_guild(on_one));
    let (t, d) = next_dispatch(&mut one).await;
    assert_eq!(
        (t.as_str(), &d["id"]),
        ("INTERACTION_CREATE", &json!(guild.id.to_string()))
    );
    let dm = s.dispatch(InteractionSpec::slash("about").in_dm());
    assert_eq!(next_dispatch(&mut zero).await.1["id"], dm.id.to_string());

    let on_zero = json!({"id": StandIn::guild_on_shard(0, 2).to_string()});
    assert_eq!(s.dispatch_event("GUILD_DELETE", on_zero.clone()), 1);
    assert_eq!(
        next_dispatch(&mut zero).await,
        ("GUILD_DELETE".to_owned(), on_zero)
    );
    let on_one = json!({"id": on_one.to_string(), "unavailable": true});
    assert_eq!(s.dispatch_event("GUILD_DELETE", on_one.clone()), 1);
    assert_eq!(
        next_dispatch(&mut one).await,
        ("GUILD_DELETE".to_owned(), on_one)
    );
}

#[tokio::test]
async fn invalid_shards_are_closed_with_4010() {
    let s = StandIn::start().await;
    for shard in [json!([2, 2]), json!([0, 0]), json!([-1, 2]), json!([0])] {
        let mut ws = identify(&s, shard.clone()).await;
        assert_eq!(next_frame(&mut ws).await, json!({"close": 4010}), "{shard}");
    }
    assert_eq!(s.identify_count(), 0);
}

#[tokio::test]
#[should_panic(expected = "stand-in: no live gateway session for shard 1 of 2")]
async fn dispatch_panics_when_no_session_has_the_shard() {
    let s = StandIn::start().await;
    let mut zero = identify(&s, json!([0, 2])).await;
    next_dispatch(&mut zero).await; // READY
    s.dispatch(InteractionSpec::slash("about").in_guild(StandIn::guild_on_shard(1, 2)));
}

#[tokio::test]
async fn global_requests_are_counted_per_second() {
    let s = StandIn::start().await;
    for _ in 0..3 {
        assert_eq!(s.raw("GET", "/users/@me", true, "").await.status, 200);
    }
    // Interaction routes do not count against the global limit.
    s.raw("POST", "/interactions/1/x/callback", false, "{}")
        .await;
    assert_eq!(s.max_global_in_any_second(), 3);
}
