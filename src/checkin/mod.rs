//! Daily check-ins' own rules: zones and the mood chart. The scheduler
//! that delivers them is `crate::schedule`; the time of day and next-due
//! maths are in `crate::daily`.

pub mod chart;
pub mod mood;
pub mod zone;
