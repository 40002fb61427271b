//! What every phase uses: the forum client, the cache of done work, the language model with
//! its template fallback, pacing, and the heartbeat's own bookkeeping.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use neptu_shared::cache::{CacheError, CacheStore};
use neptu_shared::clients::azure_openai::ChatModel;
use neptu_shared::clients::colosseum::Forum;
use neptu_shared::domain::forum::{Agent, content, keys};
use serde_json::{Map, Value, json};
use sqlx::PgPool;

use crate::jobs::JobError;

pub struct ForumAgent {
    pub forum: Arc<dyn Forum>,
    pub cache: Arc<dyn CacheStore>,
    /// `None` when Azure OpenAI is not configured: templates only.
    pub model: Option<Arc<dyn ChatModel>>,
    pub me: Agent,
    /// Pause between two forum writes.
    pub pacing: Duration,
    pub db: PgPool,
}

/// An analytics action counted per day (`neptu:analytics:{date}`).
#[derive(Debug, Clone, Copy)]
pub enum Action {
    PostCreated,
    CommentPosted,
    VoteCast,
}

impl Action {
    fn key(self) -> &'static str {
        match self {
            Action::PostCreated => "post_created",
            Action::CommentPosted => "comment_posted",
            Action::VoteCast => "vote_cast",
        }
    }
}

impl ForumAgent {
    /// Claims a dedup key: true when this call set it (go ahead), false when it was set
    /// already (done before). A cache failure is an error: acting without knowing could
    /// repeat a post.
    pub async fn claim(&self, key: &str, ttl: Option<Duration>) -> Result<bool, JobError> {
        let at = neptu_shared::wire::format_timestamp(&Utc::now());
        self.cache
            .put_if_absent(key, &at, ttl)
            .await
            .map_err(|e| match e {
                CacheError::Unavailable => anyhow::anyhow!("cache unavailable while claiming {key}").into(),
                CacheError::InvalidKey => anyhow::anyhow!("invalid cache key {key}").into(),
            })
    }

    /// Gives a claim back after the forum write failed, so a later run can try again.
    pub async fn release(&self, key: &str) {
        let _ = self.cache.delete(key).await;
    }

    pub async fn is_set(&self, key: &str) -> bool {
        self.cache.get(key).await.is_some()
    }

    /// The model's text for `prompt`, or `fallback` when there is no model or it failed.
    pub async fn compose(&self, prompt: String, fallback: String) -> String {
        let Some(model) = &self.model else {
            return fallback;
        };
        match model.complete(content::SYSTEM_PROMPT, &prompt).await {
            Ok(answer) => content::clean_generated(&answer.text).unwrap_or(fallback),
            Err(error) => {
                tracing::info!(%error, "language model unavailable; using the template");
                fallback
            }
        }
    }

    /// Waits between two writes (the forum limits how fast agents post).
    pub async fn pace(&self) {
        if !self.pacing.is_zero() {
            tokio::time::sleep(self.pacing).await;
        }
    }

    /// `GET /agents/status`; keeps a posted announcement for a day.
    pub async fn check_status(&self) -> Result<Value, JobError> {
        let status = self.forum.status().await?;
        if let Some(text) = status.get("announcement").and_then(Value::as_str) {
            let _ = self
                .cache
                .put(keys::LATEST_ANNOUNCEMENT, text, keys::LATEST_ANNOUNCEMENT_TTL)
                .await;
        }
        Ok(json!({ "nextSteps": status.get("nextSteps").cloned().unwrap_or(Value::Null) }))
    }

    /// Adds `count` successful `action`s to the day's analytics. Read-modify-write is safe:
    /// forum phases never run concurrently (advisory lock).
    pub async fn count(&self, slot: DateTime<Utc>, action: Action, count: u64) {
        if count == 0 {
            return;
        }
        self.bump(slot, action.key(), count, true).await;
        if let Action::VoteCast = action {
            let total = self
                .cache
                .get(keys::TOTAL_VOTES_GIVEN)
                .await
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
            let _ = self
                .cache
                .put(keys::TOTAL_VOTES_GIVEN, &(total + count).to_string(), None)
                .await;
        }
    }

    async fn bump(&self, slot: DateTime<Utc>, action: &str, count: u64, success: bool) {
        let key = keys::analytics(&slot.date_naive().to_string());
        let mut all: Map<String, Value> = self
            .cache
            .get(&key)
            .await
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default();
        let entry = all.entry(action.to_owned()).or_insert_with(|| json!({}));
        let field = |v: &Value, name: &str| v.get(name).and_then(Value::as_u64).unwrap_or(0);
        let (ok, fail, total) = (
            field(entry, "success"),
            field(entry, "fail"),
            field(entry, "total"),
        );
        *entry = if success {
            json!({ "success": ok + count, "fail": fail, "total": total + count })
        } else {
            json!({ "success": ok, "fail": fail + count, "total": total + count })
        };
        let _ = self
            .cache
            .put(&key, &Value::Object(all).to_string(), keys::ANALYTICS_TTL)
            .await;
    }

    /// The heartbeat's own trace: counted, and the whole report kept a day for debugging.
    pub async fn record_heartbeat(&self, slot: DateTime<Utc>, report: &Value, success: bool) {
        self.bump(slot, "heartbeat", 1, success).await;
        let _ = self
            .cache
            .put(
                keys::LAST_HEARTBEAT,
                &report.to_string(),
                keys::LAST_HEARTBEAT_TTL,
            )
            .await;
    }
}
