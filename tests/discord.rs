//! The bot's Discord adapter, end to end: the real `steady::run` against the
//! local stand-in, over real HTTP and WebSocket on 127.0.0.1.

mod harness;
mod standin;

use harness::{assert_healthy, assert_private_data, button_ids, quick, Bot, GUILD, PATIENCE};
use serde_json::Value;
use standin::{route, Fault, FaultKind, InteractionSpec, StandIn, UserSpec};
use std::time::{Duration, Instant};

fn catalog() -> steady::prompts::Catalog {
    steady::prompts::Catalog::load(None).unwrap()
}

/// The interaction response's message, asserting it is a new message (type 4).
fn message_of(callback: &standin::Recorded) -> &Value {
    assert_eq!(callback.body["type"], 4, "{:#}", callback.body);
    &callback.body["data"]
}

/// A command's (or subcommand's) words are the ones in prompts/commands.toml.
fn assert_described(command: &Value, name: &str, prompts: &steady::prompts::Catalog) {
    let words = prompts.commands.get(name).unwrap();
    assert_eq!(command["description"], words.description.plain(), "/{name}");
    for option in command["options"].as_array().into_iter().flatten() {
        let option_name = option["name"].as_str().unwrap();
        // A subcommand (1) or a group of them (2) has words of its own.
        if option["type"] == 1 || option["type"] == 2 {
            assert_described(option, &format!("{name} {option_name}"), prompts);
        } else {
            assert_eq!(option["description"], words.options[option_name].plain());
        }
    }
}

