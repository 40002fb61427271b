//! The Neptu core, shared by the API (`neptu-api`) and the worker (`neptu-worker`):
//! configuration, data access, caching, outside clients and the rules of the product.
//!
//! It knows nothing of HTTP: the HTTP stack (`neptu-http`) sits above it and the calendar
//! engine (`neptu-wariga`) below it. See `docs/architecture.md`.

pub mod auth;
pub mod backup;
pub mod breaker;
pub mod cache;
pub mod clients;
pub mod config;
pub mod db;
pub mod domain;
pub mod oracle;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod wire;
