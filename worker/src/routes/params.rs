//! Request values shared by several routes, read by extractors that hand them to the
//! domain's rules.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use neptu_http::{ApiError, Path, Query};
use neptu_shared::domain::day::parse_day;
use neptu_shared::domain::jobs::runs_limit;
use neptu_wariga::CivilDate;
use serde::Deserialize;
use utoipa::IntoParams;

/// The original's message for a date that is not `YYYY-MM-DD`.
pub use neptu_shared::oracle::BAD_DATE;

/// A `YYYY-MM-DD` path value (the route's only one) that is a real calendar date in the
/// engine's range (`domain::day::parse_day`); the original's plain 400 otherwise.
pub struct DatePath(pub CivilDate);

impl<S: Send + Sync> FromRequestParts<S> for DatePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(text) = Path::<String>::from_request_parts(parts, state).await?;
        date(&text).map(Self)
    }
}

/// A `YYYY-MM-DD` value that is a real calendar date in the engine's range.
pub fn date(text: &str) -> Result<CivilDate, ApiError> {
    parse_day(text).ok_or_else(|| ApiError::bad_request(BAD_DATE))
}

/// The query string of `GET /api/jobs`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// Recent runs shown per job: 1 to 100, default 10.
    limit: Option<i64>,
}

/// The recent runs shown per job, checked by `domain::jobs::runs_limit`. Not a
/// `CheckedQuery`: its 400 has always been the plain message, not the validation shape.
pub struct RunsLimit(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RunsLimit {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(query) = Query::<JobsQuery>::from_request_parts(parts, state).await?;
        runs_limit(query.limit).map(Self).map_err(ApiError::bad_request)
    }
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
