//! Loading settings: files, defaults, environment overrides and clear errors.

use std::collections::HashMap;
use std::io::Write;
use steady::config::{Config, ConfigError, LogFormat, Pace};

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn the_example_file_is_valid_and_matches_the_defaults() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let config = Config::load(Some(path.as_ref()), env(&[])).unwrap();
    assert_eq!(config.discord.api_url, "https://discord.com");
    assert_eq!(config.database.url, "sqlite://steady.db");
    assert_eq!(config.checkin.grace_minutes, 120);
    assert_eq!(config.checkin.max_failures, 3);
    assert_eq!(config.discord.requests_per_second, 48);
    assert_eq!(config.discord.request_timeout_seconds, 10);
    assert_eq!(config.discord.nonce_window_seconds, 60);
    assert_eq!(config.breathe.max_minutes, 14);
    assert_eq!(config.breathe.lead_in_seconds, 3);
    assert_eq!(config.log.format, LogFormat::Pretty);
    assert!(config.discord.register_commands);
    assert!(config.prompts.dir.is_none());
    assert!(config.discord.token.is_none());
    assert_eq!(config.metrics.address(), None, "off unless asked for");
}

#[test]
fn a_valid_file_is_read() {
    let f = file("[checkin]\ngrace_minutes = 30\n[log]\nformat = \"json\"\nfilter = \"debug\"\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(config.checkin.grace_minutes, 30);
    assert_eq!(config.checkin.max_failures, 3, "unset keys keep defaults");
    assert_eq!(config.log.format, LogFormat::Json);
}

#[test]
fn an_unknown_key_names_the_key_and_the_file() {
    let f = file("[breathe]\nmax_minuts = 5\n");
    let error = Config::load(Some(f.path()), env(&[])).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, ConfigError::Parse { .. }));
    assert!(message.contains("max_minuts"), "{message}");
    assert!(
        message.contains(&f.path().display().to_string()),
        "{message}"
    );
}

#[test]
fn a_bad_value_names_the_key() {
    for (text, key) in [
        (
            "[checkin]\nmax_failures = \"three\"\n",
            "checkin.max_failures",
        ),
        ("[log]\nformat = \"xml\"\n", "log.format"),
        ("[breathe]\nmax_minutes = 15\n", "breathe.max_minutes"),
        ("[checkin]\nmax_failures = 0\n", "checkin.max_failures"),
        (
            "[discord]\nrequests_per_second = 0\n",
            "discord.requests_per_second",
        ),
        (
            "[discord]\nrequest_timeout_seconds = 0\n",
            "discord.request_timeout_seconds",
        ),
        (
            "[discord]\nnonce_window_seconds = 0\n",
            "discord.nonce_window_seconds",
        ),
        (
            "[discord]\nnonce_window_seconds = 241\n",
            "discord.nonce_window_seconds",
        ),
        (
            "[breathe]\nlead_in_seconds = 11\n",
            "breathe.lead_in_seconds",
        ),
        ("[discord]\napi_url = \"discord.com\"\n", "discord.api_url"),
        ("[database]\nurl = \"mysql://x\"\n", "database.url"),
        ("[log]\nfilter = \"[[[\"\n", "log.filter"),
        ("[metrics]\nlisten = \"localhost\"\n", "metrics.listen"),
        (
            "[metrics]\nlisten = \"127.0.0.1:99999\"\n",
            "metrics.listen",
        ),
    ] {
        let f = file(text);
        let message = Config::load(Some(f.path()), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(message.contains(key), "{text:?} gave {message}");
    }
}

#[test]
fn environment_overrides_the_file() {
    let f = file("[database]\nurl = \"sqlite://from-file.db\"\n");
    let config = Config::load(
        Some(f.path()),
        env(&[
            ("DATABASE_URL", "sqlite://from-env.db"),
            ("DISCORD_TOKEN", "  secret-token \n"),
            ("STEADY_DISCORD_API_URL", "http://127.0.0.1:9"),
        ]),
    )
    .unwrap();
    assert_eq!(config.database.url, "sqlite://from-env.db");
    assert_eq!(config.discord.api_url, "http://127.0.0.1:9");
    assert_eq!(config.token().unwrap().expose(), "secret-token");
}

#[test]
fn the_metrics_address_comes_from_the_file_or_the_environment() {
    let f = file("[metrics]\nlisten = \"127.0.0.1:9464\"\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(
        config.metrics.address(),
        Some(([127, 0, 0, 1], 9464).into())
    );
    let config = Config::load(
        Some(f.path()),
        env(&[("STEADY_METRICS_LISTEN", "[::1]:9500")]),
    )
    .unwrap();
    assert_eq!(config.metrics.address(), "[::1]:9500".parse().ok());
    let message = Config::load(None, env(&[("STEADY_METRICS_LISTEN", "9464")]))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(
            "environment variable STEADY_METRICS_LISTEN (sets metrics.listen): \"9464\" is not an address"
        ),
        "{message}"
    );
}

