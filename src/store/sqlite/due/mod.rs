//! What the scheduler claims, one module per kind of due item
//! (`crate::schedule` says what each means). Each claim runs in a write
//! transaction, which holds the whole database: no row needs a lock of its
//! own.

mod checkins;
mod counts;
mod journal_reminders;
mod posts;
mod waits;
