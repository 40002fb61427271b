//! How values look in JSON bodies, shared by every DTO so the formats cannot drift.
//!
//! Timestamps are RFC 3339 UTC with milliseconds (`2026-02-13T08:00:00.000Z`), the format
//! the web app was built against. Amounts are `numeric` in Postgres and JSON numbers on the
//! wire: use `rust_decimal::serde::float` / `float_option` on those fields.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

/// Formats a timestamp the way every response does.
pub fn format_timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `#[serde(serialize_with = "wire::timestamp")]`
pub fn timestamp<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_timestamp(at))
}

/// `#[serde(serialize_with = "wire::timestamp_opt")]`
pub fn timestamp_opt<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&format_timestamp(at)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_have_milliseconds_and_z() {
        let at = Utc.with_ymd_and_hms(2026, 2, 13, 8, 0, 0).unwrap();
        assert_eq!(format_timestamp(&at), "2026-02-13T08:00:00.000Z");
        let at = at + chrono::Duration::microseconds(123_456);
        assert_eq!(format_timestamp(&at), "2026-02-13T08:00:00.123Z");
    }
}
