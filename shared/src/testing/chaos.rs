//! A TCP proxy between a test and a real service, whose mode the test switches to simulate
//! an outage: the service stopping (connections refused and cut) or a network black hole
//! (connections accepted, never answered). The real service is never disturbed.

use std::net::SocketAddr;

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Traffic flows to the service.
    Up,
    /// Like a stopped service: open connections are cut and new ones closed at once.
    Down,
    /// Like a dead network path: connections are accepted and then nothing is ever sent.
    BlackHole,
}

pub struct ChaosProxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
    task: JoinHandle<()>,
}

impl ChaosProxy {
    /// Starts a proxy in front of `target` on a free local port, in [`Mode::Up`].
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (mode, watcher) = watch::channel(Mode::Up);
        let task = tokio::spawn(accept_loop(listener, target, watcher));
        Self { addr, mode, task }
    }

    /// Where clients should connect instead of the service.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn set_mode(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, target: SocketAddr, mode: watch::Receiver<Mode>) {
    while let Ok((inbound, _)) = listener.accept().await {
        match *mode.borrow() {
            Mode::Up => {
                tokio::spawn(forward(inbound, target, mode.clone()));
            }
            Mode::Down => drop(inbound),
            Mode::BlackHole => {
                tokio::spawn(hold(inbound, mode.clone()));
            }
        }
    }
}

/// Copies both ways until either side closes or the mode leaves `Up`.
async fn forward(mut inbound: TcpStream, target: SocketAddr, mut mode: watch::Receiver<Mode>) {
    let Ok(mut outbound) = TcpStream::connect(target).await else {
        return;
    };
    tokio::select! {
        _ = copy_bidirectional(&mut inbound, &mut outbound) => {}
        _ = mode.wait_for(|m| *m != Mode::Up) => {}
    }
}

/// Keeps a connection open and silent until the mode changes.
async fn hold(inbound: TcpStream, mut mode: watch::Receiver<Mode>) {
    let _ = mode.wait_for(|m| *m != Mode::BlackHole).await;
    drop(inbound);
}
