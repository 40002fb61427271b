//! The outside clients and the jobs built on them, from the settings; and, in the
//! submodules, the work behind each HTTP route (a handler extracts, makes one call here and
//! answers). Each submodule takes only what it uses and fails with its own error, mapped to
//! HTTP once, next to it (see docs/architecture.md).

pub mod colosseum;
pub mod crypto;
pub mod daily;
pub mod jobs;
pub mod quota;

use std::sync::Arc;

use neptu_shared::cache::CacheStore;
use neptu_shared::clients::ClientOptions;
use neptu_shared::clients::azure_openai::{AzureOpenAi, ChatModel};
use neptu_shared::clients::coingecko::{CoinGecko, MarketData};
use neptu_shared::clients::colosseum::{Colosseum, Forum};
use neptu_shared::config::{ScheduledJob, Settings};
use neptu_shared::domain::forum::Agent;
use sqlx::PgPool;

use crate::chart::ChartProxy;
use crate::jobs::Registry;
use crate::jobs::backup::Backup;
use crate::jobs::daily::DailyTasks;
use crate::jobs::developer::DeveloperMaintenance;
use crate::jobs::forum::{ForumAgent, ForumJob};
use crate::jobs::market::MarketRefresh;

#[derive(Clone)]
pub struct Services {
    pub market_data: Arc<dyn MarketData>,
    /// `None` when Azure OpenAI is not configured.
    pub model: Option<Arc<dyn ChatModel>>,
    pub forum: Arc<dyn Forum>,
    pub market_refresh: Arc<MarketRefresh>,
    pub chart: Arc<ChartProxy>,
}

impl Services {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let options = ClientOptions::from_settings(&settings.outbound);
        let market_data: Arc<dyn MarketData> =
            Arc::new(CoinGecko::new(&settings.coingecko, options.clone())?);
        let model = AzureOpenAi::from_settings(&settings.azure_openai, options.clone())?
            .map(|m| Arc::new(m) as Arc<dyn ChatModel>);
        let forum: Arc<dyn Forum> = Arc::new(Colosseum::new(&settings.colosseum, options)?);
        Ok(Self {
            market_refresh: Arc::new(MarketRefresh::new(Arc::clone(&market_data))),
            chart: Arc::new(ChartProxy::new(
                Arc::clone(&market_data),
                settings.rate_limit.chart_untracked_per_hour,
            )),
            market_data,
            model,
            forum,
        })
    }

    /// Every job this process runs. The forum jobs need a Colosseum key; without one they are
    /// left out (and their schedules listed as disabled).
    pub fn registry(&self, settings: &Settings, cache: Arc<dyn CacheStore>, db: PgPool) -> Registry {
        let mut registry = Registry::default()
            .with(Arc::clone(&self.market_refresh) as _)
            .with(Arc::new(DailyTasks::new(
                Arc::clone(&cache),
                Arc::clone(&self.market_refresh),
            )))
            .with(Arc::new(DeveloperMaintenance::new(
                settings.developer.usage_retention_days,
            )));
        if settings.backup.to.is_some() {
            registry = registry.with(Arc::new(Backup::new(
                settings.backup.clone(),
                settings.database.clone(),
            )));
        }
        if self.forum.configured() {
            let agent = Arc::new(ForumAgent {
                forum: Arc::clone(&self.forum),
                cache,
                model: self.model.clone(),
                me: Agent::new(&settings.colosseum.agent_id, &settings.colosseum.agent_name),
                pacing: settings.jobs.forum_pacing,
                db,
            });
            for job in [
                ScheduledJob::ForumReplies,
                ScheduledJob::ForumComments,
                ScheduledJob::ForumPosts,
            ] {
                registry = registry.with(Arc::new(ForumJob::new(job, Arc::clone(&agent))));
            }
        }
        registry
    }
}

impl Services {
    /// Publishes each client's breaker state for the metrics page.
    pub fn publish_breaker_states(&self) {
        self.market_data.stats().publish_breaker_state();
        self.market_data.chart_stats().publish_breaker_state();
        if let Some(model) = &self.model {
            model.stats().publish_breaker_state();
        }
        if self.forum.configured() {
            self.forum.stats().publish_breaker_state();
        }
    }

    /// Each outside service as `/ready` reports it: `ok`, `unavailable` (failing: calls are
    /// skipped for the cool-down), `recovering` (the next call is a probe) or
    /// `not_configured`. Second value: whether any configured one is failing. The chart
    /// proxy's CoinGecko client is left out: its failures stop only the charts.
    pub fn outside_status(&self) -> (serde_json::Value, bool) {
        let word = |breaker: &str| match breaker {
            "open" => "unavailable",
            "half_open" => "recovering",
            _ => "ok",
        };
        let gecko = word(self.market_data.stats().breaker);
        let azure = self
            .model
            .as_ref()
            .map_or("not_configured", |m| word(m.stats().breaker));
        let forum = if self.forum.configured() {
            word(self.forum.stats().breaker)
        } else {
            "not_configured"
        };
        let failing = [gecko, azure, forum].contains(&"unavailable");
        (
            serde_json::json!({ "coingecko": gecko, "azureOpenAi": azure, "colosseum": forum }),
            failing,
        )
    }
}

/// Why a configured schedule has no job here.
pub fn missing_job_reason(job: ScheduledJob) -> String {
    match job {
        ScheduledJob::ForumReplies | ScheduledJob::ForumComments | ScheduledJob::ForumPosts => {
            "COLOSSEUM_API_KEY is not set".to_owned()
        }
        ScheduledJob::Backup => "BACKUP_TO is not set".to_owned(),
        ScheduledJob::MarketRefresh | ScheduledJob::DailyTasks | ScheduledJob::DeveloperMaintenance => {
            "not registered".to_owned()
        }
    }
}
