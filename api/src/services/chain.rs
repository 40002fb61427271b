//! Reaching the Solana RPC: 503 when it is not configured, and outside-call failures turned
//! into clear client errors (never a 500 for someone else's outage).

use neptu_http::ApiError;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::solana::SolanaRpc;
use serde::Serialize;
use utoipa::ToSchema;

pub const NOT_CONFIGURED: &str = "Solana RPC not configured";

/// What reaching the chain can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// No `SOLANA_RPC_URL`: 503.
    #[error("Solana RPC not configured")]
    NotConfigured,
    /// The call failed: 503 (502 when the RPC refused it).
    #[error(transparent)]
    Rpc(#[from] ClientError),
}

/// The configured RPC, or [`ChainError::NotConfigured`].
pub fn configured(rpc: Option<&dyn SolanaRpc>) -> Result<&dyn SolanaRpc, ChainError> {
    rpc.ok_or(ChainError::NotConfigured)
}

/// A failed call as a response, for errors of other services that carry a [`ClientError`].
pub fn rpc_error(error: ClientError) -> ApiError {
    ChainError::Rpc(error).into()
}

/// 503 for every way the RPC can fail us; the message says which, and a rate limit carries
/// the provider's `Retry-After` as `retryAfter`.
impl From<ChainError> for ApiError {
    fn from(error: ChainError) -> Self {
        let error = match error {
            ChainError::NotConfigured => return ApiError::unavailable(NOT_CONFIGURED),
            ChainError::Rpc(error) => error,
        };
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
