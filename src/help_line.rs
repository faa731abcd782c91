//! A server's own help lines (/calm help): the rules a line must meet
//! before it is kept, and how it is shown. Pure rules here; storage is in
//! `store::servers`.
//!
//! A help line is read on someone's worst night, so what it says is what
//! it shows: plain words (markdown shows as typed), no ping, no link but
//! the one https address in its own field, and nothing invisible.

use crate::visible::visible;

/// A name fits on one line above its text.
pub const MAX_NAME_CHARS: usize = 40;
/// One line of text, like the general lines of /support.
pub const MAX_TEXT_CHARS: usize = 100;
/// Room for a real address, not a pasted page.
pub const MAX_LINK_CHARS: usize = 200;

/// One of a server's own help lines, as [`check`] tidied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub name: String,
    pub text: String,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLineError {
    /// The name is empty or longer than [`MAX_NAME_CHARS`] (it has `count`).
    Name { count: usize },
    /// The text is empty or longer than [`MAX_TEXT_CHARS`] (it has `count`).
    Text { count: usize },
    /// Not an https address of a web page.
    Link,
    /// A mention of everyone, here, a person or a role: lines never ping.
    Mention,
    /// A web address in the name or text: the link field is the only link.
    LinkInWords,
}

/// Check and tidy a help line as a moderator typed it: invisible characters
/// go and whitespace runs become one space (so a look-alike of a kept name
/// is the same name), nothing that could ping anyone and no web address is
/// accepted in the words (a channel, like `#talk-to-a-mod` or `<#123>`, is
/// fine), and the link is kept in its normalized form.
pub fn check(name: &str, text: &str, link: Option<&str>) -> Result<HelpLine, HelpLineError> {
    let name = visible(name);
    let text = visible(text);
    let count = name.chars().count();
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(HelpLineError::Name { count });
    }
    let count = text.chars().count();
    if count == 0 || count > MAX_TEXT_CHARS {
        return Err(HelpLineError::Text { count });
    }
    if pings(&name) || pings(&text) {
        return Err(HelpLineError::Mention);
    }
    if holds_link(&name) || holds_link(&text) {
        return Err(HelpLineError::LinkInWords);
    }
    let link = match link.map(str::trim).filter(|link| !link.is_empty()) {
        Some(link) => Some(web_page(link).ok_or(HelpLineError::Link)?),
        None => None,
    };
    Ok(HelpLine { name, text, link })
}

/// Whether two names are one, as a server keeps each name once: the same
/// letters in any case, any alphabet's ("Écoute" is "écoute"), compared
/// here rather than by the database, whose folding differs by backend.
pub fn same_name(a: &str, b: &str) -> bool {
    let folded = |name: &str| {
        name.chars()
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    a == b || folded(a) == folded(b)
}

/// `@everyone`, `@here` (also with a full-width or small at sign, which
/// cannot ping but would look as if it did), `<@id>`, `<@!id>` or `<@&id>`.
fn pings(text: &str) -> bool {
    let lower = text.to_lowercase().replace(['\u{FF20}', '\u{FE6B}'], "@");
    if lower.contains("@everyone") || lower.contains("@here") {
        return true;
    }
    text.match_indices("<@").any(|(at, _)| {
        let rest = &text[at + 2..];
        let rest = rest.strip_prefix(['!', '&']).unwrap_or(rest);
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with('>')
    })
}

/// Anything Discord would show as a link: an address with a scheme, or one
/// starting with `www.`.
fn holds_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("://") || lower.contains("www.")
}

/// An https address with a host and no user or password, in the url
/// crate's normalized form; `None` if that form still holds anything that
/// could end the address early or start markdown (`<>[]()`, whitespace).
/// Also how a kept link is shown, so one kept before these rules is checked
/// again.
pub fn web_page(link: &str) -> Option<String> {
    if link.contains(char::is_whitespace) {
        return None;
    }
    let url = url::Url::parse(link).ok()?;
    let web = url.scheme() == "https" && url.host_str().is_some_and(|host| !host.is_empty());
    let plain = url.username().is_empty() && url.password().is_none();
    let shown = url.as_str();
    let fits = shown.chars().count() <= MAX_LINK_CHARS;
    let closed = !shown.contains(['<', '>', '[', ']', '(', ')']);
    (web && plain && fits && closed).then(|| shown.to_owned())
}

/// `text` as Discord shows it literally, inside a line: every character
/// markdown gives a meaning there is escaped, so no bold, italics, spoiler,
/// code or masked link can start or break out. A channel (`<#123>`) stays
/// a channel.
pub fn escaped(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(channel) = channel_at(rest) {
            shown.push_str(channel);
            rest = &rest[channel.len()..];
            continue;
        }
        if MARKDOWN.contains(&c) {
            shown.push('\\');
        }
        shown.push(c);
        rest = &rest[c.len_utf8()..];
    }
    shown
}

/// Characters Discord's markdown reads inside a line (a backslash makes
/// each literal). A line's name and text never start a line, so `#`, `-`
/// and `>` there cannot make a heading, a list or a quote.
const MARKDOWN: [char; 10] = ['\\', '*', '_', '~', '|', '`', '<', '>', '[', ']'];

