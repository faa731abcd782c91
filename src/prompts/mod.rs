//! Every sentence a person reads, loaded from `prompts/*.toml` into typed
//! structs and checked before the bot starts. The shipped files are compiled
//! in, so the binary runs from anywhere; `prompts.dir` overrides them file by
//! file (to reword or translate).

mod anchors;
mod breathing;
mod check;
mod checkin;
mod commands;
mod folder;
mod general;
mod grounding;
mod mydata;
mod plural;
mod relax;
mod soothe;
mod support;
mod text;

pub use anchors::Anchors;
pub use breathing::{Breathing, NamedPattern};
pub use check::{Checker, Problem};
pub use checkin::{Checkin, CheckinMessages, MOODS};
pub use commands::{CommandWords, Commands};
pub use general::{About, Errors};
pub use grounding::Grounding;
pub use mydata::MyData;
pub use plural::Plural;
pub use relax::Relax;
pub use soothe::Soothe;
pub use support::Support;
pub use text::Text;

use crate::toml_file;
use serde::de::DeserializeOwned;
use std::path::Path;

/// One prompt file: its name, its compiled-in default and its checks.
trait PromptFile: DeserializeOwned {
    const NAME: &'static str;
    const DEFAULT: &'static str;
    fn check(&self, checker: &mut Checker);
}

/// Every prompt file's name: what `prompts.dir` may hold.
const FILES: [&str; 11] = [
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
    texts: usize,
}

impl Catalog {
    /// Load every prompt file, from `dir` where it holds one, else the
    /// compiled-in default. Reports every problem found, not just the first.
    pub fn load(dir: Option<&Path>) -> Result<Catalog, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(dir) = dir {
            if !folder::check(dir, &FILES, &mut problems) {
                return Err(problems);
            }
        }
        let mut texts = 0;
        let about = load_file::<About>(dir, &mut problems, &mut texts);
        let errors = load_file::<Errors>(dir, &mut problems, &mut texts);
        let breathing = load_file::<Breathing>(dir, &mut problems, &mut texts);
        let commands = load_file::<Commands>(dir, &mut problems, &mut texts);
        let anchors = load_file::<Anchors>(dir, &mut problems, &mut texts);
        let support = load_file::<Support>(dir, &mut problems, &mut texts);
        let grounding = load_file::<Grounding>(dir, &mut problems, &mut texts);
        let soothe = load_file::<Soothe>(dir, &mut problems, &mut texts);
        let relax = load_file::<Relax>(dir, &mut problems, &mut texts);
        let checkin = load_file::<Checkin>(dir, &mut problems, &mut texts);
        let mydata = load_file::<MyData>(dir, &mut problems, &mut texts);
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

fn load_file<F: PromptFile>(
    dir: Option<&Path>,
    problems: &mut Vec<Problem>,
    texts: &mut usize,
) -> Option<F> {
    let override_path = dir.map(|dir| dir.join(F::NAME)).filter(|p| p.exists());
    let (origin, source) = match &override_path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(source) => (path.display().to_string(), source),
            Err(error) => {
                problems.push(Problem::new(path.display(), "", error.to_string()));
                return None;
            }
        },
        None => (
            format!("prompts/{} (built in)", F::NAME),
            F::DEFAULT.to_owned(),
        ),
    };
    match toml_file::parse::<F>(&source) {
        Ok(file) => {
            let mut checker = Checker::new(&origin);
            file.check(&mut checker);
            *texts += checker.checked();
            problems.extend(checker.into_problems());
            Some(file)
        }
        Err(problem) => {
            problems.push(Problem::from_toml(&origin, problem));
            None
        }
    }
}
