//! Helpers for this workspace's integration tests (feature `test-support`): fresh databases,
//! unique cache prefixes, TCP fault injection, fake HTTP servers, and private servers with a
//! CA made up by the test: Redis (plain or TLS-only) and TLS-only Postgres. Tests talk to the
//! real Postgres and Redis named by `DATABASE_URL` and `REDIS_URL`; the private servers are
//! processes of their own on free ports.
//!
//! reqwest is built without a default TLS crypto provider, so a `reqwest::Client` panics on
//! creation until one is installed: every helper here installs it first (see
//! [`crate::clients::install_crypto_provider`]); a test that builds a client before calling
//! any helper must call [`tls`] itself.

mod chaos;
mod database;
mod fake;
pub mod fuzz;
mod postgres_tls;
mod redis_server;
mod settings;
mod tls;

use std::net::SocketAddr;

pub use chaos::{ChaosProxy, Mode};
pub use database::TestDatabase;
pub use fake::FakeServer;
pub use postgres_tls::TlsPostgres;
pub use redis_server::PrivateRedis;
pub use settings::{metric, settings};
pub use tls::{ServerCert, TempDir, TestCa, system_bundle_with};

/// Installs the TLS crypto provider reqwest needs (idempotent).
pub fn tls() {
    crate::clients::install_crypto_provider();
}

/// The Postgres every test database is created in (a role that may create databases).
pub fn database_url() -> String {
    tls();
    std::env::var("DATABASE_URL").expect("DATABASE_URL must point at a Postgres for tests")
}

/// The Redis the cache tests use.
pub fn redis_url() -> String {
    tls();
    std::env::var("REDIS_URL").expect("REDIS_URL must point at a Redis for tests")
}

/// A cache prefix no other test uses, so tests sharing one Redis never see each other's keys.
pub fn unique_prefix() -> String {
    tls();
    format!("test:{}:", uuid::Uuid::new_v4().simple())
}

/// A local port nothing listens on (bound, then released), for "service down" tests.
pub fn closed_port() -> SocketAddr {
    tls();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address")
}
