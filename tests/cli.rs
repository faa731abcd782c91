//! The `steady` binary as an operator meets it.

#[allow(dead_code)] // a server and its databases, no more
#[path = "harness/postgres.rs"]
mod postgres;

use std::path::Path;
use std::process::Command;

fn steady(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steady"));
    command
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("DATABASE_URL")
        .env_remove("STEADY_DISCORD_API_URL")
        .env_remove("RUST_LOG");
    command
}

#[test]
fn check_passes_on_the_example_config_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let out = steady(dir.path())
        .args(["check", "--config", example])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("prompts: ok"), "{stdout}");
    assert!(
        !dir.path().join("steady.db").exists(),
        "check must not create the database"
    );
}

#[test]
fn run_without_a_token_explains_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = steady(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("DISCORD_TOKEN"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_config_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        "[breathe]\nmax_minutes = 99\n",
    )
    .unwrap();
    let out = steady(dir.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("steady.toml") && stderr.contains("breathe.max_minutes"),
        "{stderr}"
    );
}

#[test]
fn migrate_creates_the_database_named_by_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = steady(dir.path())
        .arg("migrate")
        .env("DATABASE_URL", "sqlite://x.db")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("x.db").exists());
    let out = steady(dir.path())
        .arg("check")
        .env("DATABASE_URL", "sqlite://x.db")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("pending: 0"), "{stdout}");
}

#[test]
fn check_rejects_a_missing_step_or_an_unknown_placeholder_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = dir.path().join("my-prompts");
    std::fs::create_dir(&prompts).unwrap();
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/grounding.toml");
    let grounding = std::fs::read_to_string(shipped).unwrap();
    // Four steps instead of five, and a placeholder the code never fills.
    let four = grounding.replacen(
        "    \"Notice **1 thing you can taste**, or take a slow sip of water.\",\n",
        "",
        1,
    );
    assert_ne!(four, grounding);
    let broken = four.replacen("step {step} of {steps}", "step {step} of {total}", 1);
    std::fs::write(prompts.join("grounding.toml"), broken).unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        "[prompts]\ndir = \"my-prompts\"\n",
    )
    .unwrap();
    let out = steady(dir.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("grounding.toml: steps: needs exactly 5 steps"),
        "{stderr}"
    );
    assert!(
        stderr.contains("grounding.toml: progress: unknown placeholder {total}"),
        "{stderr}"
    );
}

/// Run `steady` in `dir` with `args` and extra environment; (exit code, stdout, stderr).
fn outcome(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = steady(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_migrate_and_run_name_the_database_path_and_why_it_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), "").unwrap();
    std::fs::create_dir(dir.path().join("a-folder.db")).unwrap();
    for (url, expected) in [
        (
            "sqlite://missing/steady.db",
            "cannot use the database file missing/steady.db: the folder missing does not exist",
        ),
        (
            "sqlite://a-file/steady.db",
            "cannot use the database file a-file/steady.db: a-file is not a folder",
        ),
        (
            "sqlite://a-folder.db",
            "cannot use the database file a-folder.db: it is a folder, not a database file",
        ),
    ] {
        // `run` meets the database before it contacts Discord.
        for command in ["check", "migrate", "run"] {
            let env = [("DATABASE_URL", url), ("DISCORD_TOKEN", "not-a-real-token")];
            let (code, _, stderr) = outcome(dir.path(), &[command], &env);
            assert_eq!(code, Some(1), "{command} {url}: {stderr}");
            assert!(stderr.contains(expected), "{command} {url}: {stderr}");
            assert!(!stderr.contains("code: 14"), "{stderr}");
        }
    }
    assert!(!dir.path().join("missing").exists());
}

