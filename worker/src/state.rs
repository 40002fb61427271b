//! What every worker handler can reach.

use std::sync::Arc;

use neptu_shared::cache::CacheStore;
use neptu_shared::config::Settings;
use sqlx::PgPool;

#[derive(Clone)]
pub struct WorkerState {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub settings: Arc<Settings>,
}
