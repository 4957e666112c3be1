//! The one place that reads the clock. The core takes "now" as an argument (an [`Actor`]'s
//! `now`, a query's `as_of`); the two shells — the window's commands and the command line —
//! read it here, once per operation, so tests and the deadline engine can fix the time.
//!
//! [`Actor`]: crate::store::Actor

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

/// The current moment in local time (with its UTC offset).
pub fn now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

/// Today's local calendar day.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}
