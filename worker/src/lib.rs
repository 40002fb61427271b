//! The Neptu worker: scheduled jobs plus a few HTTP routes, over the shared domain crate.

pub mod app;
pub mod chart;
pub mod cli;
pub mod jobs;
pub mod routes;
pub mod schedule;
pub mod services;
pub mod state;
