//! What the scheduler claims, one module per kind of due item
//! (`steady::schedule` says what each means). Each claim's due rows are
//! locked `FOR UPDATE SKIP LOCKED`, so processes claiming at once take
//! different rows instead of waiting for each other.

mod checkins;
mod counts;
mod journal_reminders;
mod posts;
mod waits;
