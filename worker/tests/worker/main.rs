//! The worker against a real database and Redis, with every outside API on a local fake.

mod chart_quota;
mod developer;
mod docs;
mod exactly_once;
mod fakes;
mod forum;
mod fuzz;
mod harness;
mod jobs;
mod metrics;
mod process;
mod revocation;
mod routes_crypto;
mod routes_oracle;
mod routes_other;
mod runtime;
