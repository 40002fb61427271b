//! `GET /`: what answers here.

use axum::Router;
use axum::response::Json;
use axum::routing::get;
use serde_json::{Value, json};

use crate::state::WorkerState;

pub fn routes() -> Router<WorkerState> {
    Router::new().route("/", get(root))
}

async fn root() -> Json<Value> {
    Json(json!({ "name": "Neptu Worker", "version": env!("CARGO_PKG_VERSION"), "status": "running" }))
}
