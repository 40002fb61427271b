//! The outermost layer: gives every request an id and every response its fixed headers.
//!
//! One layer instead of five (set request id, echo it, three security headers): each tower
//! layer adds a service and a future around every request, and on the probe routes that
//! overhead was the larger part of the cost.
//!
//! It also records the request metrics: `http_requests_total{method,route,status}`,
//! `http_request_duration_seconds{method,route}` and `http_requests_in_flight`, where `route`
//! is the matched route template (never the raw path, which would explode the series).
//!
//! Request ids come from the client's `x-request-id` when it is sane (visible ASCII, at most
//! 128 bytes), else are generated: a UUID whose first half is random per process and whose
//! second half counts requests, so ids are unique across replicas without a random-number
//! call per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, header};
use tower::{Layer, Service};
use tower_http::request_id::RequestId;

use super::Draining;

pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

const MAX_CLIENT_ID_LEN: usize = 128;

#[derive(Clone)]
pub struct EnvelopeLayer {
    headers: Arc<[(HeaderName, HeaderValue)]>,
    draining: Draining,
}

impl EnvelopeLayer {
    /// `hsts` adds Strict-Transport-Security (only meaningful behind TLS); while `draining`
    /// is set, every response closes its connection.
    pub fn new(hsts: bool, draining: Draining) -> Self {
        let mut headers = vec![
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        ];
        if hsts {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self {
            headers: headers.into(),
            draining,
        }
    }
}

impl<S> Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Envelope {
            inner,
            headers: Arc::clone(&self.headers),
            draining: self.draining.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Envelope<S> {
    inner: S,
    headers: Arc<[(HeaderName, HeaderValue)]>,
    draining: Draining,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Envelope<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = EnvelopeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let id = match request.headers().get(&X_REQUEST_ID) {
            Some(given) if is_acceptable(given) => given.clone(),
            _ => {
                let id = generate();
                request.headers_mut().insert(X_REQUEST_ID.clone(), id.clone());
                id
            }
        };
        request.extensions_mut().insert(RequestId::new(id.clone()));
        // Label strings are only worth building when a recorder will take them.
        let measure = crate::metrics::enabled()
            .then(|| Measure::start(request.method(), request.extensions().get::<MatchedPath>()));
        EnvelopeFuture {
            inner: self.inner.call(request),
            id: Some(id),
            headers: Arc::clone(&self.headers),
            close: self.draining.is_set(),
            measure,
        }
    }
}

pin_project_lite::pin_project! {
    pub struct EnvelopeFuture<F> {
        #[pin]
        inner: F,
        id: Option<HeaderValue>,
        headers: Arc<[(HeaderName, HeaderValue)]>,
        close: bool,
        measure: Option<Measure>,
    }
}

impl<F, ResBody, E> Future for EnvelopeFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        if let Some(measure) = this.measure {
            measure.finish(response.status().as_str());
        }
        let headers = response.headers_mut();
        headers.reserve(this.headers.len() + 2);
        if *this.close {
            // Draining: the client should not send its next request down this connection.
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(id) = this.id.take() {
            headers.insert(X_REQUEST_ID.clone(), id);
        }
        for (name, value) in this.headers.iter() {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        Poll::Ready(Ok(response))
    }
}

/// Request metrics of one request; the in-flight gauge goes down even if the request is
/// dropped before it completes (client gone).
struct Measure {
    started: Instant,
    method: &'static str,
    route: String,
}

impl Measure {
    fn start(method: &Method, route: Option<&MatchedPath>) -> Self {
        metrics::gauge!("http_requests_in_flight").increment(1.0);
        Self {
            started: Instant::now(),
            method: method_label(method),
            route: route.map_or_else(|| "unmatched".to_owned(), |r| r.as_str().to_owned()),
        }
    }

    fn finish(&self, status: &str) {
        let labels = [("method", self.method.to_owned()), ("route", self.route.clone())];
        metrics::histogram!("http_request_duration_seconds", &labels)
            .record(self.started.elapsed().as_secs_f64());
        let [method, route] = labels;
        metrics::counter!(
            "http_requests_total",
            &[method, route, ("status", status.to_owned())]
        )
        .increment(1);
    }
}

impl Drop for Measure {
    fn drop(&mut self) {
        metrics::gauge!("http_requests_in_flight").decrement(1.0);
    }
}

/// A fixed label per method, so an odd method cannot create new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        _ => "OTHER",
    }
}

fn is_acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty() && bytes.len() <= MAX_CLIENT_ID_LEN && bytes.iter().all(|b| b.is_ascii_graphic())
}

fn generate() -> HeaderValue {
    static PROCESS: LazyLock<u64> = LazyLock::new(|| uuid::Uuid::new_v4().as_u64_pair().0);
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut buffer = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid::Uuid::from_u64_pair(*PROCESS, n)
        .hyphenated()
        .encode_lower(&mut buffer);
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_distinct_uuids() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        let a = a.to_str().unwrap();
        assert!(uuid::Uuid::parse_str(a).is_ok(), "{a}");
    }

    #[test]
    fn client_ids_are_checked() {
        assert!(is_acceptable(&HeaderValue::from_static("abc-123")));
        assert!(!is_acceptable(&HeaderValue::from_static("")));
        assert!(!is_acceptable(&HeaderValue::from_static("has space")));
        assert!(!is_acceptable(&HeaderValue::from_str(&"x".repeat(200)).unwrap()));
    }
}
