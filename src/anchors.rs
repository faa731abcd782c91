//! Anchors: a person's own short truths, kept for them privately.
//! Pure rules here; storage is in `store::anchors`.

use crate::visible::visible;

/// Long enough for a sentence or two, short enough to read in one breath.
pub const MAX_CHARS: usize = 300;
/// A handful to return to, not a journal.
pub const MAX_ANCHORS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorError {
    Empty,
    TooLong,
    Duplicate,
    Full,
}

/// What the person typed, as they will see it again (see
/// [`crate::visible`]). Discord markdown and mentions are kept as written:
/// they are the person's own words; making mentions harmless is the
/// sender's job.
pub fn clean(text: &str) -> Result<String, AnchorError> {
    let cleaned = visible(text);
    if cleaned.is_empty() {
        Err(AnchorError::Empty)
    } else if cleaned.chars().count() > MAX_CHARS {
        Err(AnchorError::TooLong)
    } else {
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_visible_is_empty() {
        assert_eq!(clean(""), Err(AnchorError::Empty));
        assert_eq!(clean(" \n\t  "), Err(AnchorError::Empty));
        assert_eq!(
            clean("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}"),
            Err(AnchorError::Empty)
        );
        assert_eq!(clean("\u{0007}\u{001B}\u{007F}"), Err(AnchorError::Empty));
    }

    #[test]
    fn length_is_counted_in_chars_after_trimming() {
        let full = "é".repeat(MAX_CHARS);
        assert_eq!(clean(&format!("  {full}\n")), Ok(full.clone()));
        assert_eq!(clean(&format!("{full}a")), Err(AnchorError::TooLong));
    }

    #[test]
    fn markdown_and_mentions_are_kept() {
        assert_eq!(
            clean("@everyone I am **enough**").as_deref(),
            Ok("@everyone I am **enough**")
        );
        assert_eq!(
            clean("_this_ ~~will~~ `pass` <@123> ||soon||").as_deref(),
            Ok("_this_ ~~will~~ `pass` <@123> ||soon||")
        );
    }
}
