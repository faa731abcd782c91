//! What makes a thing the scheduler sends: one [`Kind`] implementation,
//! its queries (`steady_sql::due`), and one line in [`kinds!`]'s list in
//! `schedule/mod.rs`, which makes [`super::Due`] and every dispatch over it.

use super::{DueSql, Policy};
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use std::future::Future;
use steady_sql::Conn;

/// What a kind may change once Discord answered.
pub(crate) struct Answered<'a> {
    pub store: &'a Store,
    pub metrics: &'a Metrics,
    pub policy: &'a Policy,
}

/// One kind of thing the scheduler sends on its clock. The store methods
/// run on either backend (`B`), inside the transaction the store holds.
pub(crate) trait Kind: Sized + Send + Sync {
    /// What a log line calls one, never whose it is.
    const WHAT: &'static str;

    /// Claim up to `limit` due at `now` within the caller's write
    /// transaction: each is moved on in it, so only its claimer sends it.
    fn claim<B: DueSql>(
        tx: &mut Conn<B>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Self>, StoreError>> + Send;

    /// The earliest instant (unix seconds) the scheduler has one to do.
    fn next<B: DueSql>(
        conn: &mut Conn<B>,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send;

    /// Stopping before this one was sent: due again at its own instant,
    /// unless it changed meanwhile, with `acted` (when a try Discord may
    /// have acted on was first made) kept for the next process. True if it
    /// was given back.
    fn give_back<B: DueSql>(
        &self,
        conn: &mut Conn<B>,
        acted: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Whether it is still wanted, read again before a retry: a person who
    /// said stop meanwhile (off, pause, "I'm okay now", delete) gets nothing.
    fn wanted<B: DueSql>(
        &self,
        _conn: &mut Conn<B>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        std::future::ready(Ok(true))
    }

    /// The instant it was due; None for one that is never late.
    fn due(&self) -> Option<DateTime<Utc>>;

    /// When an earlier process first tried it in a way Discord may have
    /// acted on; None for a first claim, or a kind whose tries are edits.
    fn acted(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// Count one attempt's outcome under the kind's own metric.
    fn count(metrics: &Metrics, outcome: DeliveryOutcome);

    /// It reached Discord `late` after its due instant.
    fn sent(&self, answered: &Answered<'_>, _late: TimeDelta) -> impl Future<Output = ()> + Send {
        Self::count(answered.metrics, DeliveryOutcome::Sent);
        std::future::ready(())
    }

    /// Discord refused it: nothing but a check-in has a second try.
    fn refused(
        &self,
        answered: &Answered<'_>,
        _now: DateTime<Utc>,
    ) -> impl Future<Output = ()> + Send {
        tracing::info!("{} refused by Discord", Self::WHAT);
        Self::count(answered.metrics, DeliveryOutcome::Refused);
        std::future::ready(())
    }
}

/// `limit` as a query's LIMIT.
pub(super) fn rows(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The list of kinds, in the order a claim takes them, each as
/// `Variant(Type: its queries' trait)`. Makes [`super::Due`] (one of any
/// kind), [`super::DueSql`] (every kind's queries: what a backend needs),
/// and the dispatch from a `Due` to its kind.
macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident($item:ty: $sql:path)),* $(,)?) => {
        /// One thing claimed to send now.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Due {
            $($(#[$doc])* $variant($item)),*
        }

        /// Every kind's queries: what a backend answers for the scheduler.
        pub(crate) trait DueSql: steady_sql::Backend $(+ $sql)* {}

        impl<B: steady_sql::Backend $(+ $sql)*> DueSql for B {}

        // In a block of its own, so its names do not reach the list's module.
        const _: () = {
            use $crate::metrics::{DeliveryOutcome, Metrics};
            use $crate::schedule::kind::{Answered, Kind};
            use $crate::store::StoreError;
            use chrono::{DateTime, TimeDelta, Utc};
            use steady_sql::Conn;

            impl Due {
                /// Up to `limit` things due at `now`, within the caller's
                /// write transaction: each kind in turn, while there is room.
                pub(crate) async fn claim<B: DueSql>(
                    tx: &mut Conn<B>,
                    now: DateTime<Utc>,
                    limit: usize,
                ) -> Result<Vec<Due>, StoreError> {
                    let mut due = Vec::new();
                    $(
                        let room = limit.saturating_sub(due.len());
                        if room > 0 {
                            let claimed = <$item>::claim::<B>(&mut *tx, now, room).await?;
                            due.extend(claimed.into_iter().map(Due::$variant));
                        }
                    )*
                    Ok(due)
                }

                /// The earliest instant (unix seconds) anything is to be done.
                pub(crate) async fn next<B: DueSql>(
                    conn: &mut Conn<B>,
                ) -> Result<Option<i64>, StoreError> {
                    let mut next: Option<i64> = None;
                    $(
                        let at = <$item>::next::<B>(&mut *conn).await?;
                        next = next.into_iter().chain(at).min();
                    )*
                    Ok(next)
                }

                pub(crate) async fn give_back<B: DueSql>(
                    &self,
                    conn: &mut Conn<B>,
                    acted: Option<DateTime<Utc>>,
                ) -> Result<bool, StoreError> {
                    match self {
                        $(Due::$variant(item) => item.give_back::<B>(conn, acted).await),*
                    }
                }

                pub(crate) async fn wanted<B: DueSql>(
                    &self,
                    conn: &mut Conn<B>,
                ) -> Result<bool, StoreError> {
                    match self {
                        $(Due::$variant(item) => item.wanted::<B>(conn).await),*
                    }
                }

                /// When an earlier process first tried it in a way Discord
                /// may have acted on.
                pub(crate) fn acted(&self) -> Option<DateTime<Utc>> {
                    match self {
                        $(Due::$variant(item) => Kind::acted(item)),*
                    }
                }

                /// The instant it was due. A count is due when claimed: it
                /// is never late, only held back to once a minute.
                pub fn due(&self) -> Option<DateTime<Utc>> {
                    match self {
                        $(Due::$variant(item) => Kind::due(item)),*
                    }
                }

                /// What a log line is about, in one word: never whose it is.
                pub(crate) fn what(&self) -> &'static str {
                    match self {
                        $(Due::$variant(_) => <$item>::WHAT),*
                    }
                }

                pub(crate) fn count(&self, metrics: &Metrics, outcome: DeliveryOutcome) {
                    match self {
                        $(Due::$variant(_) => <$item>::count(metrics, outcome)),*
                    }
                }

                pub(crate) async fn sent(&self, answered: &Answered<'_>, late: TimeDelta) {
                    match self {
                        $(Due::$variant(item) => item.sent(answered, late).await),*
                    }
                }

                pub(crate) async fn refused(&self, answered: &Answered<'_>, now: DateTime<Utc>) {
                    match self {
                        $(Due::$variant(item) => item.refused(answered, now).await),*
                    }
                }
            }
        };
    };
}

pub(super) use kinds;
