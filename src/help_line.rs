//! A server's own help lines (/calm help): the rules a line must meet
//! before it is kept. Pure rules here; storage is in `store::servers`.

use crate::store::HelpLine;

/// A name fits on one line above its text.
pub const MAX_NAME_CHARS: usize = 40;
/// One line of text, like the general lines of /support.
pub const MAX_TEXT_CHARS: usize = 100;
/// Room for a real address, not a pasted page.
pub const MAX_LINK_CHARS: usize = 200;

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
}

/// Check and tidy a help line as a moderator typed it: whitespace runs
/// become one space, and nothing that could ping anyone is accepted (a
/// channel, like `#talk-to-a-mod` or `<#123>`, is fine).
pub fn check(name: &str, text: &str, link: Option<&str>) -> Result<HelpLine, HelpLineError> {
    let name = tidy(name);
    let text = tidy(text);
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
    let link = match link.map(str::trim).filter(|link| !link.is_empty()) {
        Some(link) => Some(web_page(link).ok_or(HelpLineError::Link)?),
        None => None,
    };
    Ok(HelpLine { name, text, link })
}

fn tidy(typed: &str) -> String {
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `@everyone`, `@here`, `<@id>`, `<@!id>` or `<@&id>`.
fn pings(text: &str) -> bool {
    let lower = text.to_lowercase();
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

/// An https address with a host, as written (the url crate's form would
/// add a trailing slash the moderator never typed).
fn web_page(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    let fits = link.chars().count() <= MAX_LINK_CHARS;
    let web = url.scheme() == "https" && url.host_str().is_some_and(|host| !host.is_empty());
    let plain = url.username().is_empty() && url.password().is_none();
    (fits && web && plain && !link.contains(char::is_whitespace)).then(|| link.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_tidied_and_kept_as_typed() {
        let line = check("  Talk  to a mod ", "Ask in #talk-to-a-mod, any time", None).unwrap();
        assert_eq!(line.name, "Talk to a mod");
        assert_eq!(line.text, "Ask in #talk-to-a-mod, any time");
        let line = check(
            "Local line",
            "Call <#123> first",
            Some("https://example.org/help"),
        )
        .unwrap();
        assert_eq!(line.link.as_deref(), Some("https://example.org/help"));
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
    fn nothing_that_pings_is_accepted() {
        for bad in ["@everyone", "hi @Here", "<@123>", "<@!123>", "<@&456> team"] {
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
}
