//! Solana JSON-RPC: blockhashes for the build routes, transactions and signature statuses to
//! verify payments and claims, and balances for the wallet page.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::http::{ClientError, ClientOptions, ClientStats, HttpClient};
use crate::config::SolanaSettings;
use crate::domain::solana::transfers::ParsedTransaction;

const SERVICE: &str = "Solana RPC";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LatestBlockhash {
    pub blockhash: String,
    pub last_valid_block_height: u64,
}

/// One entry of `getSignatureStatuses`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureStatus {
    #[serde(default)]
    pub err: Option<Value>,
    #[serde(default)]
    pub confirmation_status: Option<String>,
}

impl SignatureStatus {
    /// Landed and did not fail.
    pub fn succeeded(&self) -> bool {
        self.err.is_none()
    }
}

#[async_trait]
pub trait SolanaRpc: Send + Sync {
    async fn latest_blockhash(&self) -> Result<LatestBlockhash, ClientError>;

    /// A confirmed transaction in `jsonParsed` form; `None` when the cluster does not know it.
    async fn transaction(&self, signature: &str) -> Result<Option<ParsedTransaction>, ClientError>;

    /// Statuses in the order asked, searching the whole history; `None` for unknown ones.
    async fn signature_statuses(
        &self,
        signatures: &[String],
    ) -> Result<Vec<Option<SignatureStatus>>, ClientError>;

    /// Lamports held by `address`.
    async fn balance(&self, address: &str) -> Result<u64, ClientError>;

    /// Raw amount in the owner's first token account of `mint` (0 without one), as the
    /// original read it.
    async fn token_balance(&self, owner: &str, mint: &str) -> Result<u64, ClientError>;

    fn stats(&self) -> ClientStats;
}

pub struct SolanaClient {
    http: HttpClient,
    url: SecretString,
}

/// `getSignatureStatuses` takes at most 256 signatures per call.
const STATUS_BATCH: usize = 256;

impl SolanaClient {
    /// `None` without `SOLANA_RPC_URL`: the payment routes then answer 503.
    pub fn from_settings(settings: &SolanaSettings, options: ClientOptions) -> anyhow::Result<Option<Self>> {
        let Some(url) = &settings.rpc_url else {
            return Ok(None);
        };
        Ok(Some(Self {
            http: HttpClient::new(SERVICE, options)?,
            url: url.clone(),
        }))
    }

    /// One JSON-RPC call. Every method used here only reads, so all are retried.
    async fn call<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T, ClientError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        // The URL may carry a provider key: the shared client strips URLs from its errors.
        let envelope: Envelope = self
            .http
            .json(true, |client| client.post(self.url.expose_secret()).json(&body))
            .await?;
        if let Some(error) = envelope.error {
            return Err(ClientError::Rpc {
                service: SERVICE,
                code: error.code,
                message: error.message,
            });
        }
        // A `null` result is an answer (an unknown transaction) for callers asking `Option<_>`.
        serde_json::from_value(envelope.result).map_err(|e| ClientError::Malformed {
            service: SERVICE,
            message: format!("{method}: {e}"),
        })
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    result: Value,
    error: Option<RpcError>,
}

#[derive(Deserialize)]
struct RpcError {
    code: i64,
    message: String,
}

/// `{context, value}`, the wrapper of most read methods.
#[derive(Deserialize)]
struct WithContext<T> {
    value: T,
}

#[derive(Deserialize)]
struct TokenAccount {
    account: TokenAccountData,
}

#[derive(Deserialize)]
struct TokenAccountData {
    data: Value,
}

#[async_trait]
impl SolanaRpc for SolanaClient {
    async fn latest_blockhash(&self) -> Result<LatestBlockhash, ClientError> {
        let r: WithContext<LatestBlockhash> = self
            .call("getLatestBlockhash", json!([{ "commitment": "confirmed" }]))
            .await?;
        Ok(r.value)
    }

    async fn transaction(&self, signature: &str) -> Result<Option<ParsedTransaction>, ClientError> {
        let params = json!([signature, {
            "encoding": "jsonParsed",
            "maxSupportedTransactionVersion": 0,
            "commitment": "confirmed",
        }]);
        self.call("getTransaction", params).await
    }

    async fn signature_statuses(
        &self,
        signatures: &[String],
    ) -> Result<Vec<Option<SignatureStatus>>, ClientError> {
        let mut statuses = Vec::with_capacity(signatures.len());
        for batch in signatures.chunks(STATUS_BATCH) {
            let r: WithContext<Vec<Option<SignatureStatus>>> = self
                .call(
                    "getSignatureStatuses",
                    json!([batch, { "searchTransactionHistory": true }]),
                )
                .await?;
            if r.value.len() != batch.len() {
                return Err(ClientError::Malformed {
                    service: SERVICE,
                    message: "status count differs from signature count".into(),
                });
            }
            statuses.extend(r.value);
        }
        Ok(statuses)
    }

    async fn balance(&self, address: &str) -> Result<u64, ClientError> {
        let r: WithContext<u64> = self
            .call("getBalance", json!([address, { "commitment": "confirmed" }]))
            .await?;
        Ok(r.value)
    }

    async fn token_balance(&self, owner: &str, mint: &str) -> Result<u64, ClientError> {
        let r: WithContext<Vec<TokenAccount>> = self
            .call(
                "getTokenAccountsByOwner",
                json!([owner, { "mint": mint }, { "encoding": "jsonParsed", "commitment": "confirmed" }]),
            )
            .await?;
        let Some(first) = r.value.first() else {
            return Ok(0);
        };
        first.account.data["parsed"]["info"]["tokenAmount"]["amount"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| ClientError::Malformed {
                service: SERVICE,
                message: "token account without an amount".into(),
            })
    }

    fn stats(&self) -> ClientStats {
        self.http.stats()
    }
}
