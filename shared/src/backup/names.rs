//! Dump file names and the retention rule. The time is in the name, so retention never
//! depends on file times a copy or a restore from a bucket may have changed, and files that
//! are not ours are never touched.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

const PREFIX: &str = "neptu-";
const SUFFIX: &str = ".dump";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// `neptu-20261125T030000Z.dump`.
pub fn dump_name(at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.format(TIME_FORMAT))
}

/// When a dump named by [`dump_name`] was taken; `None` for any other name.
pub fn dump_time(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, TIME_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

/// The dumps among `names` taken more than `keep_days` days before `now`; none when
/// `keep_days` is 0.
pub fn expired(names: &[String], now: DateTime<Utc>, keep_days: u32) -> Vec<String> {
    if keep_days == 0 {
        return Vec::new();
    }
    let cutoff = now - TimeDelta::days(i64::from(keep_days));
    names
        .iter()
        .filter(|name| dump_time(name).is_some_and(|taken| taken < cutoff))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn names_round_trip() {
        let name = dump_name(at(25, 3));
        assert_eq!(name, "neptu-20261125T030000Z.dump");
        assert_eq!(dump_time(&name), Some(at(25, 3)));
        assert_eq!(dump_time("neptu-20261125T030000Z.dump.partial"), None);
        assert_eq!(dump_time("other-20261125T030000Z.dump"), None);
        assert_eq!(dump_time("neptu-2026.dump"), None);
    }

    #[test]
    fn only_our_dumps_past_the_retention_expire() {
        let names: Vec<String> = [
            dump_name(at(10, 3)),
            dump_name(at(17, 3)),
            dump_name(at(18, 3)),
            dump_name(at(25, 3)),
            "notes.txt".to_owned(),
            "neptu-old.dump".to_owned(),
        ]
        .into();
        // Seven days before 25 Nov 03:00 is 18 Nov 03:00: that one is kept.
        assert_eq!(
            expired(&names, at(25, 3), 7),
            vec![dump_name(at(10, 3)), dump_name(at(17, 3))]
        );
        assert!(expired(&names, at(25, 3), 0).is_empty());
        assert_eq!(expired(&names, at(25, 3), 1).len(), 3);
    }
}