#[test]
fn a_missing_token_says_how_to_get_one() {
    let config = Config::load(None, env(&[("DISCORD_TOKEN", "")])).unwrap();
    let message = config.token().unwrap_err().to_string();
    assert!(message.contains("DISCORD_TOKEN"), "{message}");
    assert!(message.contains("discord.com/developers"), "{message}");
}

#[test]
fn no_secret_shows_in_debug_output() {
    for url in [
        "postgres://steady:hunter2-pw@db.internal/steady",
        "postgres://steady@db.internal/steady?password=hunter2-pw",
        "postgres://steady@db.internal/steady?sslmode=require&sslpassword=hunter2-pw",
    ] {
        let config = Config::load(
            None,
            env(&[("DISCORD_TOKEN", "hunter2-token"), ("DATABASE_URL", url)]),
        )
        .unwrap();
        for shown in [format!("{config:?}"), format!("{:?}", config.database)] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("db.internal"), "{shown}");
        }
    }
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let message = Config::load(Some("/nonexistent/steady.toml".as_ref()), env(&[]))
        .unwrap_err()
        .to_string();
    assert!(message.contains("/nonexistent/steady.toml"), "{message}");
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable_not_the_file() {
    let f = file("[database]\nurl = \"sqlite://fine.db\"\n");
    for (variable, key) in [
        ("DATABASE_URL", "database.url"),
        ("STEADY_DISCORD_API_URL", "discord.api_url"),
    ] {
        let message = Config::load(Some(f.path()), env(&[(variable, "garbage")]))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(&format!("environment variable {variable} (sets {key}): ")),
            "{message}"
        );
        assert!(
            !message.contains(&f.path().display().to_string()),
            "{message}"
        );
    }
    let in_file = file("[discord]\napi_url = \"garbage\"\n");
    let message = Config::load(Some(in_file.path()), env(&[]))
        .unwrap_err()
        .to_string();
    let named = format!("{}: discord.api_url: ", in_file.path().display());
    assert!(message.starts_with(&named), "{message}");
}

#[test]
fn the_request_budget_stays_within_discords_global_limit() {
    for (per_second, ok) in [
        (0, false),
        (1, true),
        (50, true),
        (51, false),
        (5000, false),
    ] {
        let f = file(&format!("[discord]\nrequests_per_second = {per_second}\n"));
        let loaded = Config::load(Some(f.path()), env(&[]));
        assert_eq!(loaded.is_ok(), ok, "{per_second}");
        if let Err(error) = loaded {
            let message = error.to_string();
            assert!(message.contains("must be 1 to 50"), "{message}");
            assert!(message.contains("Discord's global limit"), "{message}");
        }
    }
}

