//! What every handler can reach.

use std::sync::Arc;
use std::time::Instant;

use neptu_shared::cache::CacheStore;
use neptu_shared::config::Settings;
use sqlx::PgPool;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub settings: Arc<Settings>,
    pub started: Instant,
}
