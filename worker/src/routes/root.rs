//! `GET /`: what answers here.

use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::body::Sorted;
use crate::state::WorkerState;

pub fn routes() -> OpenApiRouter<WorkerState> {
    OpenApiRouter::new().routes(routes!(root))
}

#[derive(Serialize, ToSchema)]
pub struct WorkerAbout {
    name: &'static str,
    version: &'static str,
    /// Always `running`.
    status: &'static str,
}

/// The service's name and version.
#[utoipa::path(get, path = "/", tag = "probes", responses((status = 200, body = WorkerAbout)))]
async fn root() -> Sorted<WorkerAbout> {
    Sorted(WorkerAbout {
        name: "Neptu Worker",
        version: env!("CARGO_PKG_VERSION"),
        status: "running",
    })
}
