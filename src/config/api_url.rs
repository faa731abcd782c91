//! The rules for `discord.api_url`: the base of Discord's HTTP API (or of a
//! proxy in front of it), to which steady appends `/api/v10`.

use url::{Host, Url};

const EXAMPLE: &str = "a base URL such as https://discord.com";

/// Why `text` cannot be the API's base URL, if it cannot.
pub(super) fn check(text: &str) -> Result<(), String> {
    let url = Url::parse(text)
        .map_err(|error| format!("{text:?} is not a URL ({error}); use {EXAMPLE}"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!(
            "{text:?} must start with https:// (or http:// for a local proxy)"
        ));
    }
    if url.host().is_none() {
        return Err(format!("{text:?} names no host; use {EXAMPLE}"));
    }
    // Not echoed: the text holds a password.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "must not hold a user name or password (steady signs in with the bot token); use {EXAMPLE}"
        ));
    }
    if url.path() != "/" {
        return Err(format!(
            "{text:?} has a path ({}); use {EXAMPLE}, without /api (steady adds /api/v10)",
            url.path()
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} must not end in ?… or #…; use {EXAMPLE}"));
    }
    Ok(())
}

/// A warning when the bot token, sent with every request, would cross a
/// network unencrypted: plain http:// to a host other than this machine.
pub(super) fn cleartext(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    let loopback = match url.host()? {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    };
    (url.scheme() == "http" && !loopback).then(|| {
        format!(
            "{text} is plain http:// to another machine, so the bot token travels unencrypted; \
             use https://, or a proxy on this machine (127.0.0.1)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_pass() {
        for good in [
            "https://discord.com",
            "https://discord.com/",
            "https://api.example.com",
            "http://127.0.0.1:8080",
            "http://localhost:9",
            "http://[::1]:9",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn anything_but_a_base_url_is_refused_saying_why() {
        for (bad, why) in [
            ("http://", "empty host"),
            ("https://exa mple.com", "is not a URL"),
            ("discord.com", "is not a URL"),
            ("ftp://discord.com", "must start with https://"),
            ("https://discord.com/api", "has a path (/api)"),
            ("https://discord.com/api/v10", "has a path"),
            ("https://discord.com?x=1", "must not end in ?"),
            ("https://discord.com#top", "must not end in ?"),
            ("https://me:secret@discord.com", "user name or password"),
        ] {
            let message = check(bad).unwrap_err();
            assert!(message.contains(why), "{bad}: {message}");
        }
    }

    #[test]
    fn a_password_is_never_repeated() {
        let message = check("https://me:secret@discord.com").unwrap_err();
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn only_plain_http_to_another_machine_warns() {
        for quiet in [
            "https://discord.com",
            "http://127.0.0.1:9",
            "http://127.8.0.1:9",
            "http://LOCALHOST:9",
            "http://[::1]:9",
        ] {
            assert_eq!(cleartext(quiet), None, "{quiet}");
        }
        for loud in [
            "http://proxy.lan:8080",
            "http://10.0.0.2",
            "http://[2001:db8::1]",
        ] {
            let warning = cleartext(loud).unwrap();
            assert!(warning.contains("unencrypted"), "{warning}");
        }
    }
}
