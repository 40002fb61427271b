//! The daily reading: the date-only Peluang of a day plus its full calendar information.

use serde::Serialize;

use super::date::CivilDate;
use super::paringkelan::Paringkelan;
use super::pawukon::Pawukon;
use super::rahinan::{Rahinan, is_nyepi, pawukon_rahinan};
use super::reading::Peluang;

/// What the daily-reading job stores and serves for one date.
///
/// It is a Peluang without birth date (all Peluang keys at the top level, as the original
/// `daily_readings.reading_data` was exactly one Peluang), with these extra keys:
/// `pawukon` (cycle day, wuku with bhatara, all ten wewaran with Balinese names, urip),
/// `paringkelan`, `rahinan` (holy-day names, possibly empty) and `is_nyepi` (`null` outside the
/// years of the Nyepi table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyReading {
    /// The date-only Peluang, flattened into this object.
    #[serde(flatten)]
    pub peluang: Peluang,
    /// The full Pawukon of the day.
    pub pawukon: Pawukon,
    /// Paringkelan.
    pub paringkelan: Paringkelan,
    /// Holy days falling on this date (Pawukon rules, plus Nyepi from its table).
    pub rahinan: Vec<Rahinan>,
    /// Whether the day is Nyepi; `None` when the year is outside the Nyepi table.
    pub is_nyepi: Option<bool>,
}

impl DailyReading {
    /// The daily reading of `date`.
    pub fn of(date: CivilDate) -> Self {
        let pawukon = Pawukon::of(date);
        let is_nyepi = is_nyepi(date);
        let mut rahinan = pawukon_rahinan(&pawukon);
        if is_nyepi == Some(true) {
            rahinan.push(Rahinan::Nyepi);
        }
        Self {
            peluang: Peluang::of(date, None),
            paringkelan: Paringkelan::of(&pawukon),
            pawukon,
            rahinan,
            is_nyepi,
        }
    }
}
