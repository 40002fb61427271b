//! The outside clients against local fake servers: request shapes, retries, timeouts, 429s,
//! malformed bodies and the circuit breaker.

mod azure_openai;
mod coingecko;
mod colosseum;
mod solana;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use neptu_shared::clients::ClientOptions;

/// Fast options for tests: short timeouts and backoff, breaker after 3 failures.
pub fn options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(400),
        retries: 2,
        retry_backoff: Duration::from_millis(10),
        breaker_threshold: 3,
        breaker_cooldown: Duration::from_secs(60),
    }
}

/// Counts requests a fake server received.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    pub fn add(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}
