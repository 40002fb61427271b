//! `POST /api/users`: the wallet's user, created on first call, with or without a token
//! (see `services::accounts`).

use axum::extract::State;
use neptu_http::auth::MaybeSignedIn;
use neptu_http::{ApiResult, CheckedJson, Issue, Rules};
use neptu_shared::domain::profile;
use neptu_shared::domain::validation::outcome;
use neptu_wariga::CivilDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::users::UserResponse;
use crate::services::accounts::{self, Account};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_user))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    wallet_address: String,
    /// Accepted for compatibility; set it with onboarding.
    #[allow(dead_code)]
    birth_date: Option<CivilDate>,
    /// `solana` (default) or `evm`; accepted for compatibility.
    #[allow(dead_code)]
    chain_type: Option<String>,
    email: Option<String>,
}

impl Rules for CreateUserRequest {
    type Checked = Self;

    fn check(self) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        profile::check_wallet_address(&self.wallet_address, &mut issues);
        if let Some(email) = &self.email {
            profile::check_email(email, &mut issues);
        }
        outcome(issues, self)
    }
}

/// What anyone may see of a user: no email, birth date, interests, role or referral code.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PublicProfile {
    id: uuid::Uuid,
    wallet_address: String,
    display_name: Option<String>,
    /// Whether the profile is complete (the app shows onboarding otherwise).
    onboarded: bool,
    #[serde(serialize_with = "neptu_shared::wire::timestamp")]
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicProfileResponse {
    success: bool,
    user: PublicProfile,
}

/// The whole profile with a token, the public one without.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum CreateUserResponse {
    Own(UserResponse),
    Public(PublicProfileResponse),
}

/// Returns the wallet's user, creating it on first call (safe under concurrent calls). No
/// token needed (the app calls it when a wallet connects): without one only the public
/// profile comes back and `email` is ignored; with the wallet's own token the whole profile,
/// and `email` is saved.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = CreateUserRequest,
    security((), ("bearer" = [])), responses(
    (status = 200, body = CreateUserResponse),
    (status = 400, body = ErrorBody),
    (status = 401, description = "A token was sent and is invalid", body = ErrorBody),
    (status = 403, description = "A token for another wallet", body = ErrorBody),
))]
async fn create_user(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    CheckedJson(body): CheckedJson<CreateUserRequest>,
) -> ApiResult<axum::Json<CreateUserResponse>> {
    let account = accounts::get_or_create(
        &state.db,
        state.auth.admin_wallet.as_deref(),
        caller.as_ref(),
        &body.wallet_address,
        body.email,
    )
    .await?;
    Ok(axum::Json(match account {
        Account::Own(user) => CreateUserResponse::Own(UserResponse {
            success: true,
            user,
            already_onboarded: None,
        }),
        Account::Public(user) => CreateUserResponse::Public(PublicProfileResponse {
            success: true,
            user: PublicProfile {
                id: user.id,
                wallet_address: user.wallet_address,
                display_name: user.display_name,
                onboarded: user.onboarded,
                created_at: user.created_at,
            },
        }),
    }))
}
