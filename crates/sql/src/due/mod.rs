//! What the scheduler claims, one module per kind of due item: the rows
//! due now, moving each on so only its claimer sends it, giving back a
//! claim not sent, and the earliest instant one falls due. Each claim runs
//! inside the caller's write transaction, with every other kind's; on
//! PostgreSQL the due rows are locked `FOR UPDATE SKIP LOCKED`, so
//! processes claiming at once take different rows instead of waiting.

pub mod checkins;
pub mod counts;
pub mod journal_reminders;
pub mod posts;
pub mod waits;

pub use checkins::DueCheckins;
pub use counts::DueCounts;
pub use journal_reminders::DueJournalReminders;
pub use posts::DuePosts;
pub use waits::DueWaits;
