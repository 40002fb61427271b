//! The two forum stats routes the web app still calls, cached five minutes. They read the
//! project's public page, so they work without a Colosseum key; the activity counts come from
//! the heartbeat's own analytics (the original fell back to made-up numbers; we report zero).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Days, Utc};
use neptu_http::{ApiError, ApiResult};
use neptu_shared::cache::CacheStore;
use neptu_shared::clients::colosseum::Project;
use neptu_shared::domain::forum::keys;
use neptu_shared::wire;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::{json_text, sorted_text};

use crate::state::WorkerState;

/// Our project on the forum.
const PROJECT_SLUG: &str = "neptu";

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new()
        .routes(routes!(project_votes))
        .routes(routes!(agent_stats))
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

async fn project(state: &WorkerState, failure: &'static str) -> ApiResult<Project> {
    state.services.forum.project(PROJECT_SLUG).await.map_err(|error| {
        tracing::warn!(%error, "Colosseum project page unavailable");
        ApiError::new(StatusCode::BAD_GATEWAY, failure)
    })
}

/// The project's votes on the forum, cached five minutes.
#[utoipa::path(get, path = "/api/colosseum/project-votes", tag = "colosseum", responses(
    (status = 200, body = ProjectVotes),
    (status = 502, description = "The forum's project page is unavailable", body = ErrorBody),
))]
async fn project_votes(State(state): State<WorkerState>) -> ApiResult<Response> {
    if let Some(cached) = state.cache.get(keys::PROJECT_VOTES).await {
        return Ok(json_text(cached));
    }
    let project = project(&state, "Failed to fetch vote data").await?;
    let body = sorted_text(&ProjectVotes {
        human_votes: project.human_upvotes,
        agent_votes: project.agent_upvotes,
        total_votes: project.human_upvotes + project.agent_upvotes,
        project_name: project.name,
        project_slug: project.slug,
        updated_at: wire::format_timestamp(&Utc::now()),
    })?;
    let _ = state.cache.put(keys::PROJECT_VOTES, &body, keys::STATS_TTL).await;
    Ok(json_text(body))
}

/// Totals of the heartbeat's daily counters over the last 7 days.
async fn activity(cache: &Arc<dyn CacheStore>) -> (u64, u64, u64) {
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

/// Our agent, its forum activity over the last 7 days and the project's votes, cached five
/// minutes.
#[utoipa::path(get, path = "/api/colosseum/agent-stats", tag = "colosseum", responses(
    (status = 200, body = AgentStats),
    (status = 502, description = "The forum's project page is unavailable", body = ErrorBody),
))]
async fn agent_stats(State(state): State<WorkerState>) -> ApiResult<Response> {
    if let Some(cached) = state.cache.get(keys::AGENT_STATS).await {
        return Ok(json_text(cached));
    }
    let project = project(&state, "Failed to fetch agent stats").await?;
    let (posts, comments, votes) = activity(&state.cache).await;
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
    let _ = state.cache.put(keys::AGENT_STATS, &body, keys::STATS_TTL).await;
    Ok(json_text(body))
}
