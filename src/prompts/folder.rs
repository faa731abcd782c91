//! The `prompts.dir` folder: it must exist, and every `*.toml` in it must be
//! a file steady reads. Otherwise an operator who believes the crisis lines
//! were replaced would ship the built-in ones.

use super::Problem;
use std::path::Path;

/// Close enough to a known name to suggest it: a typo or two.
const TYPO_DISTANCE: usize = 2;

/// Whether `dir` can be read; problems for it and for any `*.toml` file in
/// it that is not one of `known`.
pub(super) fn check(dir: &Path, known: &[&str], problems: &mut Vec<Problem>) -> bool {
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
    let mut strangers: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| !kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml") && !known.contains(&name.as_str()))
        .collect();
    strangers.sort();
    for name in strangers {
        problems.push(Problem::new(
            dir.join(&name).display(),
            "",
            unknown(&name, known),
        ));
    }
    true
}

fn unknown(name: &str, known: &[&str]) -> String {
    let guess = known
        .iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), candidate))
        .min()
        .filter(|(distance, _)| *distance <= TYPO_DISTANCE)
        .map(|(_, candidate)| format!(" (did you mean {candidate}?)"))
        .unwrap_or_default();
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
        assert!(check(shipped, &super::super::FILES, &mut problems));
        assert_eq!(problems, []);
        let count = std::fs::read_dir(shipped).unwrap().count();
        assert_eq!(count, super::super::FILES.len());
    }

    #[test]
    fn a_stranger_gets_only_the_list() {
        let message = unknown("crisis.toml", &KNOWN);
        assert!(!message.contains("did you mean"), "{message}");
        assert!(message.contains("about.toml"), "{message}");
    }
}
