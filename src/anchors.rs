//! Anchors: a person's own short truths, kept for them privately.
//! Pure rules here; storage is in `store::anchors`.

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

const ZWJ: char = '\u{200D}';

/// Remove control characters (newlines and tabs become a space) and invisible
/// format characters, collapse whitespace runs to one space, and trim.
/// Discord markdown and mentions are kept as written: they are the person's
/// own words; making mentions harmless is the sender's job.
pub fn clean(text: &str) -> Result<String, AnchorError> {
    let chars: Vec<char> = text.chars().collect();
    let shown = |c: char| !(c.is_whitespace() || c.is_control() || is_format(c));
    let visible: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            // A zero-width joiner between two visible characters is part of
            // an emoji (🧘‍♀️, 👨‍👩‍👧): keep it, so the person's words stay theirs.
            let joins = c == ZWJ
                && i > 0
                && chars.get(i + 1).copied().is_some_and(shown)
                && shown(chars[i - 1]);
            joins || c.is_whitespace() || !(c.is_control() || is_format(c))
        })
        .map(|(_, &c)| c)
        .collect();
    let cleaned = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        Err(AnchorError::Empty)
    } else if cleaned.chars().count() > MAX_CHARS {
        Err(AnchorError::TooLong)
    } else {
        Ok(cleaned)
    }
}

/// Unicode category Cf (format): invisible, so an anchor made of them would
/// look empty and two anchors differing only by them would look identical.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_emoji_stay_whole_but_a_lone_joiner_goes() {
        for emoji in [
            "🧘\u{200D}♀\u{FE0F} I can rest",
            "👨\u{200D}👩\u{200D}👧 are safe",
        ] {
            assert_eq!(clean(emoji).as_deref(), Ok(emoji));
        }
        assert_eq!(clean("calm \u{200D} now").as_deref(), Ok("calm now"));
        assert_eq!(clean("\u{200D}\u{200D}"), Err(AnchorError::Empty));
    }

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
    fn whitespace_collapses_and_controls_go() {
        assert_eq!(
            clean("  I can\n\n handle\tuncertainty \r\n").as_deref(),
            Ok("I can handle uncertainty")
        );
        assert_eq!(clean("sa\u{0007}fe\u{001B}").as_deref(), Ok("safe"));
        assert_eq!(
            clean("in\u{200B}vis\u{FEFF}ible").as_deref(),
            Ok("invisible")
        );
        assert_eq!(clean("a \u{200B} b").as_deref(), Ok("a b"));
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
