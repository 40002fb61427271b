//! Serving with graceful shutdown, in two phases.
//!
//! 1. **Drain** (`SHUTDOWN_DRAIN_MS`): the server keeps accepting and answering, but `/ready`
//!    says 503 `draining` so the load balancer stops sending traffic here, and every response
//!    carries `Connection: close` so clients leave their keep-alive connections instead of
//!    sending a request down one just as it is closed.
//! 2. **Stop**: the listener closes, in-flight requests run to completion and idle
//!    connections are closed. A hard deadline (`SHUTDOWN_GRACE_SECS`; drain plus grace kept
//!    below the platform's kill timeout) ends the wait for connections that never finish.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::HttpSettings;

/// Set when the drain begins. The envelope layer adds `Connection: close` and `/ready`
/// answers 503 while it is set; an atomic, because it is read on every request.
#[derive(Debug, Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// How a server shuts down: how long each phase may last, and the flag its stack and
/// probes watch.
#[derive(Debug, Clone)]
pub struct ShutdownTiming {
    /// Keep serving (as a lame duck) this long after the signal.
    pub drain: Duration,
    /// Then wait at most this long for in-flight requests.
    pub grace: Duration,
    pub draining: Draining,
}

impl ShutdownTiming {
    pub fn new(http: &HttpSettings, draining: Draining) -> Self {
        Self {
            drain: http.shutdown_drain,
            grace: http.shutdown_grace,
            draining,
        }
    }
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Every connection finished.
    Drained,
    /// The grace period ran out with connections still open; they were dropped.
    DeadlineReached,
}

/// Serves `app` until `shutdown` is cancelled, then drains and stops as the module says.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: CancellationToken,
    timing: ShutdownTiming,
) -> std::io::Result<Stopped> {
    let stop = {
        let shutdown = shutdown.clone();
        async move {
            shutdown.cancelled().await;
            tokio::time::sleep(timing.drain).await;
        }
    };
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stop)
        .into_future();
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map(|()| Stopped::Drained),
        () = shutdown.cancelled() => {}
    }
    timing.draining.set();
    tracing::info!(
        drain_ms = timing.drain.as_millis() as u64,
        grace_secs = timing.grace.as_secs(),
        "shutting down: draining, then finishing in-flight requests"
    );
    match tokio::time::timeout(timing.drain + timing.grace, server).await {
        Ok(result) => result.map(|()| Stopped::Drained),
        Err(_) => {
            tracing::warn!("shutdown grace period over; dropping the remaining connections");
            Ok(Stopped::DeadlineReached)
        }
    }
}

/// Cancels the token on SIGTERM or SIGINT (Ctrl-C).
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut stream) => {
                    stream.recv().await;
                }
                Err(error) => {
                    tracing::error!(%error, "cannot listen for SIGTERM");
                    std::future::pending::<()>().await;
                }
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => tracing::info!("SIGINT received"),
            () = terminate => tracing::info!("SIGTERM received"),
        }
        token.cancel();
    });
}
