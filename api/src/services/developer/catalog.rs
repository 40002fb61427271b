//! The API plans and credit packs on sale: the public catalogue (active ones, in display
//! order) and the admin CRUD over all of them.
//!
//! A duplicate slug and deleting a plan that subscriptions still refer to are 409 conflicts
//! (switch such a plan off instead of deleting it). Plans and packs come in already checked
//! (`domain::developer::check_plan` / `check_pack`, applied by the routes' extractors).

use neptu_shared::db::api_packs::{self, CreditPack, PackChanges};
use neptu_shared::db::api_plans::{self, ApiPlan, IN_USE_CONSTRAINT, PlanChanges};
use neptu_shared::db::{is_foreign_key_violation, is_unique_violation};
use sqlx::PgPool;
use uuid::Uuid;

use super::DeveloperError;

const PLAN_NOT_FOUND: &str = "Plan not found";
const PLAN_SLUG_TAKEN: &str = "Plan with this slug already exists";
const PACK_NOT_FOUND: &str = "Pack not found";
const PACK_SLUG_TAKEN: &str = "Credit pack with this slug already exists";

/// Plans in display order; `active_only` for the public catalogue.
pub async fn plans(db: &PgPool, active_only: bool) -> Result<Vec<ApiPlan>, DeveloperError> {
    Ok(api_plans::list(db, active_only).await?)
}

/// An active plan by slug (a switched-off plan is not on sale, so not found).
pub async fn plan_on_sale(db: &PgPool, slug: &str) -> Result<ApiPlan, DeveloperError> {
    api_plans::find_by_slug(db, slug)
        .await?
        .filter(|p| p.is_active)
        .ok_or(DeveloperError::NotFound(PLAN_NOT_FOUND))
}

pub async fn create_plan(db: &PgPool, plan: PlanChanges) -> Result<ApiPlan, DeveloperError> {
    api_plans::create(db, &plan)
        .await
        .map_err(|e| slug_taken(e, api_plans::SLUG_CONSTRAINT, PLAN_SLUG_TAKEN))
}

pub async fn update_plan(db: &PgPool, id: Uuid, changes: PlanChanges) -> Result<ApiPlan, DeveloperError> {
    api_plans::update(db, id, &changes)
        .await
        .map_err(|e| slug_taken(e, api_plans::SLUG_CONSTRAINT, PLAN_SLUG_TAKEN))?
        .ok_or(DeveloperError::NotFound(PLAN_NOT_FOUND))
}

pub async fn delete_plan(db: &PgPool, id: Uuid) -> Result<(), DeveloperError> {
    match api_plans::delete(db, id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(DeveloperError::NotFound(PLAN_NOT_FOUND)),
        Err(error) if is_foreign_key_violation(&error, IN_USE_CONSTRAINT) => Err(DeveloperError::Conflict(
            "Plan has subscriptions; deactivate it instead",
        )),
        Err(error) => Err(error.into()),
    }
}

/// Packs in display order; `active_only` for the public catalogue.
pub async fn packs(db: &PgPool, active_only: bool) -> Result<Vec<CreditPack>, DeveloperError> {
    Ok(api_packs::list(db, active_only).await?)
}

/// An active pack by slug.
pub async fn pack_on_sale(db: &PgPool, slug: &str) -> Result<CreditPack, DeveloperError> {
    api_packs::find_by_slug(db, slug)
        .await?
        .filter(|p| p.is_active)
        .ok_or(DeveloperError::NotFound("Credit pack not found"))
}

pub async fn create_pack(db: &PgPool, pack: PackChanges) -> Result<CreditPack, DeveloperError> {
    api_packs::create(db, &pack)
        .await
        .map_err(|e| slug_taken(e, api_packs::SLUG_CONSTRAINT, PACK_SLUG_TAKEN))
}

pub async fn update_pack(db: &PgPool, id: Uuid, changes: PackChanges) -> Result<CreditPack, DeveloperError> {
    api_packs::update(db, id, &changes)
        .await
        .map_err(|e| slug_taken(e, api_packs::SLUG_CONSTRAINT, PACK_SLUG_TAKEN))?
        .ok_or(DeveloperError::NotFound(PACK_NOT_FOUND))
}

pub async fn delete_pack(db: &PgPool, id: Uuid) -> Result<(), DeveloperError> {
    if api_packs::delete(db, id).await? {
        Ok(())
    } else {
        Err(DeveloperError::NotFound(PACK_NOT_FOUND))
    }
}

fn slug_taken(error: sqlx::Error, constraint: &str, message: &'static str) -> DeveloperError {
    if is_unique_violation(&error, constraint) {
        DeveloperError::Conflict(message)
    } else {
        error.into()
    }
}
