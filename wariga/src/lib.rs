//! Wariga: the Balinese calendar engine and the Neptu reading model. Pure: no I/O, no clock
//! except [`CivilDate::today_wita`].
//!
//! Every rule and table in this crate says where it comes from: a public source (named in the
//! module) or "ours", for the fields whose original formulas were never published. The test
//! vectors in `tests/wariga/vectors.rs` come from those public sources, never from this engine.
//!
//! # Using it
//!
//! Validate input once, then every reading is infallible:
//!
//! | call | returns |
//! |---|---|
//! | [`CivilDate::parse`]`("YYYY-MM-DD")` | a date in 1800-01-01..=2200-12-31, or a [`WarigaError`] |
//! | [`CivilDate::today_wita`]`()` | today in Bali (UTC+8) |
//! | [`pawukon`]`(date)` | [`Pawukon`]: cycle day, wuku, the ten wewaran, urip |
//! | [`potensi`]`(birth)` | [`Potensi`] (`GET /reading/potensi`) |
//! | [`peluang`]`(target, Option<birth>)` | [`Peluang`] (`GET /reading/peluang`, `/today`) |
//! | [`full_reading`]`(birth, target)` | [`FullReading`] `{potensi, peluang}` (`GET /reading/full`) |
//! | [`compatibility`]`(a, b)` | [`CompatibilityResult`] (`POST /reading/compatibility`) |
//! | [`compatibility_batch`]`(&dates)` | all pairs of 2..=5 people, or [`WarigaError::BatchSize`] |
//! | [`daily_reading`]`(date)` | [`DailyReading`]: date-only Peluang plus wewaran, paringkelan, rahinan, Nyepi |
//!
//! All reading types implement `serde::Serialize` with the exact field names and uppercase name
//! strings of the original Neptu payloads (snake_case inside readings; `mitraSatru`,
//! `person1Frekuensi`, `isMatch` … in compatibility). Serialization is deterministic.
//! [`CivilDate`] also implements `Deserialize` (same rules as [`CivilDate::parse`]), so request
//! types can hold it directly.
//!
//! # Performance
//!
//! The 210 possible Pawukon days are computed once ([`std::sync::LazyLock`]); a reading is a
//! table lookup plus a few small-table lookups, with no allocation (batches and daily readings
//! allocate their vectors).
//!
//! ```
//! use neptu_wariga::{self as wariga, CivilDate};
//!
//! let birth = CivilDate::parse("1990-05-15")?;
//! let reading = wariga::potensi(birth);
//! assert_eq!(reading.base.wuku.name, "MERAKIH");
//! assert_eq!(reading.base.total_urip, 10);
//! assert!(CivilDate::parse("2024-02-31").is_err());
//! # Ok::<(), wariga::WarigaError>(())
//! ```

mod compatibility;
mod cycle;
mod daily;
mod date;
mod error;
mod frekuensi;
mod items;
mod paringkelan;
mod pawukon;
mod rahinan;
mod reading;
mod vocab;
mod wewaran;
mod wuku;

pub use compatibility::{
    CompatibilityPair, CompatibilityResult, DimensionComparison, MitraSatru, Scores, compatibility_batch,
};
pub use daily::DailyReading;
pub use date::{CivilDate, MAX_DATE, MIN_DATE};
pub use error::WarigaError;
pub use frekuensi::{Category, Frekuensi};
pub use items::{Afirmasi, DayItem, Dualitas, Gender, GenderPattern, Item, Purpose, WukuItem};
pub use paringkelan::{Named, Paringkelan};
pub use pawukon::{CYCLE_DAYS, Pawukon, cycle_day_of};
pub use rahinan::{NYEPI_FIRST_YEAR, NYEPI_LAST_YEAR, Rahinan, is_nyepi, nyepi, pawukon_rahinan};
pub use reading::{BaseReading, FullReading, Peluang, Potensi};
pub use wewaran::{
    Astawara, Caturwara, Dasawara, Dwiwara, Ekawara, Pancawara, Sadwara, Sangawara, Saptawara, Triwara,
};
pub use wuku::Wuku;

/// Fewest people in a compatibility batch (Neptu `MIN_COMPATIBILITY_PEOPLE`).
pub const MIN_COMPATIBILITY_PEOPLE: usize = 2;
/// Most people in a compatibility batch (Neptu `MAX_COMPATIBILITY_PEOPLE`).
pub const MAX_COMPATIBILITY_PEOPLE: usize = 5;

/// The Pawukon of a date.
pub fn pawukon(date: CivilDate) -> Pawukon {
    Pawukon::of(date)
}

/// The Potensi (birth reading) of a birth date.
pub fn potensi(birth: CivilDate) -> Potensi {
    Potensi::of(birth)
}

/// The Peluang (day reading) of `target`, personalised when a birth date is given.
pub fn peluang(target: CivilDate, birth: Option<CivilDate>) -> Peluang {
    Peluang::of(target, birth)
}

/// Potensi of `birth` and Peluang of `target` for that person.
pub fn full_reading(birth: CivilDate, target: CivilDate) -> FullReading {
    FullReading::of(birth, target)
}

/// Compatibility of two birth dates, in that order.
pub fn compatibility(birth1: CivilDate, birth2: CivilDate) -> CompatibilityResult {
    CompatibilityResult::of_dates(birth1, birth2)
}

/// The daily reading of a date: the date-only Peluang plus calendar extras.
pub fn daily_reading(date: CivilDate) -> DailyReading {
    DailyReading::of(date)
}
