//! A private `redis-server` on a free port, plain or TLS-only, for tests that need a Redis of
//! their own: TLS, or keys under their real names. It never touches the shared Redis.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::tls::{TempDir, TestCa, free_port, program_on_path, wait_for_port};

pub struct PrivateRedis {
    port: u16,
    tls: bool,
    child: Child,
    _dir: TempDir,
}

impl PrivateRedis {
    /// A server without TLS, empty, not saving anything.
    pub async fn start() -> Self {
        let dir = TempDir::new("redis");
        let port = free_port();
        let mut command = base_command(dir.path());
        command.arg("--port").arg(port.to_string());
        Self::spawn(command, port, false, dir).await
    }

    /// A server that speaks TLS only, presenting a certificate for `names` issued by `ca`.
    /// Clients need not present certificates. Panics with the server's log when it cannot
    /// start (for one, a `redis-server` built without TLS).
    pub async fn start_tls(ca: &TestCa, names: &[&str]) -> Self {
        let dir = TempDir::new("redis-tls");
        let cert = ca.issue(names);
        let cert_file = dir.write("server.crt", &cert.cert_pem);
        let key_file = dir.write("server.key", &cert.key_pem);
        let ca_file = dir.write("ca.crt", ca.pem());
        let port = free_port();
        let mut command = base_command(dir.path());
        command
            .args(["--port", "0"])
            .arg("--tls-port")
            .arg(port.to_string())
            .arg("--tls-cert-file")
            .arg(&cert_file)
            .arg("--tls-key-file")
            .arg(&key_file)
            .arg("--tls-ca-cert-file")
            .arg(&ca_file)
            .args(["--tls-auth-clients", "no"]);
        Self::spawn(command, port, true, dir).await
    }

    async fn spawn(mut command: Command, port: u16, tls: bool, dir: TempDir) -> Self {
        let child = command.spawn().expect("start redis-server");
        let mut server = Self {
            port,
            tls,
            child,
            _dir: dir,
        };
        let log = server._dir.path().join("redis.log");
        wait_for_port(port, || matches!(server.child.try_wait(), Ok(None)), &log).await;
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://host:port`, or `rediss://` for a TLS server; `host` is the name the client
    /// checks the certificate for.
    pub fn url(&self, host: &str) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        format!("{scheme}://{host}:{}", self.port)
    }
}

/// Loopback only, nothing persisted, the log in `dir`.
fn base_command(dir: &Path) -> Command {
    let mut command = Command::new(program_on_path("redis-server", "redis-server"));
    command
        .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(dir.join("redis.log"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
