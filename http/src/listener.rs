//! What both servers do around their router: bind the listen address, keep the session
//! revocation list fresh (both accept the API's tokens), serve with the shutdown timing, and
//! stop the revocation sync once serving has ended.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use neptu_shared::auth::{Auth, revocation};
use neptu_shared::config::Settings;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::server::{self, Draining, ShutdownTiming, Stopped};

/// A bound listen address, ready to serve a router.
pub struct Listener {
    listener: TcpListener,
    timing: ShutdownTiming,
    revocations: revocation::SyncTask,
}

impl Listener {
    /// Binds `HTTP_LISTEN` and starts the revocation sync against `db`.
    pub async fn bind(settings: &Settings, db: &PgPool, auth: &Arc<Auth>) -> anyhow::Result<Self> {
        let listen = settings.http.listen;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let timing = ShutdownTiming::new(&settings.http, Draining::default());
        let revocations = revocation::SyncTask::start(db, auth, settings.auth.revocation_poll);
        Ok(Self {
            listener,
            timing,
            revocations,
        })
    }

    /// The flag the router's stack and probes watch during the drain.
    pub fn draining(&self) -> Draining {
        self.timing.draining.clone()
    }

    pub fn timing(&self) -> &ShutdownTiming {
        &self.timing
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves `router` until `shutdown` is cancelled and its connections drained.
    pub async fn serve(self, router: Router, shutdown: CancellationToken) -> std::io::Result<Stopped> {
        let stopped = server::serve(self.listener, router, shutdown, self.timing).await;
        self.revocations.stop().await;
        stopped
    }
}
