//! What a person typed, as a reader will see it: control characters and
//! invisible format characters (zero-width, bidi overrides) gone, one space
//! between words. Anchors and a server's help lines are both kept this way,
//! so two texts that look the same are the same.

const ZWJ: char = '\u{200D}';

/// `text` without what no one can see: newlines and tabs become a space,
/// other control and format characters go, whitespace runs become one
/// space, and the ends are trimmed.
pub fn visible(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let shown = |c: char| !(c.is_whitespace() || c.is_control() || is_format(c));
    let kept: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            // A zero-width joiner between two visible characters is part of
            // an emoji (🧘‍♀️, 👨‍👩‍👧): keep it, so the words stay whole.
            let joins = c == ZWJ
                && i > 0
                && chars.get(i + 1).copied().is_some_and(shown)
                && shown(chars[i - 1]);
            joins || c.is_whitespace() || !(c.is_control() || is_format(c))
        })
        .map(|(_, &c)| c)
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Unicode category Cf (format): invisible, so a text made of them would
/// look empty and two texts differing only by them would look identical.
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
            assert_eq!(visible(emoji), emoji);
        }
        assert_eq!(visible("calm \u{200D} now"), "calm now");
        assert_eq!(visible("\u{200D}\u{200D}"), "");
    }

    #[test]
    fn invisible_and_bidi_characters_go() {
        assert_eq!(visible("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}"), "");
        assert_eq!(visible("in\u{200B}vis\u{FEFF}ible"), "invisible");
        assert_eq!(visible("Sama\u{200B}ritans"), "Samaritans");
        assert_eq!(visible("a \u{200B} b"), "a b");
        for bidi in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{2060}'] {
            assert_eq!(visible(&format!("line{bidi} 988")), "line 988", "{bidi:?}");
        }
    }

    #[test]
    fn whitespace_collapses_and_controls_go() {
        assert_eq!(
            visible("  I can\n\n handle\tuncertainty \r\n"),
            "I can handle uncertainty"
        );
        assert_eq!(visible("sa\u{0007}fe\u{001B}"), "safe");
        assert_eq!(visible("\u{0007}\u{001B}\u{007F}"), "");
    }
}
