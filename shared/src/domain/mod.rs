//! Business rules and the vocabulary they speak. Pure where possible, unit-tested without
//! HTTP or a database.

pub mod admin;
pub mod api_keys;
pub mod claims;
pub mod crypto;
pub mod day;
pub mod developer;
pub mod developer_pay;
pub mod enums;
pub mod forum;
pub mod jobs;
pub mod oracle;
pub mod paging;
pub mod payments;
pub mod pricing;
pub mod profile;
pub mod rate_limit;
pub mod reading_history;
pub mod referrals;
pub mod rewards;
pub mod solana;
pub mod streaks;
pub mod token_history;
pub mod validation;
