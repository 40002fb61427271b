//! Readings: the public ones, computed on the fly, and the personal one, which is also kept
//! in the user's history.

use chrono::Utc;
use neptu_shared::db::readings::{self, NewReading};
use neptu_shared::domain::enums::ReadingKind;
use neptu_shared::domain::reading_history;
use neptu_shared::domain::validation::Issue;
use neptu_wariga::{self as wariga, CivilDate, CompatibilityPair, FullReading, Peluang};
use sqlx::PgPool;

use super::{UserError, accounts};

pub use neptu_shared::db::readings::Reading;

/// Today's UTC date, the day boundary every reading uses.
pub fn utc_today() -> Result<CivilDate, UserError> {
    CivilDate::new(Utc::now().date_naive()).map_err(|e| UserError::Internal(e.into()))
}

/// Today's Peluang, for no one in particular.
pub fn today() -> Result<(CivilDate, Peluang), UserError> {
    let date = utc_today()?;
    Ok((date, wariga::peluang(date, None)))
}

/// The Potensi of `birth` with the Peluang of `target` (today when absent), and the target.
pub fn full(birth: CivilDate, target: Option<CivilDate>) -> Result<(CivilDate, FullReading), UserError> {
    let target = match target {
        Some(date) => date,
        None => utc_today()?,
    };
    Ok((target, wariga::full_reading(birth, target)))
}

/// Every pair of a group of 2 to 5 birth dates.
pub fn compatibility_batch(births: &[CivilDate]) -> Result<Vec<CompatibilityPair>, UserError> {
    wariga::compatibility_batch(births)
        .map_err(|e| UserError::Invalid(vec![Issue::new("birthDates", e.to_string())]))
}

/// A user's reading for a day.
pub struct Personal {
    pub wallet_address: String,
    pub birth_date: CivilDate,
    pub target_date: CivilDate,
    pub reading: FullReading,
}

/// `wallet`'s reading for `target` (today, UTC, when absent). Days within a week of today
/// are kept in the user's history, once per day; others are answered but not stored.
pub async fn personal(db: &PgPool, wallet: &str, target: Option<CivilDate>) -> Result<Personal, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    let birth = user.birth_date.ok_or(UserError::BirthDateNotSet)?;
    let birth = CivilDate::new(birth).map_err(|e| UserError::bad_request(e.to_string()))?;
    let today = utc_today()?;
    let target = target.unwrap_or(today);
    let reading = wariga::full_reading(birth, target);
    if reading_history::is_stored(target.naive(), today.naive()) {
        let reading_data = serde_json::to_value(reading).map_err(|e| UserError::Internal(e.into()))?;
        readings::record_view(
            db,
            &NewReading {
                user_id: user.id,
                kind: ReadingKind::Potensi,
                target_date: target.naive(),
                birth_date: Some(birth.naive()),
                birth_date2: None,
                reading_data,
                tx_signature: None,
            },
        )
        .await?;
    }
    Ok(Personal {
        wallet_address: user.wallet_address,
        birth_date: birth,
        target_date: target,
        reading,
    })
}

/// `wallet`'s stored readings, newest first, at most `limit`.
pub async fn history(db: &PgPool, wallet: &str, limit: i64) -> Result<Vec<Reading>, UserError> {
    let user = accounts::wallet_user(db, wallet).await?;
    Ok(readings::list_for_user(db, user.id, limit).await?)
}
