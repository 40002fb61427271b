//! A response body computed from the database and kept in memory for a short time.
//!
//! For small, hot, rarely changing lists (the pricing plans): serving the serialized bytes
//! avoids a database round trip per request. Writes in this process clear it at once; other
//! replicas see a change within the time to live.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;

pub struct Snapshot {
    ttl: Duration,
    cached: Mutex<Option<(Instant, Bytes)>>,
}

impl Snapshot {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            cached: Mutex::new(None),
        }
    }

    /// The fresh cached bytes, if any.
    pub fn get(&self) -> Option<Bytes> {
        let cached = self
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached
            .as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, bytes)| bytes.clone())
    }

    pub fn set(&self, bytes: Bytes) {
        *self
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((Instant::now(), bytes));
    }

    pub fn clear(&self) {
        *self
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_and_clears() {
        let s = Snapshot::new(Duration::from_millis(50));
        assert!(s.get().is_none());
        s.set(Bytes::from_static(b"x"));
        assert_eq!(s.get().as_deref(), Some(&b"x"[..]));
        s.clear();
        assert!(s.get().is_none());
        s.set(Bytes::from_static(b"y"));
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.get().is_none());
    }
}
