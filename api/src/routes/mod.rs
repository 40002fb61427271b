//! The API's routes, one module per group.

mod root;

use axum::Router;

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new().merge(root::routes()).with_state(state)
}
