//! Paced exercises, knowing nothing of Discord: a pattern becomes a plan of
//! timed frames, and a runner shows them on a screen on a precise clock.

pub mod breathe;
pub mod pattern;
pub mod plan;
pub mod relax;
pub mod runner;
