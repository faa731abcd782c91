//! Reframe: a thought record for the moment the story starts. What
//! happened, in facts; the story anxiety tells; what else could be true;
//! and a kinder, truer sentence to keep. Pure rules here; the record is
//! kept as a journal row of kind reframe whose text is [`Record::to_text`].

use crate::anchors;
use crate::visible::visible;
use serde::{Deserialize, Serialize};

/// A few sentences of facts.
pub const MAX_HAPPENED: usize = 400;
/// A few sentences of the story.
pub const MAX_STORY: usize = 400;
/// Room for more than one other way to see it.
pub const MAX_OTHER: usize = 800;
/// The kinder sentence may become an anchor, so it is held to an anchor's
/// length.
pub const MAX_KINDER: usize = anchors::MAX_CHARS;

/// One thought record. The first form fills `happened` and `story`; the
/// second, `other` and `kinder`. Its `Debug` shows only which parts are
/// written, never the words.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub happened: String,
    pub story: String,
    #[serde(default)]
    pub other: Option<String>,
    #[serde(default)]
    pub kinder: Option<String>,
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("other", &self.other.is_some())
            .field("kinder", &self.kinder.is_some())
            .finish_non_exhaustive()
    }
}

/// Why what was typed in a box cannot be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Empty,
    TooLong,
}

impl Record {
    /// The record after the first form.
    pub fn begin(happened: &str, story: &str) -> Result<Record, FieldError> {
        Ok(Record {
            happened: field(happened, MAX_HAPPENED)?,
            story: field(story, MAX_STORY)?,
            other: None,
            kinder: None,
        })
    }

    /// The record after the second form. Nothing changes unless both boxes
    /// can be kept.
    pub fn finish(&self, other: &str, kinder: &str) -> Result<Record, FieldError> {
        Ok(Record {
            other: Some(field(other, MAX_OTHER)?),
            kinder: Some(field(kinder, MAX_KINDER)?),
            ..self.clone()
        })
    }

    /// The record as the journal keeps it: a JSON object.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("a struct of strings always serializes")
    }

    /// A record from a journal row's text; None if it is not one.
    pub fn from_text(text: &str) -> Option<Record> {
        serde_json::from_str(text).ok()
    }
}

/// What the person typed in one box, as it is kept: each line as a reader
/// sees it ([`visible`]), blank lines dropped, so a box of spaces or
/// invisible characters is empty and the lines someone wrote stay lines.
/// Its length is counted in characters, after tidying.
pub fn field(text: &str, max: usize) -> Result<String, FieldError> {
    let lines: Vec<String> = text
        .lines()
        .map(visible)
        .filter(|line| !line.is_empty())
        .collect();
    let kept = lines.join("\n");
    if kept.is_empty() {
        Err(FieldError::Empty)
    } else if kept.chars().count() > max {
        Err(FieldError::TooLong)
    } else {
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_its_json() {
        let first = Record::begin("no reply for three hours", "they're losing interest").unwrap();
        let text = first.to_text();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::json!({
                "happened": "no reply for three hours",
                "story": "they're losing interest",
                "other": null,
                "kinder": null,
            })
        );
        assert_eq!(Record::from_text(&text), Some(first.clone()));
        let done = first
            .finish(
                "they're at work\nmaybe their phone died",
                "One quiet afternoon is not an ending.",
            )
            .unwrap();
        assert_eq!(Record::from_text(&done.to_text()), Some(done.clone()));
        assert_eq!(done.happened, "no reply for three hours");
        assert_eq!(
            done.other.as_deref(),
            Some("they're at work\nmaybe their phone died")
        );
        assert_eq!(Record::from_text("a draft, not a record"), None);
    }

    #[test]
    fn an_empty_box_keeps_nothing() {
        assert_eq!(Record::begin(" \n\t", "a story"), Err(FieldError::Empty));
        assert_eq!(
            Record::begin("facts", "\u{200B}\u{FEFF}"),
            Err(FieldError::Empty)
        );
        let first = Record::begin("facts", "a story").unwrap();
        assert_eq!(first.finish("another way", "  "), Err(FieldError::Empty));
        assert_eq!(first.finish("", "kinder"), Err(FieldError::Empty));
    }

    #[test]
    fn lines_are_tidied_and_counted_in_characters() {
        assert_eq!(
            field("  first   line \n\n \u{200B}\n second\r\n", 100).as_deref(),
            Ok("first line\nsecond")
        );
        let full = "é".repeat(MAX_KINDER);
        assert_eq!(field(&format!(" {full} "), MAX_KINDER), Ok(full.clone()));
        assert_eq!(
            field(&format!("{full}é"), MAX_KINDER),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn a_kinder_sentence_can_always_become_an_anchor() {
        let first = Record::begin("facts", "story").unwrap();
        let kinder = format!("{}\n{}", "a".repeat(100), "b".repeat(MAX_KINDER - 101));
        let done = first.finish("other", &kinder).unwrap();
        assert!(anchors::clean(done.kinder.as_deref().unwrap()).is_ok());
    }

    #[test]
    fn the_fullest_record_fits_a_journal_row() {
        // JSON doubles a quote, a backslash or a newline; tidying leaves
        // no other character JSON escapes.
        let worst = |max: usize| "\"\\\n".repeat(max).chars().take(max).collect::<String>();
        let record = Record {
            happened: worst(MAX_HAPPENED),
            story: worst(MAX_STORY),
            other: Some(worst(MAX_OTHER)),
            kinder: Some(worst(MAX_KINDER)),
        };
        assert!(record.to_text().chars().count() <= crate::journal::MAX_CHARS);
    }
}
