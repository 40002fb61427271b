//! Market refresh: the 13 tracked coins from CoinGecko, stored in one transaction (upsert
//! the snapshot, append the history, prune history past 7 days).

use std::sync::Arc;

use async_trait::async_trait;
use neptu_shared::clients::coingecko::MarketData;
use neptu_shared::db::{cron_runs, crypto_market};
use neptu_shared::domain::crypto;
use serde_json::json;
use sqlx::PgPool;

use super::{Job, JobError, Outcome, RunContext};

pub const NAME: &str = "market_refresh";

pub struct MarketRefresh {
    client: Arc<dyn MarketData>,
}

impl MarketRefresh {
    pub fn new(client: Arc<dyn MarketData>) -> Self {
        Self { client }
    }

    /// Fetches and stores one snapshot; returns the number of coins stored. With `run`, the
    /// run is marked `succeeded` in the same transaction, so a crash can never leave the
    /// data written but the run pending (and written again by the retry).
    pub async fn refresh(&self, db: &PgPool, run: Option<&RunContext>) -> Result<u64, JobError> {
        let coins = self.client.markets(&crypto::coingecko_ids()).await?;
        if coins.is_empty() {
            return Err(anyhow::anyhow!("CoinGecko returned no coins").into());
        }
        let mut tx = db.begin().await?;
        let stored = crypto_market::store_refresh(&mut tx, &coins).await?;
        if let Some(run) = run {
            let duration_ms = run.started.elapsed().as_millis() as i64;
            cron_runs::succeed(
                &mut *tx,
                run.job,
                run.slot,
                duration_ms,
                &json!({ "coinsUpdated": stored }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(stored)
    }
}

#[async_trait]
impl Job for MarketRefresh {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        let stored = self.refresh(&run.db, Some(run)).await?;
        tracing::info!(coins = stored, "market refreshed");
        Ok(Outcome::Recorded)
    }
}
