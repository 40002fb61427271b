//! `/api/reading/*`: calendar readings computed on the fly (no database, no sign-in).

use neptu_http::{ApiResult, Json, Query};
use neptu_wariga::{
    self as wariga, CivilDate, CompatibilityPair, CompatibilityResult, FullReading, Peluang, Potensi,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::readings;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(potensi))
        .routes(routes!(peluang))
        .routes(routes!(today))
        .routes(routes!(compatibility))
        .routes(routes!(compatibility_batch))
        .routes(routes!(full))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DateQuery {
    /// `YYYY-MM-DD`, a real date from 1800-01-01 to 2200-12-31.
    date: CivilDate,
}

#[derive(Serialize, ToSchema)]
pub struct PotensiResponse {
    success: bool,
    #[serde(rename = "type")]
    #[schema(example = "potensi")]
    kind: &'static str,
    date: CivilDate,
    /// The Potensi reading (snake_case fields, upper-case names).
    #[schema(value_type = Object)]
    reading: Potensi,
}

/// The Potensi (birth potential) of a birth date.
#[utoipa::path(get, path = "/api/reading/potensi", tag = "reading", params(DateQuery), responses(
    (status = 200, body = PotensiResponse),
    (status = 400, description = "Missing or invalid date", body = neptu_http::docs::ErrorBody),
))]
pub(super) async fn potensi(Query(q): Query<DateQuery>) -> axum::Json<PotensiResponse> {
    axum::Json(PotensiResponse {
        success: true,
        kind: "potensi",
        date: q.date,
        reading: wariga::potensi(q.date),
    })
}

#[derive(Serialize, ToSchema)]
pub struct PeluangResponse {
    success: bool,
    #[serde(rename = "type")]
    #[schema(example = "peluang")]
    kind: &'static str,
    date: CivilDate,
    /// The Peluang reading of the day.
    #[schema(value_type = Object)]
    reading: Peluang,
}

/// The Peluang (opportunity) of a day, for no one in particular.
#[utoipa::path(get, path = "/api/reading/peluang", tag = "reading", params(DateQuery), responses(
    (status = 200, body = PeluangResponse),
    (status = 400, description = "Missing or invalid date", body = neptu_http::docs::ErrorBody),
))]
pub(super) async fn peluang(Query(q): Query<DateQuery>) -> axum::Json<PeluangResponse> {
    axum::Json(PeluangResponse {
        success: true,
        kind: "peluang",
        date: q.date,
        reading: wariga::peluang(q.date, None),
    })
}

/// Today's Peluang (UTC date).
#[utoipa::path(get, path = "/api/reading/today", tag = "reading", responses((status = 200, body = PeluangResponse)))]
pub(super) async fn today() -> ApiResult<axum::Json<PeluangResponse>> {
    let (date, reading) = readings::today()?;
    Ok(axum::Json(PeluangResponse {
        success: true,
        kind: "peluang",
        date,
        reading,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityRequest {
    birth_date1: CivilDate,
    birth_date2: CivilDate,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityResponse {
    success: bool,
    #[serde(rename = "type")]
    #[schema(example = "compatibility")]
    kind: &'static str,
    birth_date1: CivilDate,
    birth_date2: CivilDate,
    /// `{person1, person2, mitraSatru, dimensions, scores}`.
    #[schema(value_type = Object)]
    reading: CompatibilityResult,
}

/// How two people's birth days go together.
#[utoipa::path(post, path = "/api/reading/compatibility", tag = "reading", request_body = CompatibilityRequest, responses(
    (status = 200, body = CompatibilityResponse),
    (status = 400, description = "Missing or invalid dates", body = neptu_http::docs::ErrorBody),
))]
pub(super) async fn compatibility(
    Json(body): Json<CompatibilityRequest>,
) -> axum::Json<CompatibilityResponse> {
    axum::Json(CompatibilityResponse {
        success: true,
        kind: "compatibility",
        birth_date1: body.birth_date1,
        birth_date2: body.birth_date2,
        reading: wariga::compatibility(body.birth_date1, body.birth_date2),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequest {
    /// 2 to 5 birth dates.
    #[schema(min_items = 2, max_items = 5)]
    birth_dates: Vec<CivilDate>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchResponse {
    success: bool,
    #[serde(rename = "type")]
    #[schema(example = "compatibility")]
    kind: &'static str,
    birth_dates: Vec<CivilDate>,
    /// Every pair `{personA, personB, result}` in order (0,1), (0,2), …, (1,2), …
    #[schema(value_type = Vec<Object>)]
    pairs: Vec<CompatibilityPair>,
}

/// Compatibility of every pair in a group of 2 to 5 people.
#[utoipa::path(post, path = "/api/reading/compatibility/batch", tag = "reading", request_body = BatchRequest, responses(
    (status = 200, body = BatchResponse),
    (status = 400, description = "Invalid dates, or not 2 to 5 of them", body = neptu_http::docs::ErrorBody),
))]
async fn compatibility_batch(Json(body): Json<BatchRequest>) -> ApiResult<axum::Json<BatchResponse>> {
    let pairs = readings::compatibility_batch(&body.birth_dates)?;
    Ok(axum::Json(BatchResponse {
        success: true,
        kind: "compatibility",
        birth_dates: body.birth_dates,
        pairs,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct FullQuery {
    birth_date: CivilDate,
    /// Defaults to today (UTC).
    target_date: Option<CivilDate>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FullResponse {
    success: bool,
    #[serde(rename = "type")]
    #[schema(example = "full")]
    kind: &'static str,
    birth_date: CivilDate,
    target_date: CivilDate,
    /// `{potensi, peluang}`.
    #[schema(value_type = Object)]
    reading: FullReading,
}

/// A person's Potensi and their Peluang for a day.
#[utoipa::path(get, path = "/api/reading/full", tag = "reading", params(FullQuery), responses(
    (status = 200, body = FullResponse),
    (status = 400, description = "Missing or invalid dates", body = neptu_http::docs::ErrorBody),
))]
async fn full(Query(q): Query<FullQuery>) -> ApiResult<axum::Json<FullResponse>> {
    let (target_date, reading) = readings::full(q.birth_date, q.target_date)?;
    Ok(axum::Json(FullResponse {
        success: true,
        kind: "full",
        birth_date: q.birth_date,
        target_date,
        reading,
    }))
}
