//! A local HTTP server for a test: an axum router on 127.0.0.1:0 standing in for an outside
//! API (CoinGecko, Colosseum, Azure OpenAI). Stops when dropped.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct FakeServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(router: Router) -> Self {
        super::tls();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake server");
        let addr = listener.local_addr().expect("fake server address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { addr, task }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
