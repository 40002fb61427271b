//! Clients for the outside services: one module each, a trait the jobs and
//! routes use (so tests can substitute fakes) and a reqwest implementation with connect and
//! total timeouts, retries with backoff for idempotent calls, and a circuit breaker (open
//! after 3 consecutive failures, 5 minutes cool-down). Every base URL is configurable.

pub mod azure_openai;
pub mod coingecko;
pub mod colosseum;
mod http;
pub mod solana;

pub use http::{
    ClientError, ClientOptions, ClientStats, HttpClient, install_crypto_provider, url_with_segments,
    with_query,
};
