//! A private Postgres cluster that accepts TCP clients over TLS only, on a free port in a
//! temporary directory, for the tests of verified TLS. It never touches the shared Postgres.
//!
//! Postgres refuses to run as root, and tests may run as root: then the cluster runs as the
//! `postgres` OS user (through `setpriv`, which execs rather than forks, so the child this
//! process holds is the postmaster itself).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::tls::{TempDir, TestCa, free_port, program_on_path};

pub struct TlsPostgres {
    port: u16,
    bin_dir: PathBuf,
    child: Child,
    dir: TempDir,
}

/// The OS user the cluster runs as, when this process is root.
struct RunAs {
    uid: u32,
    gid: u32,
}

impl TlsPostgres {
    /// Creates and starts a cluster presenting a certificate for `names`, issued by `ca`.
    /// Panics with a clear message when the binaries are missing or the server fails.
    pub async fn start(ca: &TestCa, names: &[&str]) -> Self {
        let bin_dir = postgres_bin_dir();
        let run_as = run_as();
        let dir = TempDir::new("pg-tls");
        let data = dir.path().join("data");
        let cert = ca.issue(names);
        let cert_file = dir.write("server.crt", &cert.cert_pem);
        let key_file = dir.write("server.key", &cert.key_pem);
        // Postgres insists that nobody else can read its key.
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).expect("chmod the key");
        if let Some(user) = &run_as {
            for path in [dir.path(), &cert_file, &key_file] {
                std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid)).expect("chown to postgres");
            }
        }

        let initdb = command(&run_as, &bin_dir.join("initdb"), dir.path())
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("run initdb");
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        // TCP clients only over TLS, so a test that connects proves TLS was used.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
        )
        .expect("write pg_hba.conf");

        let port = free_port();
        let log = dir.path().join("postgres.log");
        let log_file = std::fs::File::create(&log).expect("create the server log");
        if let Some(user) = &run_as {
            std::os::unix::fs::chown(&log, Some(user.uid), Some(user.gid)).expect("chown the log");
        }
        let mut postgres = command(&run_as, &bin_dir.join("postgres"), dir.path());
        postgres
            .arg("-D")
            .arg(&data)
            .arg("-p")
            .arg(port.to_string())
            .arg("-k")
            .arg(dir.path());
        for (name, value) in [
            ("listen_addresses", "127.0.0.1".to_owned()),
            ("ssl", "on".to_owned()),
            ("ssl_cert_file", cert_file.display().to_string()),
            ("ssl_key_file", key_file.display().to_string()),
            ("fsync", "off".to_owned()),
            ("max_connections", "20".to_owned()),
        ] {
            postgres.arg("-c").arg(format!("{name}={value}"));
        }
        let child = postgres
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start postgres");
        let mut server = Self {
            port,
            bin_dir,
            child,
            dir,
        };
        server.wait_ready(&log).await;
        server
    }

    /// Ready once `pg_isready` (over the Unix socket) says the cluster accepts connections.
    async fn wait_ready(&mut self, log: &Path) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(self.bin_dir.join("pg_isready"))
                .arg("-h")
                .arg(self.dir.path())
                .args(["-p", &self.port.to_string(), "-q"])
                .status()
                .expect("run pg_isready");
            if ready.success() {
                return;
            }
            let log = || std::fs::read_to_string(log).unwrap_or_default();
            assert!(
                matches!(self.child.try_wait(), Ok(None)),
                "postgres exited during start-up:\n{}",
                log()
            );
            assert!(
                tokio::time::Instant::now() < deadline,
                "postgres was not ready within 30 s:\n{}",
                log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where `initdb`, `postgres`, `pg_dump`… were found.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// `postgres://postgres@host:port/postgres?sslmode=…`; `host` is the name the client
    /// checks the certificate for.
    pub fn url(&self, host: &str, sslmode: &str) -> String {
        format!(
            "postgres://postgres@{host}:{}/postgres?sslmode={sslmode}",
            self.port
        )
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        // Fast shutdown (SIGINT) lets the postmaster take its backends down; kill if it hangs.
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The newest `/usr/lib/postgresql/<major>/bin` (Debian's layout), else `initdb` on `PATH`.
fn postgres_bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => program_on_path("initdb", "postgresql")
            .parent()
            .expect("initdb has a directory")
            .to_owned(),
    }
}

/// `Some` when this process is root: the `postgres` user must then exist.
fn run_as() -> Option<RunAs> {
    let euid = std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX);
    if euid != 0 {
        return None;
    }
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("run id");
        assert!(
            out.status.success(),
            "running as root, the TLS tests start Postgres as the `postgres` user, which does not exist (apt-get install postgresql creates it)"
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a numeric id")
    };
    Some(RunAs {
        uid: id("-u"),
        gid: id("-g"),
    })
}

/// `program` run as `run_as` (when given) in `dir`.
fn command(run_as: &Option<RunAs>, program: &Path, dir: &Path) -> Command {
    let mut command = match run_as {
        Some(user) => {
            let mut c = Command::new(program_on_path("setpriv", "util-linux"));
            c.arg(format!("--reuid={}", user.uid))
                .arg(format!("--regid={}", user.gid))
                .arg("--clear-groups")
                .arg("--")
                .arg(program);
            c
        }
        None => Command::new(program),
    };
    command.current_dir(dir).stdin(Stdio::null());
    command
}
