//! What every outside client shares: one `reqwest::Client` with connect and total timeouts,
//! retries with backoff for idempotent calls, a circuit breaker, JSON decoding that turns a
//! malformed body into an error (never a panic), and counters.

use std::future::Future;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::breaker::{BreakerState, CircuitBreaker, Transition};
use crate::config::OutboundSettings;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub timeout: Duration,
    /// Extra tries for idempotent calls after a timeout, a connection error or a 5xx.
    pub retries: u32,
    /// Wait before the first extra try; doubles for each further one.
    pub retry_backoff: Duration,
    /// Consecutive failures that open the breaker, and how long it stays open.
    pub breaker_threshold: u32,
    pub breaker_cooldown: Duration,
}

impl ClientOptions {
    /// The production policy (README, Architecture): breaker open after 3 failures for 5 minutes.
    pub fn from_settings(settings: &OutboundSettings) -> Self {
        Self {
            connect_timeout: settings.connect_timeout,
            timeout: settings.timeout,
            retries: 2,
            retry_backoff: Duration::from_millis(250),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("{0} not configured")]
    NotConfigured(&'static str),
    #[error("{0}: skipped while the service is failing (circuit open)")]
    CircuitOpen(&'static str),
    #[error("{0}: no answer in time")]
    Timeout(&'static str),
    #[error("{service}: connection failed: {message}")]
    Connect { service: &'static str, message: String },
    #[error("{service} returned {status}")]
    Status {
        service: &'static str,
        status: u16,
        retry_after: Option<u64>,
    },
    #[error("{service}: malformed response: {message}")]
    Malformed { service: &'static str, message: String },
    /// A JSON-RPC error object: the service answered, it refused this call.
    #[error("{service} refused the call ({code}): {message}")]
    Rpc {
        service: &'static str,
        code: i64,
        message: String,
    },
}

impl ClientError {
    /// Worth another try of the same idempotent call right away.
    fn retryable(&self) -> bool {
        match self {
            ClientError::Timeout(_) | ClientError::Connect { .. } => true,
            ClientError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Says the service is unhealthy (feeds the breaker); a 4xx other than 429 is our fault.
    fn counts_against_service(&self) -> bool {
        match self {
            ClientError::Status { status, .. } => *status == 429 || *status >= 500,
            ClientError::NotConfigured(_) | ClientError::CircuitOpen(_) | ClientError::Rpc { .. } => false,
            _ => true,
        }
    }

    /// The upstream HTTP status, when the service answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Counters since start, shown to operators by the worker's `/api/jobs`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientStats {
    pub service: &'static str,
    pub requests: u64,
    pub failures: u64,
    pub retries: u64,
    pub breaker: &'static str,
}

impl ClientStats {
    /// Publishes the breaker's state (0 closed, 1 half-open, 2 open) as a gauge. Called after
    /// every call and when the metrics page is rendered, since an open breaker turns
    /// half-open by the clock alone.
    pub fn publish_breaker_state(&self) {
        let value = match self.breaker {
            "open" => 2.0,
            "half_open" => 1.0,
            _ => 0.0,
        };
        metrics::gauge!("outside_circuit_state", "service" => self.service).set(value);
    }
}

pub struct HttpClient {
    service: &'static str,
    client: reqwest::Client,
    options: ClientOptions,
    breaker: CircuitBreaker,
    requests: AtomicU64,
    failures: AtomicU64,
    retries: AtomicU64,
}

/// reqwest is built without a default TLS crypto provider (the default one, aws-lc, is a
/// heavy C build); ring, already used by sqlx, is installed once per process. Every
/// `reqwest::Client` built in this workspace — tests included — needs this to have run first:
/// [`HttpClient::new`] and the `testing` helpers call it.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only when a provider is already installed, which is what we want anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl HttpClient {
    pub fn new(service: &'static str, options: ClientOptions) -> anyhow::Result<Self> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(concat!("neptu-worker/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| anyhow::anyhow!("building the {service} HTTP client: {e}"))?;
        Ok(Self {
            service,
            client,
            breaker: CircuitBreaker::new(options.breaker_threshold, options.breaker_cooldown),
            options,
            requests: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        })
    }

    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The underlying client, to build requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn stats(&self) -> ClientStats {
        ClientStats {
            service: self.service,
            requests: self.requests.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            breaker: self.breaker.state().as_str(),
        }
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// Sends the request `build` makes and decodes a JSON body. `idempotent` calls are tried
    /// again (with backoff) after a timeout, a connection error or a 5xx.
    pub async fn json<T, F>(&self, idempotent: bool, build: F) -> Result<T, ClientError>
    where
        T: DeserializeOwned,
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.call(idempotent, || async {
            let body = self.send(build(&self.client)).await?;
            decode(self.service, &body)
        })
        .await
    }

    /// Like [`HttpClient::json`] for calls whose answer body does not matter (votes).
    pub async fn send_only<F>(&self, idempotent: bool, build: F) -> Result<(), ClientError>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.call(idempotent, || async {
            self.send(build(&self.client)).await.map(|_| ())
        })
        .await
    }

    async fn call<T, F, Fut>(&self, idempotent: bool, attempt: F) -> Result<T, ClientError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let tries = if idempotent { 1 + self.options.retries } else { 1 };
        let mut backoff = self.options.retry_backoff;
        let mut tried = 0;
        loop {
            if !self.breaker.allow() {
                metrics::counter!("outside_skipped_total", "service" => self.service).increment(1);
                return Err(ClientError::CircuitOpen(self.service));
            }
            tried += 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            metrics::counter!("outside_requests_total", "service" => self.service).increment(1);
            let result = attempt().await;
            match &result {
                Ok(_) => self.success(),
                Err(error) if error.counts_against_service() => self.failure(error),
                // The service answered (a 4xx): it is healthy even though the call failed.
                Err(_) => self.success(),
            }
            match result {
                Err(error) if error.retryable() && tried < tries => {
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    metrics::counter!("outside_retries_total", "service" => self.service).increment(1);
                    tracing::debug!(service = self.service, %error, "retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = backoff.saturating_mul(2);
                }
                other => return other,
            }
        }
    }

    fn success(&self) {
        let transition = self.breaker.record_success();
        self.stats().publish_breaker_state();
        if transition == Transition::Closed {
            tracing::info!(service = self.service, "outside service answers again");
        }
    }

    fn failure(&self, error: &ClientError) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("outside_errors_total", "service" => self.service).increment(1);
        tracing::warn!(service = self.service, %error, "outside call failed");
        let transition = self.breaker.record_failure();
        self.stats().publish_breaker_state();
        if transition == Transition::Opened {
            tracing::warn!(
                service = self.service,
                cooldown_secs = self.options.breaker_cooldown.as_secs(),
                "outside service keeps failing: calls skipped for the cool-down"
            );
        }
    }

    /// One HTTP exchange: the status and the body, or the error it amounts to.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Bytes, ClientError> {
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(ClientError::Status {
                service: self.service,
                status,
                retry_after: retry_after(response.headers()),
            });
        }
        response.bytes().await.map_err(|e| self.transport(e))
    }

    fn transport(&self, error: reqwest::Error) -> ClientError {
        if error.is_timeout() {
            ClientError::Timeout(self.service)
        } else {
            // Without the URL: it adds nothing and some services put keys in query strings.
            ClientError::Connect {
                service: self.service,
                message: error.without_url().to_string(),
            }
        }
    }
}

fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()
}

fn decode<T: DeserializeOwned>(service: &'static str, body: &[u8]) -> Result<T, ClientError> {
    serde_json::from_slice(body).map_err(|e| ClientError::Malformed {
        service,
        message: e.to_string(),
    })
}

/// The base URL with path segments appended, each percent-encoded: a value from a request
/// (a coin id) can never change the path (`../`), the query or the host.
pub fn url_with_segments(
    service: &'static str,
    base: &str,
    segments: &[&str],
) -> Result<reqwest::Url, ClientError> {
    let not_configured = || ClientError::NotConfigured(service);
    let mut url = reqwest::Url::parse(base).map_err(|_| not_configured())?;
    url.path_segments_mut()
        .map_err(|_| not_configured())?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// The URL with query parameters appended (encoded).
pub fn with_query(mut url: reqwest::Url, query: &[(&str, &str)]) -> reqwest::Url {
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_appended_and_encoded() {
        let url = |base, segments: &[&str]| url_with_segments("x", base, segments).unwrap().to_string();
        assert_eq!(
            url("http://h/api/", &["forum", "posts"]),
            "http://h/api/forum/posts"
        );
        assert_eq!(
            url("http://h/api", &["coins", "bitcoin"]),
            "http://h/api/coins/bitcoin"
        );
        assert_eq!(
            url("http://h/api/v3", &["coins", "../../admin?x=1#y", "market_chart"]),
            "http://h/api/v3/coins/..%2F..%2Fadmin%3Fx=1%23y/market_chart"
        );
        assert!(url_with_segments("x", "not a url", &["a"]).is_err());
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let status = |status| ClientError::Status {
            service: "x",
            status,
            retry_after: None,
        };
        assert!(status(503).retryable());
        assert!(!status(429).retryable());
        assert!(!status(404).retryable());
        assert!(status(429).counts_against_service());
        assert!(!status(400).counts_against_service());
        assert!(ClientError::Timeout("x").retryable());
        let malformed = ClientError::Malformed {
            service: "x",
            message: "eof".into(),
        };
        assert!(!malformed.retryable() && malformed.counts_against_service());
    }
}
