//! The prompt catalog: the shipped words validate; broken overrides are
//! rejected with the file and key named.

use steady::prompts::Catalog;

fn dir_with(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

#[test]
fn the_shipped_catalog_validates() {
    let catalog = Catalog::load(None).unwrap();
    assert!(catalog.about.body.plain().contains("/support"));
    assert!(catalog.text_count() >= 3);
}

#[test]
fn the_shipped_files_on_disk_validate_as_an_override() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    Catalog::load(Some(dir.as_ref())).unwrap();
}

#[test]
fn an_override_replaces_only_its_own_file() {
    let dir = dir_with("about.toml", "body = \"Hallo, ich bin steady.\"\n");
    let catalog = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(catalog.about.body.plain(), "Hallo, ich bin steady.");
    assert!(!catalog.errors.unexpected.is_blank());
}

#[test]
fn problems_name_the_file_and_the_key() {
    let cases = [
        (
            "about.toml",
            "body = \"hi {name}\"\n",
            "body",
            "unknown placeholder {name}",
        ),
        ("about.toml", "body = \"  \"\n", "body", "is empty"),
        (
            "about.toml",
            "body = \"open { brace\"\n",
            "body",
            "never closed",
        ),
        (
            "about.toml",
            "body = \"hi\"\nextra = \"x\"\n",
            "",
            "unknown field `extra`",
        ),
        (
            "errors.toml",
            "unexpected = \"oops\"\n",
            "",
            "missing field `unreadable`",
        ),
        ("about.toml", "body = 3\n", "body", "invalid type"),
    ];
    for (file, text, key, expected) in cases {
        let dir = dir_with(file, text);
        let problems = Catalog::load(Some(dir.path())).unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            problems.iter().any(|p| p.file.ends_with(file)
                && p.key.contains(key)
                && p.message.contains(expected)),
            "{text:?}: expected {file} {key} {expected:?}, got {shown:?}"
        );
    }
}

#[test]
fn a_text_too_long_for_discord_is_rejected() {
    let dir = dir_with("about.toml", &format!("body = \"{}\"\n", "a".repeat(2001)));
    let problems = Catalog::load(Some(dir.path())).unwrap_err();
    assert!(problems[0].message.contains("2000"), "{problems:?}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let dir = dir_with("about.toml", "body = \"{a} {b}\"\n");
    let keys = [
        "unexpected",
        "unreadable",
        "not_yours",
        "slow_down_changes",
        "slow_down",
        "expired",
    ];
    let blank: String = keys.iter().map(|key| format!("{key} = \"\"\n")).collect();
    std::fs::write(dir.path().join("errors.toml"), blank).unwrap();
    let problems = Catalog::load(Some(dir.path())).unwrap_err();
    assert_eq!(problems.len(), 2 + keys.len(), "{problems:#?}");
}
