//! The developer platform's services: API keys, subscriptions and their credits, usage, the
//! plan and pack catalogue, and payments for them. Each takes what it uses and returns a
//! [`DeveloperError`], which maps to the HTTP error in one place.

pub mod catalog;
mod error;
pub mod keys;
pub mod payments;
pub mod subscriptions;
pub mod usage;

pub use error::DeveloperError;
use neptu_shared::db::users;
use sqlx::PgPool;
use uuid::Uuid;

/// The id of the user of `wallet`: a caller signed in by the development-only wallet header
/// carries no id, so the developer routes look it up.
pub async fn user_of_wallet(db: &PgPool, wallet: &str) -> Result<Uuid, DeveloperError> {
    users::find_by_wallet(db, wallet)
        .await?
        .map(|user| user.id)
        .ok_or(DeveloperError::NotFound("User not found"))
}
