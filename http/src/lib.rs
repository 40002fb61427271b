//! The HTTP stack both binaries share: the error type and its JSON shapes, extractors with
//! JSON rejections (caller, validated body), the middleware stack, health/readiness probes,
//! metrics, telemetry and graceful serving.
//!
//! It sits on the core (`neptu-shared`) and maps the core's errors to responses in one place
//! ([`core_errors`]); the core never sees an HTTP type. See `docs/architecture.md`.

pub mod auth;
pub mod checked;
pub mod client_ip;
mod core_errors;
pub mod docs;
mod envelope;
pub mod error;
pub mod extract;
pub mod health;
pub mod limits;
mod listener;
pub mod metrics;
pub mod middleware;
pub mod probe_client;
pub mod rate_limit;
pub mod server;
pub mod startup;
pub mod telemetry;
mod when_header;

pub use checked::{CheckedJson, CheckedQuery, Rules};
pub use error::{ApiError, Issue};
pub use extract::{Json, Path, Query};
pub use health::Probes;
pub use listener::Listener;
pub use middleware::{StackSettings, stack, with_probes};
pub use rate_limit::RateLimiter;
pub use server::{Draining, ShutdownTiming, Stopped, cancel_on_signal, serve};

/// The result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
