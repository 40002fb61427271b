//! Request values shared by several routes.

use neptu_http::ApiError;
use neptu_wariga::CivilDate;

/// The original's message for a date that is not `YYYY-MM-DD`.
pub use neptu_shared::oracle::BAD_DATE;

/// A `YYYY-MM-DD` path or body value that is a real calendar date in the engine's range.
pub fn date(text: &str) -> Result<CivilDate, ApiError> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(ApiError::bad_request(BAD_DATE));
    }
    CivilDate::parse(text).map_err(|_| ApiError::bad_request(BAD_DATE))
}

/// Today in UTC, as the original's `new Date()` on a UTC server.
pub fn today() -> Result<CivilDate, ApiError> {
    CivilDate::new(chrono::Utc::now().date_naive()).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_well_formed() {
        assert!(date("2024-02-29").is_ok());
        assert!(date("2024-02-31").is_err());
        assert!(date("2024-2-01").is_err());
        assert!(date("2024-02-01T00:00").is_err());
        assert!(date("1700-01-01").is_err(), "outside the engine's range");
    }
}
