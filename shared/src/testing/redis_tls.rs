//! A private `redis-server` that speaks TLS only, on a free port, for the tests of `rediss://`.
//! It never touches the shared Redis.

use std::process::{Child, Command, Stdio};

use super::tls::{TempDir, TestCa, free_port, program_on_path, wait_for_port};

pub struct TlsRedis {
    port: u16,
    child: Child,
    _dir: TempDir,
}

impl TlsRedis {
    /// Starts a server presenting a certificate for `names`, issued by `ca`. Clients need not
    /// present certificates. Panics with the server's log when it cannot start (for one, a
    /// `redis-server` built without TLS).
    pub async fn start(ca: &TestCa, names: &[&str]) -> Self {
        let program = program_on_path("redis-server", "redis-server");
        let dir = TempDir::new("redis-tls");
        let cert = ca.issue(names);
        let cert_file = dir.write("server.crt", &cert.cert_pem);
        let key_file = dir.write("server.key", &cert.key_pem);
        let ca_file = dir.write("ca.crt", ca.pem());
        let log = dir.path().join("redis.log");
        let port = free_port();
        let child = Command::new(program)
            .arg("--port")
            .arg("0")
            .arg("--tls-port")
            .arg(port.to_string())
            .args(["--bind", "127.0.0.1"])
            .arg("--tls-cert-file")
            .arg(&cert_file)
            .arg("--tls-key-file")
            .arg(&key_file)
            .arg("--tls-ca-cert-file")
            .arg(&ca_file)
            .args(["--tls-auth-clients", "no"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        let mut server = Self {
            port,
            child,
            _dir: dir,
        };
        wait_for_port(port, || matches!(server.child.try_wait(), Ok(None)), &log).await;
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `rediss://host:port`, `host` being the name the client checks the certificate for.
    pub fn url(&self, host: &str) -> String {
        format!("rediss://{host}:{}", self.port)
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
