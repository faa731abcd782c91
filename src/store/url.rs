//! Where a database is: a SQLite file or a PostgreSQL URL, read into
//! sqlx's options, and shown without its passwords.

use super::StoreError;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;

/// `url` as it may be shown: every password in it, `user:pw@` or a query
/// parameter like `?password=` and `?sslpassword=`, is replaced by `***`.
pub fn shown(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        // Unreadable, so where a password would sit is unknown.
        return match url.split_once(':') {
            Some((scheme, _)) if url.contains('@') || secret(url) => format!("{scheme}:…"),
            _ => url.to_owned(),
        };
    };
    let mut masked = false;
    if parsed.password().is_some() {
        // Fails only for URLs that cannot have a password at all.
        masked = parsed.set_password(Some("***")).is_ok();
    }
    if let Some(query) = parsed.query().filter(|query| secret(query)) {
        // Rebuilt by hand so the other parameters read as written.
        let query: Vec<String> = query
            .split('&')
            .map(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                let decoded = url::form_urlencoded::parse(key.as_bytes()).next();
                match decoded {
                    Some((key, _)) if secret(&key) => format!("{key}=***"),
                    _ => pair.to_owned(),
                }
            })
            .collect();
        parsed.set_query(Some(&query.join("&")));
        masked = true;
    }
    if masked {
        parsed.to_string()
    } else {
        url.to_owned()
    }
}

/// Whether `text` (a query parameter's name, or more) may name a password.
fn secret(text: &str) -> bool {
    text.to_ascii_lowercase().contains("pass")
}

/// Whether `url` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub(super) fn parse_postgres(url: &str) -> Result<PgConnectOptions, StoreError> {
    PgConnectOptions::from_str(url).map_err(|source| StoreError::Url {
        // Never echoed: it may hold a password.
        url: "postgres://…".to_owned(),
        source,
    })
}

/// Where a connection was going, without its password.
pub(super) fn connect_error(options: &PgConnectOptions, source: sqlx::Error) -> StoreError {
    let database = options.get_database().unwrap_or("(the user's own)");
    StoreError::Connect {
        at: format!(
            "{}:{}, database {database}",
            options.get_host(),
            options.get_port()
        ),
        source,
    }
}

pub(super) fn parse(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    SqliteConnectOptions::from_str(url).map_err(|source| StoreError::Url {
        url: url.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn every_password_in_a_url_is_hidden() {
        for (url, expected) in [
            (
                "postgres://steady:hunter2@db/steady",
                "postgres://steady:***@db/steady",
            ),
            (
                "postgres://steady@db/steady?password=hunter2",
                "postgres://steady@db/steady?password=***",
            ),
            (
                "postgres://db/steady?sslmode=verify-full&sslpassword=hunter2&sslcert=/c.pem",
                "postgres://db/steady?sslmode=verify-full&sslpassword=***&sslcert=/c.pem",
            ),
            (
                "postgresql://u:hunter2@db/s?Pass%77ord=hunter2",
                "postgresql://u:***@db/s?Password=***",
            ),
            ("postgres://u:hunter2@db:port/s", "postgres:…"),
            ("sqlite://steady.db?mode=rwc", "sqlite://steady.db?mode=rwc"),
            ("sqlite:my data.db", "sqlite:my data.db"),
        ] {
            assert_eq!(shown(url), expected, "{url}");
        }
    }
}
