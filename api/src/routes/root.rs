//! `GET /`: what answers here.

use axum::Router;
use axum::response::Json;
use axum::routing::get;
use serde_json::{Value, json};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(root))
}

async fn root() -> Json<Value> {
    Json(json!({
        "name": "Neptu API",
        "version": env!("CARGO_PKG_VERSION"),
        "tagline": "Your Balinese Soul, On-Chain",
    }))
}