/// A channel mention at the start of `text`: `<#` digits `>`.
fn channel_at(text: &str) -> Option<&str> {
    let digits = text
        .strip_prefix("<#")?
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let end = 2 + digits;
    (digits > 0 && text[end..].starts_with('>')).then(|| &text[..=end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_tidied_and_its_link_normalized() {
        let line = check("  Talk  to a mod ", "Ask in #talk-to-a-mod, any time", None).unwrap();
        assert_eq!(line.name, "Talk to a mod");
        assert_eq!(line.text, "Ask in #talk-to-a-mod, any time");
        let line = check(
            "Local line",
            "Call <#123> first",
            Some("https://Example.org/help"),
        )
        .unwrap();
        assert_eq!(line.link.as_deref(), Some("https://example.org/help"));
        let bare = check("a", "b", Some("https://example.org")).unwrap();
        assert_eq!(bare.link.as_deref(), Some("https://example.org/"));
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let hundred = "é".repeat(MAX_TEXT_CHARS);
        assert!(check("a", &hundred, None).is_ok());
        let more = format!("{hundred}é");
        assert_eq!(
            check("a", &more, None),
            Err(HelpLineError::Text { count: 101 })
        );
        assert_eq!(
            check(" ", "text", None),
            Err(HelpLineError::Name { count: 0 })
        );
        let long = "n".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check(&long, "text", None),
            Err(HelpLineError::Name { count: 41 })
        );
    }

    #[test]
    fn only_https_web_pages_are_links() {
        for bad in [
            "javascript:alert(1)",
            "http://example.org",
            "https://",
            "ftp://example.org",
            "https://user:pw@example.org",
            "example.org",
            "data:text/html,hi",
            "https://ok.org/a b",
        ] {
            assert_eq!(
                check("a", "b", Some(bad)),
                Err(HelpLineError::Link),
                "{bad}"
            );
        }
        assert!(check("a", "b", Some("")).unwrap().link.is_none());
    }

    #[test]
    fn a_link_cannot_break_out_of_its_brackets() {
        for bad in [
            "https://ok.org/>[Crisis line](http://evil.example)",
            "https://ok.org/[Crisis](x)",
            "https://ok.org/?q=(1)",
            "https://ok.org/#[a]",
        ] {
            assert_eq!(
                check("a", "b", Some(bad)),
                Err(HelpLineError::Link),
                "{bad}"
            );
        }
        // What the url crate escapes is kept escaped, never as typed.
        let line = check("a", "b", Some("https://ok.org/a<b>\"c")).unwrap();
        assert_eq!(line.link.as_deref(), Some("https://ok.org/a%3Cb%3E%22c"));
    }

    #[test]
    fn nothing_that_pings_is_accepted() {
        for bad in [
            "@everyone",
            "hi @Here",
            "<@123>",
            "<@!123>",
            "<@&456> team",
            "\u{FF20}everyone",
            "\u{FE6B}here",
            "@every\u{200B}one",
        ] {
            assert_eq!(
                check(bad, "text", None),
                Err(HelpLineError::Mention),
                "{bad}"
            );
            assert_eq!(
                check("name", bad, None),
                Err(HelpLineError::Mention),
                "{bad}"
            );
        }
        for fine in ["email me @ home", "<#123>", "<@>", "a <@b> c"] {
            assert!(check("name", fine, None).is_ok(), "{fine}");
        }
    }

    #[test]
    fn the_words_hold_no_link() {
        for bad in [
            "[Call 988 now](http://evil.example)",
            "[Samaritans 116 123](http://phish.example)",
            "see https://example.org",
            "HTTP://EXAMPLE.ORG",
            "www.example.org",
        ] {
            assert_eq!(
                check("name", bad, None),
                Err(HelpLineError::LinkInWords),
                "{bad}"
            );
        }
        assert_eq!(
            check("[Lifeline](http://x.example)", "text", None),
            Err(HelpLineError::LinkInWords)
        );
    }

    #[test]
    fn invisible_characters_go_so_look_alikes_are_one_name() {
        let line = check("Sama\u{200B}ritans", "Call\u{2060} 116 123", None).unwrap();
        assert_eq!(line.name, "Samaritans");
        assert_eq!(line.text, "Call 116 123");
        for bidi in ["\u{202E}", "\u{202A}", "\u{2066}", "\u{2069}", "\u{FEFF}"] {
            let line = check(&format!("Life{bidi}line"), "text", None).unwrap();
            assert_eq!(line.name, "Lifeline", "{bidi:?}");
        }
        assert_eq!(
            check("\u{200B}\u{202E}", "text", None),
            Err(HelpLineError::Name { count: 0 })
        );
    }

    #[test]
    fn a_name_is_one_in_any_case_of_any_alphabet() {
        for (a, b) in [
            ("Talk to a mod", "tALK TO A MOD"),
            ("Écoute", "écoute"),
            ("ΣΟΣ", "σοσ"),
            ("Телефон доверия", "ТЕЛЕФОН ДОВЕРИЯ"),
        ] {
            assert!(same_name(a, b), "{a} {b}");
        }
        assert!(!same_name("Talk to a mod", "Talk to a mod!"));
        assert!(!same_name("Ecoute", "Écoute"));
    }

    #[test]
    fn markdown_shows_as_typed() {
        for (typed, shown) in [
            ("**bold** __u__", r"\*\*bold\*\* \_\_u\_\_"),
            ("||spoiler||", r"\|\|spoiler\|\|"),
            ("`code`", r"\`code\`"),
            ("[a](b)", r"\[a\](b)"),
            ("~~gone~~", r"\~\~gone\~\~"),
            ("<https://x.example>", r"\<https://x.example\>"),
            (r"back\slash", r"back\\slash"),
        ] {
            assert_eq!(escaped(typed), shown, "{typed}");
        }
        assert_eq!(escaped("Ask in <#123> (24/7)"), "Ask in <#123> (24/7)");
        assert_eq!(escaped("<#> <#12"), r"\<#\> \<#12");
        assert_eq!(escaped("Télé-Accueil #107"), "Télé-Accueil #107");
    }
}