#[cfg(unix)]
#[test]
fn check_and_migrate_name_a_folder_steady_cannot_write_in() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root (as in many CI containers) writes anyway: then there is nothing
    // to refuse, and this case cannot be shown here.
    if std::fs::write(locked.join("probe"), "").is_ok() {
        eprintln!("skipped: permissions are not enforced for this user (root?)");
        return;
    }
    for command in ["check", "migrate"] {
        let (code, _, stderr) = outcome(
            dir.path(),
            &[command],
            &[("DATABASE_URL", "sqlite://locked/steady.db")],
        );
        assert_eq!(code, Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(
                "cannot use the database file locked/steady.db: \
                 steady cannot create files in the folder locked (Permission denied"
            ),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable_not_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    for (variable, value, expected) in [
        (
            "DATABASE_URL",
            "garbage",
            "steady: environment variable DATABASE_URL (sets database.url): \"garbage\" is neither a sqlite: URL nor a postgres:// one",
        ),
        (
            "STEADY_DISCORD_API_URL",
            "http://",
            "steady: environment variable STEADY_DISCORD_API_URL (sets discord.api_url): \"http://\" is not a URL (empty host)",
        ),
        (
            "STEADY_DISCORD_API_URL",
            "https://exa mple.com",
            "steady: environment variable STEADY_DISCORD_API_URL (sets discord.api_url): \"https://exa mple.com\" is not a URL",
        ),
        (
            "STEADY_DISCORD_API_URL",
            "https://discord.com/api",
            "has a path (/api)",
        ),
    ] {
        let (code, _, stderr) = outcome(
            dir.path(),
            &["check", "--config", example],
            &[(variable, value)],
        );
        assert_eq!(code, Some(2), "{value}: {stderr}");
        assert!(stderr.contains(expected), "{value}: {stderr}");
        assert!(!stderr.contains("config.example.toml"), "{stderr}");
    }
}

#[test]
fn an_api_host_passes_and_plain_http_to_another_machine_warns() {
    let dir = tempfile::tempdir().unwrap();
    let api = [("STEADY_DISCORD_API_URL", "https://api.example.com")];
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &api);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");

    let plain = [("STEADY_DISCORD_API_URL", "http://proxy.lan:8080")];
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &plain);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "warning: environment variable STEADY_DISCORD_API_URL (sets discord.api_url): \
             http://proxy.lan:8080 is plain http:// to another machine, so the bot token travels unencrypted"
        ),
        "{stdout}"
    );
    // `run` logs it at start (here just before it stops for want of a token).
    let (_, _, stderr) = outcome(dir.path(), &["run"], &plain);
    assert!(
        stderr.contains("WARN") && stderr.contains("unencrypted"),
        "{stderr}"
    );
}

#[test]
fn a_request_budget_above_discords_global_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        "[discord]\nrequests_per_second = 5000\n",
    )
    .unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "steady.toml: discord.requests_per_second: 5000 is out of range: must be 1 to 50, \
             Discord's global limit of requests per second for the whole bot"
        ),
        "{stderr}"
    );
}

#[test]
fn check_refuses_a_share_under_two_requests_a_second_and_warns_of_fifty_alone() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("steady.toml");
    std::fs::write(&settings, "[discord]\nshard_count = 48\nshards = \"5\"\n").unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "steady.toml: discord.shards: this process (shard 5 of 48) has 1 of the bot's 48 \
             requests a second (discord.requests_per_second); each process needs at least 2, so \
             that all of them together stay within it: give this process more of the shards, or \
             raise discord.requests_per_second"
        ),
        "{stderr}"
    );

    std::fs::write(&settings, "[discord]\nrequests_per_second = 50\n").unwrap();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "warning: steady.toml: discord.requests_per_second: 50 a second can put 51 \
             requests into one second"
        ),
        "{stdout}"
    );
}

#[test]
fn a_missing_prompts_folder_or_a_misspelt_file_in_it_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        "[prompts]\ndir = \"my-prompts\"\n",
    )
    .unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("my-prompts: the folder set as prompts.dir does not exist"),
        "{stderr}"
    );

    std::fs::create_dir(dir.path().join("my-prompts")).unwrap();
    std::fs::write(dir.path().join("my-prompts/suport.toml"), "").unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "my-prompts/suport.toml: not a prompt file steady reads, so it would be ignored \
             (did you mean support.toml?); the files are about.toml, anchors.toml,"
        ),
        "{stderr}"
    );
}

/// A preview set up to be quick: a one-second lead-in.
fn preview_dir(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        format!("[breathe]\nlead_in_seconds = 1\n{settings}"),
    )
    .unwrap();
    dir
}

