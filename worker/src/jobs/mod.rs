//! The job runtime: starts once the schema is current, reports its state to `/ready`, and
//! stops with the process. The scheduled jobs themselves are registered here as they are
//! built; until then the runtime runs with none.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Where the runtime is in its life; read by `/ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RuntimeState {
    /// Waiting for the database schema.
    Starting = 0,
    Running = 1,
    /// Stopped: shutting down, or failed.
    Stopped = 2,
}

/// Shared view of the runtime's state.
#[derive(Debug, Clone, Default)]
pub struct RuntimeStatus(Arc<AtomicU8>);

impl RuntimeStatus {
    pub fn get(&self) -> RuntimeState {
        match self.0.load(Ordering::Acquire) {
            0 => RuntimeState::Starting,
            1 => RuntimeState::Running,
            _ => RuntimeState::Stopped,
        }
    }

    pub fn set(&self, state: RuntimeState) {
        self.0.store(state as u8, Ordering::Release);
    }

    /// For `/ready`: only a running runtime is ready.
    pub fn check(&self) -> Result<(), String> {
        match self.get() {
            RuntimeState::Running => Ok(()),
            RuntimeState::Starting => Err("waiting for the database schema".into()),
            RuntimeState::Stopped => Err("job runtime stopped".into()),
        }
    }
}

/// The running job set.
pub struct JobRuntime {
    status: RuntimeStatus,
    task: JoinHandle<()>,
}

impl JobRuntime {
    /// Starts the registered jobs; they run until `shutdown` is cancelled.
    pub fn start(status: RuntimeStatus, shutdown: CancellationToken) -> Self {
        status.set(RuntimeState::Running);
        tracing::info!(jobs = 0, "job runtime started");
        let task = tokio::spawn(async move { shutdown.cancelled().await });
        Self { status, task }
    }

    /// Waits for the running jobs to finish after shutdown was requested.
    pub async fn stopped(self) {
        let _ = self.task.await;
        self.status.set(RuntimeState::Stopped);
        tracing::info!("job runtime stopped");
    }
}