#[test]
fn a_process_s_share_of_the_bot_s_requests_is_at_least_two_a_second() {
    for (text, variables, ok) in [
        ("shard_count = 48\nshards = \"0-1\"\n", &[][..], true),
        ("shard_count = 48\nshards = \"5\"\n", &[], false),
        (
            "shard_count = 48\n",
            &[("STEADY_DISCORD_SHARDS", "47")][..],
            false,
        ),
        ("shard_count = 24\nshards = \"23\"\n", &[], true),
        (
            "shard_count = 3\nrequests_per_second = 5\nshards = \"2\"\n",
            &[],
            false,
        ),
        // One process with every shard has the whole budget.
        ("shard_count = 48\n", &[], true),
    ] {
        let f = file(&format!("[discord]\n{text}"));
        let loaded = Config::load(Some(f.path()), env(variables));
        assert_eq!(loaded.is_ok(), ok, "{text:?} {variables:?}");
        if let Err(error) = loaded {
            let message = error.to_string();
            let at = match variables {
                [] => format!("{}: discord.shards: ", f.path().display()),
                _ => {
                    "environment variable STEADY_DISCORD_SHARDS (sets discord.shards): ".to_owned()
                }
            };
            assert!(message.starts_with(&at), "{message}");
            assert!(
                message.contains("each process needs at least 2,"),
                "{message}"
            );
        }
    }
}

#[test]
fn fifty_a_second_alone_is_a_warning_and_shared_it_is_not() {
    let f = file("[discord]\nrequests_per_second = 50\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(
        config.warnings(),
        [format!(
            "{}: discord.requests_per_second: 50 a second can put 51 requests into one second \
             (a late turn is made up at once), over Discord's global limit of 50, which Discord \
             answers with 429s; 49 or less stays within it",
            f.path().display()
        )]
    );
    for quiet in [
        "requests_per_second = 49\n",
        "requests_per_second = 50\nshard_count = 2\nshards = \"0-1\"\n",
        "requests_per_second = 50\nshard_count = 2\nshards = \"1\"\n",
    ] {
        let f = file(&format!("[discord]\n{quiet}"));
        let config = Config::load(Some(f.path()), env(&[])).unwrap();
        assert!(
            config.warnings().is_empty(),
            "{quiet:?}: {:?}",
            config.warnings()
        );
    }
}

#[test]
fn plain_http_to_another_machine_is_a_warning_naming_its_origin() {
    let config = Config::load(
        None,
        env(&[("STEADY_DISCORD_API_URL", "http://proxy.lan:8080")]),
    )
    .unwrap();
    let warnings = config.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("environment variable STEADY_DISCORD_API_URL"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("unencrypted"), "{warnings:?}");
    let local = Config::load(
        None,
        env(&[("STEADY_DISCORD_API_URL", "http://127.0.0.1:9")]),
    )
    .unwrap();
    assert!(local.warnings().is_empty());
}

