//! Every sentence a person reads, loaded from `prompts/*.toml` (English) and
//! `prompts/<locale>/*.toml` (each further language) into typed structs and
//! checked before the bot starts. The shipped files are compiled in, so the
//! binary runs from anywhere; `prompts.dir` overrides them file by file and
//! language by language (`<dir>/support.toml`, `<dir>/de/support.toml`).

mod anchors;
mod breathing;
mod builtin;
mod calm;
mod catalogs;
mod check;
mod checkin;
mod commands;
mod folder;
mod general;
mod grounding;
mod journal;
mod journal_remind;
mod locale;
mod matching;
mod mydata;
mod plural;
mod reframe;
mod relax;
mod soothe;
mod support;
mod text;
mod wait;

pub use anchors::Anchors;
pub use breathing::{Breathing, NamedPattern};
pub use calm::{Calm, CalmMessages};
pub use catalogs::Catalogs;
pub use check::{Checker, Problem, MAX_MESSAGE_CHARS};
pub use checkin::{Checkin, CheckinMessages, MOODS};
pub use commands::is_command_name;
pub use commands::{CommandWords, Commands};
pub use general::{About, Errors};
pub use grounding::Grounding;
pub use journal::{Journal, PromptWords, MAX_FORM_HINT_CHARS, MAX_FORM_LABEL_CHARS};
pub use journal_remind::JournalRemind;
pub use locale::{chosen, Locale, DISCORD_LOCALES};
pub use mydata::MyData;
pub use plural::Plural;
pub use reframe::{Reframe, MAX_FORM_TITLE_CHARS};
pub use relax::Relax;
pub use soothe::{NotSafe, Soothe};
pub use support::{LineKind, Support, SupportLine};
pub use text::Text;
pub use wait::{Wait, URGES};

use crate::toml_file;
use serde::de::DeserializeOwned;
use std::path::Path;

/// One prompt file: its name and its checks (its compiled-in defaults are
/// in `builtin.rs`, one per language).
trait PromptFile: DeserializeOwned {
    const NAME: &'static str;
    fn check(&self, checker: &mut Checker);
}

/// Every prompt file's name: what `prompts.dir` may hold.
const FILES: [&str; 16] = [
    About::NAME,
    Errors::NAME,
    Breathing::NAME,
    Commands::NAME,
    Anchors::NAME,
    Support::NAME,
    Grounding::NAME,
    Soothe::NAME,
    Relax::NAME,
    Checkin::NAME,
    MyData::NAME,
    Wait::NAME,
    Calm::NAME,
    JournalRemind::NAME,
    Journal::NAME,
    Reframe::NAME,
];

#[derive(Debug, Clone)]
pub struct Catalog {
    pub about: About,
    pub errors: Errors,
    pub breathing: Breathing,
    pub commands: Commands,
    pub anchors: Anchors,
    pub support: Support,
    pub grounding: Grounding,
    pub soothe: Soothe,
    pub relax: Relax,
    pub checkin: Checkin,
    pub mydata: MyData,
    pub wait: Wait,
    pub calm: Calm,
    pub journal_remind: JournalRemind,
    pub journal: Journal,
    pub reframe: Reframe,
    texts: usize,
}

impl Catalog {
    /// Load the English prompt files, from `dir` where it holds one, else
    /// the compiled-in default. Reports every problem found, not just the
    /// first. [`Catalogs::load`] loads every language.
    pub fn load(dir: Option<&Path>) -> Result<Catalog, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(dir) = dir {
            if !folder::check(dir, &FILES, &Locale::FOLDERS, &mut problems) {
                return Err(problems);
            }
        }
        Catalog::load_locale(dir, Locale::English).map_err(|more| {
            problems.extend(more);
            problems
        })
    }

    /// Load one language's files (`dir` already checked).
    fn load_locale(dir: Option<&Path>, locale: Locale) -> Result<Catalog, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut l = Loader {
            dir,
            locale,
            problems: &mut problems,
            texts: 0,
        };
        let about = l.file::<About>();
        let errors = l.file::<Errors>();
        let breathing = l.file::<Breathing>();
        let commands = l.file::<Commands>();
        let anchors = l.file::<Anchors>();
        let support = l.file::<Support>();
        let grounding = l.file::<Grounding>();
        let soothe = l.file::<Soothe>();
        let relax = l.file::<Relax>();
        let checkin = l.file::<Checkin>();
        let mydata = l.file::<MyData>();
        let wait = l.file::<Wait>();
        let calm = l.file::<Calm>();
        let journal_remind = l.file::<JournalRemind>();
        let journal = l.file::<Journal>();
        let reframe = l.file::<Reframe>();
        let texts = l.texts;
        // Every file is read first, so all problems are reported together.
        let catalog = (|| {
            Some(Catalog {
                about: about?,
                errors: errors?,
                breathing: breathing?,
                commands: commands?,
                anchors: anchors?,
                support: support?,
                grounding: grounding?,
                soothe: soothe?,
                relax: relax?,
                checkin: checkin?,
                mydata: mydata?,
                wait: wait?,
                calm: calm?,
                journal_remind: journal_remind?,
                journal: journal?,
                reframe: reframe?,
                texts,
            })
        })();
        match catalog {
            Some(catalog) if problems.is_empty() => Ok(catalog),
            _ => Err(problems),
        }
    }

    /// How many sentences were loaded and checked.
    pub fn text_count(&self) -> usize {
        self.texts
    }
}

/// Where one language's files come from, and what loading them found.
struct Loader<'a> {
    dir: Option<&'a Path>,
    locale: Locale,
    problems: &'a mut Vec<Problem>,
    texts: usize,
}

impl Loader<'_> {
    fn file<F: PromptFile>(&mut self) -> Option<F> {
        let (origin, source) = source(self.dir, self.locale, F::NAME, self.problems)?;
        match toml_file::parse::<F>(&source) {
            Ok(file) => {
                let mut checker = Checker::new(&origin, self.locale);
                file.check(&mut checker);
                self.texts += checker.checked();
                self.problems.extend(checker.into_problems());
                Some(file)
            }
            Err(problem) => {
                self.problems.push(Problem::from_toml(&origin, problem));
                None
            }
        }
    }
}

/// One language's file: where it was read from (for messages) and its text,
/// from `dir` where it holds one, else compiled in.
fn source(
    dir: Option<&Path>,
    locale: Locale,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Option<(String, String)> {
    let folder = |dir: &Path| match locale.folder() {
        Some(folder) => dir.join(folder),
        None => dir.to_path_buf(),
    };
    let override_path = dir.map(|dir| folder(dir).join(name)).filter(|p| p.exists());
    match &override_path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(source) => Some((path.display().to_string(), source)),
            Err(error) => {
                problems.push(Problem::new(path.display(), "", error.to_string()));
                None
            }
        },
        None => {
            let shipped = match locale.folder() {
                Some(folder) => format!("prompts/{folder}/{name} (built in)"),
                None => format!("prompts/{name} (built in)"),
            };
            Some((shipped, builtin::source(locale, name).to_owned()))
        }
    }
}
