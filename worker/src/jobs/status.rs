//! The runtime's health as `/ready` and `/api/jobs` see it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

/// Where the runtime is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RuntimeState {
    /// Waiting for the database schema.
    Starting = 0,
    Running = 1,
    /// Stopped: shutting down, or failed.
    Stopped = 2,
    /// A job worker kept failing past its restart limit; the process is exiting.
    Failed = 3,
}

#[derive(Debug, Default)]
struct Inner {
    state: AtomicU8,
    /// Job workers currently restarting after a failure, with the failure.
    restarting: Mutex<BTreeMap<String, String>>,
}

/// Shared view of the runtime's state.
#[derive(Debug, Clone, Default)]
pub struct RuntimeStatus(Arc<Inner>);

impl RuntimeStatus {
    pub fn get(&self) -> RuntimeState {
        match self.0.state.load(Ordering::Acquire) {
            0 => RuntimeState::Starting,
            1 => RuntimeState::Running,
            2 => RuntimeState::Stopped,
            _ => RuntimeState::Failed,
        }
    }

    pub fn set(&self, state: RuntimeState) {
        // A failure stays visible until the process exits.
        if self.get() != RuntimeState::Failed {
            self.0.state.store(state as u8, Ordering::Release);
        }
    }

    /// A job worker failed and is being restarted.
    pub fn restarting(&self, worker: &str, error: &str) {
        if let Ok(mut map) = self.0.restarting.lock() {
            map.insert(worker.to_owned(), error.to_owned());
        }
    }

    /// A job worker runs again.
    pub fn recovered(&self, worker: &str) {
        if let Ok(mut map) = self.0.restarting.lock() {
            map.remove(worker);
        }
    }

    /// Workers restarting now, with their last failure.
    pub fn restarting_workers(&self) -> BTreeMap<String, String> {
        self.0.restarting.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// For `/ready`: ready only while every job worker runs.
    pub fn check(&self) -> Result<(), String> {
        match self.get() {
            RuntimeState::Running => {}
            RuntimeState::Starting => return Err("waiting for the database schema".into()),
            RuntimeState::Stopped => return Err("job runtime stopped".into()),
            RuntimeState::Failed => return Err("job runtime failed".into()),
        }
        match self.restarting_workers().into_iter().next() {
            None => Ok(()),
            Some((worker, error)) => Err(format!("job worker {worker} restarting after: {error}")),
        }
    }

    pub fn describe(&self) -> &'static str {
        match self.get() {
            RuntimeState::Starting => "starting",
            RuntimeState::Running if self.restarting_workers().is_empty() => "running",
            RuntimeState::Running => "degraded",
            RuntimeState::Stopped => "stopped",
            RuntimeState::Failed => "failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarting_workers_make_the_runtime_unready_until_they_recover() {
        let status = RuntimeStatus::default();
        assert_eq!(status.check().unwrap_err(), "waiting for the database schema");
        status.set(RuntimeState::Running);
        assert!(status.check().is_ok());
        status.restarting("market-executor", "pool timed out");
        assert_eq!(
            status.check().unwrap_err(),
            "job worker market-executor restarting after: pool timed out"
        );
        assert_eq!(status.describe(), "degraded");
        status.recovered("market-executor");
        assert!(status.check().is_ok());
        status.set(RuntimeState::Failed);
        status.set(RuntimeState::Stopped);
        assert_eq!(status.get(), RuntimeState::Failed, "failure is sticky");
    }
}
