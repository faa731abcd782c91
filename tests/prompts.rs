//! The prompt catalog: the shipped words validate; broken overrides are
//! rejected with the file and key named.

use steady::prompts::{Catalog, Catalogs, Locale};
use tempfile::TempDir;

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
fn every_language_points_to_support_where_a_wait_begins_and_ends() {
    let catalogs = Catalogs::load(None).unwrap();
    for locale in Locale::ALL {
        let words = catalogs.get(locale);
        let name = words
            .commands
            .get("support")
            .and_then(|command| command.name.as_deref())
            .unwrap_or("support");
        let support = format!("`/{name}`");
        let m = &words.wait.messages;
        for (key, text) in [("start", &m.start), ("here", &m.here), ("end", &m.end)] {
            assert!(
                text.plain().contains(&support),
                "{locale}: wait.messages.{key} names {support}"
            );
        }
    }
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
        "busy",
    ];
    let blank: String = keys.iter().map(|key| format!("{key} = \"\"\n")).collect();
    std::fs::write(dir.path().join("errors.toml"), blank).unwrap();
    let problems = Catalog::load(Some(dir.path())).unwrap_err();
    assert_eq!(problems.len(), 2 + keys.len(), "{problems:#?}");
}

/// A `prompts.dir` holding one language's file: the shipped one (from
/// `prompts/<folder>/`) changed by `change`.
fn translation_with(folder: &str, file: &str, change: impl FnOnce(&mut toml::Table)) -> TempDir {
    let shipped = format!("{}/prompts/{folder}/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut table: toml::Table = std::fs::read_to_string(shipped).unwrap().parse().unwrap();
    change(&mut table);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(folder)).unwrap();
    std::fs::write(
        dir.path().join(folder).join(file),
        toml::to_string(&table).unwrap(),
    )
    .unwrap();
    dir
}

/// The problems `steady check` would list for `dir`, as it shows them.
fn problems_in(dir: &TempDir) -> Vec<String> {
    let problems = Catalogs::load(Some(dir.path())).unwrap_err();
    problems.iter().map(ToString::to_string).collect()
}

fn assert_named(problems: &[String], file: &str, key: &str, says: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.contains(file) && p.contains(key) && p.contains(says)),
        "expected {file} {key} {says:?} in {problems:#?}"
    );
}

#[test]
fn every_shipped_language_matches_english() {
    let catalogs = Catalogs::load(None).unwrap();
    let on_disk = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    Catalogs::load(Some(on_disk.as_ref())).unwrap();
    for locale in Locale::ALL {
        assert!(catalogs.get(locale).text_count() > 100, "{locale}");
    }
}

#[test]
fn a_missing_key_names_the_file_the_language_and_the_key() {
    let dir = translation_with("de", "breathing.toml", |t| {
        t["phases"].as_table_mut().unwrap().remove("hold");
    });
    let problems = problems_in(&dir);
    assert_named(
        &problems,
        "de/breathing.toml",
        "phases.hold",
        "de (breathing.toml): missing",
    );
}

#[test]
fn an_extra_key_is_named() {
    let dir = translation_with("fr", "support.toml", |t| {
        t.insert("footer".into(), "merci".into());
    });
    let problems = problems_in(&dir);
    assert_named(
        &problems,
        "fr/support.toml",
        "footer",
        "fr (support.toml): not in the English",
    );
}

#[test]
fn a_changed_placeholder_is_named() {
    let dir = translation_with("pt-BR", "breathing.toml", |t| {
        t.insert("round".into(), "rodada {n}".into());
    });
    let problems = problems_in(&dir);
    assert_named(
        &problems,
        "pt-BR/breathing.toml",
        "round",
        "{n}; the English text has {n}, {total}",
    );
}

#[test]
fn a_list_of_the_wrong_length_is_named() {
    let dir = translation_with("es-ES", "grounding.toml", |t| {
        t["steps"].as_array_mut().unwrap().pop();
    });
    let problems = problems_in(&dir);
    assert_named(
        &problems,
        "es-ES/grounding.toml",
        "steps",
        "the English file has 5",
    );
}

#[test]
fn a_command_name_discord_would_refuse_is_named() {
    let dir = translation_with("de", "commands.toml", |t| {
        let breathe = t["breathe"].as_table_mut().unwrap();
        breathe.insert("name".into(), "Atme Jetzt".into());
    });
    assert_named(
        &problems_in(&dir),
        "de/commands.toml",
        "breathe.name",
        "not a name Discord accepts",
    );
    // Two commands given the same German name, whatever the shipped ones are.
    let dir = translation_with("de", "commands.toml", |t| {
        for command in ["about", "ground"] {
            let words = t[command].as_table_mut().unwrap();
            words.insert("name".into(), "zusammen".into());
        }
    });
    assert_named(
        &problems_in(&dir),
        "de/commands.toml",
        ".name",
        "`zusammen` is already the name",
    );
}

#[test]
fn an_override_in_a_language_folder_replaces_only_that_language() {
    let dir = translation_with("de", "about.toml", |t| {
        t.insert("body".into(), "Hallo von hier.".into());
    });
    let catalogs = Catalogs::load(Some(dir.path())).unwrap();
    assert_eq!(
        catalogs.get(Locale::German).about.body.plain(),
        "Hallo von hier."
    );
    assert_ne!(catalogs.english().about.body.plain(), "Hallo von hier.");
    assert_ne!(
        catalogs.get(Locale::French).about.body.plain(),
        "Hallo von hier."
    );
}

