//! Parsing TOML into typed settings with errors that name the key and line,
//! shared by the config file and the prompt files.

use serde::de::DeserializeOwned;
use std::fmt;

/// One problem in one TOML document: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlProblem {
    /// Dotted path of the offending key (`checkin.grace_minutes`); empty when
    /// the document itself could not be read as TOML.
    pub key: String,
    /// 1-based line of the problem, when TOML knows it.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TomlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Deserialize `text`, reporting the path of the key that failed.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, TomlProblem> {
    let deserializer = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let key = match error.path().to_string() {
            dot if dot == "." => String::new(),
            path => path,
        };
        let inner = error.into_inner();
        let line = inner.span().map(|span| {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            // toml points an unknown key at its table's header; find the key.
            unknown_field(inner.message())
                .and_then(|field| {
                    text[start..].lines().position(|l| {
                        l.trim_start()
                            .strip_prefix(field)
                            .is_some_and(|rest| rest.trim_start().starts_with('='))
                    })
                })
                .map_or(line, |offset| line + offset)
        });
        TomlProblem {
            key,
            line,
            message: inner.message().trim().to_owned(),
        }
    })
}

fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        count: u32,
    }

    #[test]
    fn a_valid_document_parses() {
        let outer: Outer = parse("[inner]\ncount = 3\n").unwrap();
        assert_eq!(outer.inner.count, 3);
    }

    #[test]
    fn a_bad_value_names_its_key_and_line() {
        let problem = parse::<Outer>("\n[inner]\ncount = \"many\"\n").unwrap_err();
        assert_eq!(problem.key, "inner.count");
        assert_eq!(problem.line, Some(3));
        assert!(problem.message.contains("invalid type"), "{problem}");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let problem = parse::<Outer>("[inner]\ncount = 1\ncuont = 2\n").unwrap_err();
        assert!(problem.message.contains("cuont"), "{problem}");
        assert_eq!(problem.line, Some(3));
    }

    #[test]
    fn broken_toml_is_reported_with_a_line() {
        let problem = parse::<Outer>("[inner\n").unwrap_err();
        assert_eq!(problem.line, Some(1));
    }
}