#[test]
fn preview_refuses_a_pattern_number_that_does_not_exist_listing_the_choices() {
    let dir = preview_dir("");
    let (code, stdout, stderr) =
        outcome(dir.path(), &["preview", "breathe", "--pattern", "5"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "steady: there is no pattern 5; choose 1 to 4, or part of a name:\n  \
             1. 4-7-8 (calming)\n  2. Box 4-4-4-4\n  3. Coherent 5.5-5.5\n  4. Physiological sigh"
        ),
        "{stderr}"
    );
    assert!(!stdout.contains("Coherent"), "{stdout}");
}

#[test]
fn preview_refuses_a_pattern_and_a_custom_rhythm_together() {
    let dir = preview_dir("");
    let (code, _, stderr) = outcome(
        dir.path(),
        &[
            "preview",
            "breathe",
            "--pattern",
            "box",
            "--custom",
            "4-4-4",
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr
            .contains("the argument '--pattern <PATTERN>' cannot be used with '--custom <CUSTOM>'"),
        "{stderr}"
    );
}

#[test]
fn preview_keeps_to_breathe_max_minutes_as_discord_does() {
    let dir = preview_dir("max_minutes = 1\n");
    let (code, _, stderr) = outcome(
        dir.path(),
        &[
            "preview", "breathe", "--custom", "20-20-20", "--cycles", "2",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{stderr}");
    // Two rounds of 60 s and the 1 s lead-in: 121 s, about 3 minutes.
    assert!(
        stderr
            .contains("That would take about 3 minutes, and I can guide up to 1 minute at a time."),
        "{stderr}"
    );
}

#[test]
fn preview_says_one_round_in_the_singular() {
    let dir = preview_dir("");
    let (code, stdout, stderr) = outcome(
        dir.path(),
        &["preview", "breathe", "--custom", "1-0-1", "--cycles", "1"],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Let's breathe together: your rhythm 1-0-1, 1 round, about 1 min."),
        "{stdout}"
    );
}

#[test]
fn preview_into_a_pipe_prints_the_frames_plainly() {
    let dir = preview_dir("");
    let (code, stdout, stderr) = outcome(
        dir.path(),
        &["preview", "breathe", "--custom", "1-0-1", "--cycles", "1"],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains('\x1b'), "no cursor codes: {stdout:?}");
    let first = stdout
        .find("Let's breathe together: your rhythm 1-0-1, 1 round")
        .unwrap_or_else(|| panic!("the first frame: {stdout}"));
    let breath = stdout
        .find("round 1 of 1")
        .unwrap_or_else(|| panic!("a breath's frame: {stdout}"));
    let last = stdout
        .find("You did it.")
        .unwrap_or_else(|| panic!("the last frame: {stdout}"));
    assert!(first < breath && breath < last, "in order: {stdout}");
    assert!(
        stdout.contains("\n\nYou did it."),
        "a blank line before a frame: {stdout}"
    );
}

/// Run `steady` in `dir` with `args`, its stdout a pipe nobody reads any
/// more (as once `| head -2` has had its lines); (exit code, stderr).
fn unread(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    // Closed before steady starts, so its first line already finds no reader.
    drop(reader);
    let out = steady(dir).args(args).stdout(writer).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_stdout_nobody_reads_is_a_normal_end() {
    let dir = preview_dir("");
    for args in [&["check"][..], &["migrate"]] {
        let (code, stderr) = unread(dir.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // Five rounds of 4-7-8 take over a minute and a half: nobody reading
    // ends the preview at its first frame.
    let started = std::time::Instant::now();
    let (code, stderr) = unread(dir.path(), &["preview", "breathe", "--cycles", "5"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(45),
        "{:?}",
        started.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn preview_ctrl_c_stops_kindly_and_exits_130() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = preview_dir("");
    let mut child = steady(dir.path())
        .args(["preview", "breathe", "--cycles", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut chunk = [0; 4096];
    while !String::from_utf8_lossy(&seen).contains("Let's breathe together") {
        let read = stdout.read(&mut chunk).unwrap();
        assert!(read > 0, "{}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&chunk[..read]);
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    stdout.read_to_end(&mut seen).unwrap();
    let status = child.wait().unwrap();
    let seen = String::from_utf8_lossy(&seen);
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(
        seen.contains("We stopped here, and that's completely fine."),
        "{seen}"
    );
    assert!(
        !seen.contains('\x1b'),
        "no cursor codes in a pipe: {seen:?}"
    );
}

#[test]
fn check_names_the_language_file_and_key_a_translation_misses() {
    let dir = tempfile::tempdir().unwrap();
    let german = dir.path().join("my-prompts/de");
    std::fs::create_dir_all(&german).unwrap();
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/de/errors.toml");
    let mut errors: toml::Table = std::fs::read_to_string(shipped).unwrap().parse().unwrap();
    errors.remove("expired");
    std::fs::write(
        german.join("errors.toml"),
        toml::to_string(&errors).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("steady.toml"),
        "[prompts]\ndir = \"my-prompts\"\n",
    )
    .unwrap();
    let (code, _, stderr) = outcome(dir.path(), &["check"], &[]);
    assert_ne!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("my-prompts/de/errors.toml: expired: de (errors.toml): missing"),
        "{stderr}"
    );
}

#[test]
fn preview_speaks_the_language_asked_for() {
    let dir = preview_dir("");
    let (code, stdout, stderr) = outcome(
        dir.path(),
        &[
            "preview", "breathe", "--custom", "1-0-1", "--cycles", "1", "--locale", "de",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let catalogs = steady::prompts::Catalogs::load(None).unwrap();
    let words = &catalogs.get(steady::prompts::Locale::German).breathing;
    // The terminal shows the frames without Markdown; the round line has none.
    let round = words.round.render(&[("n", "1"), ("total", "1")]);
    assert!(stdout.contains(&round), "{round:?} in {stdout}");
}

#[test]
fn preview_refuses_a_language_steady_does_not_speak_listing_those_it_does() {
    let dir = preview_dir("");
    let (code, _, stderr) = outcome(dir.path(), &["preview", "breathe", "--locale", "ja"], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "steady: steady has no words in the locale \"ja\"; it speaks en-US, en-GB, es-ES, \
             es-419, pt-BR, de, fr"
        ),
        "{stderr}"
    );
}

#[test]
fn check_and_migrate_work_on_postgres_and_never_show_its_password() {
    let Some(server) = postgres::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.database();
    // trust authentication ignores the password: it is here to be hidden.
    let with_password = url.replacen("steady@", "steady:hunter2@", 1);
    // steady makes no master key on PostgreSQL: `migrate` needs one.
    let key = server.master_key();
    let env = [
        ("DATABASE_URL", with_password.as_str()),
        ("STEADY_MASTER_KEY", key.as_str()),
    ];
    // PostgreSQL's migrations, each a file.
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count();
    let (code, stdout, stderr) = outcome(dir.path(), &["check"], &env);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("(migrations applied: 0, pending: {migrations})")),
        "{stdout}"
    );
    let (code, stdout, stderr) = outcome(dir.path(), &["migrate"], &env);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("is up to date"), "{stdout}");
    let (code, stdout, _) = outcome(dir.path(), &["check"], &env);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains(&format!("(migrations applied: {migrations}, pending: 0)")),
        "{stdout}"
    );
    assert!(stdout.contains("steady:***@127.0.0.1"), "{stdout}");
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
    // As query parameters: sqlx takes `password`, and ignores (with a
    // warning that would repeat it) a client key's `sslpassword`.
    for query in ["password=hunter2", "sslmode=disable&sslpassword=hunter2"] {
        let url = format!("{url}?{query}");
        for command in ["check", "migrate"] {
            let env = [("DATABASE_URL", url.as_str()), ("STEADY_MASTER_KEY", &key)];
            let (code, stdout, stderr) = outcome(dir.path(), &[command], &env);
            assert_eq!(code, Some(0), "{stderr}");
            assert!(stdout.contains("password=***"), "{stdout}");
            assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
        }
    }
}
