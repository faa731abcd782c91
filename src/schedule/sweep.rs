//! What is kept only for a while goes when its time is up: journal rows
//! whose `expires_at` has passed (a wait's draft not kept, a reframe left
//! unfinished). Once a minute on the scheduler's clock, the database's in
//! production, so every process sharing it agrees when a day is over; a
//! delete is the same whichever process makes it first.

use super::clock::{sleep_until, Clock};
use crate::store::Store;
use chrono::TimeDelta;
use tokio_util::sync::CancellationToken;

/// How often expired rows are looked for: what is due to go is gone at
/// most this late.
pub const SWEEP_EVERY: TimeDelta = TimeDelta::minutes(1);

/// Forget expired rows now and every [`SWEEP_EVERY`] until `shutdown`.
pub(super) async fn sweep<K: Clock>(
    store: Store,
    clock: std::sync::Arc<K>,
    shutdown: CancellationToken,
) {
    loop {
        let now = clock.now();
        match store.forget_expired_journal(now).await {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "expired journal rows forgotten"),
            Err(error) => tracing::warn!(%error, "could not forget expired journal rows"),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = sleep_until(&*clock, now + SWEEP_EVERY) => {}
        }
    }
}
