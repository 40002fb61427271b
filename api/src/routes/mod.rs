//! The API's routes, one module per group, collected with their OpenAPI descriptions so the
//! document can never miss a route.

mod admin;
mod admin_platform;
mod auth;
mod developer;
mod developer_pay;
mod docs;
mod pay;
mod pay_verify;
mod pricing;
pub mod reading;
mod root;
mod token;
mod user_create;
mod users;
mod v1;
mod wallet;
mod wallet_balance;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The API's routes (probes excluded) and the OpenAPI document describing them and the probes.
pub struct Routes {
    /// Everything under the per-address and per-wallet limits.
    pub api: Router,
    /// `/api/v1`, metered per key (its own limits).
    pub v1: Router,
    pub docs: utoipa::openapi::OpenApi,
}

pub fn router(state: AppState) -> Routes {
    let (v1, v1_docs) = v1::routes(&state.metering).split_for_parts();
    let (router, mut api) = OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .merge(root::routes())
        .merge(auth::routes())
        .merge(reading::routes())
        .merge(users::routes())
        .merge(user_create::routes())
        .merge(wallet::routes())
        .merge(token::routes())
        .merge(pay::routes())
        .merge(pricing::routes())
        .merge(admin::routes())
        .merge(developer_pay::routes())
        .merge(developer::routes())
        .merge(admin_platform::routes())
        .split_for_parts();
    api.merge(v1_docs);
    api.merge(neptu_http::health::ProbeDocs::openapi());
    Routes {
        api: router.with_state(state.clone()),
        v1: v1.with_state(state),
        docs: api,
    }
}

pub use neptu_http::docs::routes as docs_routes;
