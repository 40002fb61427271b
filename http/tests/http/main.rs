//! The shared HTTP stack, served for real on a local port: errors, middleware, shutdown.

mod framework;
mod fuzz_extract;
mod middleware;
mod shutdown;
mod slow_clients;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::Method;
use neptu_http::{self as http, StackSettings, Stopped};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const ORIGIN: &str = "https://neptu.sudigital.com";

pub fn settings() -> StackSettings {
    StackSettings {
        cors_allowed_origins: vec![ORIGIN.to_owned(), "http://localhost:3001".to_owned()],
        cors_methods: vec![
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ],
        request_timeout: Duration::from_millis(500),
        hsts: false,
        draining: Default::default(),
    }
}

pub struct Served {
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    pub handle: JoinHandle<std::io::Result<Stopped>>,
}

impl Served {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Serves `routes` inside the shared stack with the given deadline for in-flight requests.
pub async fn serve(routes: Router, settings: &StackSettings, grace: Duration) -> Served {
    serve_draining(routes, settings, Duration::ZERO, grace).await
}

/// Like [`serve`], with a lame-duck drain before the listener closes.
pub async fn serve_draining(
    routes: Router,
    settings: &StackSettings,
    drain: Duration,
    grace: Duration,
) -> Served {
    let timing = http::ShutdownTiming {
        drain,
        grace,
        draining: settings.draining.clone(),
        header_read_timeout: Duration::from_secs(10),
        max_connections: 1024,
    };
    serve_with(routes, settings, timing).await
}

/// Serves `routes` inside the shared stack with explicit connection bounds and timings.
pub async fn serve_with(routes: Router, settings: &StackSettings, timing: http::ShutdownTiming) -> Served {
    neptu_shared::testing::tls();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let app = http::stack(routes, settings);
    let handle = tokio::spawn(http::serve(listener, app, shutdown.clone(), timing));
    Served {
        addr,
        shutdown,
        handle,
    }
}
