//! Bounds on a request's target and header section, answered in the JSON error format.
//!
//! hyper refuses a target over 64 KiB (414), a header section over its read buffer (about
//! 400 KiB) or more than 100 headers (431) itself, with an empty body and before any
//! middleware runs. The size limits here sit well below hyper's, so a request over them
//! reaches the stack and gets a JSON 414/431 with its request id; only requests far beyond
//! them get hyper's bare answer. (hyper's header count is left at its default: a higher one
//! would cost two heap allocations per request on every request.)

use std::task::{Context, Poll};

use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::{Either, Ready, ready};
use tower::{Layer, Service};

use super::error::ApiError;

/// Longest request target (path and query) accepted.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest header section accepted (names, values and their separators).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The answer for a request over a limit, if it is.
pub fn check<B>(request: &Request<B>) -> Option<ApiError> {
    let uri = request.uri();
    let target = uri.path_and_query().map_or(0, |p| p.as_str().len())
        + uri.authority().map_or(0, |a| a.as_str().len());
    if target > MAX_URI_BYTES {
        return Some(ApiError::new(StatusCode::URI_TOO_LONG, "Request URI too long"));
    }
    let headers = request.headers();
    if header_bytes(headers) > MAX_HEADER_BYTES {
        return Some(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "Request headers too large",
        ));
    }
    None
}

/// Size of the header section as sent: `name: value\r\n` per header.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RequestLimitsLayer;

impl<S> Layer<S> for RequestLimitsLayer {
    type Service = RequestLimits<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestLimits { inner }
    }
}

#[derive(Debug, Clone)]
pub struct RequestLimits<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for RequestLimits<S>
where
    S: Service<Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match check(&request) {
            Some(error) => Either::Left(ready(Ok(error.into_response()))),
            None => Either::Right(self.inner.call(request)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(request: Request<()>) -> Option<StatusCode> {
        check(&request).map(|e| e.status())
    }

    #[test]
    fn long_targets_and_large_header_sections_are_refused() {
        let ok = Request::builder().uri("/api/pricing").body(()).unwrap();
        assert_eq!(status(ok), None);
        let long = format!("/api/pricing?q={}", "a".repeat(MAX_URI_BYTES));
        let long = Request::builder().uri(long).body(()).unwrap();
        assert_eq!(status(long), Some(StatusCode::URI_TOO_LONG));
        let big = Request::builder()
            .uri("/")
            .header("x-big", "b".repeat(MAX_HEADER_BYTES))
            .body(())
            .unwrap();
        assert_eq!(status(big), Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
    }
}
