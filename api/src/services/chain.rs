//! Reaching the Solana RPC from a handler: 503 when it is not configured, and outside-call
//! failures turned into clear client errors (never a 500 for someone else's outage).

use std::sync::Arc;

use neptu_http::{ApiError, ApiResult};
use neptu_shared::clients::ClientError;
use neptu_shared::clients::solana::SolanaRpc;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

pub const NOT_CONFIGURED: &str = "Solana RPC not configured";

pub fn rpc(state: &AppState) -> ApiResult<Arc<dyn SolanaRpc>> {
    state
        .solana
        .clone()
        .ok_or_else(|| ApiError::unavailable(NOT_CONFIGURED))
}

/// 503 for every way the RPC can fail us; the message says which, and a rate limit carries
/// the provider's `Retry-After` as `retryAfter`.
pub fn rpc_error(error: ClientError) -> ApiError {
    tracing::warn!(%error, "Solana RPC call failed");
    match error {
        ClientError::NotConfigured(_) => ApiError::unavailable(NOT_CONFIGURED),
        ClientError::CircuitOpen(_) => ApiError::unavailable(
            "Solana RPC unavailable after repeated failures; try again in a few minutes",
        ),
        ClientError::Timeout(_) => ApiError::unavailable("Solana RPC did not answer in time"),
        ClientError::Status {
            status: 429,
            retry_after,
            ..
        } => {
            let error = ApiError::unavailable("Solana RPC rate limit reached; try again later");
            match retry_after {
                Some(seconds) => error.with_field("retryAfter", seconds),
                None => error,
            }
        }
        ClientError::Rpc { message, .. } => ApiError::new(
            axum::http::StatusCode::BAD_GATEWAY,
            format!("Solana RPC refused the call: {message}"),
        ),
        ClientError::Connect { .. } | ClientError::Status { .. } | ClientError::Malformed { .. } => {
            ApiError::unavailable("Solana RPC unavailable")
        }
    }
}

/// The blockhash a transaction built from a build route's answer must use.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lifetime {
    pub blockhash: String,
    pub last_valid_block_height: u64,
}

/// The client's blockhash when it sent both parts, else the cluster's latest.
pub async fn lifetime(
    rpc: &dyn SolanaRpc,
    hash: Option<String>,
    height: Option<u64>,
) -> Result<Lifetime, ClientError> {
    if let (Some(blockhash), Some(last_valid_block_height)) = (hash.filter(|h| !h.is_empty()), height) {
        return Ok(Lifetime {
            blockhash,
            last_valid_block_height,
        });
    }
    let latest = rpc.latest_blockhash().await?;
    Ok(Lifetime {
        blockhash: latest.blockhash,
        last_valid_block_height: latest.last_valid_block_height,
    })
}
