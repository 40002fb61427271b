//! Work that spans several repositories (transactions), kept out of the handlers.

pub mod accounts;
pub mod balances;
pub mod chain;
pub mod check_in;
pub mod claims;
pub mod developer;
pub mod payments;
pub mod referral;
pub mod session;
pub mod sign_in_quota;
pub mod snapshot;
pub mod token_history;
