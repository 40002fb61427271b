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
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::HttpSettings;

/// How long each shutdown phase may last.
#[derive(Debug, Clone, Copy)]
pub struct ShutdownTiming {
    /// Keep serving (as a lame duck) this long after the signal.
    pub drain: Duration,
    /// Then wait at most this long for in-flight requests.
    pub grace: Duration,
}

impl From<&HttpSettings> for ShutdownTiming {
    fn from(http: &HttpSettings) -> Self {
        Self {
            drain: http.shutdown_drain,
            grace: http.shutdown_grace,
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
    // An atomic rather than the token itself: it is read on every request.
    let draining = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&draining);
    let app = app.layer(axum::middleware::from_fn(move |request, next| {
        lame_duck(Arc::clone(&flag), request, next)
    }));
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
    draining.store(true, Ordering::Relaxed);
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

/// While draining: `/ready` answers 503 and every response closes its connection.
async fn lame_duck(draining: Arc<AtomicBool>, request: Request, next: Next) -> Response {
    if !draining.load(Ordering::Relaxed) {
        return next.run(request).await;
    }
    let mut response = if request.uri().path() == "/ready" {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "draining" })),
        )
            .into_response()
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
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
