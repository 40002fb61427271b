//! The yardstick of `bench/reference.sh`: the least an axum server can do to answer the API's
//! two measured requests, with none of the API's stack (no request id, headers, logs, limits,
//! timeouts, metrics, auth).
//!
//! - `GET /health`: the same body as the API's liveness probe;
//! - `GET /api/users/{wallet}`: the same query through the same repository and pool settings,
//!   serialised the same way (the token the load sends is ignored).
//!
//!   DATABASE_URL=… PORT=3997 cargo run --release --example reference_server

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use axum::{Router, serve};
use chrono::Utc;
use neptu_shared::config::{Service, Settings};
use neptu_shared::db::{self, users};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    timestamp: String,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        timestamp: neptu_shared::wire::format_timestamp(&Utc::now()),
    })
}

#[derive(Serialize)]
struct UserBody {
    success: bool,
    user: users::User,
}

async fn user(State(pool): State<PgPool>, Path(wallet): Path<String>) -> Response {
    match users::find_by_wallet(&pool, &wallet).await {
        Ok(Some(user)) => Json(UserBody { success: true, user }).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(Service::Api)?;
    let pool = db::pool(&settings.database, "neptu-reference");
    let app = Router::new()
        .route("/health", get(health))
        .route("/api/users/{wallet}", get(user))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(settings.http.listen).await?;
    serve(listener, app).await?;
    Ok(())
}
