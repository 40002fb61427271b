//! The worker's HTTP routes, with the original worker's paths and shapes, collected with
//! their OpenAPI descriptions so the document can never miss a route.

mod body;
mod colosseum;
mod crypto;
mod daily;
mod docs;
mod jobs;
mod limit;
mod oracle;
mod params;
mod root;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::WorkerState;

type ErrorBody = neptu_http::docs::ErrorBody;

/// The worker's routes (probes excluded) and the OpenAPI document describing them and the
/// probes.
pub struct Routes {
    pub api: Router,
    pub docs: utoipa::openapi::OpenApi,
}

pub fn router(state: WorkerState) -> Routes {
    let (router, mut docs) = OpenApiRouter::with_openapi(docs::WorkerDoc::openapi())
        .merge(root::routes())
        .merge(daily::routes())
        .merge(oracle::routes())
        .merge(crypto::routes())
        .merge(colosseum::routes())
        .merge(jobs::routes())
        .split_for_parts();
    docs.merge(neptu_http::health::ProbeDocs::openapi());
    Routes {
        api: router.with_state(state),
        docs,
    }
}
