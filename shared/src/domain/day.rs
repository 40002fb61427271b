//! A day as the worker's routes take it in a path or body: strictly `YYYY-MM-DD` (no shorter
//! month or day, no time) and a real date in the calendar engine's range.

use neptu_wariga::CivilDate;

/// The day `text` names, or `None` when it is not one (the routes answer
/// `oracle::BAD_DATE`).
pub fn parse_day(text: &str) -> Option<CivilDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    CivilDate::parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_well_formed() {
        assert!(parse_day("2024-02-29").is_some());
        assert!(parse_day("2024-02-31").is_none());
        assert!(parse_day("2024-2-01").is_none());
        assert!(parse_day("2024-02-01T00:00").is_none());
        assert!(parse_day("1700-01-01").is_none(), "outside the engine's range");
    }
}
