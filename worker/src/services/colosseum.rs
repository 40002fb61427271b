//! The two forum stats the web app still reads, cached five minutes. They come from the
//! project's public page, so they work without a Colosseum key; the activity counts come from
//! the heartbeat's own analytics (the original fell back to made-up numbers; we report zero).

use axum::http::StatusCode;
use chrono::{Days, Utc};
use neptu_http::ApiError;
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::colosseum::{Forum, Project};
use neptu_shared::domain::forum::keys;
use neptu_shared::wire;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Our project on the forum.
const PROJECT_SLUG: &str = "neptu";

/// What the forum stats can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ForumStatsError {
    /// The forum's project page is unavailable: 502 with the route's own message.
    #[error("{0}")]
    Upstream(&'static str),
    #[error(transparent)]
    Encoding(#[from] serde_json::Error),
}

impl From<ForumStatsError> for ApiError {
    fn from(error: ForumStatsError) -> Self {
        match error {
            ForumStatsError::Upstream(message) => ApiError::new(StatusCode::BAD_GATEWAY, message),
            ForumStatsError::Encoding(error) => ApiError::internal(error),
        }
    }
}

/// `GET /api/colosseum/project-votes`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectVotes {
    human_votes: i64,
    agent_votes: i64,
    total_votes: i64,
    project_name: String,
    project_slug: String,
    /// RFC 3339 UTC with milliseconds.
    updated_at: String,
}

/// `GET /api/colosseum/agent-stats`: our agent, its activity over the last 7 days (from the
/// heartbeat's analytics) and the project's votes.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentStats {
    agent: AgentSummary,
    stats: AgentActivity,
    project: ProjectSummary,
    project_url: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentSummary {
    name: String,
    display_name: &'static str,
    x_username: Option<String>,
    rank: u32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentActivity {
    posts: u64,
    comments: u64,
    votes_given: u64,
    mentions: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSummary {
    name: String,
    slug: String,
    human_votes: i64,
    agent_votes: i64,
    total_votes: i64,
}

/// The text of `body` with its keys sorted at every depth, as the routes' `Sorted` sends it
/// (the cached text must be byte for byte the fresh body).
fn sorted_text<T: Serialize>(body: &T) -> Result<String, serde_json::Error> {
    serde_json::to_value(body).map(|value| value.to_string())
}

async fn project(forum: &dyn Forum, failure: &'static str) -> Result<Project, ForumStatsError> {
    forum.project(PROJECT_SLUG).await.map_err(|error| {
        tracing::warn!(%error, "Colosseum project page unavailable");
        ForumStatsError::Upstream(failure)
    })
}

/// The project's votes on the forum as JSON text, from the cache when it can.
pub async fn project_votes(cache: &dyn CacheStore, forum: &dyn Forum) -> Result<String, ForumStatsError> {
    if let Some(cached) = cache.get(keys::PROJECT_VOTES).await {
        return Ok(cached);
    }
    let project = project(forum, "Failed to fetch vote data").await?;
    let body = sorted_text(&ProjectVotes {
        human_votes: project.human_upvotes,
        agent_votes: project.agent_upvotes,
        total_votes: project.human_upvotes + project.agent_upvotes,
        project_name: project.name,
        project_slug: project.slug,
        updated_at: wire::format_timestamp(&Utc::now()),
    })?;
    let _ = cache.put(keys::PROJECT_VOTES, &body, keys::STATS_TTL).await;
    Ok(body)
}

/// Totals of the heartbeat's daily counters over the last 7 days.
async fn activity(cache: &dyn CacheStore) -> (u64, u64, u64) {
    let today = Utc::now().date_naive();
    let mut totals = (0, 0, 0);
    for back in 0..7 {
        let Some(day) = today.checked_sub_days(Days::new(back)) else {
            continue;
        };
        let Some(raw) = cache.get(&keys::analytics(&day.to_string())).await else {
            continue;
        };
        let Ok(counts) = serde_json::from_str::<Value>(&raw) else {
            continue;
        };
        let total = |action: &str| counts[action]["total"].as_u64().unwrap_or(0);
        totals.0 += total("post_created");
        totals.1 += total("comment_posted");
        totals.2 += total("vote_cast");
    }
    totals
}

/// Our agent, its forum activity over the last 7 days and the project's votes as JSON text,
/// from the cache when it can.
pub async fn agent_stats(cache: &dyn CacheStore, forum: &dyn Forum) -> Result<String, ForumStatsError> {
    if let Some(cached) = cache.get(keys::AGENT_STATS).await {
        return Ok(cached);
    }
    let project = project(forum, "Failed to fetch agent stats").await?;
    let (posts, comments, votes) = activity(cache).await;
    let body = sorted_text(&AgentStats {
        agent: AgentSummary {
            name: project
                .owner_agent_name
                .clone()
                .unwrap_or_else(|| PROJECT_SLUG.to_owned()),
            display_name: "Neptu AI",
            x_username: project
                .owner_agent_claim
                .as_ref()
                .and_then(|c| c.x_username.clone()),
            rank: 0,
        },
        stats: AgentActivity {
            posts,
            comments,
            votes_given: votes,
            mentions: 0,
        },
        project_url: format!("https://colosseum.com/agent-hackathon/projects/{}", project.slug),
        project: ProjectSummary {
            name: project.name,
            slug: project.slug,
            human_votes: project.human_upvotes,
            agent_votes: project.agent_upvotes,
            total_votes: project.human_upvotes + project.agent_upvotes,
        },
        updated_at: wire::format_timestamp(&Utc::now()),
    })?;
    let _ = cache.put(keys::AGENT_STATS, &body, keys::STATS_TTL).await;
    Ok(body)
}
