//! Keeping job workers alive. An apalis worker stops for good when its backend fails (the
//! job storage cannot be reached, a cron tick computed too late): it is restarted here with
//! exponential backoff, `/ready` says so meanwhile, and after too many failures in a row the
//! whole process is told to exit non-zero so the platform restarts it.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::status::{RuntimeState, RuntimeStatus};

/// A worker that has run this long without failing is healthy again.
const HEALTHY_AFTER: Duration = Duration::from_secs(5);
/// Consecutive failures reset after a run this long.
const FAILURES_FORGOTTEN_AFTER: Duration = Duration::from_secs(60);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

pub struct Supervisor {
    pub status: RuntimeStatus,
    /// Cancelled when the process is stopping.
    pub shutdown: CancellationToken,
    /// Cancelled here when a worker is beyond saving.
    pub fatal: CancellationToken,
    /// Consecutive failures tolerated.
    pub limit: u32,
}

impl Supervisor {
    /// Runs `start(restarts)` until shutdown, restarting it after each failure.
    pub async fn run<F, Fut, E>(&self, name: &str, mut start: F)
    where
        F: FnMut(usize) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: std::fmt::Display,
    {
        let mut failures: u32 = 0;
        let mut restarts = 0;
        loop {
            let started = Instant::now();
            let run = start(restarts);
            tokio::pin!(run);
            let result = tokio::select! {
                result = &mut run => result,
                () = tokio::time::sleep(HEALTHY_AFTER) => {
                    self.status.recovered(name);
                    run.await
                }
            };
            if self.shutdown.is_cancelled() {
                return;
            }
            let error = match result {
                Ok(()) => "stopped unexpectedly".to_owned(),
                Err(error) => error.to_string(),
            };
            if started.elapsed() >= FAILURES_FORGOTTEN_AFTER {
                failures = 0;
            }
            failures += 1;
            restarts += 1;
            if failures > self.limit {
                tracing::error!(worker = name, %error, failures, "job worker keeps failing; giving up");
                self.status.set(RuntimeState::Failed);
                self.fatal.cancel();
                return;
            }
            let backoff = FIRST_BACKOFF
                .saturating_mul(1 << (failures - 1).min(16))
                .min(MAX_BACKOFF);
            tracing::warn!(worker = name, %error, failures, ?backoff, "job worker failed; restarting");
            self.status.restarting(name, &error);
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = self.shutdown.cancelled() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn supervisor(limit: u32) -> Supervisor {
        Supervisor {
            status: RuntimeStatus::default(),
            shutdown: CancellationToken::new(),
            fatal: CancellationToken::new(),
            limit,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn restarts_with_backoff_then_gives_up() {
        let s = supervisor(3);
        s.status.set(RuntimeState::Running);
        let starts = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&starts);
        let begun = Instant::now();
        s.run("w", move |restart| {
            assert_eq!(restart, counted.fetch_add(1, Ordering::SeqCst));
            async { Err::<(), _>("storage down") }
        })
        .await;
        assert_eq!(
            starts.load(Ordering::SeqCst),
            4,
            "the first run and three restarts"
        );
        // Backoff 100 + 200 + 400 ms between them.
        assert_eq!(begun.elapsed(), Duration::from_millis(700));
        assert!(s.fatal.is_cancelled());
        assert_eq!(s.status.get(), RuntimeState::Failed);
    }

    #[tokio::test(start_paused = true)]
    async fn a_recovered_worker_clears_its_restart_note() {
        let s = supervisor(5);
        s.status.set(RuntimeState::Running);
        let shutdown = s.shutdown.clone();
        let status = s.status.clone();
        s.run("w", move |restart| {
            let (shutdown, status) = (shutdown.clone(), status.clone());
            async move {
                if restart == 0 {
                    return Err("boom");
                }
                assert!(status.check().is_err(), "unready while restarting");
                tokio::time::sleep(Duration::from_secs(10)).await;
                assert!(status.check().is_ok(), "ready again after a healthy while");
                shutdown.cancel();
                Ok(())
            }
        })
        .await;
        assert!(!s.fatal.is_cancelled());
    }
}
