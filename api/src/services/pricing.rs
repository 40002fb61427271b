//! The consumer pricing plans: the public reads (the active list served from a short-lived
//! snapshot of its response body) and the admin CRUD, each write clearing that snapshot.
//! Plans arrive checked by the domain's rules (`domain::pricing`).

use axum::body::Bytes;
use neptu_http::ApiError;
use neptu_shared::db::is_unique_violation;
use neptu_shared::db::pricing_plans::{self, PlanFields, PlanUpdate, PricingPlan, SLUG_CONSTRAINT};
use neptu_shared::domain::pricing::default_plans;
use sqlx::PgPool;
use uuid::Uuid;

use crate::services::snapshot::Snapshot;

/// What the pricing services can fail with; its one mapping to HTTP is below.
#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    /// 404 "Plan not found".
    #[error("Plan not found")]
    NotFound,
    /// A duplicate slug: a 400, as the original answered it.
    #[error("Plan with this slug already exists")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The active list could not be serialized.
    #[error(transparent)]
    Internal(#[from] serde_json::Error),
}

impl From<PricingError> for ApiError {
    fn from(error: PricingError) -> Self {
        match error {
            PricingError::NotFound => ApiError::not_found(PricingError::NotFound.to_string()),
            PricingError::SlugTaken => ApiError::bad_request(PricingError::SlugTaken.to_string()),
            PricingError::Database(error) => error.into(),
            PricingError::Internal(error) => ApiError::internal(error),
        }
    }
}

/// The active plans' response body: the snapshot while it is fresh, else `render` of the
/// plans read now (which becomes the snapshot).
pub async fn active_body(
    db: &PgPool,
    snapshot: &Snapshot,
    render: impl FnOnce(Vec<PricingPlan>) -> serde_json::Result<Vec<u8>>,
) -> Result<Bytes, PricingError> {
    if let Some(body) = snapshot.get() {
        return Ok(body);
    }
    let plans = pricing_plans::list(db, true).await?;
    let body = Bytes::from(render(plans)?);
    snapshot.set(body.clone());
    Ok(body)
}

/// One plan by slug, active or not.
pub async fn by_slug(db: &PgPool, slug: &str) -> Result<PricingPlan, PricingError> {
    pricing_plans::find_by_slug(db, slug)
        .await?
        .ok_or(PricingError::NotFound)
}

/// Every plan, inactive ones included.
pub async fn all(db: &PgPool) -> Result<Vec<PricingPlan>, PricingError> {
    Ok(pricing_plans::list(db, false).await?)
}

/// Inserts the default plans when there are none; answers every plan.
pub async fn seed(db: &PgPool, snapshot: &Snapshot) -> Result<Vec<PricingPlan>, PricingError> {
    pricing_plans::seed_if_empty(db, &default_plans()).await?;
    snapshot.clear();
    all(db).await
}

pub async fn create(db: &PgPool, snapshot: &Snapshot, plan: PlanFields) -> Result<PricingPlan, PricingError> {
    let plan = pricing_plans::create(db, &plan).await.map_err(slug_taken)?;
    snapshot.clear();
    Ok(plan)
}

pub async fn update(
    db: &PgPool,
    snapshot: &Snapshot,
    id: Uuid,
    changes: PlanUpdate,
) -> Result<PricingPlan, PricingError> {
    let plan = pricing_plans::update(db, id, &changes)
        .await
        .map_err(slug_taken)?
        .ok_or(PricingError::NotFound)?;
    snapshot.clear();
    Ok(plan)
}

pub async fn delete(db: &PgPool, snapshot: &Snapshot, id: Uuid) -> Result<(), PricingError> {
    if !pricing_plans::delete(db, id).await? {
        return Err(PricingError::NotFound);
    }
    snapshot.clear();
    Ok(())
}

fn slug_taken(error: sqlx::Error) -> PricingError {
    if is_unique_violation(&error, SLUG_CONSTRAINT) {
        PricingError::SlugTaken
    } else {
        error.into()
    }
}
