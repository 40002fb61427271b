//! What the worker's admin jobs view (`GET /api/jobs`) accepts.

/// Recent runs shown per job when the caller does not say.
pub const DEFAULT_RUNS: i64 = 10;
/// The most recent runs shown per job.
pub const MAX_RUNS: i64 = 100;

/// The recent runs shown per job: `limit` in `1..=MAX_RUNS`, [`DEFAULT_RUNS`] when absent.
/// The error is the whole 400 message, as the worker has always sent it.
pub fn runs_limit(limit: Option<i64>) -> Result<i64, String> {
    let limit = limit.unwrap_or(DEFAULT_RUNS);
    if (1..=MAX_RUNS).contains(&limit) {
        Ok(limit)
    } else {
        Err(format!("limit must be between 1 and {MAX_RUNS}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_defaults_and_stays_in_range() {
        assert_eq!(runs_limit(None), Ok(DEFAULT_RUNS));
        assert_eq!(runs_limit(Some(1)), Ok(1));
        assert_eq!(runs_limit(Some(MAX_RUNS)), Ok(MAX_RUNS));
        assert_eq!(
            runs_limit(Some(0)),
            Err("limit must be between 1 and 100".to_owned())
        );
        assert!(runs_limit(Some(MAX_RUNS + 1)).is_err());
    }
}