#[test]
fn a_process_is_told_its_shards_in_the_file_or_the_environment() {
    let none = Config::load(Some(file("").path()), env(&[])).unwrap();
    assert_eq!(none.discord.shards(), None, "unset: one unsharded process");
    let alone = Pace {
        per_second: 48,
        burst: 2,
    };
    assert_eq!(none.discord.budget(), alone);

    let f = file("[discord]\nshard_count = 3\nshards = \"0-1\"\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    let shards = config.discord.shards().unwrap();
    assert_eq!((shards.ids(), shards.count), (0..=1, 3));
    // Two thirds of 48, less one, one turn at a time.
    let part = Pace {
        per_second: 31,
        burst: 1,
    };
    assert_eq!(config.discord.budget(), part);

    let f = file("[discord]\nshard_count = 3\n");
    let config = Config::load(Some(f.path()), env(&[("STEADY_DISCORD_SHARDS", "2")])).unwrap();
    assert_eq!(config.discord.shards().unwrap().ids(), 2..=2);
    let all = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(all.discord.shards().unwrap().ids(), 0..=2);
}

#[test]
fn bad_shards_name_the_setting_and_what_would_do() {
    for (text, variable, said) in [
        (
            "shards = \"0\"\n",
            None,
            "discord.shards: needs discord.shard_count",
        ),
        (
            "shard_count = 0\n",
            None,
            "discord.shard_count: must be at least 1",
        ),
        (
            "shard_count = 2\nshards = \"1-2\"\n",
            None,
            "\"1-2\" must lie within 0-1",
        ),
        (
            "shard_count = 2\nshards = \"one\"\n",
            None,
            "such as \"0-3\"",
        ),
        (
            "shard_count = 2\n",
            Some("2"),
            "STEADY_DISCORD_SHARDS (sets discord.shards)",
        ),
    ] {
        let f = file(&format!("[discord]\n{text}"));
        let variables: Vec<_> = variable
            .map(|v| ("STEADY_DISCORD_SHARDS", v))
            .into_iter()
            .collect();
        let message = Config::load(Some(f.path()), env(&variables))
            .unwrap_err()
            .to_string();
        assert!(message.contains(said), "{text:?} gave {message}");
    }
}

#[test]
fn a_postgres_url_is_a_database_and_its_password_is_never_shown() {
    let f = file("[database]\nurl = \"postgres://steady:hunter2@db.internal/steady\"\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert!(steady::store::is_postgres(&config.database.url));
    let shown = steady::store::shown(&config.database.url);
    assert_eq!(shown, "postgres://steady:***@db.internal/steady");

    let typo = file("[database]\nurl = \"postgress://steady:hunter2@db.internal/steady\"\n");
    let message = Config::load(Some(typo.path()), env(&[]))
        .unwrap_err()
        .to_string();
    assert!(message.contains("database.url"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn the_shard_count_may_come_from_the_environment() {
    let none = file("");
    let config = Config::load(
        Some(none.path()),
        env(&[
            ("STEADY_DISCORD_SHARD_COUNT", "2"),
            ("STEADY_DISCORD_SHARDS", "1"),
        ]),
    )
    .unwrap();
    assert_eq!(config.discord.shards().unwrap().ids(), 1..=1);
    let message = Config::load(
        Some(none.path()),
        env(&[("STEADY_DISCORD_SHARD_COUNT", "two")]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.starts_with(
            "environment variable STEADY_DISCORD_SHARD_COUNT (sets discord.shard_count)"
        ),
        "{message}"
    );
}

#[test]
fn the_nonce_window_comes_from_the_file_or_the_environment() {
    let f = file("[discord]\nnonce_window_seconds = 30\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(config.discord.nonce_window_seconds, 30);
    let config = Config::load(
        Some(f.path()),
        env(&[("STEADY_DISCORD_NONCE_WINDOW_SECONDS", "240")]),
    )
    .unwrap();
    assert_eq!(config.discord.nonce_window_seconds, 240);
    let message = Config::load(
        Some(f.path()),
        env(&[("STEADY_DISCORD_NONCE_WINDOW_SECONDS", "a minute")]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.starts_with(
            "environment variable STEADY_DISCORD_NONCE_WINDOW_SECONDS \
             (sets discord.nonce_window_seconds)"
        ),
        "{message}"
    );
}

#[test]
fn the_master_key_file_comes_from_the_file_or_the_environment() {
    let f = file("[privacy]\nmaster_key_file = \"/etc/steady/master.key\"\n");
    let config = Config::load(Some(f.path()), env(&[])).unwrap();
    assert_eq!(
        config.privacy.master_key_file.as_deref(),
        Some(std::path::Path::new("/etc/steady/master.key"))
    );
    let config = Config::load(
        Some(f.path()),
        env(&[(
            "STEADY_MASTER_KEY_FILE",
            "/run/credentials/steady.service/master-key",
        )]),
    )
    .unwrap();
    assert_eq!(
        config.privacy.master_key_file.as_deref(),
        Some(std::path::Path::new(
            "/run/credentials/steady.service/master-key"
        ))
    );
}
