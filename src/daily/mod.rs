//! A time of day on a wall clock, and the next instant that clock shows it:
//! the maths both a person's daily check-in and a server's daily moment
//! run on. Pure, and below both the store and the scheduler, so the store
//! can advance a claimed row without importing the code that schedules it.

pub mod due;
pub mod time;
