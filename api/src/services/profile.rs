//! A user's profile: onboarding (once) and later changes. The fields are validated by the
//! caller against `neptu_shared::domain::profile` before they reach here.

use neptu_shared::db::users::{self, ProfileUpdate};
use neptu_shared::domain::enums::Interest;
use neptu_wariga::CivilDate;
use sqlx::PgPool;

use super::accounts::{self, User};
use super::{UserError, referral};

/// What onboarding sets.
pub struct Onboarding {
    pub birth_date: CivilDate,
    pub display_name: Option<String>,
    pub interests: Vec<Interest>,
    /// Someone's referral code, applied before the profile is completed.
    pub referral_code: Option<String>,
}

pub enum Onboarded {
    /// The profile is now complete.
    Now(User),
    /// It was complete before; nothing changed.
    Already(User),
}

/// Completes `wallet`'s profile once, applying the referral code first (a refused code
/// leaves the profile as it was).
pub async fn onboard(db: &PgPool, wallet: &str, onboarding: Onboarding) -> Result<Onboarded, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    if user.onboarded {
        return Ok(Onboarded::Already(user));
    }
    if let Some(code) = &onboarding.referral_code {
        referral::apply(db, &user, code).await?;
    }
    let update = ProfileUpdate {
        birth_date: Some(onboarding.birth_date.naive()),
        display_name: onboarding.display_name.map(|n| n.trim().to_owned()),
        interests: Some(onboarding.interests),
        onboarded: Some(true),
        ..Default::default()
    };
    Ok(Onboarded::Now(save(db, wallet, &update).await?))
}

/// The profile fields a user may change; `None` leaves a field as it is.
pub struct Changes {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub interests: Option<Vec<Interest>>,
    /// Setting the birth date also marks the profile onboarded.
    pub birth_date: Option<CivilDate>,
}

/// Applies `changes` to `wallet`'s profile.
pub async fn update(db: &PgPool, wallet: &str, changes: Changes) -> Result<User, UserError> {
    let update = ProfileUpdate {
        display_name: changes.display_name.map(|n| n.trim().to_owned()),
        email: changes.email,
        interests: changes.interests,
        birth_date: changes.birth_date.map(CivilDate::naive),
        onboarded: changes.birth_date.map(|_| true),
        ..Default::default()
    };
    save(db, wallet, &update).await
}

async fn save(db: &PgPool, wallet: &str, update: &ProfileUpdate) -> Result<User, UserError> {
    users::update_profile(db, wallet, update)
        .await?
        .ok_or(UserError::NotFound(accounts::NOT_FOUND))
}
