//! Every language's catalog, loaded and checked together: each must have
//! what English has (`matching.rs`), so no person ever meets a gap.

use super::{builtin, folder, matching, source, Catalog, Locale, Problem, FILES};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Catalogs {
    /// One per language, in the order of [`Locale::ALL`].
    catalogs: Vec<Catalog>,
}

impl Catalogs {
    /// Load every language, each file from `dir` (English) or
    /// `dir/<locale>/` where it holds one, else compiled in. Reports every
    /// problem found in every language, not just the first.
    pub fn load(dir: Option<&Path>) -> Result<Catalogs, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(dir) = dir {
            if !folder::check(dir, &FILES, &Locale::FOLDERS, &mut problems) {
                return Err(problems);
            }
        }
        let mut catalogs = Vec::new();
        for locale in Locale::ALL {
            match Catalog::load_locale(dir, locale) {
                Ok(catalog) => catalogs.push(catalog),
                Err(more) => problems.extend(more),
            }
            if let Some(folder) = locale.folder() {
                for file in FILES {
                    // A translation is held to the English it follows: an
                    // operator's own file to the English in use, a shipped
                    // one to the shipped English (so rewording English,
                    // fewer relax groups say, leaves the shipped
                    // translations as they are).
                    let mut ignored = Vec::new();
                    let overridden = dir.is_some_and(|dir| dir.join(folder).join(file).exists());
                    let english = match overridden {
                        true => source(dir, Locale::English, file, &mut ignored).map(|s| s.1),
                        false => Some(builtin::source(Locale::English, file).to_owned()),
                    };
                    let translated = source(dir, locale, file, &mut ignored);
                    if let (Some(english), Some(translated)) = (english, translated) {
                        matching::compare(file, locale, &english, &translated, &mut problems);
                    }
                }
            }
        }
        match problems.is_empty() {
            true => Ok(Catalogs { catalogs }),
            false => Err(problems),
        }
    }

    /// The words for one language.
    pub fn get(&self, locale: Locale) -> &Catalog {
        let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
        &self.catalogs[index]
    }

    /// The words for what Discord sent as a person's locale (English when
    /// steady has no words in it).
    pub fn for_discord(&self, code: &str) -> &Catalog {
        self.get(Locale::from_discord(code))
    }

    /// The English source.
    pub fn english(&self) -> &Catalog {
        self.get(Locale::English)
    }

    /// How many sentences were loaded and checked, in every language.
    pub fn text_count(&self) -> usize {
        self.catalogs.iter().map(Catalog::text_count).sum()
    }
}
