//! HTTP pieces both binaries share: the error type and its JSON shapes, extractors with JSON
//! rejections, the middleware stack, health/readiness probes and graceful serving.

pub mod client_ip;
pub mod docs;
mod envelope;
pub mod error;
pub mod extract;
pub mod health;
pub mod limits;
pub mod middleware;
pub mod probe_client;
pub mod rate_limit;
pub mod server;
mod when_header;

pub use error::{ApiError, Issue};
pub use extract::{Json, Path, Query};
pub use health::Probes;
pub use middleware::{StackSettings, stack};
pub use rate_limit::RateLimiter;
pub use server::{Draining, ShutdownTiming, Stopped, cancel_on_signal, serve};

/// The result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
