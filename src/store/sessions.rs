//! Paced exercises under way: one per person across every process sharing
//! the database, stoppable from any of them, and finished kindly by the next
//! process to start if the one running them died.

use super::{db_id, Store, StoreError};
use crate::timing::TOKEN_LIFE;
use chrono::{DateTime, Utc};
use steady_sql::Sessions;

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
    /// Claim `session.user`'s one running exercise for this one, run by the
    /// process `owner`: false when they already have one, on any process
    /// sharing this database (the unique index decides, so two processes
    /// cannot both say yes). A row of `owner`'s own is replaced: its
    /// process let the person begin again, so that exercise has ended and
    /// only its row's removal was still on its way ("Again", pressed at
    /// once). `owner` is one boot of one process, so a second process of
    /// the same shards never replaces the first one's.
    pub async fn session_begin(
        &self,
        session: &Unfinished,
        owner: &str,
    ) -> Result<bool, StoreError> {
        let (id, user, app) = (
            db_id(session.interaction),
            db_id(session.user),
            db_id(session.application),
        );
        let (token, locale) = (&session.token, &session.locale);
        let started = session.started.timestamp();
        // Builds before `processes` take a row not seen for 10 s as a dead
        // process's: this one's owner vouches for it while its token lives.
        let seen = (session.started + TOKEN_LIFE).timestamp();
        on_backend!(self, pool: B => Ok(B::begin(
            &mut *pool.acquire().await?,
            id,
            user,
            app,
            token,
            started,
            locale,
            owner,
            seen,
        )
        .await?))
    }

    /// Forget an exercise that has ended, however it ended.
    pub async fn session_ended(&self, interaction: u64) -> Result<(), StoreError> {
        let id = db_id(interaction);
        on_backend!(self, pool: B => Ok(B::end(&mut *pool.acquire().await?, id).await?))
    }

    /// Ask whichever process runs `user`'s exercise (only `interaction`,
    /// when given) to stop it. Returns whether one was running.
    pub async fn request_stop(
        &self,
        user: u64,
        interaction: Option<u64>,
    ) -> Result<bool, StoreError> {
        let (user, id) = (db_id(user), interaction.map(db_id));
        on_backend!(self, pool: B => Ok(B::request_stop(&mut *pool.acquire().await?, user, id).await?))
    }

    /// The exercises of `owner`'s someone asked to stop since: their
    /// person, on any process, or their person's data deleted.
    pub async fn sessions_stopping(&self, owner: &str) -> Result<Vec<u64>, StoreError> {
        let ids =
            on_backend!(self, pool: B => B::stopping(&mut *pool.acquire().await?, owner).await?);
        Ok(ids.into_iter().map(|id| id as u64).collect())
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
