//! Every language's catalog, loaded and checked together: each must have
//! what English has (`matching.rs`), so no person ever meets a gap.

use super::{folder, matching, source, Catalog, Locale, Problem, FILES};
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
            if locale != Locale::English {
                for file in FILES {
                    let mut ignored = Vec::new();
                    let english = source(dir, Locale::English, file, &mut ignored);
                    let translated = source(dir, locale, file, &mut ignored);
                    if let (Some(english), Some(translated)) = (english, translated) {
                        matching::compare(file, locale, &english.1, &translated, &mut problems);
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
