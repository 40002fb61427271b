//! Serving HTTP/1.1 connections, with bounds against slow clients and graceful shutdown.
//!
//! **Slow clients.** A connection must deliver a request's whole header section within
//! `HEADER_READ_TIMEOUT_SECS` of the server starting to wait for it, or it is closed; the wait
//! for the next request on a kept-alive connection counts too, so idle connections are closed
//! after as long. At most `MAX_CONNECTIONS` connections are served at once: further ones wait
//! in the listen backlog, unaccepted, until one closes. (axum's own `serve` has neither a
//! header timeout nor a bound, hence this loop on hyper's HTTP/1 connection.)
//!
//! **Shutdown**, in two phases:
//! 1. **Drain** (`SHUTDOWN_DRAIN_MS`): the server keeps accepting and answering, but `/ready`
//!    says 503 `draining` so the load balancer stops sending traffic here, and every response
//!    carries `Connection: close` so clients leave their keep-alive connections instead of
//!    sending a request down one just as it is closed.
//! 2. **Stop**: the listener closes, in-flight requests run to completion and idle
//!    connections are closed. A hard deadline (`SHUTDOWN_GRACE_SECS`; drain plus grace kept
//!    below the platform's kill timeout) ends the wait for connections that never finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use neptu_shared::config::HttpSettings;

/// After a failed `accept` (out of file descriptors, say), wait before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

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

/// How a server treats its connections and shuts down: the slow-client bounds, how long each
/// shutdown phase may last, and the flag its stack and probes watch.
#[derive(Debug, Clone)]
pub struct ShutdownTiming {
    /// Keep serving (as a lame duck) this long after the signal.
    pub drain: Duration,
    /// Then wait at most this long for in-flight requests.
    pub grace: Duration,
    pub draining: Draining,
    /// Longest wait for a request's header section (and between requests).
    pub header_read_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl ShutdownTiming {
    pub fn new(http: &HttpSettings, draining: Draining) -> Self {
        Self {
            drain: http.shutdown_drain,
            grace: http.shutdown_grace,
            draining,
            header_read_timeout: http.header_read_timeout,
            max_connections: http.max_connections,
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
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timing.header_read_timeout);
    let server = Server {
        listener,
        app,
        builder,
        permits: Arc::new(Semaphore::new(timing.max_connections.max(1))),
        finish: CancellationToken::new(),
        connections: JoinSet::new(),
    };
    server.run(shutdown, timing).await
}

struct Server {
    listener: TcpListener,
    app: Router,
    builder: http1::Builder,
    /// One per connection being served.
    permits: Arc<Semaphore>,
    /// Cancelled when the listener closes: connections finish their request and close.
    finish: CancellationToken,
    connections: JoinSet<()>,
}

impl Server {
    async fn run(mut self, shutdown: CancellationToken, timing: ShutdownTiming) -> std::io::Result<Stopped> {
        self.accept_until(shutdown.cancelled()).await;
        timing.draining.set();
        tracing::info!(
            drain_ms = timing.drain.as_millis() as u64,
            grace_secs = timing.grace.as_secs(),
            "shutting down: draining, then finishing in-flight requests"
        );
        self.accept_until(tokio::time::sleep(timing.drain)).await;
        let Self {
            listener,
            finish,
            mut connections,
            ..
        } = self;
        drop(listener);
        finish.cancel();
        let all_done = async { while connections.join_next().await.is_some() {} };
        match tokio::time::timeout(timing.grace, all_done).await {
            Ok(()) => Ok(Stopped::Drained),
            Err(_) => {
                tracing::warn!("shutdown grace period over; dropping the remaining connections");
                connections.abort_all();
                Ok(Stopped::DeadlineReached)
            }
        }
    }

    /// Accepts and serves connections, within the bound, until `stop` completes.
    async fn accept_until(&mut self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            // Finished connections leave the set here, so it holds only live ones.
            while self.connections.try_join_next().is_some() {}
            let permit = tokio::select! {
                () = &mut stop => return,
                permit = Arc::clone(&self.permits).acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => return,
                },
            };
            let accepted = tokio::select! {
                () = &mut stop => return,
                accepted = self.listener.accept() => accepted,
            };
            match accepted {
                Ok((stream, peer)) => {
                    let connection = connection(
                        stream,
                        peer,
                        self.app.clone(),
                        self.builder.clone(),
                        self.finish.clone(),
                        permit,
                    );
                    self.connections.spawn(connection);
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            }
        }
    }
}

/// Serves one connection until the client leaves, a bound ends it, or `finish` asks it to
/// close after its current request. Holds its permit until then.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    builder: http1::Builder,
    finish: CancellationToken,
    _permit: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    });
    let served = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(served);
    let result = tokio::select! {
        result = served.as_mut() => result,
        () = finish.cancelled() => {
            served.as_mut().graceful_shutdown();
            served.await
        }
    };
    if let Err(error) = result {
        // Clients that leave, time out or send garbage: theirs to worry about.
        tracing::debug!(%error, %peer, "connection ended with an error");
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
