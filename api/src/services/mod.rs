//! Work that spans several repositories (transactions), kept out of the handlers.

pub mod accounts;
pub mod admin;
pub mod balances;
pub mod chain;
pub mod check_in;
pub mod claims;
pub mod developer;
pub mod payments;
pub mod pricing;
pub mod profile;
pub mod readings;
pub mod referral;
pub mod rewards;
pub mod session;
pub mod sign_in_quota;
pub mod snapshot;
pub mod token_history;
mod user_error;

pub use user_error::UserError;
