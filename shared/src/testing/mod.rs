//! Helpers for this workspace's integration tests (feature `test-support`): fresh databases,
//! unique cache prefixes, and TCP fault injection. Tests talk to the real Postgres and Redis
//! named by `DATABASE_URL` and `REDIS_URL`.

mod chaos;
mod database;
mod fake;

use std::net::SocketAddr;

pub use chaos::{ChaosProxy, Mode};
pub use database::TestDatabase;
pub use fake::FakeServer;

/// The Postgres every test database is created in (a role that may create databases).
pub fn database_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL must point at a Postgres for tests")
}

/// The Redis the cache tests use.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").expect("REDIS_URL must point at a Redis for tests")
}

/// A cache prefix no other test uses, so tests sharing one Redis never see each other's keys.
pub fn unique_prefix() -> String {
    format!("test:{}:", uuid::Uuid::new_v4().simple())
}

/// A local port nothing listens on (bound, then released), for "service down" tests.
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address")
}
