//! What every handler can reach.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRef;
use neptu_shared::auth::Auth;
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::config::Settings;
use neptu_shared::domain::api_keys::KeyHasher;
use neptu_shared::oracle::Oracle;
use sqlx::PgPool;

use crate::metered::Metering;

use crate::services::snapshot::Snapshot;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub cache: Arc<dyn CacheStore>,
    pub auth: Arc<Auth>,
    pub settings: Arc<Settings>,
    /// `GET /api/pricing`'s body, kept in memory for a few seconds.
    pub pricing: Arc<Snapshot>,
    /// `None` without `SOLANA_RPC_URL`: payment and balance routes answer 503.
    pub solana: Option<Arc<dyn SolanaRpc>>,
    pub started: Instant,
    /// Hashes developer API keys under `API_KEY_SECRET`.
    pub key_hasher: Arc<KeyHasher>,
    /// Keys, credits, limits and usage of `/api/v1`.
    pub metering: Metering,
    /// The AI oracle of `/api/v1/oracle` (answers 503 without Azure OpenAI settings).
    pub oracle: Arc<Oracle>,
}

impl FromRef<AppState> for Arc<Auth> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.auth)
    }
}
