//! The Neptu HTTP API: routes over the shared domain crate.

pub mod app;
pub mod cli;
pub mod commands;
pub mod import;
pub mod metered;
pub mod routes;
pub mod services;
pub mod state;
