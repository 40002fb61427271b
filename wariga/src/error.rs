//! The one error type of the calendar engine.

use chrono::NaiveDate;

use super::date::{MAX_DATE, MIN_DATE};
use super::{MAX_COMPATIBILITY_PEOPLE, MIN_COMPATIBILITY_PEOPLE};

/// Everything that can go wrong when asking the engine for a reading.
///
/// Every variant is caused by the caller's input, never by the engine, so the HTTP layer can map
/// the whole enum to a 400. The messages are short, user-presentable sentences.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarigaError {
    /// The text is not of the form `YYYY-MM-DD` (four-digit year, two-digit month and day).
    #[error("date must be in YYYY-MM-DD format")]
    InvalidFormat,
    /// The text has the right form but names no real day, such as `2024-02-31`.
    #[error("{year:04}-{month:02}-{day:02} is not a real calendar date")]
    InvalidDate {
        /// Year as written.
        year: i32,
        /// Month as written.
        month: u32,
        /// Day as written.
        day: u32,
    },
    /// A real date outside the supported range ([`MIN_DATE`]..=[`MAX_DATE`]).
    #[error("date {date} is outside the supported range {MIN_DATE}..={MAX_DATE}")]
    OutOfRange {
        /// The rejected date.
        date: NaiveDate,
    },
    /// A compatibility batch needs between 2 and 5 people.
    #[error(
        "a compatibility batch needs {MIN_COMPATIBILITY_PEOPLE} to {MAX_COMPATIBILITY_PEOPLE} birth dates, got {len}"
    )]
    BatchSize {
        /// How many dates were given.
        len: usize,
    },
}
