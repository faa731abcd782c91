//! A sentence from `prompts/`, with `{name}` placeholders filled in at render
//! time. `{{` and `}}` stand for literal braces.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub struct Text(String);

/// TOML's multi-line strings end in a newline that nobody means to send.
impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(text.trim().to_owned())
    }
}

/// A piece of a template: literal text or a placeholder name.
enum Piece<'a> {
    Literal(&'a str),
    Slot(&'a str),
}

impl Text {
    /// The placeholder names, in order, or a description of the first
    /// malformed brace.
    pub fn placeholders(&self) -> Result<Vec<&str>, String> {
        let mut names = Vec::new();
        for piece in pieces(&self.0) {
            if let Piece::Slot(name) = piece? {
                names.push(name);
            }
        }
        Ok(names)
    }

    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Fill the placeholders. Validation at load time guarantees every
    /// placeholder is one the caller supplies; an unknown one renders as-is.
    pub fn render(&self, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in pieces(&self.0) {
            match piece {
                Ok(Piece::Literal(text)) => out.push_str(text),
                Ok(Piece::Slot(name)) => match values.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
                Err(_) => return self.0.clone(),
            }
        }
        out
    }

    /// The text when it has no placeholders.
    pub fn plain(&self) -> String {
        self.render(&[])
    }
}

fn pieces(template: &str) -> impl Iterator<Item = Result<Piece<'_>, String>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix("{{") {
            rest = after;
            return Some(Ok(Piece::Literal("{")));
        }
        if let Some(after) = rest.strip_prefix("}}") {
            rest = after;
            return Some(Ok(Piece::Literal("}")));
        }
        if let Some(after) = rest.strip_prefix('{') {
            let Some(end) = after.find('}') else {
                rest = "";
                return Some(Err(
                    "a `{` is never closed (write `{{` for a brace)".to_owned()
                ));
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                rest = "";
                return Some(Err(format!("`{{{name}}}` is not a placeholder name")));
            }
            return Some(Ok(Piece::Slot(name)));
        }
        if rest.starts_with('}') {
            rest = "";
            return Some(Err(
                "a `}` has no opening `{` (write `}}` for a brace)".to_owned()
            ));
        }
        let end = rest.find(['{', '}']).unwrap_or(rest.len());
        let (literal, after) = rest.split_at(end);
        rest = after;
        Some(Ok(Piece::Literal(literal)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::from(s.to_owned())
    }

    #[test]
    fn renders_placeholders_and_escaped_braces() {
        let t = text("cycle {n} of {total} {{ok}}");
        assert_eq!(t.placeholders().unwrap(), ["n", "total"]);
        assert_eq!(t.render(&[("n", "2"), ("total", "4")]), "cycle 2 of 4 {ok}");
    }

    #[test]
    fn malformed_braces_are_reported() {
        assert!(text("breathe {in").placeholders().is_err());
        assert!(text("breathe in}").placeholders().is_err());
        assert!(text("breathe {two words}").placeholders().is_err());
        assert!(text("breathe {}").placeholders().is_err());
    }

    #[test]
    fn blank_is_whitespace_only() {
        assert!(text(" \n").is_blank());
        assert!(!text("hello").is_blank());
    }
}
