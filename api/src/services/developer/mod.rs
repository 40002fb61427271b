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
