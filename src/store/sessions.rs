//! Paced exercises under way, remembered only so that one cut short by a
//! crash can be finished on the next start.

use super::{db_id, Store, StoreError};
use chrono::{DateTime, Utc};

/// An exercise that was running when steady last stopped.
#[derive(Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub interaction: u64,
    pub user: u64,
    pub application: u64,
    pub token: String,
    pub started: DateTime<Utc>,
    /// The Discord locale the person reads, for the last words.
    pub locale: String,
}

/// The interaction token is a credential for 15 minutes: never shown.
impl std::fmt::Debug for Unfinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unfinished")
            .field("interaction", &self.interaction)
            .field("user", &self.user)
            .field("application", &self.application)
            .field("token", &"<redacted>")
            .field("started", &self.started)
            .field("locale", &self.locale)
            .finish()
    }
}

impl Store {
    /// Remember an exercise that has started.
    pub async fn session_started(&self, session: &Unfinished) -> Result<(), StoreError> {
        let (id, user, app) = (
            db_id(session.interaction),
            db_id(session.user),
            db_id(session.application),
        );
        let started = session.started.timestamp();
        sqlx::query!(
            "INSERT INTO sessions (interaction_id, user_id, application_id, token, started_at, locale)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (interaction_id) DO NOTHING",
            id,
            user,
            app,
            session.token,
            started,
            session.locale
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forget an exercise that has ended, however it ended.
    pub async fn session_ended(&self, interaction: u64) -> Result<(), StoreError> {
        let id = db_id(interaction);
        sqlx::query!("DELETE FROM sessions WHERE interaction_id = ?", id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Take every exercise left from before this start (removing them).
    pub async fn take_unfinished_sessions(&self) -> Result<Vec<Unfinished>, StoreError> {
        let rows = sqlx::query!(
            r#"DELETE FROM sessions RETURNING interaction_id AS "interaction_id!",
                   user_id AS "user_id!", application_id AS "application_id!",
                   token AS "token!", started_at AS "started_at!", locale AS "locale!""#
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Unfinished {
                    interaction: row.interaction_id as u64,
                    user: row.user_id as u64,
                    application: row.application_id as u64,
                    token: row.token,
                    started: DateTime::from_timestamp(row.started_at, 0)?,
                    locale: row.locale,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let session = Unfinished {
            interaction: 1,
            user: 2,
            application: 3,
            token: "aW50ZXJhY3Rpb24tdG9rZW4".to_owned(),
            started: DateTime::UNIX_EPOCH,
            locale: "de".to_owned(),
        };
        let shown = format!("{session:?}");
        assert!(!shown.contains(&session.token), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
