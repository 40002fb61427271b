//! The two forum stats routes the web app still calls, cached five minutes (see
//! `services::colosseum`).

use axum::extract::State;
use axum::response::Response;
use neptu_http::ApiResult;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::body::json_text;
use crate::services::colosseum::{self, AgentStats, ProjectVotes};
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new()
        .routes(routes!(project_votes))
        .routes(routes!(agent_stats))
}

/// The project's votes on the forum, cached five minutes.
#[utoipa::path(get, path = "/api/colosseum/project-votes", tag = "colosseum", responses(
    (status = 200, body = ProjectVotes),
    (status = 502, description = "The forum's project page is unavailable", body = ErrorBody),
))]
async fn project_votes(State(state): State<WorkerState>) -> ApiResult<Response> {
    let body = colosseum::project_votes(&*state.cache, &*state.services.forum).await?;
    Ok(json_text(body))
}

/// Our agent, its forum activity over the last 7 days and the project's votes, cached five
/// minutes.
#[utoipa::path(get, path = "/api/colosseum/agent-stats", tag = "colosseum", responses(
    (status = 200, body = AgentStats),
    (status = 502, description = "The forum's project page is unavailable", body = ErrorBody),
))]
async fn agent_stats(State(state): State<WorkerState>) -> ApiResult<Response> {
    let body = colosseum::agent_stats(&*state.cache, &*state.services.forum).await?;
    Ok(json_text(body))
}
