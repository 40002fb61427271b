//! What every worker handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use neptu_shared::auth::Auth;
use neptu_shared::cache::CacheStore;
use neptu_shared::config::Settings;
use sqlx::PgPool;

use crate::jobs::RuntimeStatus;
use crate::schedule::{Disabled, ScheduleEntry};
use crate::services::Services;

/// The job side as `/api/jobs` shows it.
#[derive(Clone)]
pub struct JobsView {
    pub replica: Arc<str>,
    pub status: RuntimeStatus,
    pub schedules: Arc<Vec<ScheduleEntry>>,
    pub disabled: Arc<Vec<Disabled>>,
}

#[derive(Clone)]
pub struct WorkerState {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub settings: Arc<Settings>,
    pub auth: Arc<Auth>,
    pub services: Services,
    pub jobs: JobsView,
}

impl FromRef<WorkerState> for Arc<Auth> {
    fn from_ref(state: &WorkerState) -> Self {
        Arc::clone(&state.auth)
    }
}
