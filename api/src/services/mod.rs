//! Work that spans several repositories (transactions), kept out of the handlers.

pub mod check_in;
pub mod referral;
pub mod session;
pub mod snapshot;
