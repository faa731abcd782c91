//! Daily check-ins: pure maths (time of day, zones, next due instant, the
//! mood chart) and the scheduler that delivers them at most once. Knows
//! nothing of Discord.

pub mod chart;
pub mod due;
pub mod mood;
pub mod time;
pub mod zone;
