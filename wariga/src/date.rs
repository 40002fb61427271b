//! The validated civil date every reading starts from.
//!
//! The Balinese day starts at sunrise, but the service works on plain civil (Gregorian) dates and
//! never converts time zones: a reading for `2026-06-17` is the reading of that calendar day.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::WarigaError;

/// First supported date. The Pawukon arithmetic works for any date; the range is a product
/// decision that bounds what callers may ask for (ours).
pub const MIN_DATE: NaiveDate = ymd(1800, 1, 1);
/// Last supported date (ours, see [`MIN_DATE`]).
pub const MAX_DATE: NaiveDate = ymd(2200, 12, 31);

/// Offset of Asia/Makassar (WITA, UTC+8), the time zone in which "today" is decided. Bali has
/// no daylight-saving time, so a fixed offset is exact.
const WITA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("invalid constant offset"),
};

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// A real calendar date inside [`MIN_DATE`]..=[`MAX_DATE`].
///
/// Holding one proves the date was validated, so every reading function that takes it is
/// infallible. It serializes as `"YYYY-MM-DD"`, the format of the reading payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate(NaiveDate);

impl CivilDate {
    /// Checks that `date` lies in the supported range.
    pub fn new(date: NaiveDate) -> Result<Self, WarigaError> {
        if (MIN_DATE..=MAX_DATE).contains(&date) {
            Ok(Self(date))
        } else {
            Err(WarigaError::OutOfRange { date })
        }
    }

    /// Builds a date from its parts; fails for impossible dates and dates out of range.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Self, WarigaError> {
        let date =
            NaiveDate::from_ymd_opt(year, month, day).ok_or(WarigaError::InvalidDate { year, month, day })?;
        Self::new(date)
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, zero-padded), the format of every API input.
    ///
    /// Stricter than chrono's `%Y-%m-%d`, which also accepts unpadded fields and signs: the API
    /// contract is the fixed ten-character form, and anything else is [`WarigaError::InvalidFormat`].
    pub fn parse(text: &str) -> Result<Self, WarigaError> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !well_formed {
            return Err(WarigaError::InvalidFormat);
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        // Four digits always fit an i32; the conversion cannot fail but is written fallibly.
        let year = i32::try_from(number(0..4)).map_err(|_| WarigaError::InvalidFormat)?;
        Self::from_ymd(year, number(5..7), number(8..10))
    }

    /// Today's date in Bali (Asia/Makassar, UTC+8), the date "today" readings use.
    ///
    /// Fails only if the clock is outside the supported range.
    pub fn today_wita() -> Result<Self, WarigaError> {
        Self::new(Utc::now().with_timezone(&WITA).date_naive())
    }

    /// The underlying chrono date.
    pub const fn naive(self) -> NaiveDate {
        self.0
    }

    /// Day count with 0001-01-01 = 1 (the "R.D." of Calendrical Calculations).
    pub fn rata_die(self) -> i32 {
        self.0.num_days_from_ce()
    }

    /// The next day, if it is still in range.
    pub fn succ(self) -> Option<Self> {
        self.0.succ_opt().and_then(|d| Self::new(d).ok())
    }
}

impl TryFrom<NaiveDate> for CivilDate {
    type Error = WarigaError;

    fn try_from(date: NaiveDate) -> Result<Self, Self::Error> {
        Self::new(date)
    }
}

impl From<CivilDate> for NaiveDate {
    fn from(date: CivilDate) -> Self {
        date.0
    }
}

impl FromStr for CivilDate {
    type Err = WarigaError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Years in range are four digits, so this is always YYYY-MM-DD.
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Serialize for CivilDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Format into a stack buffer: serializing a reading should not allocate for its date.
        let mut buf = [0u8; 10];
        write_digits(&mut buf[0..4], self.0.year().unsigned_abs());
        buf[4] = b'-';
        write_digits(&mut buf[5..7], self.0.month());
        buf[7] = b'-';
        write_digits(&mut buf[8..10], self.0.day());
        // Only ASCII digits and dashes were written.
        let text = std::str::from_utf8(&buf).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
    }
}

impl<'de> Deserialize<'de> for CivilDate {
    /// Accepts exactly what [`CivilDate::parse`] accepts, so request structs can hold a
    /// `CivilDate` directly; the error message is the [`WarigaError`] text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Writes `value` right-aligned and zero-padded into `out`.
fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        // `value % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// `YYYY-MM-DD` in the supported years; the API documents dates with this pattern.
pub const DATE_PATTERN: &str = r"^(18\d\d|19\d\d|20\d\d|21\d\d|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$";

impl utoipa::PartialSchema for CivilDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .pattern(Some(DATE_PATTERN))
            .description(Some(
                "A real calendar date, `YYYY-MM-DD`, from 1800-01-01 to 2200-12-31",
            ))
            .into()
    }
}

impl utoipa::ToSchema for CivilDate {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_strict_form_only() {
        assert_eq!(
            CivilDate::parse("2026-06-17").map(|d| d.to_string()),
            Ok("2026-06-17".to_owned())
        );
        for bad in [
            "",
            "2026-6-17",
            "2026-06-7",
            "20260617",
            "2026/06/17",
            "+026-06-17",
            "2026-06-17 ",
            " 2026-06-17",
            "２０２６-06-17",
            "abcd-ef-gh",
            "2026-06-1x",
        ] {
            assert_eq!(CivilDate::parse(bad), Err(WarigaError::InvalidFormat), "{bad:?}");
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(
            CivilDate::parse("2024-02-31"),
            Err(WarigaError::InvalidDate {
                year: 2024,
                month: 2,
                day: 31
            })
        );
        assert!(CivilDate::parse("2023-02-29").is_err());
        assert!(CivilDate::parse("2024-02-29").is_ok());
        assert!(CivilDate::parse("2026-13-01").is_err());
        assert!(CivilDate::parse("2026-00-10").is_err());
        assert!(CivilDate::parse("2026-01-00").is_err());
    }

    #[test]
    fn enforces_the_range_at_both_ends() {
        assert!(CivilDate::parse("1800-01-01").is_ok());
        assert!(CivilDate::parse("2200-12-31").is_ok());
        assert!(matches!(
            CivilDate::parse("1799-12-31"),
            Err(WarigaError::OutOfRange { .. })
        ));
        assert!(matches!(
            CivilDate::parse("2201-01-01"),
            Err(WarigaError::OutOfRange { .. })
        ));
        assert_eq!(
            CivilDate::parse("2200-12-31").ok().and_then(CivilDate::succ),
            None
        );
    }

    #[test]
    fn serde_round_trip_as_iso_string() {
        let date = CivilDate::from_ymd(1800, 1, 9).expect("valid date");
        let json = serde_json::to_string(&date).expect("serializes");
        assert_eq!(json, "\"1800-01-09\"");
        assert_eq!(serde_json::from_str::<CivilDate>(&json).ok(), Some(date));
        let err = serde_json::from_str::<CivilDate>("\"2024-02-31\"").err();
        assert!(err.is_some_and(|e| e.to_string().contains("not a real calendar date")));
    }
}
