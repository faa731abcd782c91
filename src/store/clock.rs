//! The database's clock. Processes sharing a database may run on machines
//! whose clocks disagree; every instant one of them writes for another to
//! read (when a check-in is due, when a wait ends, when a try Discord may
//! have acted on was made) is on the database's clock, so they agree. It is
//! read at open and again at each beat (`Store::read_clock`), and kept as
//! how far it is from this machine's, so asking the time costs nothing.

use super::{Store, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use steady_sql::Backend;

/// The database's clock less this machine's, in milliseconds.
#[derive(Debug, Default)]
pub(super) struct Skew(AtomicI64);

impl Store {
    /// Now, on the database's clock (as of its last reading, corrected by
    /// this machine's since).
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::milliseconds(self.skew.0.load(Ordering::Relaxed))
    }

    /// Read the database's clock again: this machine's may have been
    /// corrected, or drift.
    pub async fn read_clock(&self) -> Result<(), StoreError> {
        let asked = Utc::now();
        let database = on_backend!(self, pool: B => B::clock(&mut *pool.acquire().await?).await?);
        let answered = Utc::now();
        // Read halfway between asking and hearing back.
        let here = asked + (answered - asked) / 2;
        let skew = database - here.timestamp_millis();
        self.skew.0.store(skew, Ordering::Relaxed);
        Ok(())
    }
}
