//! Business rules and the vocabulary they speak. Pure where possible, unit-tested without
//! HTTP or a database.

pub mod enums;
pub mod pricing;
