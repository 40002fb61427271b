//! A small circuit breaker: after `threshold` consecutive failures a dependency is skipped
//! for `cooldown`, then a single probe call decides whether it is back.
//!
//! It keeps a dead dependency from costing a full timeout on every request (the cache) and
//! from being hammered while it recovers (outside APIs). Lock-free: two atomics.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are skipped until the cool-down ends.
    Open,
    /// The cool-down ended; the next call is a probe.
    HalfOpen,
}

impl BreakerState {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

/// What a call should be told after it reported its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    None,
    /// This failure opened the breaker.
    Opened,
    /// This success closed a breaker that was open.
    Closed,
}

#[derive(Debug)]
pub struct CircuitBreaker {
    threshold: u32,
    cooldown: Duration,
    epoch: Instant,
    consecutive_failures: AtomicU32,
    /// Milliseconds since `epoch` until which calls are skipped; 0 when closed.
    open_until_ms: AtomicU64,
}

impl CircuitBreaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            epoch: Instant::now(),
            consecutive_failures: AtomicU32::new(0),
            open_until_ms: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        // +1 so that "now" is never 0, which means "closed".
        self.epoch.elapsed().as_millis() as u64 + 1
    }

    /// Whether a call may go ahead. When the cool-down is over exactly one caller is let
    /// through as the probe; if it never reports back, another probe is allowed after
    /// another cool-down.
    pub fn allow(&self) -> bool {
        let until = self.open_until_ms.load(Ordering::Acquire);
        if until == 0 {
            return true;
        }
        let now = self.now_ms();
        if now < until {
            return false;
        }
        let next = now + self.cooldown.as_millis() as u64;
        self.open_until_ms
            .compare_exchange(until, next, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    pub fn record_success(&self) -> Transition {
        self.consecutive_failures.store(0, Ordering::Release);
        if self.open_until_ms.swap(0, Ordering::AcqRel) != 0 {
            Transition::Closed
        } else {
            Transition::None
        }
    }

    pub fn record_failure(&self) -> Transition {
        let failures = self.consecutive_failures.fetch_add(1, Ordering::AcqRel) + 1;
        if failures < self.threshold {
            return Transition::None;
        }
        let until = self.now_ms() + self.cooldown.as_millis() as u64;
        if self.open_until_ms.swap(until, Ordering::AcqRel) == 0 {
            Transition::Opened
        } else {
            Transition::None
        }
    }

    pub fn state(&self) -> BreakerState {
        match self.open_until_ms.load(Ordering::Acquire) {
            0 => BreakerState::Closed,
            until if self.now_ms() < until => BreakerState::Open,
            _ => BreakerState::HalfOpen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn opens_after_threshold_and_probes_once_after_cooldown() {
        let b = CircuitBreaker::new(3, Duration::from_secs(5));
        assert_eq!(b.record_failure(), Transition::None);
        assert_eq!(b.record_failure(), Transition::None);
        assert!(b.allow());
        assert_eq!(b.record_failure(), Transition::Opened);
        assert_eq!(b.state(), BreakerState::Open);
        assert!(!b.allow());

        tokio::time::advance(Duration::from_secs(6)).await;
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert!(b.allow(), "one probe");
        assert!(!b.allow(), "only one probe");
        assert_eq!(b.record_success(), Transition::Closed);
        assert_eq!(b.state(), BreakerState::Closed);
        assert!(b.allow());
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_probe_reopens() {
        let b = CircuitBreaker::new(1, Duration::from_secs(1));
        assert_eq!(b.record_failure(), Transition::Opened);
        tokio::time::advance(Duration::from_millis(1500)).await;
        assert!(b.allow());
        b.record_failure();
        assert_eq!(b.state(), BreakerState::Open);
        assert!(!b.allow());
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_probe_does_not_wedge_the_breaker() {
        let b = CircuitBreaker::new(1, Duration::from_secs(1));
        b.record_failure();
        tokio::time::advance(Duration::from_millis(1100)).await;
        assert!(b.allow()); // the probe never reports back
        assert!(!b.allow());
        tokio::time::advance(Duration::from_millis(1100)).await;
        assert!(b.allow(), "a new probe after another cool-down");
    }

    #[test]
    fn successes_reset_the_count() {
        let b = CircuitBreaker::new(2, Duration::from_secs(1));
        b.record_failure();
        b.record_success();
        assert_eq!(b.record_failure(), Transition::None);
        assert_eq!(b.state(), BreakerState::Closed);
    }
}