#[tokio::test]
async fn connects_and_registers_every_command_for_servers_and_user_installs() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let registered = standin.wait_commands_registered(PATIENCE).await;
    let prompts = catalog();
    let commands = registered.as_array().unwrap();
    let mut names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "about", "anchors", "breathe", "calm", "checkin", "ground", "journal", "mydata",
            "reframe", "relax", "soothe", "support", "wait"
        ]
    );
    for command in commands {
        let name = command["name"].as_str().unwrap();
        if name == "calm" {
            // For a server's moderators (Manage Server, 1 << 5), in servers
            // that installed steady.
            assert_eq!(command["default_member_permissions"], "32");
            assert_eq!(command["integration_types"], serde_json::json!([0]));
            assert_eq!(command["contexts"], serde_json::json!([0]));
            assert_described(command, name, &prompts);
            continue;
        }
        assert_eq!(
            command["integration_types"],
            serde_json::json!([0, 1]),
            "/{name}"
        );
        assert_eq!(command["contexts"], serde_json::json!([0, 1, 2]), "/{name}");
        assert_described(command, name, &prompts);
    }
    let breathe = commands.iter().find(|c| c["name"] == "breathe").unwrap();
    let option = |name: &str| {
        breathe["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap()
            .clone()
    };
    let pattern = option("pattern");
    let choices: Vec<&str> = pattern["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let pattern_names: Vec<&str> = prompts
        .breathing
        .patterns
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(choices, pattern_names);
    assert_eq!(option("cycles")["min_value"].as_f64(), Some(1.0));
    assert_eq!(option("cycles")["max_value"].as_f64(), Some(20.0));
    assert_eq!(option("custom")["max_length"], 40);
    assert_eq!(option("private")["type"], 5);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn about_answers_privately_in_a_server_well_within_three_seconds() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let asked = Instant::now();
    let sent = standin.dispatch(InteractionSpec::slash("about").in_guild(GUILD));
    let callback = standin.callback(&sent, PATIENCE).await;
    assert_eq!(
        callback.status, 204,
        "the stand-in accepted it inside its 3 s window"
    );
    assert!(callback.at - asked < Duration::from_secs(3));
    let data = message_of(&callback);
    assert_private_data(data);
    assert_eq!(data["content"], catalog().about.body.plain());
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn about_works_in_a_dm_and_as_a_user_installed_app() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    for spec in [
        InteractionSpec::slash("about").in_dm(),
        InteractionSpec::slash("about")
            .in_guild(GUILD)
            .user_install(),
    ] {
        let sent = standin.dispatch(spec);
        let callback = standin.callback(&sent, PATIENCE).await;
        assert_eq!(callback.status, 204);
        assert_private_data(message_of(&callback));
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_dropped_gateway_is_resumed_and_the_next_command_answered() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    standin.drop_gateway();
    let deadline = Instant::now() + PATIENCE;
    while standin.resume_count() == 0 {
        assert!(Instant::now() < deadline, "the bot never resumed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(standin.identify_count(), 1, "resumed, not re-identified");
    let sent = standin.dispatch(InteractionSpec::slash("about").user(UserSpec::new(7, "river")));
    assert_eq!(standin.callback(&sent, PATIENCE).await.status, 204);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_failing_callback_is_logged_the_person_is_told_and_the_bot_carries_on() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    standin.inject(Fault::once(route::CALLBACK, FaultKind::ServerError(500)));
    let sent = standin.dispatch(InteractionSpec::slash("about"));
    let failed = standin.callback(&sent, PATIENCE).await;
    assert_eq!(failed.status, 500);
    let apology = standin.callback(&sent, PATIENCE).await;
    assert_eq!(apology.status, 204);
    let data = message_of(&apology);
    assert_private_data(data);
    assert_eq!(data["content"], catalog().errors.unexpected.plain());
    assert!(harness::logs().contains("command failed"));

    let sent = standin.dispatch(InteractionSpec::slash("about"));
    assert_eq!(standin.callback(&sent, PATIENCE).await.status, 204);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// serenity's requests go through steady's client and its timeout: an
/// answer Discord never acknowledges fails after `request_timeout_seconds`,
/// instead of holding the person's one exercise place for good.
#[tokio::test]
async fn an_answer_that_hangs_gives_up_and_the_person_can_start_again() {
    let standin = StandIn::start_with(quick()).await;
    let settings = "[discord]\nrequest_timeout_seconds = 1\n[breathe]\nlead_in_seconds = 0\n";
    let bot = Bot::start_with(&standin, settings).await;
    // Longer than the test waits: only the timeout can end this request.
    let hang = FaultKind::Latency(PATIENCE * 4);
    standin.inject(Fault::once(route::CALLBACK, hang));
    let breathe = || {
        InteractionSpec::slash("breathe")
            .in_guild(GUILD)
            .option("cycles", serde_json::json!(1))
    };
    let hung = standin.dispatch(breathe());
    let apology = standin.callback(&hung, PATIENCE).await;
    assert_eq!(
        message_of(&apology)["content"],
        catalog().errors.unexpected.plain()
    );
    assert!(harness::logs().contains("command failed"));

    let again = standin.dispatch(breathe());
    let started = standin.callback(&again, PATIENCE).await;
    let buttons = button_ids(message_of(&started));
    assert!(
        buttons.iter().any(|id| id.starts_with("pace:stop:")),
        "a new session, not \"already running\": {buttons:?}"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

#[tokio::test]
async fn a_clean_shutdown_closes_the_gateway() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    bot.stop().await.unwrap();
    standin.wait_gateway_closed(PATIENCE).await;
    assert_healthy(&standin);
}

#[tokio::test]
async fn support_answers_privately_with_the_configured_lines() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let sent = standin.dispatch(InteractionSpec::slash("support").in_guild(GUILD));
    let callback = standin.callback(&sent, PATIENCE).await;
    let data = message_of(&callback);
    assert_private_data(data);
    let text = data["content"].as_str().unwrap();
    assert!(text.contains("not therapy"), "{text}");
    assert!(text.contains("988") && text.contains("116 123") && text.contains("findahelpline.com"));
    bot.stop().await.unwrap();

    // An operator's own lines, through prompts.dir.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("support.toml"),
        "intro = \"Not therapy.\"\noutro = \"Take care.\"\n\
         [[lines]]\nplace = \"Germany\"\ntext = \"TelefonSeelsorge: 0800 111 0 111\"\n\
         [[lines]]\nkind = \"directory\"\nplace = \"Elsewhere\"\ntext = \"A directory\"\n\
         [[lines]]\nkind = \"emergency\"\nplace = \"Now\"\ntext = \"112\"\n",
    )
    .unwrap();
    let settings = format!("[prompts]\ndir = \"{}\"\n", dir.path().display());
    assert_healthy(&standin);
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start_with(&standin, &settings).await;
    let sent = standin.dispatch(InteractionSpec::slash("support"));
    let callback = standin.callback(&sent, PATIENCE).await;
    assert_eq!(
        message_of(&callback)["content"],
        "Not therapy.\n\n- **Now**: 112\n- **Germany**: TelefonSeelsorge: 0800 111 0 111\n\
         - **Elsewhere**: A directory\n\nTake care."
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
