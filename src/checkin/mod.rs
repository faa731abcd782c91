//! Daily check-ins: zones, the mood chart, and the scheduler that delivers
//! them (and the ends of waits, and servers' daily moments) at most once.
//! The time of day and next-due maths are in `crate::daily`. Knows nothing
//! of Discord: delivery goes through the [`scheduler::Courier`] trait.

pub mod chart;
pub mod mood;
pub mod scheduler;
pub mod zone;
