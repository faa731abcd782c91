//! The `prompts.dir` folder: it must exist, every `*.toml` in it must be a
//! file steady reads, and every folder in it a language steady speaks
//! (holding such files). Otherwise an operator who believes the crisis lines
//! were replaced would ship the built-in ones.

use super::Problem;
use std::path::Path;

/// Close enough to a known name to suggest it: a typo or two.
const TYPO_DISTANCE: usize = 2;

/// Whether `dir` can be read; problems for it, for any `*.toml` file in it
/// that is not one of `known`, and for any folder that is not one of
/// `folders` (each of which is checked the same way, with no folders).
pub(super) fn check(
    dir: &Path,
    known: &[&str],
    folders: &[&str],
    problems: &mut Vec<Problem>,
) -> bool {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            let why = match error.kind() {
                std::io::ErrorKind::NotFound => "does not exist".to_owned(),
                std::io::ErrorKind::NotADirectory => "is not a folder".to_owned(),
                _ => format!("cannot be read ({error})"),
            };
            problems.push(Problem::new(
                dir.display(),
                "",
                format!("the folder set as prompts.dir {why}"),
            ));
            return false;
        }
    };
    let mut entries: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
            Some((entry.file_name().into_string().ok()?, is_dir))
        })
        .collect();
    entries.sort();
    for (name, is_dir) in entries {
        let path = dir.join(&name);
        if is_dir && folders.contains(&name.as_str()) {
            check(&path, known, &[], problems);
        } else if is_dir && !name.starts_with('.') {
            problems.push(Problem::new(path.display(), "", foreign(&name, folders)));
        } else if !is_dir && name.ends_with(".toml") && !known.contains(&name.as_str()) {
            problems.push(Problem::new(path.display(), "", unknown(&name, known)));
        }
    }
    true
}

/// A folder that is not a language steady speaks.
fn foreign(name: &str, folders: &[&str]) -> String {
    if folders.is_empty() {
        return "a folder inside a language's folder, which steady never reads".to_owned();
    }
    let mut names = folders.to_vec();
    names.sort_unstable();
    // `de-DE` or `fr-CA` means the language steady has under its own code.
    let language = |code: &str| code.split('-').next().unwrap_or(code).to_lowercase();
    let guess = match guess(name, folders) {
        guess if guess.is_empty() => folders
            .iter()
            .find(|folder| language(folder) == language(name))
            .map(|folder| format!(" (did you mean {folder}?)"))
            .unwrap_or_default(),
        guess => guess,
    };
    format!(
        "not a language steady speaks, so its files would be ignored{guess}; the languages \
         are {} (English is the files beside them)",
        names.join(", ")
    )
}

/// " (did you mean x?)" when `name` is a typo or two away from a known one.
fn guess(name: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), candidate))
        .min()
        .filter(|(distance, _)| *distance <= TYPO_DISTANCE)
        .map(|(_, candidate)| format!(" (did you mean {candidate}?)"))
        .unwrap_or_default()
}

fn unknown(name: &str, known: &[&str]) -> String {
    let guess = guess(name, known);
    let mut names = known.to_vec();
    names.sort_unstable();
    format!(
        "not a prompt file steady reads, so it would be ignored{guess}; the files are {}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::Locale;

    const KNOWN: [&str; 3] = ["support.toml", "soothe.toml", "about.toml"];

    #[test]
    fn a_typo_gets_a_suggestion_and_the_list() {
        let message = unknown("suport.toml", &KNOWN);
        assert!(
            message.contains("(did you mean support.toml?)"),
            "{message}"
        );
        assert!(
            message.ends_with("the files are about.toml, soothe.toml, support.toml"),
            "{message}"
        );
    }

    #[test]
    fn the_shipped_folder_holds_exactly_the_known_files() {
        let shipped = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts"));
        let mut problems = Vec::new();
        assert!(check(
            shipped,
            &super::super::FILES,
            &Locale::FOLDERS,
            &mut problems
        ));
        assert_eq!(problems, []);
        let files = std::fs::read_dir(shipped)
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().file_type().unwrap().is_file())
            .count();
        assert_eq!(files, super::super::FILES.len());
    }

    #[test]
    fn a_misspelt_language_gets_a_suggestion() {
        let message = foreign("de-DE", &["de", "es-ES", "fr", "pt-BR"]);
        assert!(message.contains("(did you mean de?)"), "{message}");
        let message = foreign("pt-br", &["de", "es-ES", "fr", "pt-BR"]);
        assert!(message.contains("(did you mean pt-BR?)"), "{message}");
        assert!(message.contains("de, es-ES, fr, pt-BR"), "{message}");
        let message = foreign("japanese", &["de", "es-ES", "fr", "pt-BR"]);
        assert!(!message.contains("did you mean"), "{message}");
    }

    #[test]
    fn a_stranger_gets_only_the_list() {
        let message = unknown("crisis.toml", &KNOWN);
        assert!(!message.contains("did you mean"), "{message}");
        assert!(message.contains("about.toml"), "{message}");
    }
}
