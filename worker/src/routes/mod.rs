//! The worker's HTTP routes.

mod root;

use axum::Router;

use crate::state::WorkerState;

pub fn router(state: WorkerState) -> Router {
    Router::new().merge(root::routes()).with_state(state)
}
