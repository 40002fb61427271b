//! Small pieces route groups use. The validation helpers only delegate to the domain's
//! rules (`neptu_shared::domain::validation`), for handlers not yet on checked extractors.

use neptu_http::{ApiError, ApiResult, Issue};
use neptu_shared::domain::validation;

/// Turns collected issues into a validation error.
pub fn finish(issues: Vec<Issue>) -> ApiResult<()> {
    validation::outcome(issues, ()).map_err(ApiError::validation)
}

/// See [`validation::check_wallet`].
pub fn check_wallet(field: &str, value: &str, issues: &mut Vec<Issue>) {
    validation::check_wallet(field, value, issues);
}
