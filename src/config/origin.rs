//! Where each setting came from: a built-in default, the settings file or an
//! environment variable. A message about a bad value names the place to fix,
//! so an operator is not sent to a file that is fine.

use std::fmt;
use std::path::PathBuf;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(&'static str),
}

/// A key and where its value came from, shown as the place to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub origin: Origin,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::Default => write!(f, "{} (built-in default)", self.key),
            Origin::File(path) => write!(f, "{}: {}", path.display(), self.key),
            Origin::Env(variable) => {
                write!(f, "environment variable {variable} (sets {})", self.key)
            }
        }
    }
}

/// The file that was read, if any, and the keys the environment set.
#[derive(Debug, Clone, Default)]
pub(super) struct Origins {
    pub(super) file: Option<PathBuf>,
    /// (key, variable) for each key an environment variable set.
    pub(super) env: Vec<(&'static str, &'static str)>,
}

impl Origins {
    pub(super) fn of(&self, key: &'static str) -> Setting {
        let from_env = self.env.iter().find(|(set, _)| *set == key);
        let origin = match (from_env, &self.file) {
            (Some((_, variable)), _) => Origin::Env(variable),
            (None, Some(path)) => Origin::File(path.clone()),
            (None, None) => Origin::Default,
        };
        Setting { key, origin }
    }
}
