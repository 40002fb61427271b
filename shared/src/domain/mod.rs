//! Business rules and the vocabulary they speak. Pure where possible, unit-tested without
//! HTTP or a database.

pub mod enums;
pub mod pricing;
pub mod profile;
pub mod referrals;
pub mod rewards;
pub mod streaks;
pub mod token_history;
