//! How the worker writes its JSON bodies.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use neptu_http::ApiError;
use serde::Serialize;

/// A typed body sent with its keys in alphabetical order at every depth. The worker's bodies
/// have always been built as `serde_json::Value` (whose maps are sorted) and some are cached
/// as text, so going through `Value` keeps every body byte for byte what it was, while the
/// type says (and documents) what it holds.
pub struct Sorted<T>(pub T);

impl<T: Serialize> IntoResponse for Sorted<T> {
    fn into_response(self) -> Response {
        match serde_json::to_value(&self.0) {
            Ok(value) => axum::Json(value).into_response(),
            Err(error) => ApiError::internal(error).into_response(),
        }
    }
}

/// A body already written as JSON text (a cached one).
pub fn json_text(body: String) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}