#[test]
fn a_folder_that_is_no_language_is_refused_with_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("de-DE")).unwrap();
    assert_named(&problems_in(&dir), "de-DE", "", "(did you mean de?)");
}

#[test]
fn rewording_english_leaves_the_shipped_translations_valid() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/relax.toml");
    let mut relax: toml::Table = std::fs::read_to_string(shipped).unwrap().parse().unwrap();
    relax["groups"].as_array_mut().unwrap().truncate(2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("relax.toml"),
        toml::to_string(&relax).unwrap(),
    )
    .unwrap();
    let catalogs = Catalogs::load(Some(dir.path())).unwrap();
    assert_eq!(catalogs.english().relax.groups.len(), 2);
    let german = Catalogs::load(None)
        .unwrap()
        .get(Locale::German)
        .relax
        .groups
        .len();
    assert_eq!(catalogs.get(Locale::German).relax.groups.len(), german);
    // An operator's own translation follows the English in use.
    let translated = format!("{}/prompts/de/relax.toml", env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("de")).unwrap();
    std::fs::copy(translated, dir.path().join("de/relax.toml")).unwrap();
    assert_named(
        &problems_in(&dir),
        "de/relax.toml",
        "groups",
        "the English file has 2",
    );
}

/// The lines of a shipped `support.toml`, to change.
fn lines(table: &mut toml::Table) -> &mut Vec<toml::Value> {
    table["lines"].as_array_mut().unwrap()
}

fn tagged(line: &toml::Value, code: &str) -> bool {
    line.get("locales")
        .and_then(toml::Value::as_array)
        .is_some_and(|tags| tags.iter().any(|tag| tag.as_str() == Some(code)))
}

#[test]
fn a_language_read_in_a_locale_with_no_line_for_it_is_refused() {
    let dir = translation_with("es-ES", "support.toml", |t| {
        lines(t).retain(|line| !tagged(line, "es-419"));
    });
    assert_named(
        &problems_in(&dir),
        "es-ES/support.toml",
        "lines",
        r#"no line has `locales = ["es-419"]`"#,
    );
}

#[test]
fn a_support_file_whose_readers_would_not_see_the_emergency_line_first_is_refused() {
    for folder in Locale::FOLDERS {
        let dir = translation_with(folder, "support.toml", |t| {
            for line in lines(t) {
                line.as_table_mut().unwrap().remove("kind");
            }
        });
        let problems = problems_in(&dir);
        assert_named(&problems, "support.toml", "lines", "emergency line");
        assert_named(&problems, "support.toml", "lines", "directory");
    }
}

#[test]
fn an_operators_line_for_a_language_steady_does_not_speak_comes_after_the_emergency_line() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/support.toml");
    let mut table: toml::Table = std::fs::read_to_string(shipped).unwrap().parse().unwrap();
    let italian: toml::Table =
        toml::from_str("locales = [\"it\"]\nplace = \"Italia\"\ntext = \"t\"").unwrap();
    lines(&mut table).push(italian.into());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("support.toml"),
        toml::to_string(&table).unwrap(),
    )
    .unwrap();
    let support = Catalogs::load(Some(dir.path()))
        .unwrap()
        .english()
        .support
        .clone();
    let shown = support.shown_to("it");
    assert_eq!(shown[0].kind, steady::prompts::LineKind::Emergency);
    assert_eq!(shown[1].place.plain(), "Italia");
    assert_eq!(
        shown.last().unwrap().kind,
        steady::prompts::LineKind::Directory
    );
    assert!(support
        .shown_to("ja")
        .iter()
        .all(|line| line.place.plain() != "Italia"));
}

#[test]
fn every_journal_form_fits_discord_in_every_language() {
    use steady::journal::Prompt;
    use steady::prompts::{MAX_FORM_HINT_CHARS, MAX_FORM_LABEL_CHARS};
    let catalogs = Catalogs::load(None).unwrap();
    let label = 1..=MAX_FORM_LABEL_CHARS;
    for locale in Locale::ALL {
        let words = &catalogs.get(locale).journal;
        let field = words.form.label.plain().chars().count();
        assert!(label.contains(&field), "{locale}: form.label");
        for prompt in Prompt::ALL {
            let prompt_words = words.prompt(prompt);
            let title = prompt_words.name.plain().chars().count();
            let hint = prompt_words.question.plain().chars().count();
            assert!(label.contains(&title), "{locale}: {}'s title", prompt.key());
            assert!(
                (1..=MAX_FORM_HINT_CHARS).contains(&hint),
                "{locale}: {}'s question",
                prompt.key()
            );
        }
    }
}

#[test]
fn a_journal_title_too_long_for_a_form_is_named() {
    let long = "a".repeat(46);
    let dir = translation_with("de", "journal.toml", |table| {
        table["prompts"]["secure"]["name"] = toml::Value::String(long);
    });
    let problems = problems_in(&dir);
    assert_named(
        &problems,
        "journal.toml",
        "prompts.secure.name",
        "45 characters",
    );
}
