//! Business rules and the vocabulary they speak. Pure where possible, unit-tested without
//! HTTP or a database.

pub mod crypto;
pub mod enums;
pub mod forum;
pub mod oracle;
pub mod pricing;
pub mod rate_limit;
