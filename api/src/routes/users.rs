//! `/api/users/*`: profiles, onboarding, the personal reading, history and referrals.
//! Every route acts on the caller's own wallet (admins may act on any). `POST /api/users`
//! is in `user_create`.

use axum::extract::State;
use neptu_http::auth::SignedIn;
use neptu_http::{ApiResult, CheckedJson, CheckedQuery, Issue, Json, Path, Query, Rules};
use neptu_shared::domain::enums::Interest;
use neptu_shared::domain::profile;
use neptu_shared::domain::validation::{self, outcome};
use neptu_wariga::{CivilDate, FullReading, Peluang, Potensi};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::accounts::{self, User};
use crate::services::profile::{self as profiles, Changes, Onboarded, Onboarding};
use crate::services::readings::{self, Reading};
use crate::services::referral::{self, Referral};
use crate::state::AppState;

type ErrorBody = neptu_http::docs::ErrorBody;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_user, update_user))
        .routes(routes!(onboard))
        .routes(routes!(personal_reading))
        .routes(routes!(history))
        .routes(routes!(referral_info, apply_referral))
}

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    pub(super) success: bool,
    pub(super) user: User,
    #[serde(rename = "alreadyOnboarded", skip_serializing_if = "Option::is_none")]
    pub(super) already_onboarded: Option<bool>,
}

fn user_response(user: User) -> axum::Json<UserResponse> {
    axum::Json(UserResponse {
        success: true,
        user,
        already_onboarded: None,
    })
}

