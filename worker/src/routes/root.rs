//! `GET /`: what answers here.

use axum::Router;
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use super::body::Sorted;
use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new().route("/", get(root))
}

#[derive(Serialize, ToSchema)]
pub struct WorkerAbout {
    name: &'static str,
    version: &'static str,
    status: &'static str,
}

async fn root() -> Sorted<WorkerAbout> {
    Sorted(WorkerAbout {
        name: "Neptu Worker",
        version: env!("CARGO_PKG_VERSION"),
        status: "running",
    })
}
