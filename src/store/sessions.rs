//! Paced exercises under way: one per person across every process sharing
//! the database, stoppable from any of them, and finished kindly by the next
//! process to start if the one running them died.

use super::{db_id, Store, StoreError};
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
    /// once).
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
        on_backend!(self, pool: B => Ok(B::begin(
            &mut *pool.acquire().await?,
            id,
            user,
            app,
            token,
            started,
            locale,
            owner,
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

    /// `owner` is alive at `now`: mark its exercises seen, and return each
    /// one's interaction and whether someone, on any process, asked it to
    /// stop. One missing was ended elsewhere (its person deleted their data).
    pub async fn sessions_seen(
        &self,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<(u64, bool)>, StoreError> {
        let now = now.timestamp();
        let seen =
            on_backend!(self, pool: B => B::seen(&mut *pool.acquire().await?, owner, now).await?);
        Ok(seen
            .into_iter()
            .map(|(id, stop)| (id as u64, stop))
            .collect())
    }

    /// Take (removing them) the exercises `owner` ran before it restarted,
    /// and those of any process not seen since `stale_before`, which died.
    pub async fn take_unfinished_sessions(
        &self,
        owner: Option<&str>,
        stale_before: DateTime<Utc>,
    ) -> Result<Vec<Unfinished>, StoreError> {
        let stale_before = stale_before.timestamp();
        let rows = on_backend!(self, pool: B => {
            B::take_unfinished(&mut *pool.acquire().await?, owner, stale_before).await?
        });
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
