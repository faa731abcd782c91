//! Daily check-ins: pure maths (time of day, zones, next due instant, the
//! mood chart) and the scheduler that delivers them at most once. Knows
//! nothing of Discord: delivery goes through the [`scheduler::Courier`] trait.

pub mod chart;
pub mod due;
pub mod mood;
pub mod scheduler;
pub mod time;
pub mod zone;
