//! The Neptu domain crate, shared by the API (`neptu-api`) and the worker (`neptu-worker`).
//!
//! Everything that is not an HTTP route or a job lives here, so both binaries agree on
//! configuration, data access, caching and the rules of the product.

pub mod auth;
pub mod backup;
pub mod breaker;
pub mod cache;
pub mod clients;
pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod metrics;
pub mod oracle;
pub mod startup;
pub mod telemetry;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod wariga;
pub mod wire;
