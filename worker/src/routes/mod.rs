//! The worker's HTTP routes, with the original worker's paths and shapes.

mod body;
mod colosseum;
mod crypto;
mod daily;
mod jobs;
mod limit;
mod oracle;
mod params;
mod root;

use axum::Router;

use crate::state::WorkerState;

pub fn router(state: WorkerState) -> Router {
    Router::new()
        .merge(root::routes())
        .merge(daily::routes())
        .merge(oracle::routes())
        .merge(crypto::routes())
        .merge(colosseum::routes())
        .merge(jobs::routes())
        .with_state(state)
}
