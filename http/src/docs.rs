//! Schemas of the error bodies, for the OpenAPI documents of both binaries.

use serde::Serialize;

/// A handler error: `{"success": false, "error": "message"}`, sometimes with extra keys
/// (`requiresBirthDate`, `retryAfter`). For validation failures `error` is
/// `{"name": "ValidationError", "issues": [{"path": [...], "message": "..."}]}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub success: bool,
    /// A message, or the validation object.
    pub error: serde_json::Value,
}

/// Unknown route (404) or unexpected failure (500): `{"error": "...", "message": "..."}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FailureBody {
    pub error: String,
    pub message: String,
}
