//! The `steady` binary as an operator meets it.

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