/// A user's profile. Reading it never changes it.
#[utoipa::path(get, path = "/api/users/{wallet}", tag = "users", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = UserResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, description = "User not found", body = ErrorBody),
))]
async fn get_user(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<UserResponse>> {
    caller.authorize_wallet(&wallet)?;
    Ok(user_response(accounts::wallet_user(&state.db, &wallet).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnboardRequest {
    birth_date: CivilDate,
    display_name: Option<String>,
    interests: Option<Vec<Interest>>,
    /// Someone's referral code (`NEPTU-…`), applied before the profile is completed.
    referral_code: Option<String>,
}

impl Rules for OnboardRequest {
    type Checked = Onboarding;

    fn check(self) -> Result<Onboarding, Vec<Issue>> {
        let mut issues = Vec::new();
        if let Some(name) = &self.display_name {
            profile::check_display_name(name, &mut issues);
        }
        let interests = profile::interests(self.interests.unwrap_or_default(), &mut issues);
        outcome(
            issues,
            Onboarding {
                birth_date: self.birth_date,
                display_name: self.display_name,
                interests,
                referral_code: self.referral_code,
            },
        )
    }
}

/// Completes the profile once: birth date, optional name, interests and referral code.
#[utoipa::path(post, path = "/api/users/{wallet}/onboard", tag = "users", params(("wallet" = String, Path)),
    request_body = OnboardRequest, security(("bearer" = [])), responses(
    (status = 200, description = "Onboarded, or `alreadyOnboarded: true` with nothing changed", body = UserResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
async fn onboard(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    CheckedJson(onboarding): CheckedJson<OnboardRequest>,
) -> ApiResult<axum::Json<UserResponse>> {
    caller.authorize_wallet(&wallet)?;
    Ok(match profiles::onboard(&state.db, &wallet, onboarding).await? {
        Onboarded::Now(user) => user_response(user),
        Onboarded::Already(user) => axum::Json(UserResponse {
            success: true,
            user,
            already_onboarded: Some(true),
        }),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    display_name: Option<String>,
    email: Option<String>,
    interests: Option<Vec<Interest>>,
    /// Setting the birth date also marks the profile onboarded.
    birth_date: Option<CivilDate>,
}

impl Rules for UpdateUserRequest {
    type Checked = Changes;

    fn check(self) -> Result<Changes, Vec<Issue>> {
        let mut issues = Vec::new();
        if let Some(name) = &self.display_name {
            profile::check_display_name(name, &mut issues);
        }
        if let Some(email) = &self.email {
            profile::check_email(email, &mut issues);
        }
        let interests = self.interests.map(|given| profile::interests(given, &mut issues));
        outcome(
            issues,
            Changes {
                display_name: self.display_name,
                email: self.email,
                interests,
                birth_date: self.birth_date,
            },
        )
    }
}

/// Changes the given profile fields.
#[utoipa::path(put, path = "/api/users/{wallet}", tag = "users", params(("wallet" = String, Path)),
    request_body = UpdateUserRequest, security(("bearer" = [])), responses(
    (status = 200, body = UserResponse),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
async fn update_user(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    CheckedJson(changes): CheckedJson<UpdateUserRequest>,
) -> ApiResult<axum::Json<UserResponse>> {
    caller.authorize_wallet(&wallet)?;
    Ok(user_response(
        profiles::update(&state.db, &wallet, changes).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct TargetQuery {
    /// Defaults to today (UTC).
    target_date: Option<CivilDate>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadingOwner {
    wallet_address: String,
    birth_date: CivilDate,
}

#[derive(Serialize, ToSchema)]
pub struct PersonalReading {
    #[schema(value_type = Object)]
    potensi: Potensi,
    #[schema(value_type = Object)]
    peluang: Peluang,
    #[schema(value_type = Object)]
    full: FullReading,
    date: CivilDate,
}

#[derive(Serialize, ToSchema)]
pub struct PersonalReadingResponse {
    success: bool,
    user: ReadingOwner,
    reading: PersonalReading,
}

/// The caller's reading for a day. Days within a week of today (UTC) are kept in their
/// history (once per day); other days are answered alike but not stored.
#[utoipa::path(get, path = "/api/users/{wallet}/reading", tag = "users", params(("wallet" = String, Path), TargetQuery),
    security(("bearer" = [])), responses(
    (status = 200, body = PersonalReadingResponse),
    (status = 400, description = "Bad date, or `requiresBirthDate: true` when the profile has none", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn personal_reading(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    Query(q): Query<TargetQuery>,
) -> ApiResult<axum::Json<PersonalReadingResponse>> {
    caller.authorize_wallet(&wallet)?;
    let personal = readings::personal(&state.db, &wallet, q.target_date).await?;
    Ok(axum::Json(PersonalReadingResponse {
        success: true,
        user: ReadingOwner {
            wallet_address: personal.wallet_address,
            birth_date: personal.birth_date,
        },
        reading: PersonalReading {
            potensi: personal.reading.potensi,
            peluang: personal.reading.peluang,
            full: personal.reading,
            date: personal.target_date,
        },
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1 to 100, default 10.
    limit: Option<i64>,
}

impl Rules for HistoryQuery {
    type Checked = i64;

    fn check(self) -> Result<i64, Vec<Issue>> {
        let mut issues = Vec::new();
        let limit = validation::limit(self.limit, 10, 100, &mut issues);
        outcome(issues, limit)
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReadingHistoryResponse {
    success: bool,
    readings: Vec<Reading>,
}

/// The caller's stored readings, newest first.
#[utoipa::path(get, path = "/api/users/{wallet}/readings", tag = "users", params(("wallet" = String, Path), HistoryQuery),
    security(("bearer" = [])), responses(
    (status = 200, body = ReadingHistoryResponse),
    (status = 400, description = "limit outside 1..=100", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn history(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    CheckedQuery(limit): CheckedQuery<HistoryQuery>,
) -> ApiResult<axum::Json<ReadingHistoryResponse>> {
    caller.authorize_wallet(&wallet)?;
    let readings = readings::history(&state.db, &wallet, limit).await?;
    Ok(axum::Json(ReadingHistoryResponse {
        success: true,
        readings,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReferralInfo {
    /// Share this code; whoever enters it during onboarding is referred by you.
    code: String,
    total_referrals: i64,
    /// Referrals whose reward was paid out on chain.
    successful_referrals: i64,
    pending_referrals: i64,
    /// NEPTU earned from referrals.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    total_earned: rust_decimal::Decimal,
    /// Whether this user was referred by someone.
    referred: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralInfoResponse {
    success: bool,
    referral: ReferralInfo,
}

/// The caller's referral code and how it has done.
#[utoipa::path(get, path = "/api/users/{wallet}/referral", tag = "users", params(("wallet" = String, Path)),
    security(("bearer" = [])), responses(
    (status = 200, body = ReferralInfoResponse),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn referral_info(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
) -> ApiResult<axum::Json<ReferralInfoResponse>> {
    caller.authorize_wallet(&wallet)?;
    let summary = referral::summary(&state.db, &wallet).await?;
    Ok(axum::Json(ReferralInfoResponse {
        success: true,
        referral: ReferralInfo {
            code: summary.code,
            total_referrals: summary.total,
            successful_referrals: summary.successful,
            pending_referrals: summary.pending,
            total_earned: summary.earned,
            referred: summary.referred,
        },
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ApplyReferralRequest {
    /// The referrer's code, `NEPTU-` and 12 hex digits.
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApplyReferralResponse {
    success: bool,
    referral: Referral,
}

/// Applies someone's referral code (before onboarding is complete): 10 NEPTU for them and 2
/// for the caller, pending once the caller has checked in on 3 distinct days (at once if
/// they already have). Someone the caller referred cannot be their referrer.
#[utoipa::path(post, path = "/api/users/{wallet}/referral", tag = "users", params(("wallet" = String, Path)),
    request_body = ApplyReferralRequest, security(("bearer" = [])), responses(
    (status = 200, body = ApplyReferralResponse),
    (status = 400, description = "Unknown code, own code, the code of someone the caller referred, already referred, or already onboarded", body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn apply_referral(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(wallet): Path<String>,
    Json(body): Json<ApplyReferralRequest>,
) -> ApiResult<axum::Json<ApplyReferralResponse>> {
    caller.authorize_wallet(&wallet)?;
    let referral = referral::apply_for_wallet(&state.db, &wallet, &body.code).await?;
    Ok(axum::Json(ApplyReferralResponse {
        success: true,
        referral,
    }))
}
